/// Where a scenario's physical hash rate comes from.
public enum HashRateSource: Hashable, Sendable {
    /// Given over time: what a network of that hash rate would pay, burn and spend.
    case path(HashRatePath)
    /// Whatever hash rate makes a block's energy and burn cost what it pays (`MiningEquilibrium`).
    case equilibrium
}
