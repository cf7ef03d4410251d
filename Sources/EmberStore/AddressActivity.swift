import EmberCore
import EmberCrypto

/// What one transaction of a connected block did to one lock: the amount its outputs paid to the lock
/// and the amount its inputs took from it. A `BlockConnection` carries its block's rows for the address
/// history index, so `/v1/addresses/{a}/history` reads an index instead of replaying blocks.
public struct AddressActivity: Hashable, Sendable {
    public var lock: Lock
    /// The position of the transaction in the block (0 is the coinbase).
    public var position: Int
    public var txid: Hash32
    public var received: Amount
    public var sent: Amount

    public init(lock: Lock, position: Int, txid: Hash32, received: Amount, sent: Amount) {
        self.lock = lock
        self.position = position
        self.txid = txid
        self.received = received
        self.sent = sent
    }

    /// Every (transaction, lock) pair of `block` that receives or sends, in block order, then lock order.
    ///
    /// - Parameters:
    ///   - txids: the block's txids in block order.
    ///   - spent: the outputs from before the block that it spends (its undo data); outputs spent within
    ///     the block are found among its own.
    /// - Returns: nil when a sum overflows, which no valid block allows (each is at most MAX_AMOUNT).
    public static func all(in block: Block, txids: [Hash32], spent: [UTXO]) -> [AddressActivity]? {
        var spendable = [OutPoint: Output](minimumCapacity: spent.count)
        for utxo in spent { spendable[utxo.outpoint] = utxo.entry.output }
        var rows = [AddressActivity]()
        for (position, (transaction, txid)) in zip(block.transactions, txids).enumerated() {
            var sums = [Lock: (received: Amount, sent: Amount)]()
            for input in transaction.inputs {
                guard let output = spendable[input.outpoint] else { continue }
                let current = sums[output.lock, default: (.zero, .zero)]
                guard let sent = current.sent.adding(output.amount) else { return nil }
                sums[output.lock] = (current.received, sent)
            }
            for (index, output) in transaction.outputs.enumerated() {
                spendable[OutPoint(txid: txid, index: UInt32(index))] = output
                let current = sums[output.lock, default: (.zero, .zero)]
                guard let received = current.received.adding(output.amount) else { return nil }
                sums[output.lock] = (received, current.sent)
            }
            let touched = sums.filter { $0.value.received > .zero || $0.value.sent > .zero }
            for (lock, sum) in touched.sorted(by: { $0.key.encoded.lexicographicallyPrecedes($1.key.encoded) }) {
                rows.append(AddressActivity(lock: lock, position: position, txid: txid, received: sum.received, sent: sum.sent))
            }
        }
        return rows
    }
}

/// One transaction of the active chain touching a lock, as the address history index returns it.
public struct LockHistoryEntry: Hashable, Sendable {
    public var height: UInt64
    public var blockHash: Hash32
    /// The block's timestamp, in milliseconds.
    public var timestamp: UInt64
    public var activity: AddressActivity

    public init(height: UInt64, blockHash: Hash32, timestamp: UInt64, activity: AddressActivity) {
        self.height = height
        self.blockHash = blockHash
        self.timestamp = timestamp
        self.activity = activity
    }
}
