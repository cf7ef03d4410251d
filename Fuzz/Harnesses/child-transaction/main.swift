// Fuzzes `ChildTransaction.decode(from:limit:)`, the decoder of a Plasma child chain's moves of coins
// (136 bytes, DESIGN.md section 17, issue 16), which users send to the operator and exits carry.
// Properties: what decodes encodes back to the same bytes (exactly `ChildTransaction.byteCount`);
// `leaf` is the hash of those bytes; `signedMessage(network:)` and `isSigned(by:network:)`, with the
// decoded newOwnerKey and with devnet key 0 (the seeds' signer), run on every network without trapping.

import EmberCore
import EmberCrypto
import FuzzSamples
import FuzzSupport

/// The seeds' signer. (A static constant: a top-level one would be initialised by the script's code,
/// which never goes past `Fuzz.main`, so the compiler warns that `check`, which reads it, never runs.)
enum Seeds {
    static let signer = Samples.publicKey(0)
}

Fuzz.main(seeds: { Samples.childTransactions.map(\.encoded) }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let transaction = try? ChildTransaction.decode(from: bytes, limit: ChildTransaction.byteCount) else { return false }
    Fuzz.expectRoundTrip(transaction.encoded, bytes, "child transaction")
    Fuzz.expect(bytes.count == ChildTransaction.byteCount, "a child transaction of \(bytes.count) bytes decoded")
    Fuzz.expect(transaction.leaf == Blake3.hash(bytes), "leaf is not the hash of the encoding")
    for network in NetworkID.allCases {
        _ = transaction.signedMessage(network: network)
        _ = transaction.isSigned(by: transaction.newOwnerKey, network: network)
        _ = transaction.isSigned(by: Seeds.signer, network: network)
    }
    return true
}
