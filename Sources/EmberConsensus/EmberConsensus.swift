// EmberConsensus: every rule that decides whether a block is valid and what it pays (DESIGN.md 5-11).
//
// Pure functions over values: no clock, no randomness, no file or socket, no global state. Time,
// parameters, the parent header and a UTXO view arrive as arguments; every layer above calls these
// rules and none re-implements them.
