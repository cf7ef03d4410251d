/// The off-chain side of Plasma Cash (DESIGN.md section 17, docs/plasma.md): child blocks as the
/// operator builds them and as a client checks them for its coins. The consensus rules that judge
/// commits, exits, challenges and fraud proofs live in `EmberConsensus`; nothing here re-implements them.
public enum EmberPlasma {}
