/// The off-chain side of Truebit (DESIGN.md section 18, docs/truebit.md): the transactions of every mode
/// built with fee sponsorship, a task's run with checkpoints for the verification game, and the daemons
/// that solve and verify tasks without a person. The consensus rules that judge posts, commits, games
/// and payouts live in `EmberConsensus`; nothing here re-implements them.
public enum EmberTruebit {}
