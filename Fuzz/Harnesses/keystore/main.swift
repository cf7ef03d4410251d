// Fuzzes `Keystore.decode(json:)`, which reads a keystore file from disk as untrusted JSON (strict
// fields, lower-case hex, bounded scrypt parameters). The passphrase and scrypt are not run: they are
// not decoding, and bounded KDF parameters are what the decoder must guarantee.
// Property: a decoded keystore's own JSON decodes to the same keystore.

import EmberCrypto
import EmberNode
import Foundation
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: seeds, check: check)

func seeds() -> [[UInt8]] {
    NetworkID.allCases.enumerated().compactMap { index, network in
        let kdf = try? KeystoreKDFParameters(n: 16, r: 1, p: 1)
        return kdf.flatMap {
            try? Keystore.create(key: .devnet(index: UInt32(index)), network: network, passphrase: Array("fuzz".utf8), kdf: $0)
        }
        .map { Array($0.encodedJSON()) }
    }
}

func check(_ bytes: [UInt8]) -> Bool {
    guard let keystore = try? Keystore.decode(json: Data(bytes)) else { return false }
    let again = try? Keystore.decode(json: keystore.encodedJSON())
    Fuzz.expect(again == keystore, "a keystore's own JSON decodes to \(String(describing: again)), not \(keystore)")
    return true
}
