import EmberPlasma
import Foundation
import Testing

/// `OperatorBenchmark.run` end to end with a few thousand moves, so the code `ember bench` will call keeps
/// working. `EMBER_OPERATOR_BENCH_MOVES=100000` measures for real (the figure is printed, never gated on).
@Suite("Plasma operator benchmark")
struct OperatorBenchmarkTests {
    @Test("the benchmark posts every move over HTTP, the operator accepts and seals them all, and the figures are positive")
    func benchmarkRuns() async throws {
        let moves = ProcessInfo.processInfo.environment["EMBER_OPERATOR_BENCH_MOVES"].flatMap { Int($0) } ?? 3_000
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-operator-bench-\(UUID().uuidString)")
        let report = try await OperatorBenchmark.run(moves: moves, batchSize: 1_024, folder: folder, logger: OperatorFixture.quietLogger)
        print(report)
        #expect(report.moves == moves && report.movesPerSecond > 0 && report.verificationCeiling > 0)
        #expect(report.sealedBlocks >= 1)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}
