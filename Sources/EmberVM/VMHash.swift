import EmberCrypto

/// 32 digest bytes kept in memory order, so they can be hashed and compared without allocating.
///
/// `Hash32` is the public face of a digest; this is the working form inside the Merkle tree and the
/// verifier, where tens of thousands of nodes are combined.
struct Digest32: Equatable, Sendable {
    var word0: UInt64 = 0
    var word1: UInt64 = 0
    var word2: UInt64 = 0
    var word3: UInt64 = 0

    static let zero = Digest32()

    init() {}

    /// Reads 32 bytes starting at `pointer`.
    init(copying pointer: UnsafeRawPointer) {
        word0 = pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        word1 = pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        word2 = pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        word3 = pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    init(_ hash: Hash32) {
        self.init(bytes: hash.bytes)
    }

    /// Exactly 32 bytes are read; callers guarantee the count.
    init(bytes: [UInt8]) {
        self.init()
        withUnsafeMutableBytes(of: &self) { target in
            for index in 0..<min(bytes.count, 32) { target[index] = bytes[index] }
        }
    }

    var bytes: [UInt8] { withUnsafeBytes(of: self) { Array($0) } }

    var hash32: Hash32 {
        // A Digest32 always holds 32 bytes, so the conversion cannot fail.
        Hash32(bytes) ?? .zero
    }

    func write(to pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: self, as: Digest32.self)
    }
}

/// The one hash function of the VM: Blake3-256 (DESIGN.md section 3), over raw bytes.
func vmHash(_ bytes: UnsafeRawBufferPointer) -> Digest32 {
    var hasher = Blake3Hasher()
    hasher.update(bytes)
    // Reading the output as raw bytes skips two conversions through `Hash32`.
    return Digest32(bytes: hasher.finalize(length: 32))
}

/// A Merkle node: `H(0x01 ‖ left ‖ right)`, hashed from a stack buffer.
func merkleNode(_ left: Digest32, _ right: Digest32) -> Digest32 {
    var packed = (Digest32(), Digest32(), Digest32())
    return withUnsafeMutableBytes(of: &packed) { buffer in
        buffer[0] = 0x01
        withUnsafeBytes(of: left) { buffer.baseAddress!.advanced(by: 1).copyMemory(from: $0.baseAddress!, byteCount: 32) }
        withUnsafeBytes(of: right) { buffer.baseAddress!.advanced(by: 33).copyMemory(from: $0.baseAddress!, byteCount: 32) }
        return vmHash(UnsafeRawBufferPointer(rebasing: buffer[0..<65]))
    }
}

/// `zeroSubtree[h]` is the root of a subtree of height h over zero memory (h = 0 is a zero leaf).
let zeroSubtree: [Digest32] = {
    var table = [Digest32.zero]
    for _ in 0..<MachineLayout.treeDepth { table.append(merkleNode(table[table.count - 1], table[table.count - 1])) }
    return table
}()
