// EmberNode: the composition root. It turns settings into consensus parameters, opens the data folder,
// and wires the chain, mempool, miner and API together with their lifecycles. The `ember` executable
// is a thin shell over it.
