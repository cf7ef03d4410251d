import EmberCore
import EmberCrypto

/// The bare mining loop of a Blake3 kernel on the calling thread: the reference that `ember bench blake3`
/// reports and `ember bench mine` compares the miner with.
public enum MiningKernelRate {
    /// Headers per call of the lanes, as the miner hashes them.
    public static let batchSize = 64

    /// Double hashes of 109-byte headers per second over about `duration`: a fresh nonce in each lane,
    /// one `Blake3.hashLanes(double: true)` call per batch, and nothing else (no target, no threads).
    public static func measure(kernel: Blake3Kernel, duration: Duration) -> Double {
        let headerLength = BlockHeader.encodedSize
        var headers = [UInt8](repeating: 0xA5, count: batchSize * headerLength)
        var digests = [UInt8](repeating: 0, count: batchSize * Hash32.byteCount)
        var nonce: UInt64 = 0
        var hashes = 0
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: duration)
        while clock.now < deadline {
            // 64 batches between clock reads keep the clock out of the measurement.
            for _ in 0..<64 {
                for lane in 0..<batchSize {
                    let base = lane * headerLength
                    for byte in 0..<8 { headers[base + byte] = UInt8(truncatingIfNeeded: nonce >> (8 * UInt64(byte))) }
                    nonce &+= 1
                }
                headers.withUnsafeBytes { source in
                    digests.withUnsafeMutableBytes { target in
                        Blake3.hashLanes(source, inputLength: headerLength, count: batchSize, into: target,
                                         double: true, kernel: kernel)
                    }
                }
                hashes += batchSize
            }
        }
        let (seconds, attoseconds) = (clock.now - start).components
        return Double(hashes) / (Double(seconds) + Double(attoseconds) / 1e18)
    }
}
