#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A network hash rate over time, given at a few days and interpolated between them.
///
/// Between two points the hash rate grows or falls exponentially (linearly in its logarithm), as a hash
/// rate that doubles every so many months does; before the first point and after the last it stays put.
public struct HashRatePath: Hashable, Sendable {
    public struct Point: Hashable, Sendable {
        /// Days since launch.
        public let day: Double
        /// Physical network hash rate, H/s.
        public let hashRate: Double

        public init(day: Double, hashRate: Double) {
            self.day = day
            self.hashRate = hashRate
        }
    }

    public let points: [Point]

    /// Fails without points, with days that do not strictly increase, or with a hash rate that is not a
    /// finite positive number.
    public init(points: [Point]) throws(SimulationError) {
        guard !points.isEmpty else { throw .emptyPath }
        for point in points {
            guard point.day.isFinite else { throw .notPositive(name: "a path day", value: point.day) }
            _ = try SimulationError.positive(point.hashRate, "the hash rate on day \(point.day)")
        }
        for (previous, next) in zip(points, points.dropFirst()) where !(next.day > previous.day) {
            throw .pathDaysNotIncreasing(previous: previous.day, next: next.day)
        }
        self.points = points
    }

    /// The hash rate `day` days after launch.
    public func hashRate(atDay day: Double) -> Double {
        guard let after = points.firstIndex(where: { $0.day > day }) else { return points[points.count - 1].hashRate }
        guard after > 0 else { return points[0].hashRate }
        let from = points[after - 1]
        let to = points[after]
        let fraction = (day - from.day) / (to.day - from.day)
        return from.hashRate * exp2(fraction * log2(to.hashRate / from.hashRate))
    }
}
