import EmberConsensus
import EmberCore
import EmberTestSupport
import Testing

/// What the next block makes of a channel spend: the rule tests' verdicts.
extension ChannelFixture {
    /// The rejection of `transaction` in the next block, or nil when the block is valid.
    func rejection(of transaction: Transaction) -> TransactionRejection? {
        guard let error = blockRejection(of: transaction) else { return nil }
        if case .transaction(_, let rejection) = error { return rejection }
        Issue.record("the block failed for another reason: \(error)")
        return nil
    }

    /// The rule a `ruleBroken` rejection names, or nil for any other outcome.
    func brokenRule(_ transaction: Transaction) -> String? {
        if case .covenant(.ruleBroken(_, let rule, _)) = rejection(of: transaction) { return rule }
        return nil
    }
}
