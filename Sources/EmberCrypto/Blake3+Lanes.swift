import CEmberBlake3

extension Blake3 {
    /// The longest input the lane functions take: one chunk, so each input is a single-chunk tree.
    public static let maxLaneInputLength = 1_024

    /// Hashes `count` inputs of `inputLength` bytes each, laid end to end in `inputs`, side by side
    /// through the SIMD kernel; writes `count` 32-byte digests to `digests`.
    public static func hashLanes(
        _ inputs: UnsafeRawBufferPointer, inputLength: Int, count: Int,
        into digests: UnsafeMutableRawBufferPointer, double: Bool = false, kernel: Blake3Kernel = .active
    ) {
        precondition(inputLength <= maxLaneInputLength, "lane inputs are single chunks")
        precondition(inputs.count >= inputLength * count && digests.count >= Hash32.byteCount * count)
        guard count > 0, let source = inputs.baseAddress, let target = digests.baseAddress else { return }
        let bytes = source.assumingMemoryBound(to: UInt8.self)
        let out = target.assumingMemoryBound(to: UInt8.self)
        if double {
            ember_b3_double_hash_short_many(kernel.rawValue, bytes, count, inputLength, out)
        } else {
            ember_b3_hash_short_many(kernel.rawValue, bytes, count, inputLength, out)
        }
    }

    /// The digests of equal-length inputs (each at most 1 024 bytes), hashed side by side.
    public static func hashLanes(_ inputs: [[UInt8]], double: Bool = false, kernel: Blake3Kernel = .active) -> [Hash32] {
        guard let length = inputs.first?.count else { return [] }
        precondition(inputs.allSatisfy { $0.count == length }, "lane inputs share one length")
        let packed = inputs.flatMap { $0 }
        var digests = [UInt8](repeating: 0, count: Hash32.byteCount * inputs.count)
        packed.withUnsafeBytes { source in
            digests.withUnsafeMutableBytes { target in
                hashLanes(source, inputLength: length, count: inputs.count, into: target, double: double, kernel: kernel)
            }
        }
        return stride(from: 0, to: digests.count, by: Hash32.byteCount).map {
            Hash32(digests[$0..<$0 + Hash32.byteCount]) ?? .zero
        }
    }
}
