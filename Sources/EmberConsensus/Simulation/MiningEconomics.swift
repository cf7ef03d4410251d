import EmberCore

/// The physical and market numbers a miner's costs depend on, which no consensus rule knows.
///
/// They are estimates, so they are `Double`s; coin amounts from the consensus rules stay exact `Amount`s
/// until they are priced here. Prices are in one currency of the caller's choice (USD by convention).
public struct MiningEconomics: Hashable, Sendable {
    public static let joulesPerKilowattHour = 3_600_000.0

    /// Joules the network's hardware spends on one Blake3 double hash.
    public let joulesPerHash: Double
    /// What one kilowatt-hour of electricity costs a miner.
    public let electricityPricePerKilowattHour: Double
    /// What one EMB sells for.
    public let coinPrice: Double
    /// The transaction fees every block collects; `FeeSplit` gives half to the miner and burns the rest.
    public let feesPerBlock: Amount

    /// Fails when a number is zero, negative or not finite: a free hash or free coin has no equilibrium.
    public init(
        joulesPerHash: Double, electricityPricePerKilowattHour: Double, coinPrice: Double,
        feesPerBlock: Amount = .zero
    ) throws(SimulationError) {
        self.joulesPerHash = try SimulationError.positive(joulesPerHash, "the energy per hash")
        self.electricityPricePerKilowattHour = try SimulationError.positive(
            electricityPricePerKilowattHour, "the electricity price")
        self.coinPrice = try SimulationError.positive(coinPrice, "the coin price")
        self.feesPerBlock = feesPerBlock
    }

    /// What `joules` of electricity cost.
    public func energyCost(joules: Double) -> Double {
        joules / Self.joulesPerKilowattHour * electricityPricePerKilowattHour
    }

    /// What `amount` sells for.
    public func value(of amount: Amount) -> Double { Self.coins(amount) * coinPrice }

    /// `amount` in EMB, rounded to the nearest `Double`: for pricing and plotting, never for sums.
    public static func coins(_ amount: Amount) -> Double {
        Double(amount.units) / Double(Amount.unitsPerCoin)
    }
}
