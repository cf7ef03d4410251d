extension SparseMerkleTree {
    /// A proof that a key has a given leaf in a sparse Merkle tree: of inclusion, or of non-inclusion when
    /// the leaf is 32 zero bytes (DESIGN.md section 17).
    ///
    /// On the wire: a 32-byte bitmap, then the siblings it marks, root side first, 32 bytes each. Bit i of
    /// the bitmap, `(bitmap[i / 8] >> (7 − i mod 8)) & 1`, is set iff the sibling at depth i + 1 is not
    /// empty; the empty ones are known (`SparseMerkleTree.emptySubtree`) and left out. A listed sibling
    /// equal to its level's empty hash is invalid, so each key, leaf and root have exactly one proof.
    ///
    /// Every value of this type is valid: both initialisers check the bitmap, the sibling count and the
    /// empty-sibling rule.
    public struct Proof: Hashable, Sendable {
        /// Bytes of the bitmap: one bit per level.
        public static let bitmapByteCount = SparseMerkleTree.depth / 8
        /// A sibling per level at most.
        public static let maxSiblingCount = SparseMerkleTree.depth
        /// The largest proof: the bitmap and 256 siblings, 8 224 bytes. No decoder reads more.
        public static let maxByteCount = bitmapByteCount + maxSiblingCount * Hash32.byteCount

        /// One bit per depth, set where the sibling is listed.
        public let bitmap: [UInt8]
        /// The non-empty siblings, root side first.
        public let siblings: [Hash32]

        /// The proof with these parts, which must agree: 32 bitmap bytes, a sibling per set bit, none empty.
        public init(bitmap: [UInt8], siblings: [Hash32]) throws(ProofError) {
            guard bitmap.count == Self.bitmapByteCount else { throw .wrongBitmapLength(found: bitmap.count) }
            let listed = Self.setBitCount(bitmap[...])
            guard siblings.count == listed else { throw .wrongSiblingCount(expected: listed, found: siblings.count) }
            try Self.checkNoEmptySibling(bitmap: bitmap, siblings: siblings)
            self.init(validatedBitmap: bitmap, siblings: siblings)
        }

        /// Decodes a proof that must span all of `bytes`, which may be at most `limit` bytes long (and never
        /// more than `maxByteCount`, whatever `limit` says). Untrusted bytes give a value or an error.
        public init(decoding bytes: [UInt8], limit: Int) throws(ProofError) {
            let limit = min(max(0, limit), Self.maxByteCount)
            guard bytes.count <= limit else { throw .sizeOverLimit(size: bytes.count, limit: limit) }
            guard bytes.count >= Self.bitmapByteCount else {
                throw .truncated(expected: Self.bitmapByteCount, found: bytes.count)
            }
            let bitmap = Array(bytes[0..<Self.bitmapByteCount])
            let listed = Self.setBitCount(bitmap[...])
            let expected = Self.bitmapByteCount + listed * Hash32.byteCount
            guard bytes.count >= expected else { throw .truncated(expected: expected, found: bytes.count) }
            guard bytes.count == expected else { throw .trailingBytes(count: bytes.count - expected) }
            var siblings = [Hash32]()
            siblings.reserveCapacity(listed)
            var offset = Self.bitmapByteCount
            while offset < expected {
                // The length was checked above, so every slice is 32 bytes.
                guard let sibling = Hash32(bytes[offset..<offset + Hash32.byteCount]) else {
                    throw .truncated(expected: expected, found: bytes.count)
                }
                siblings.append(sibling)
                offset += Hash32.byteCount
            }
            try Self.checkNoEmptySibling(bitmap: bitmap, siblings: siblings)
            self.init(validatedBitmap: bitmap, siblings: siblings)
        }

        init(validatedBitmap bitmap: [UInt8], siblings: [Hash32]) {
            self.bitmap = bitmap
            self.siblings = siblings
        }

        /// The proof's bytes: the bitmap, then the siblings.
        public var encoded: [UInt8] {
            var bytes = bitmap
            bytes.reserveCapacity(Self.bitmapByteCount + siblings.count * Hash32.byteCount)
            for sibling in siblings { bytes.append(contentsOf: sibling.bytes) }
            return bytes
        }

        /// Whether the sibling at `depth` (1 … 256) is listed, that is not empty.
        public func hasSibling(atDepth depth: Int) -> Bool {
            Self.bit(depth - 1, of: bitmap)
        }

        private static func bit(_ index: Int, of bitmap: [UInt8]) -> Bool {
            (bitmap[index / 8] >> UInt8(7 - index % 8)) & 1 == 1
        }

        private static func setBitCount(_ bitmap: ArraySlice<UInt8>) -> Int {
            bitmap.reduce(0) { $0 + $1.nonzeroBitCount }
        }

        /// Fails at the first listed sibling that equals the empty hash of its level.
        private static func checkNoEmptySibling(bitmap: [UInt8], siblings: [Hash32]) throws(ProofError) {
            var next = 0
            for depth in 1...SparseMerkleTree.depth where bit(depth - 1, of: bitmap) {
                guard siblings[next] != SparseMerkleTree.emptySubtree[SparseMerkleTree.depth - depth] else {
                    throw .emptySibling(depth: depth)
                }
                next += 1
            }
        }
    }
}
