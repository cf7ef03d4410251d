import EmberCrypto

/// A block header: the 109 bytes that proof of work hashes (DESIGN.md section 5).
///
/// The nonce comes first in the encoding so no hashing midstate survives a change of nonce. A miner
/// encodes the header once and rewrites only `encoded[nonceOffset..<nonceOffset + Nonce.byteCount]`.
public struct BlockHeader: Hashable, Sendable {
    /// The only version this protocol defines; the encoding carries it, the value does not.
    public static let version: UInt8 = 1
    /// The exact length of every header encoding.
    public static let encodedSize = 109
    /// Where the nonce's 24 bytes start in the encoding.
    public static let nonceOffset = 0

    /// The 24 bytes a miner varies; first in the encoding.
    public var nonce: Nonce
    /// The number of blocks before this one (0 for genesis).
    public var height: UInt64
    /// The hash of the parent block (32 zero bytes for genesis).
    public var parent: Hash32
    /// The Merkle root of the transactions' full hashes.
    public var txRoot: Hash32
    /// Milliseconds since the Unix epoch.
    public var timestamp: UInt64
    /// The proof-of-work target in compact form.
    public var target: CompactTarget

    public init(
        nonce: Nonce,
        height: UInt64,
        parent: Hash32,
        txRoot: Hash32,
        timestamp: UInt64,
        target: CompactTarget
    ) {
        self.nonce = nonce
        self.height = height
        self.parent = parent
        self.txRoot = txRoot
        self.timestamp = timestamp
        self.target = target
    }

    /// The block hash and proof-of-work hash: `H(H(headerBytes))`.
    public var hash: Hash32 { Blake3.doubleHash(encoded) }
}
