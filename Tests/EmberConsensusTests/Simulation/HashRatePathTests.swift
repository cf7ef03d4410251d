import EmberConsensus
import Testing

@Suite("Hash-rate path")
struct HashRatePathTests {
    @Test("exponential between points, flat outside them")
    func interpolation() throws {
        let path = try HashRatePath(points: [.init(day: 10, hashRate: 1e15), .init(day: 20, hashRate: 1e17)])
        #expect(path.hashRate(atDay: 0) == 1e15)
        #expect(path.hashRate(atDay: 10) == 1e15)
        // Halfway in time is halfway in the logarithm: √(10^15 · 10^17) = 10^16.
        #expect(abs(path.hashRate(atDay: 15) - 1e16) <= 1e16 * 1e-12)
        #expect(path.hashRate(atDay: 20) == 1e17)
        #expect(path.hashRate(atDay: 400) == 1e17)
    }

    @Test("paths that cannot be followed are refused")
    func refusals() {
        #expect(throws: SimulationError.emptyPath) { try HashRatePath(points: []) }
        #expect(throws: SimulationError.pathDaysNotIncreasing(previous: 5, next: 5)) {
            try HashRatePath(points: [.init(day: 5, hashRate: 1), .init(day: 5, hashRate: 2)])
        }
        #expect(throws: SimulationError.self) { try HashRatePath(points: [.init(day: 0, hashRate: 0)]) }
        #expect(throws: SimulationError.self) { try HashRatePath(points: [.init(day: 0, hashRate: .infinity)]) }
    }
}
