import EmberCore

/// Coins minted and burnt since launch, summed exactly as the chain would.
///
/// Fees move coins between users and miners and mint nothing; the half of them that is burnt leaves
/// the supply, as PoLW burns do.
public struct SimulatedSupply: Hashable, Sendable {
    /// Every reward paid.
    public private(set) var minted = Amount.zero
    /// Every PoLW burn and every burnt half of the fees.
    public private(set) var burnt = Amount.zero
    /// Minted less burnt: the coins in existence.
    public private(set) var circulating = Amount.zero

    public init() {}

    /// Counts the block at `height`; fails if a sum leaves 128 bits or fees burn more than exists.
    mutating func add(_ block: BlockEconomics, height: UInt64) throws(SimulationError) {
        guard let minted = minted.adding(block.reward.reward),
              let blockBurn = block.reward.burnt.adding(block.fees.burnt),
              let burnt = burnt.adding(blockBurn),
              let grown = circulating.adding(block.reward.reward)
        else { throw .amountOverflow(height: height) }
        guard let circulating = grown.subtracting(blockBurn) else { throw .burnExceedsSupply(height: height) }
        self.minted = minted
        self.burnt = burnt
        self.circulating = circulating
    }
}
