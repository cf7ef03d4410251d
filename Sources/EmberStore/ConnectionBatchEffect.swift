import EmberCore
import EmberCrypto

/// What consecutive block connections do to the UTXO set taken together, in outpoint order.
///
/// An output created and spent within the batch never reaches the table, and the rows are written
/// sorted by key: SQLite then walks the B-tree from one end to the other, finding the next row's page
/// in its cache, rather than landing on a random page for every row.
struct ConnectionBatchEffect {
    /// Outputs from before the batch that it spends, sorted; an output spent twice appears twice, so
    /// the second delete finds nothing and reports it.
    let spentBeforeBatch: [OutPoint]
    /// Outputs the batch creates and leaves unspent, sorted by outpoint.
    let createdUnspent: [UTXO]
    /// Every blob the batch's blocks publish, sorted by the blob index's key.
    let publishedBlobs: [BlobRow]

    /// One row of the blob index.
    struct BlobRow {
        var blob: PublishedBlob
        var blockHash: Hash32
        var height: UInt64
    }

    /// Throws `duplicateUTXO` when the batch creates an output it already holds unspent.
    init(_ connections: [BlockConnection]) throws(StoreError) {
        var created: [OutPoint: UTXO] = [:]
        var spent: [OutPoint] = []
        created.reserveCapacity(connections.reduce(0) { $0 + $1.created.count })
        for connection in connections {
            for utxo in connection.spent where created.removeValue(forKey: utxo.outpoint) == nil {
                spent.append(utxo.outpoint)
            }
            for utxo in connection.created {
                guard created.updateValue(utxo, forKey: utxo.outpoint) == nil else { throw .duplicateUTXO(utxo.outpoint) }
            }
        }
        publishedBlobs = connections.flatMap { connection in
            connection.blobs.map { BlobRow(blob: $0, blockHash: connection.blockHash, height: connection.height) }
        }.sorted { left, right in
            (left.blob.hash, left.height, left.blob.position, left.blob.index)
                < (right.blob.hash, right.height, right.blob.position, right.blob.index)
        }
        spentBeforeBatch = spent.sorted(by: OutPoint.storageOrder)
        createdUnspent = created.values.sorted { OutPoint.storageOrder($0.outpoint, $1.outpoint) }
    }
}

extension OutPoint {
    /// The order of the UTXO table's key: the txid's bytes, then the output index.
    static func storageOrder(_ left: OutPoint, _ right: OutPoint) -> Bool {
        left.txid != right.txid ? left.txid < right.txid : left.index < right.index
    }
}
