// EmberMiner: block templates and the nonce search, on dedicated OS threads so mining never starves the
// Swift concurrency pool that serves the network and the API (DESIGN.md sections 5, 9, 10 and 13).
//
// - `TemplateBuilder` (pure) turns a parent, a clock reading, the mempool's selection and the miner's
//   payout into a `BlockTemplate`: the header with a zero nonce, the coinbase first, the reward and burn.
// - `Miner` searches nonces for the current template on `threadCount` threads, each in its own share of
//   the nonce space (`NonceSpace`), hashing `NonceSearch.defaultBatchSize` headers per call of the SIMD
//   lanes and comparing each digest with the target's 32 bytes (`MiningTarget`); solved blocks arrive on
//   `Miner.blocks`, and `Miner.hashRate` reports the measured rate.
// - `MiningKernelRate` measures the bare kernel loop, the reference the benchmarks compare with.
//
// docs/mining.md describes the nonce layout, the threads and how templates are refreshed.
