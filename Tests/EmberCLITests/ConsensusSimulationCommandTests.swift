import EmberTestSupport
import Foundation
import Testing

/// `ember consensus simulate`, `attack-cost` and the research charts of `plot`, run as real processes.
@Suite("ember consensus simulate, attack-cost and research plots")
struct ConsensusSimulationCommandTests {
    /// Two days at 2^34 H/s with k = 8 and H_T = 2^33, where a person can follow every number
    /// (EmberConsensusTests' PolwSimulatorTests derives them): day 0 holds 1 349 blocks of
    /// 43 350 000 080 466 270 446 units each.
    static let scenario = [
        "--block-time-ms", "64000", "--polw-factor", "8", "--polw-threshold-hashrate", "2^33",
        "--hashrate-path", "0:2^34", "--days", "2",
    ]

    private func lines(_ arguments: [String]) throws -> [Substring] {
        let output = try EmberBinary.run(arguments)
        #expect(output.status == 0, "ember \(arguments.joined(separator: " ")): \(output.standardError)")
        #expect(output.standardError.isEmpty)
        return output.standardOutput.split(separator: "\n")
    }

    private func objects(_ arguments: [String]) throws -> [[String: Any]] {
        try lines(arguments).map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func simulateDaysAsJSONLines() throws {
        let days = try objects(["consensus", "simulate"] + Self.scenario)
        try #require(days.count == 2)
        #expect(days[0]["blocks"] as? Int == 1_349)
        #expect(days[0]["polwBlocks"] as? Int == 1_349)
        // 1 349 · 43 350 000 080 466 270 446.
        #expect(days[0]["reward"] as? String == "58479150108548998831654")
        #expect(days[1]["lastHeight"] as? Int == 2_699)
        // 2 699 · (43 350 000 080 466 270 446 − 33 716 666 980 460 286 606).
        #expect(days[1]["supply"] as? String == "26000366036916150384160")
        #expect(days[0]["physicalHashRate"] as? Double == 0x1p34)
    }

    @Test func simulateBlocksAsCSV() throws {
        let rows = try lines(["consensus", "simulate", "--step", "block", "--format", "csv"] + Self.scenario)
        #expect(rows.count == 1 + 2_699)
        let header = rows[0].split(separator: ",")
        #expect(header.first == "day" && header.contains("energyPerBlockJoules") && header.last == "supply")
        let first = rows[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(first.count == header.count)
        let reward = try #require(header.firstIndex(of: "reward"))
        #expect(first[reward] == "43350000080466270446")
    }

    @Test func simulateWritesAFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ember-sim-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try lines(["consensus", "simulate", "--format", "csv", "--out", file.path] + Self.scenario).isEmpty)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
    }

    @Test func attackCostRowsPerDepthAndModel() throws {
        let rows = try objects(["consensus", "attack-cost", "--max-depth", "3"] + Self.scenario)
        try #require(rows.count == 12)
        #expect(rows.map { $0["model"] as? String } == Array(
            repeating: ["pow", "polw", "polw-burn-weighted"], count: 4).flatMap { $0 })
        #expect(rows.map { $0["depth"] as? Int } == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
        // The Bitcoin whitepaper's P(0.1, 1) = 0.2045873.
        let probability = try #require(rows[3]["successProbability"] as? Double)
        #expect(abs(probability - 0.2045873) <= 0.5e-7)
    }

    @Test(arguments: [("energy", 8, ["kWh", "EMB", "H/s"]), ("attack", 5, ["USD", "P(q, z)", "depth z"])])
    func researchPlot(chart: String, curves: Int, labels: [String]) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ember-\(chart)-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: file) }
        let printed = try objects(["consensus", "plot", "--chart", chart, "--out", file.path])
        #expect(printed.first?["chart"] as? String == chart)
        let svg = try String(contentsOf: file, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == curves)
        for label in labels { #expect(svg.contains(label), "no \(label) in the \(chart) chart") }
    }
}
