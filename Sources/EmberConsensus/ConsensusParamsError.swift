/// Why a set of consensus parameters cannot define a network.
///
/// These are configuration mistakes (a devnet's settings, a research command's arguments), never a
/// peer's fault.
public enum ConsensusParamsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// chainCount is 0; it must be at least 1.
    case chainCountZero
    /// The block time is 0 ms; it must be at least 1.
    case blockTimeZero
    /// polwFactor k is 0; it must be at least 1 (1 turns the burn off).
    case polwFactorZero
    /// With this block time and chain count the emission schedule has no whole reward decrease per year
    /// (`⌊⌊(I − S) / 10^16⌋ / 4⌋ = 0`) or no whole block per decrease, so the time cap is undefined.
    case emissionScheduleUndefined(chainCount: UInt64, blockTimeMs: UInt64)
    /// The maximum target given is not a valid target.
    case invalidMaxTarget(TargetRejection)

    public var description: String {
        switch self {
        case .chainCountZero:
            "chain count is 0; it must be at least 1"
        case .blockTimeZero:
            "block time is 0 ms; it must be at least 1"
        case .polwFactorZero:
            "PoLW factor is 0; it must be at least 1"
        case .emissionScheduleUndefined(let chainCount, let blockTimeMs):
            "block time \(blockTimeMs) ms with chain count \(chainCount) leaves the reward schedule "
                + "without a whole yearly decrease step; use a longer block time or fewer chains"
        case .invalidMaxTarget(let rejection):
            "invalid maximum target: \(rejection)"
        }
    }
}
