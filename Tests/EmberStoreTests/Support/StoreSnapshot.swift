import EmberCore
import EmberCrypto
import EmberStore

/// Everything a store holds that connect and disconnect touch, to compare a store before and after.
struct StoreSnapshot: Equatable {
    var tip: ChainTip?
    var activeHashes: [Hash32]
    var index: [BlockIndexEntry]
    var utxos: [UTXO]
    var undo: [Hash32: [UTXO]]
    var transactionLocations: [Hash32: TransactionLocation]

    /// Reads `store`; `txids` are the transactions whose index entries are compared.
    init(of store: any ChainStore, txids: [Hash32]) throws {
        tip = try store.tip()
        activeHashes = []
        while let hash = try store.activeHash(atHeight: UInt64(activeHashes.count)) { activeHashes.append(hash) }
        index = try store.allIndexEntries()
        utxos = try store.utxoSet(after: nil, limit: .max)
        undo = [:]
        for entry in index {
            if let spent = try store.undo(for: entry.hash) { undo[entry.hash] = spent }
        }
        transactionLocations = [:]
        for txid in txids {
            if let location = try store.transactionLocation(of: txid) { transactionLocations[txid] = location }
        }
    }
}
