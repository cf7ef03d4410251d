import EmberCore
import EmberCrypto

/// Random Ember values for property tests, biased towards the edges of each encoding (varint group
/// boundaries, empty and full byte strings) where codec bugs live.
///
/// Use with `SeededGenerator`. Every value generated is within the codec's limits, so it must round-trip; consensus rules (amounts,
/// witness count) are not respected.
public enum RandomValues {
    /// `count` random bytes.
    public static func bytes(count: Int, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A byte string of random length in `lengths`, favouring its bounds.
    public static func byteString(
        lengths: ClosedRange<Int>,
        using generator: inout some RandomNumberGenerator
    ) -> [UInt8] {
        let length: Int
        switch Int.random(in: 0..<8, using: &generator) {
        case 0: length = lengths.lowerBound
        case 1: length = lengths.upperBound
        default: length = Int.random(in: lengths, using: &generator)
        }
        return bytes(count: length, using: &generator)
    }

    public static func hash32(using generator: inout some RandomNumberGenerator) -> Hash32 {
        Hash32(bytes(count: Hash32.byteCount, using: &generator)) ?? .zero
    }

    /// An unsigned 128-bit value with a random bit length, half the time on a varint group boundary
    /// (2^(7k) − 1, 2^(7k)) or at 0 or the maximum.
    public static func varintValue(using generator: inout some RandomNumberGenerator) -> UInt128 {
        let low = UInt128(generator.next())
        let high = UInt128(generator.next())
        let full = high << 64 | low
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:
            let groups = Int.random(in: 1...18, using: &generator)
            let boundary = UInt128(1) << (7 * groups)
            return Bool.random(using: &generator) ? boundary : boundary - 1
        case 1:
            return [0, 1, UInt128.max, UInt128.max - 1][Int.random(in: 0..<4, using: &generator)]
        default:
            return full >> Int.random(in: 0..<128, using: &generator)
        }
    }

    public static func amount(using generator: inout some RandomNumberGenerator) -> Amount {
        Amount(units: varintValue(using: &generator))
    }

    public static func outPoint(using generator: inout some RandomNumberGenerator) -> OutPoint {
        let index = UInt32(truncatingIfNeeded: varintValue(using: &generator))
        return OutPoint(txid: hash32(using: &generator), index: index)
    }

    public static func lock(using generator: inout some RandomNumberGenerator) -> Lock {
        .pubKeyHash(hash32(using: &generator))
    }

    public static func unlock(using generator: inout some RandomNumberGenerator) -> Unlock {
        guard let key = RawPublicKey(bytes(count: RawPublicKey.byteCount, using: &generator)) else {
            preconditionFailure("32 bytes always make a raw public key")
        }
        return .publicKey(key)
    }

    public static func input(using generator: inout some RandomNumberGenerator) -> Input {
        Input(outpoint: outPoint(using: &generator), unlock: unlock(using: &generator))
    }

    public static func output(using generator: inout some RandomNumberGenerator) -> Output {
        Output(
            amount: amount(using: &generator),
            lock: lock(using: &generator),
            lockTime: Bool.random(using: &generator) ? 0 : generator.next(),
            data: byteString(lengths: 0...Output.maxDataSize, using: &generator)
        )
    }

    /// A witness of up to 3 items of up to `maxItemSize` bytes each.
    public static func witness(
        maxItemSize: Int = 100,
        using generator: inout some RandomNumberGenerator
    ) -> Witness {
        let count = Int.random(in: 0...3, using: &generator)
        return Witness(items: (0..<count).map { _ in
            byteString(lengths: 0...maxItemSize, using: &generator)
        })
    }

    /// A transaction (one in three of version 2) with up to `maxInputs` inputs and witnesses and up to `maxOutputs` outputs; the
    /// witness count usually, not always, equals the input count.
    public static func transaction(
        maxInputs: Int = 4,
        maxOutputs: Int = 4,
        using generator: inout some RandomNumberGenerator
    ) -> Transaction {
        let inputs = (0..<Int.random(in: 0...maxInputs, using: &generator)).map { _ in input(using: &generator) }
        let outputs = (0..<Int.random(in: 0...maxOutputs, using: &generator)).map { _ in output(using: &generator) }
        let witnessCount = Int.random(in: 0..<8, using: &generator) == 0
            ? Int.random(in: 0...maxInputs, using: &generator)
            : inputs.count
        let witnesses = (0..<witnessCount).map { _ in witness(using: &generator) }
        // One in three is version 2, with up to 3 reads and 3 blobs of up to 100 bytes.
        guard Int.random(in: 0..<3, using: &generator) == 0 else {
            return Transaction(inputs: inputs, outputs: outputs, witnesses: witnesses)
        }
        let reads = (0..<Int.random(in: 0...3, using: &generator)).map { _ in outPoint(using: &generator) }
        let blobs = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
            byteString(lengths: 0...100, using: &generator)
        }
        return Transaction(version: Transaction.version2, inputs: inputs, reads: reads, outputs: outputs, blobs: blobs, witnesses: witnesses)
    }

    public static func nonce(using generator: inout some RandomNumberGenerator) -> Nonce {
        Nonce(high: generator.next(), middle: generator.next(), low: generator.next())
    }

    public static func blockHeader(using generator: inout some RandomNumberGenerator) -> BlockHeader {
        BlockHeader(
            nonce: nonce(using: &generator),
            height: generator.next(),
            parent: hash32(using: &generator),
            txRoot: hash32(using: &generator),
            timestamp: generator.next(),
            target: CompactTarget(bits: UInt32.random(in: .min ... .max, using: &generator))
        )
    }

    /// A block of up to `maxTransactions` random transactions (its txRoot is random, not computed).
    public static func block(
        maxTransactions: Int = 4,
        using generator: inout some RandomNumberGenerator
    ) -> Block {
        let count = Int.random(in: 0...maxTransactions, using: &generator)
        return Block(
            header: blockHeader(using: &generator),
            transactions: (0..<count).map { _ in transaction(using: &generator) }
        )
    }
}
