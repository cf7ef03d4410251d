/// Why a simulation cannot run or stopped, phrased for the person who wrote the scenario.
public enum SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A physical or market number that must be a finite positive value was not.
    case notPositive(name: String, value: Double)
    /// A hash-rate path needs at least one point, on strictly increasing days.
    case pathDaysNotIncreasing(previous: Double, next: Double)
    case emptyPath
    /// A sum of coin amounts left 128 bits, which no real chain reaches: the scenario is absurd.
    case amountOverflow(height: UInt64)
    /// More coins would be burnt (fees) than exist, which no real chain allows.
    case burnExceedsSupply(height: UInt64)
    /// An attacker's share of the hash rate must lie in [0, 1), a success probability in (0, 1].
    case outOfRange(name: String, value: Double, range: String)

    public var description: String {
        switch self {
        case .notPositive(let name, let value):
            "\(name) is \(value); it must be a finite number above 0"
        case .pathDaysNotIncreasing(let previous, let next):
            "the hash-rate path goes from day \(previous) to day \(next); days must strictly increase"
        case .emptyPath:
            "the hash-rate path has no points; give at least one DAY:HASHRATE pair"
        case .amountOverflow(let height):
            "the coin amounts summed up to block \(height) do not fit in 128 bits; shorten the scenario"
        case .burnExceedsSupply(let height):
            "block \(height) burns more fees than the coins in existence; lower the fees per block"
        case .outOfRange(let name, let value, let range):
            "\(name) is \(value); it must lie in \(range)"
        }
    }

    /// `value` itself when it is finite and above 0.
    static func positive(_ value: Double, _ name: String) throws(SimulationError) -> Double {
        guard value.isFinite, value > 0 else { throw .notPositive(name: name, value: value) }
        return value
    }
}
