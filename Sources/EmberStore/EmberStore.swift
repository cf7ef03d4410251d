// EmberStore: where a node keeps its chain (DESIGN.md sections 1, 11 and 13).
//
// `ChainStore` is the storage protocol the chain actor writes through: the block index (headers,
// cumulative work, status), block bodies, the active chain with its tip and UTXO-set hash, the UTXO set
// indexed by lock, undo data and the transaction index. Connecting or disconnecting a block is one
// call carrying a `BlockConnection` or `BlockDisconnection`, applied all or nothing.
//
// Two implementations: `SQLiteChainStore` (GRDB, WAL mode) for nodes, and `InMemoryChainStore` for
// tests of the layers above. Failures are `StoreError`s: our own faults (disk, damaged files, a data
// folder of another network, misuse by the caller), never a verdict on a peer's block.
//
// The store checks only what keeps it consistent (a connected block extends the tip, a spent output
// exists); consensus rules live in EmberConsensus. Tables, encodings and the durability choice:
// docs/storage.md.
