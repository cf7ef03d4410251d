import BigInt
import EmberConsensus
import EmberCore
import EmberTestSupport
import Foundation
import Testing

/// `ember consensus …` run as a real process, its JSON held against the library's own computation.
@Suite("ember consensus")
struct ConsensusCommandTests {
    /// Runs `ember` and decodes the one JSON object it prints, after checking it succeeded quietly.
    private func json(_ arguments: [String]) throws -> [String: Any] {
        let output = try EmberBinary.run(arguments)
        #expect(output.status == 0, "ember \(arguments.joined(separator: " ")): \(output.standardError)")
        #expect(output.standardError.isEmpty)
        #expect(output.standardOutput.split(separator: "\n").count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8))
        return try #require(object as? [String: Any])
    }

    private func bits(_ hex: String) throws -> CompactTarget {
        CompactTarget(bits: try #require(UInt32(hex, radix: 16)))
    }

    @Test(arguments: ["0x10101", "10101", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0x0"])
    func targetEncode(hex: String) throws {
        let object = try json(["consensus", "target", "--encode", hex])
        let digits = hex.hasPrefix("0x") ? String(hex.dropFirst(2)) : hex
        let value = try #require(BigUInt(digits, radix: 16))
        let expected = try #require(CompactTarget(rounding: value))
        #expect(object["bits"] as? String == expected.description)
        #expect(object["value"] as? String == "0x" + String(expected.value, radix: 16))
    }

    @Test func targetDecodeValid() throws {
        let object = try json(["consensus", "target", "--decode", "1b010000"])
        let target = try bits("1b010000")
        #expect(object["bits"] as? String == "1b010000")
        #expect(object["value"] as? String == "0x" + String(target.value, radix: 16))
        #expect(object["valid"] as? Bool == true)
        #expect(object["weight"] as? String == (try Work.weight(of: target)).description)
    }

    @Test func targetDecodeNonCanonical() throws {
        let object = try json(["consensus", "target", "--decode", "0x01123456"])
        #expect(object["valid"] as? Bool == false)
        let rejection = TargetRejection.nonCanonical(expected: try bits("01120000"), found: try bits("01123456"))
        #expect(object["rejection"] as? String == rejection.description)
        #expect(object["weight"] == nil)
    }

    @Test(arguments: [("1125899906842624", 64_000, 16), ("0x1000000000000000", 64_000, 1), ("12345", 4_000, 1)]
        as [(String, UInt64, UInt64)])
    func targetFromHashRate(hashRate: String, blockTimeMs: UInt64, chainCount: UInt64) throws {
        let object = try json([
            "consensus", "target", "--from-hashrate", hashRate,
            "--block-time-ms", String(blockTimeMs), "--chain-count", String(chainCount),
        ])
        let value = hashRate.hasPrefix("0x")
            ? try #require(BigUInt(String(hashRate.dropFirst(2)), radix: 16)) : try #require(BigUInt(hashRate))
        let expected = try BlockTiming(chainCount: chainCount, blockTimeMs: blockTimeMs).target(forHashRate: value)
        #expect(object["bits"] as? String == expected.description)
        #expect(object["hashRate"] as? String == value.description)
    }

    @Test(arguments: [
        ("1b010000", "2176000", 64_000, "20ffffff"), ("1b010000", "0", 64_000, "20ffffff"),
        ("1d03ffff", "99999999999", 64_000, "1d03ffff"), ("1c0fffff", "-5000", 4_000, "1f3fffff"),
    ] as [(String, String, UInt64, String)])
    func nextTarget(parent: String, spanMs: String, blockTimeMs: UInt64, maxTarget: String) throws {
        let object = try json([
            "consensus", "next-target", "--parent-target", parent, "--span-ms", spanMs,
            "--block-time-ms", String(blockTimeMs), "--max-target", maxTarget,
        ])
        let adjustment = try DifficultyAdjustment(blockTimeMs: blockTimeMs, maxTarget: try bits(maxTarget))
        let expected = try adjustment.nextTarget(parentTarget: try bits(parent), spanMs: try #require(BigInt(spanMs)))
        let next = try #require(object["next"] as? String)
        #expect(next == expected.description)
        #expect(next.count == 8 && next == next.lowercased())
    }

    @Test(arguments: [
        ("19200000", 126_144_000_001, 64_000, 16, nil, nil), ("19400000", 126_144_000_001, 64_000, 16, nil, nil),
        ("18200000", 0, 64_000, 1, nil, nil), ("1b010000", 31_536_000_000, 4_000, 1, nil, nil),
        ("19020000", 0, 4_000, 1, 3, "0x800000000000000"),
    ] as [(String, UInt64, UInt64, UInt64, UInt64?, String?)])
    func reward(
        target: String, elapsedMs: UInt64, blockTimeMs: UInt64, chainCount: UInt64,
        polwFactor: UInt64?, threshold: String?
    ) throws {
        var arguments = [
            "consensus", "reward", "--target", target, "--elapsed-ms", String(elapsedMs),
            "--block-time-ms", String(blockTimeMs), "--chain-count", String(chainCount),
        ]
        if let polwFactor { arguments += ["--polw-factor", String(polwFactor)] }
        if let threshold { arguments += ["--polw-threshold-hashrate", threshold] }
        let object = try json(arguments)
        let thresholdValue = try threshold.map { try #require(BigUInt(String($0.dropFirst(2)), radix: 16)) }
        let schedule = try EmissionSchedule(
            timing: BlockTiming(chainCount: chainCount, blockTimeMs: blockTimeMs),
            polwFactor: polwFactor ?? ConsensusParams.defaultPolwFactor,
            polwThresholdHashRate: thresholdValue ?? ConsensusParams.defaultPolwThresholdHashRate)
        let expected = try schedule.reward(target: try bits(target), elapsedMs: elapsedMs)
        #expect(object["reward"] as? String == expected.reward.description)
        #expect(object["burnt"] as? String == expected.burnt.description)
        switch expected {
        case .pow:
            #expect(object["kind"] as? String == "pow")
            #expect(object["polwTarget"] == nil)
        case .polw(_, _, let polwTarget):
            #expect(object["kind"] as? String == "polw")
            #expect(object["polwTarget"] as? String == polwTarget.description)
        }
    }

    @Test(arguments: ["mainnet", "devnet"])
    func plotWritesAnSVGChart(network: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("emission.svg")
        let object = try json(["consensus", "plot", "--out", file.path, "--network", network])
        #expect(object["out"] as? String == file.path)
        #expect(object["network"] as? String == network)
        let svg = try String(contentsOf: file, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        // Five curves against hash rate, three against time.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 8)
        #expect(svg.contains("Proof of Less Work"))
    }

    @Test(arguments: [
        ["consensus", "target"],
        ["consensus", "target", "--encode", "1", "--decode", "01010000"],
        ["consensus", "target", "--encode", "xyz"],
        ["consensus", "target", "--encode", "0x1" + String(repeating: "0", count: 64)],
        ["consensus", "target", "--decode", "123456789"],
        ["consensus", "target", "--decode", "1b010000", "--chain-count", "1"],
        ["consensus", "target", "--from-hashrate", "-1", "--block-time-ms", "64000", "--chain-count", "1"],
        ["consensus", "target", "--from-hashrate", "1", "--block-time-ms", "64000"],
        ["consensus", "target", "--from-hashrate", "1", "--block-time-ms", "0", "--chain-count", "1"],
        ["consensus", "target", "--bogus", "1"],
        ["consensus", "next-target", "--parent-target", "1b010000", "--span-ms", "5", "--block-time-ms", "64000"],
        ["consensus", "next-target", "--parent-target", "00000000", "--span-ms", "5", "--block-time-ms", "64000",
         "--max-target", "20ffffff"],
        ["consensus", "next-target", "--parent-target", "1b010000", "--span-ms", "1.5", "--block-time-ms", "64000",
         "--max-target", "20ffffff"],
        ["consensus", "next-target", "--parent-target", "1b010000", "--span-ms", "5", "--block-time-ms", "64000",
         "--max-target", "21010000"],
        ["consensus", "reward", "--target", "19200000", "--elapsed-ms", "-1", "--block-time-ms", "64000",
         "--chain-count", "16"],
        ["consensus", "reward", "--target", "19200000", "--elapsed-ms", "18446744073709551616",
         "--block-time-ms", "64000", "--chain-count", "16"],
        ["consensus", "reward", "--target", "ffffffff", "--elapsed-ms", "0", "--block-time-ms", "64000",
         "--chain-count", "16"],
        ["consensus", "reward", "--target", "19200000", "--elapsed-ms", "0", "--block-time-ms", "64000",
         "--chain-count", "0"],
        ["consensus", "reward", "--target", "19200000", "--elapsed-ms", "0", "--block-time-ms", "64000",
         "--chain-count", "1", "--polw-factor", "0"],
        ["consensus", "plot"],
        ["consensus", "plot", "--out", "/nonexistent-folder/chart.svg"],
        ["consensus", "plot", "--out", "/tmp/never-written.svg", "--network", "moonnet"],
        ["consensus", "simulate", "--step", "week"],
        ["consensus", "simulate", "--format", "xml"],
        ["consensus", "simulate", "--hashrate-path", "zero:1"],
        ["consensus", "simulate", "--hashrate-path", "5:1,5:2"],
        ["consensus", "simulate", "--coin-price", "0"],
        ["consensus", "simulate", "--days", "0"],
        ["consensus", "simulate", "--network", "moonnet"],
        ["consensus", "attack-cost", "--attacker-share", "1.5"],
        ["consensus", "attack-cost", "--attacker-share", "0.1", "--success-probability", "0.01"],
        ["consensus", "attack-cost", "--max-depth", "100000"],
        ["consensus", "plot", "--chart", "pie", "--out", "/tmp/never-written.svg"],
        ["consensus", "plot", "--chart", "attack", "--success-probability", "0.1", "--out", "/tmp/never-written.svg"],
    ])
    func badArgumentsExitWithStatusOneAndOneLine(arguments: [String]) throws {
        let output = try EmberBinary.run(arguments)
        #expect(output.status == 1, "ember \(arguments.joined(separator: " "))")
        #expect(output.standardOutput.isEmpty)
        #expect(output.standardError.split(separator: "\n").count == 1, "stderr: \(output.standardError)")
        #expect(output.standardError.hasPrefix("Error: "))
    }
}
