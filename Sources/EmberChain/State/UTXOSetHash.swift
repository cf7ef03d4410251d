import EmberCore
import EmberCrypto

/// The UTXO-set hash of DESIGN.md section 13: the sum modulo 2^256 − 189 of
/// `H("ember/utxo/v1" ‖ outpoint ‖ output)` over the unspent outputs, read as big-endian integers.
///
/// A sum can be updated one output at a time in either direction, so connecting or disconnecting a
/// block costs one hash per output it touches. It checks the local store's integrity; it is no
/// security commitment (a sum of hashes can be steered by someone who chooses the outputs).
public struct UTXOSetHash: Hashable, Sendable, CustomStringConvertible {
    static let domainTag: [UInt8] = Array("ember/utxo/v1".utf8)

    private var sum: ModularSum256

    /// The hash of the empty set.
    public static let empty = UTXOSetHash(sum: .zero)

    private init(sum: ModularSum256) { self.sum = sum }

    /// The value stored with a tip.
    public init(_ hash: Hash32) { sum = ModularSum256(reducing: hash.bigEndianWords) }

    /// The sum as 32 big-endian bytes.
    public var hash: Hash32 { Hash32(bigEndianWords: sum.words) }

    public var description: String { hash.hex }

    /// The term one unspent output contributes.
    static func term(_ outpoint: OutPoint, _ output: Output) -> ModularSum256 {
        var writer = ByteWriter()
        writer.writeRawBytes(domainTag)
        writer.write(outpoint)
        writer.write(output)
        return ModularSum256(reducing: Blake3.hash(writer.bytes).bigEndianWords)
    }

    /// Adds an output that became unspent.
    public mutating func insert(_ outpoint: OutPoint, _ output: Output) {
        sum = sum.adding(Self.term(outpoint, output))
    }

    /// Removes an output that was spent.
    public mutating func remove(_ outpoint: OutPoint, _ output: Output) {
        sum = sum.subtracting(Self.term(outpoint, output))
    }
}
