// EmberLayer2: the client parts every layer-2 protocol shares (DESIGN.md section 19). No protocol logic
// lives here; channels, Plasma and Truebit build on it.
//
// - `NodeAPI/`: a bounded HTTP client of a node's REST API (`NodeAPIClient`) over a replaceable
//   transport, treating every byte from the node as untrusted.
// - `Watcher/`: `ChainWatcher` follows the node's active chain from a stored cursor and reports blocks
//   connected and disconnected, finding reorganisations by parent hashes.
// - `Funding/`: `SponsoredTransactionBuilder` adds plain inputs and change to a covenant spend so its fee
//   covers its weight (fee sponsorship, section 15), signs them and self-checks with consensus.
// - `Store/`: `ClientStore`, a client's own SQLite state (the watcher's cursor, watched locks, records).
// - `Describe/`: transactions as JSON for people (`TransactionDescription`) and from JSON
//   (`TransactionTemplate`), behind `ember tx`.
