// EmberChain: the stateful engine on top of the pure rules: the chain actor (block index, connect and
// disconnect with undo data, reorganisations) and the mempool. Every rule it applies is called from
// EmberConsensus; nothing here re-implements one.
//
// Folders: Chain/ the chain actor and what it reports; Blocks/ blocks outside the index (checked
// ahead, orphans, from the future, invalid hashes, the blocks file); State/ what the active chain adds
// up to (UTXO-set hash, supply totals) and the verifier that re-derives it; Mempool/ the mempool.
