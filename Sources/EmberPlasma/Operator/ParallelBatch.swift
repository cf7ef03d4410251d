import Dispatch
import Foundation

/// Runs a batch's per-move work on every core (the pattern of EmberChannels' `ParallelSigning`): one
/// Ed25519 verification per move is most of what admission costs.
enum ParallelBatch {
    /// Moves handed to a thread at a time; below two pieces one thread is faster.
    static let movesPerPiece = 32

    /// `body(0) … body(count - 1)`, in that order, computed on every core. `body` must be safe to call
    /// from several threads at once.
    static func map<Result: Sendable>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
        let pieces = (count + movesPerPiece - 1) / movesPerPiece
        guard pieces > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else { return (0..<count).map(body) }
        var results = [Result?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { results in
            // Each piece writes only its own slots, so the writes never overlap.
            nonisolated(unsafe) let slots = results
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                for index in (piece * movesPerPiece)..<min(count, (piece + 1) * movesPerPiece) { slots[index] = body(index) }
            }
        }
        return results.map { $0! }
    }
}
