/// What a double spend at depth z costs an attacker under one chain-weight model, beside what the
/// honest miners spend per block.
///
/// The attacker mines a private branch from the payment's parent and must replace the payment's block
/// and its z confirmations: at least z + 1 blocks, each at the honest chain's target (the branch
/// inherits its difficulty), so each takes the honest chain's energy per block. Whether the attacker
/// gets that far first is Nakamoto's P(q, z). docs/polw-research.md states the assumptions.
public struct AttackCost: Hashable, Sendable {
    public let model: ChainWeightModel
    /// z: blocks on top of the payment's block.
    public let depth: Int
    /// q: the attacker's share of all physical hash rate.
    public let attackerShare: Double
    /// Nakamoto's P(q, z).
    public let successProbability: Double
    /// z + 1: the payment's block and its confirmations.
    public let branchBlocks: Int
    /// What the attacker runs, H/s: q/(1 − q) of the honest physical hash rate.
    public let attackerHashRate: Double
    /// Energy of the branch's blocks, joules.
    public let energyJoules: Double
    /// What that energy costs.
    public let energyCost: Double
    /// What the branch's coinbases burn if it wins (0 under plain PoW).
    public let burnCostIfWins: Double
    /// What the attacker must expect to burn: under physical-weight PoLW only a winning branch burns
    /// (P × the burn); under burn-weighted PoLW every burn is spent to gain weight.
    public let expectedBurnCost: Double
    /// Rewards and fee shares the branch's coinbases pay the attacker if it wins.
    public let rewardIfWins: Double
    /// What the honest miners spend on one block of the chain attacked: energy and burn.
    public let honestCostPerBlock: Double

    /// The cost under `model` of attacking a chain whose blocks are `honestBlock`; for plain PoW that
    /// block must come from a network with k = 1.
    public init(model: ChainWeightModel, honestBlock: BlockEconomics, depth: Int, attackerShare: Double) {
        precondition(model != .proofOfWork || honestBlock.reward.burnt == .zero, "a PoW block burns nothing")
        self.model = model
        self.depth = depth
        self.attackerShare = attackerShare
        successProbability = DoubleSpendProbability.attackerSuccess(attackerShare: attackerShare, depth: depth)
        branchBlocks = depth + 1
        let blocks = Double(branchBlocks)
        attackerHashRate = attackerShare / (1 - attackerShare) * honestBlock.physicalHashRate
        energyJoules = blocks * honestBlock.energyJoules
        energyCost = blocks * honestBlock.energyCost
        burnCostIfWins = blocks * honestBlock.burnCost
        switch model {
        case .proofOfWork, .polwPhysicalWeight: expectedBurnCost = successProbability * burnCostIfWins
        case .polwBurnWeight: expectedBurnCost = burnCostIfWins
        }
        rewardIfWins = blocks * honestBlock.revenue
        honestCostPerBlock = honestBlock.minerCost
    }

    /// Energy and expected burn: what one attempt costs the attacker.
    public var expectedTotalCost: Double { energyCost + expectedBurnCost }
}
