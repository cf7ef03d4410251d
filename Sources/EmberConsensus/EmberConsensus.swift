// EmberConsensus: every rule that decides whether a block is valid and what it pays (DESIGN.md 5-11).
//
// Pure functions over values: no clock, no randomness, no file or socket, no global state. Time,
// parameters, the parent header and a UTXO view arrive as arguments; every layer above calls these
// rules and none re-implements them.
//
// The arithmetic half, all in arbitrary-precision integers:
// - `ConsensusParams`: the numbers of one network, with the mainnet, testnet and devnet presets.
// - `CompactTarget+Value`: compact target decoding, canonical rounding and the header's target checks
//   (`TargetRejection`); `Work` and `BlockTiming` turn targets into weight and hash rate.
// - `DifficultyAdjustment`: the next block's target from its parent and a 17-block span.
// - `EmissionSchedule`: time cap, hash-rate cap and, with Proof of Less Work, the `BlockReward`;
//   `FeeSplit` divides fees between miner and burn.
// - `ChainRank`: fork choice by cumulative work, then the smaller tip hash.
