import EmberChain
import Foundation

extension Node {
    /// The file the mempool is saved in, beside the database.
    static let mempoolFileName = "mempool.bin"
    /// Seconds between periodic saves of the mempool.
    static let mempoolSaveInterval: Duration = .seconds(30)
    /// Accepted transactions after which the mempool is saved without waiting for the interval.
    static let mempoolSaveAfterAccepted = 16

    nonisolated var mempoolFile: URL { folder.url.appendingPathComponent(Self.mempoolFileName) }

    /// Offers the transactions saved by the last run to the mempool, through the normal acceptance
    /// path: those a block confirmed or conflicted with meanwhile are refused and dropped.
    func restoreMempool() async {
        let snapshot: MempoolSnapshot?
        do {
            snapshot = try MempoolSnapshot.read(from: mempoolFile)
        } catch {
            // Only ever written whole (temporary file and rename), so this is damage from outside.
            logger.error("the saved mempool cannot be read; starting with an empty one", metadata: ["error": "\(error)"])
            return
        }
        guard let snapshot, !snapshot.transactions.isEmpty else { return }
        let (accepted, dropped) = await mempool.restore(snapshot, view: chain.utxoView, nowMs: Self.nowMs)
        logger.info("restored the saved mempool", metadata: ["accepted": "\(accepted)", "dropped": "\(dropped.count)"])
        if accepted > 0 { transactionsChanged = true }
    }

    /// Writes the mempool to its file (atomically), noting when it did.
    func saveMempool() async {
        acceptedSinceMempoolSave = 0
        lastMempoolSave = .now
        do {
            try await mempool.snapshot().write(to: mempoolFile)
        } catch {
            logger.error("saving the mempool failed", metadata: ["error": "\(error)", "file": "\(mempoolFile.path)"])
        }
    }

    /// Saves the mempool when the interval has passed since the last save and it may have changed.
    func saveMempoolIfDue() async {
        if ContinuousClock.now - lastMempoolSave >= Self.mempoolSaveInterval { await saveMempool() }
    }

    /// Counts an accepted transaction and saves the pool once enough have arrived since the last save.
    func noteAcceptedForSaving() async {
        acceptedSinceMempoolSave += 1
        if acceptedSinceMempoolSave >= Self.mempoolSaveAfterAccepted { await saveMempool() }
    }
}
