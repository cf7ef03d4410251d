// EmberChain: the stateful engine on top of the pure rules: the chain actor (block index, connect and
// disconnect with undo data, reorganisations) and the mempool. Every rule it applies is called from
// EmberConsensus; nothing here re-implements one.
