import Dispatch
import Foundation

/// Runs a batch's per-state work (signing, or verifying then signing) on every core: one signature
/// and one verification per state are most of what an update costs each side.
enum ParallelSigning {
    /// States handed to a thread at a time; below two pieces one thread is faster.
    static let statesPerPiece = 16

    /// `body(0) … body(count - 1)`, in that order, computed on every core. `body` must be safe to call
    /// from several threads at once.
    static func map<Result: Sendable>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
        let pieces = (count + statesPerPiece - 1) / statesPerPiece
        guard pieces > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else { return (0..<count).map(body) }
        var results = [Result?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { results in
            // Each piece writes only its own slots, so the writes never overlap.
            nonisolated(unsafe) let slots = results
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                for index in (piece * statesPerPiece)..<min(count, (piece + 1) * statesPerPiece) { slots[index] = body(index) }
            }
        }
        return results.map { $0! }
    }
}
