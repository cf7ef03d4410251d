import Dispatch
import EmberCrypto

/// Verifies many signatures on every core; reports the first failure in the given order, so the
/// verdict does not depend on thread timing.
enum ParallelSignatureVerifier {
    /// Below this many checks a single thread is faster than handing work out.
    static let minimumChecksPerWorker = 32
    /// Checks handed out at a time. Small pieces keep every thread busy to the end: with one half per
    /// core, a thread that started late (busy with another block's checks, or the chain actor) left the
    /// other waiting for it.
    static let checksPerPiece = 64

    /// The index of the first check that fails, or nil when all pass.
    static func firstFailure(in checks: [SignatureCheck], network: NetworkID) -> Int? {
        guard activeProcessorCount > 1, checks.count >= 2 * minimumChecksPerWorker else {
            return checks.firstIndex { !$0.isValid(on: network) }
        }
        let pieces = (checks.count + checksPerPiece - 1) / checksPerPiece
        var firstFailures = [Int?](repeating: nil, count: pieces)
        firstFailures.withUnsafeMutableBufferPointer { results in
            // Each piece writes only its own slot, so the writes never overlap.
            nonisolated(unsafe) let slots = results
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                let range = (piece * checksPerPiece)..<min(checks.count, (piece + 1) * checksPerPiece)
                slots[piece] = range.first { !checks[$0].isValid(on: network) }
            }
        }
        return firstFailures.compactMap { $0 }.min()
    }

    static let activeProcessorCount: Int = {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#endif
