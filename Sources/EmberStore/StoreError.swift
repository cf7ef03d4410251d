import EmberCore
import EmberCrypto

/// A failure of the store: ours (disk, damaged or foreign files, a caller's misuse), never a peer's.
///
/// Consensus rejections are a different type (EmberConsensus); a `StoreError` stops the node cleanly
/// rather than scoring a peer.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    // MARK: Opening a data folder

    /// The data folder path names something that is not a folder.
    case notAFolder(path: String)
    /// The data folder could not be created or read.
    case folderUnavailable(path: String, reason: String)
    /// The database file is not an SQLite database at all (garbage bytes, another kind of file).
    case notADatabase(path: String)
    /// The database file is SQLite but damaged: truncated, or pages that do not read.
    case damagedDatabase(path: String, detail: String)
    /// The database file is an SQLite database of another program: no Ember meta table.
    case notAnEmberDatabase(path: String)
    /// The data folder belongs to another network, genesis or set of consensus parameters.
    case foreignDatabase(expected: ChainIdentity, found: ChainIdentity)
    /// The database was written by a newer version of Ember with a schema this one does not know.
    case newerSchema(found: Int, supported: Int)

    // MARK: Stored data

    /// A stored record does not decode: the database was altered or damaged after it was written.
    case corruptRecord(table: String, detail: String)

    // MARK: Misuse by the caller (a bug in the layer above)

    /// No index entry has this hash.
    case unknownBlock(Hash32)
    /// The block's body is not stored, so it cannot be connected.
    case missingBody(Hash32)
    /// The block connected is not a child of the tip at the next height.
    case notExtendingTip(block: Hash32, height: UInt64, tip: ChainTip?)
    /// The block disconnected is not the tip.
    case notTip(block: Hash32, height: UInt64, tip: ChainTip?)
    /// An output to spend or remove is not in the UTXO set.
    case missingUTXO(OutPoint)
    /// An output to add is already in the UTXO set.
    case duplicateUTXO(OutPoint)
    /// A txid to index is already indexed for a block of the active chain.
    case duplicateTransaction(Hash32)
    /// A txid to remove is not indexed for the block disconnected.
    case missingTransaction(Hash32)
    /// The caller tried to set or clear status flags only the store sets.
    case storeManagedStatus(BlockStatus)
    /// The active chain changed while it was being read block by block.
    case activeChainChanged(atHeight: UInt64)
    /// The block has no undo record: it is not connected.
    case notConnected(Hash32)
    /// The block's supply figures are stored already; they are written once.
    case supplyAlreadyRecorded(Hash32)

    // MARK: Disk

    /// SQLite failed (disk full, I/O error, permissions).
    case sqlite(code: Int32, message: String)

    public var description: String {
        switch self {
        case .notAFolder(let path):
            "the data folder \(path) is a file, not a folder: give --data-dir a folder"
        case .folderUnavailable(let path, let reason):
            "the data folder \(path) cannot be used (\(reason)): check the path and its permissions"
        case .notADatabase(let path):
            "\(path) is not an SQLite database: move it away or give --data-dir another folder"
        case .damagedDatabase(let path, let detail):
            "the database \(path) is damaged (\(detail)): restore a backup or resync into an empty folder"
        case .notAnEmberDatabase(let path):
            "\(path) is an SQLite database of another program (no Ember meta table): give --data-dir another folder"
        case .foreignDatabase(let expected, let found):
            "the data folder holds another chain (\(found)), not this node's (\(expected)): use one folder per network"
        case .newerSchema(let found, let supported):
            "the database has schema version \(found), newer than the \(supported) this Ember knows: upgrade Ember"
        case .corruptRecord(let table, let detail):
            "a record of table \(table) is corrupt (\(detail)): the database was damaged; resync into an empty folder"
        case .unknownBlock(let hash):
            "block \(hash) is not in the block index"
        case .missingBody(let hash):
            "block \(hash) has no stored body, so it cannot be connected"
        case .notExtendingTip(let block, let height, let tip):
            "block \(block) at height \(height) does not extend the tip (\(tip.map(String.init(describing:)) ?? "none"))"
        case .notTip(let block, let height, let tip):
            "block \(block) at height \(height) is not the tip (\(tip.map(String.init(describing:)) ?? "none"))"
        case .missingUTXO(let outpoint):
            "output \(outpoint.txid):\(outpoint.index) is not in the UTXO set"
        case .duplicateUTXO(let outpoint):
            "output \(outpoint.txid):\(outpoint.index) is already in the UTXO set"
        case .duplicateTransaction(let txid):
            "transaction \(txid) is already indexed on the active chain"
        case .missingTransaction(let txid):
            "transaction \(txid) is not indexed for the block being disconnected"
        case .storeManagedStatus(let status):
            "status flags \(status.rawValue) are set by the store only"
        case .activeChainChanged(let height):
            "the active chain changed at height \(height) while it was being read"
        case .notConnected(let hash):
            "block \(hash) is not connected (it has no undo record)"
        case .supplyAlreadyRecorded(let hash):
            "the supply figures of block \(hash) are already stored"
        case .sqlite(let code, let message):
            "the database failed (SQLite error \(code): \(message)): check free disk space and permissions"
        }
    }
}
