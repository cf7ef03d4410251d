import Dispatch
import EmberCore

/// Encodes and hashes a block's transactions on every core: a block's txids, full hashes and sizes do
/// not depend on each other, and hashing up to 4 MiB on one thread was tier 3's longest serial step.
enum ParallelDigests {
    /// Transactions handed out at a time.
    static let transactionsPerPiece = 64

    /// Each transaction's digests, in order.
    static func of(_ transactions: [Transaction], threads: SignatureThreads) -> [Transaction.Digests] {
        guard threads == .allCores, ParallelSignatureVerifier.activeProcessorCount > 1,
              transactions.count >= 2 * transactionsPerPiece
        else { return transactions.map(\.digests) }
        let pieces = (transactions.count + transactionsPerPiece - 1) / transactionsPerPiece
        var digests = [Transaction.Digests?](repeating: nil, count: transactions.count)
        digests.withUnsafeMutableBufferPointer { results in
            // Each piece writes only its own slots, so the writes never overlap.
            nonisolated(unsafe) let slots = results
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                for index in (piece * transactionsPerPiece)..<min(transactions.count, (piece + 1) * transactionsPerPiece) {
                    slots[index] = transactions[index].digests
                }
            }
        }
        // Every slot was written above.
        return digests.map { $0! }
    }
}
