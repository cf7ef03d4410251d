import EmberCore
import EmberCrypto
import Hummingbird

/// Finds outputs of one covenant lock tag for `GET /v1/covenants/{tag}/outputs`. The store indexes
/// outputs by whole lock, not by tag, so this reads the newest active blocks: a listing of recent
/// layer-2 objects (channels are tags 1 and 2), not of every covenant output ever made.
enum CovenantOutputScan {
    /// Bounds the blocks one request makes the node read and decode.
    static let maxScannedBlocks: UInt64 = 500

    /// Up to `limit` outputs with lock tag `tag` in the `maxScannedBlocks` newest active blocks below
    /// and at `tipHeight`, newest first, each marked unspent when its lock still holds it.
    static func scan(tag: UInt8, limit: Int, tipHeight: UInt64, backend: any NodeBackend) async throws -> CovenantOutputsView {
        let lowest = tipHeight - min(tipHeight, maxScannedBlocks - 1)
        var found: [(output: CovenantOutputView, lock: Lock)] = []
        var scannedFrom = tipHeight
        var height = tipHeight
        scan: while true {
            guard let view = try await backend.block(height: height) else { break }
            scannedFrom = height
            for transaction in try transactions(of: view) {
                for (index, output) in transaction.outputs.enumerated() where output.lock.encoded.first == tag {
                    found.append((CovenantOutputView(
                        txid: transaction.txid.hex, index: UInt32(index), amount: output.amount.description, lockTime: output.lockTime,
                        lockTag: tag, lockHex: output.lock.encoded.hexString, height: view.height, blockHash: view.hash, unspent: false),
                        output.lock))
                    if found.count == limit { break scan }
                }
            }
            guard height > lowest else { break }
            height -= 1
        }
        return CovenantOutputsView(
            lockTag: tag, scannedFrom: scannedFrom, scannedTo: tipHeight, outputs: try await markUnspent(found, backend: backend))
    }

    /// Marks each output its lock still holds. A lock holding more than the list limit's worth of
    /// outputs is read only that far, so an output past it shows as spent.
    private static func markUnspent(
        _ found: [(output: CovenantOutputView, lock: Lock)], backend: any NodeBackend
    ) async throws -> [CovenantOutputView] {
        var unspentByLock: [[UInt8]: Set<String>] = [:]
        var marked: [CovenantOutputView] = []
        for (output, lock) in found {
            let key = lock.encoded
            if unspentByLock[key] == nil {
                let outputs = try await backend.outputs(lockedBy: lock, limit: APIRequest.maxListLimit)
                unspentByLock[key] = Set(outputs.map { "\($0.txid):\($0.index)" })
            }
            var output = output
            output.unspent = unspentByLock[key]?.contains("\(output.txid):\(output.index)") ?? false
            marked.append(output)
        }
        return marked
    }

    /// The transactions of a block view, decoded from its hex.
    private static func transactions(of view: BlockView) throws -> [Transaction] {
        guard let hex = view.hex, let bytes = [UInt8](hexString: hex), let block = try? Block.decode(from: bytes, limit: Block.maxSize) else {
            throw APIError(.internalServerError, "internal error", detail: "the node's block \(view.hash) came without decodable bytes")
        }
        return block.transactions
    }
}
