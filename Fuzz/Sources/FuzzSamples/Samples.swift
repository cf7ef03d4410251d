// Valid values built through the public API, whose encodings seed the harnesses' corpora. They are
// built afresh on every run, so the seeds follow the codecs as they change.

import EmberCore
import EmberCrypto
import FuzzSupport

public enum Samples {
    /// A hash whose every byte is `byte`.
    public static func hash(_ byte: UInt8) -> Hash32 { Hash32([UInt8](repeating: byte, count: 32))! }

    /// The public key of devnet seed key `index`.
    public static func publicKey(_ index: UInt32) -> RawPublicKey { RawPublicKey(SigningKey.devnet(index: index).publicKey.bytes)! }

    /// One encoding of every lock tag: a pubKeyHash, then each covenant body filled with zeros.
    public static var lockEncodings: [[UInt8]] {
        var encodings = [Lock.pubKeyHash(SigningKey.devnet(index: 0).publicKey.publicKeyHash).encoded]
        for tag in UInt8(1)...UInt8(15) {
            if let zeroBody = Fuzz.shortestZeroFilled(prefix: [tag], accepts: decodesAsLock) { encodings.append(zeroBody) }
        }
        return encodings
    }

    /// Every lock of `lockEncodings`.
    public static var locks: [Lock] { lockEncodings.compactMap { try? Lock.decode(from: $0, limit: 4_096) } }

    /// One encoding of every unlock tag and, for covenant unlocks, of every mode byte up to 15.
    public static var unlockEncodings: [[UInt8]] {
        var encodings = [Unlock.publicKey(publicKey(0)).encoded]
        for tag in UInt8(1)...UInt8(3) {
            for mode in UInt8(0)...UInt8(15) {
                if let body = Fuzz.shortestZeroFilled(prefix: [tag, mode], maxBody: 64, accepts: decodesAsUnlock) {
                    encodings.append(body)
                }
            }
        }
        encodings.append(Unlock.channel(CovenantUnlock(mode: 2, firstOutput: 300, maxSteps: 1_000_000)).encoded)
        return encodings
    }

    /// Every unlock of `unlockEncodings`.
    public static var unlocks: [Unlock] { unlockEncodings.compactMap { try? Unlock.decode(from: $0, limit: 4_096) } }

    /// Version-1 and version-2 transactions: payments, covenant locks and unlocks, reads and blobs.
    public static var transactions: [Transaction] {
        let payee = Lock.pubKeyHash(SigningKey.devnet(index: 1).publicKey.publicKeyHash)
        let signature = Witness(items: [[UInt8](repeating: 0x5a, count: 64)])
        let payment = Transaction(
            inputs: [Input(outpoint: OutPoint(txid: hash(1), index: 0), unlock: .publicKey(publicKey(0)))],
            outputs: [
                Output(amount: Amount(units: 5 * Amount.unitsPerCoin), lock: payee),
                Output(amount: Amount(units: 12_345), lock: payee, lockTime: 1_700_000_000_000, data: [1, 2, 3]),
            ],
            witnesses: [signature]
        )
        let coinbase = Transaction(
            inputs: [], outputs: [Output(amount: Amount(units: 50 * Amount.unitsPerCoin), lock: payee, data: [7])], witnesses: [])
        let covenants = Transaction(
            version: Transaction.version2,
            inputs: unlocks.enumerated().map { Input(outpoint: OutPoint(txid: hash(2), index: UInt32($0.offset)), unlock: $0.element) },
            reads: [OutPoint(txid: hash(3), index: 9)],
            outputs: locks.map { Output(amount: Amount(units: 1_000), lock: $0) },
            blobs: [Array("a blob".utf8), []],
            witnesses: [signature, Witness(items: [[], [0xff, 0xfe]])]
        )
        let plainVersion2 = Transaction(
            version: Transaction.version2, inputs: payment.inputs, reads: [], outputs: payment.outputs, blobs: [],
            witnesses: payment.witnesses)
        return [payment, coinbase, covenants, plainVersion2]
    }

    /// A block of `transactions` on a made-up parent; its proof of work is not valid, which decoding ignores.
    public static func block(height: UInt64 = 7, transactions: [Transaction] = Samples.transactions) -> Block {
        let header = BlockHeader(
            nonce: Nonce(high: 1, middle: 2, low: 3), height: height, parent: hash(0xab), txRoot: hash(0xcd),
            timestamp: 1_767_225_600_000, target: CompactTarget(bits: 0x2000_ffff))
        return Block(header: header, transactions: transactions)
    }

    private static func decodesAsLock(_ bytes: [UInt8]) -> Bool { (try? Lock.decode(from: bytes, limit: 4_096)) != nil }
    private static func decodesAsUnlock(_ bytes: [UInt8]) -> Bool { (try? Unlock.decode(from: bytes, limit: 4_096)) != nil }
}
