import Dispatch
import EmberCrypto

/// Verifies many signatures on every core; reports the first failure in the given order, so the
/// verdict does not depend on thread timing.
enum ParallelSignatureVerifier {
    /// Below this many checks a single thread is faster than handing work out.
    static let minimumChecksPerWorker = 32

    /// The index of the first check that fails, or nil when all pass.
    static func firstFailure(in checks: [SignatureCheck], network: NetworkID) -> Int? {
        let workers = max(1, min(activeProcessorCount, checks.count / minimumChecksPerWorker))
        guard workers > 1 else { return checks.firstIndex { !$0.isValid(on: network) } }
        let perWorker = (checks.count + workers - 1) / workers
        var firstFailures = [Int?](repeating: nil, count: workers)
        firstFailures.withUnsafeMutableBufferPointer { results in
            // Each worker writes only its own slot, so the writes never overlap.
            nonisolated(unsafe) let slots = results
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let range = (worker * perWorker)..<min(checks.count, (worker + 1) * perWorker)
                slots[worker] = range.first { !checks[$0].isValid(on: network) }
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
