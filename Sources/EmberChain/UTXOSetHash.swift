import BigInt
import EmberCore
import EmberCrypto

/// The UTXO-set hash of DESIGN.md section 13: the sum modulo 2^256 − 189 of
/// `H("ember/utxo/v1" ‖ outpoint ‖ output)` over the unspent outputs, read as big-endian integers.
///
/// A sum can be updated one output at a time in either direction, so connecting or disconnecting a
/// block costs one hash per output it touches. It checks the local store's integrity; it is no
/// security commitment (a sum of hashes can be steered by someone who chooses the outputs).
public struct UTXOSetHash: Hashable, Sendable, CustomStringConvertible {
    /// 2^256 − 189, the largest prime below 2^256.
    static let modulus = (BigUInt(1) << 256) - 189
    static let domainTag: [UInt8] = Array("ember/utxo/v1".utf8)

    private var sum: BigUInt

    /// The hash of the empty set.
    public static let empty = UTXOSetHash(sum: 0)

    private init(sum: BigUInt) { self.sum = sum }

    /// The value stored with a tip.
    public init(_ hash: Hash32) { sum = BigUInt(hash: hash) % Self.modulus }

    /// The sum as 32 big-endian bytes.
    public var hash: Hash32 {
        let bytes = sum.bigEndianPadded(to: Hash32.byteCount)
        // 32 bytes always make a digest.
        return Hash32(bytes) ?? .zero
    }

    public var description: String { hash.hex }

    /// The term one unspent output contributes.
    static func term(_ outpoint: OutPoint, _ output: Output) -> BigUInt {
        var writer = ByteWriter()
        writer.writeRawBytes(domainTag)
        writer.write(outpoint)
        writer.write(output)
        return BigUInt(hash: Blake3.hash(writer.bytes)) % modulus
    }

    /// Adds an output that became unspent.
    public mutating func insert(_ outpoint: OutPoint, _ output: Output) {
        sum = (sum + Self.term(outpoint, output)) % Self.modulus
    }

    /// Removes an output that was spent.
    public mutating func remove(_ outpoint: OutPoint, _ output: Output) {
        sum = (sum + Self.modulus - Self.term(outpoint, output)) % Self.modulus
    }
}

extension BigUInt {
    /// The value as exactly `count` big-endian bytes (the value must fit).
    func bigEndianPadded(to count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var remaining = self
        var index = count - 1
        while remaining > 0 && index >= 0 {
            bytes[index] = UInt8(truncatingIfNeeded: remaining & 0xff)
            remaining >>= 8
            index -= 1
        }
        return bytes
    }
}
