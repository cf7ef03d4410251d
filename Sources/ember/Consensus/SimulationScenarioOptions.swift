import ArgumentParser
import BigInt
import EmberConsensus
import EmberCore
import EmberNode
import Foundation

/// The options that describe a PoLW research scenario, shared by `simulate`, `attack-cost` and `plot`.
struct SimulationScenarioOptions: ParsableArguments {
    /// Illustrative defaults, not measurements: docs/polw-research.md says where they come from.
    static let defaultJoulesPerHash = 2e-10
    static let defaultElectricityPrice = 0.05
    static let defaultCoinPrice = 100.0
    static let defaultDays: UInt64 = 3_650

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Whose block time, k and threshold to start from: mainnet, testnet or devnet (default mainnet).",
            valueName: "network"))
    var network: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Block time T in milliseconds.", valueName: "ms"))
    var blockTimeMs: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("PoLW factor k; 1 is plain proof of work.", valueName: "k"))
    var polwFactor: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("PoLW threshold hash rate H_T, H/s (such as 2^60).", valueName: "H/s"))
    var polwThresholdHashrate: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Physical hash rate over time: DAY:H/S pairs separated by commas (such as 0:2^58,3650:2^62), "
                + "exponential between them; without it miners add hash rate until it stops paying.",
            valueName: "path"))
    var hashratePath: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Energy per hash, joules (default 2e-10).", valueName: "J"))
    var joulesPerHash: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Electricity price per kWh, USD (default 0.05).", valueName: "USD"))
    var electricityPrice: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Price of one EMB, USD (default 100).", valueName: "USD"))
    var coinPrice: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Transaction fees per block, EMB (default 0); half are burnt.", valueName: "EMB"))
    var feesPerBlock: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Days to simulate (default 3650).", valueName: "days"))
    var days: String?

    /// The network named by `--network`.
    func baseParams() throws -> ConsensusParams {
        switch network ?? "mainnet" {
        case "mainnet": return .mainnet
        case "testnet": return .testnet
        case "devnet": return try ConsensusArgument.checked { try ConsensusParams.devnet() }
        case let other: throw ConsensusArgumentError("--network '\(other)' is not mainnet, testnet or devnet")
        }
    }

    /// The network's name as given, for titles.
    var networkName: String { network ?? "mainnet" }

    /// The emission schedule of the network with the overrides given.
    func schedule() throws -> EmissionSchedule {
        let base = try baseParams()
        let blockTime = try blockTimeMs.map { try ConsensusArgument.uint64($0, "--block-time-ms") } ?? base.blockTimeMs
        let factor = try polwFactor.map { try ConsensusArgument.uint64($0, "--polw-factor") } ?? base.polwFactor
        let threshold = try polwThresholdHashrate.map { try Self.wholeHashRate($0, "--polw-threshold-hashrate") }
            ?? base.polwThresholdHashRate
        return try ConsensusArgument.checked {
            try EmissionSchedule(
                timing: BlockTiming(chainCount: base.chainCount, blockTimeMs: blockTime), polwFactor: factor,
                polwThresholdHashRate: threshold)
        }
    }

    /// The whole scenario the options describe.
    func scenario() throws -> SimulationScenario {
        let schedule = try schedule()
        let fees = try feesPerBlock.map { text in
            try ConsensusArgument.checked { try CoinAmount.parse(text) }
        } ?? .zero
        return try ConsensusArgument.checked {
            let economics = try MiningEconomics(
                joulesPerHash: try Self.number(joulesPerHash, "--joules-per-hash", default: Self.defaultJoulesPerHash),
                electricityPricePerKilowattHour: try Self.number(
                    electricityPrice, "--electricity-price", default: Self.defaultElectricityPrice),
                coinPrice: try Self.number(coinPrice, "--coin-price", default: Self.defaultCoinPrice),
                feesPerBlock: fees)
            let source = try hashratePath.map { HashRateSource.path(try Self.path($0)) } ?? .equilibrium
            let days = try days.map { try ConsensusArgument.uint64($0, "--days") } ?? Self.defaultDays
            return try SimulationScenario(schedule: schedule, economics: economics, hashRate: source, days: days)
        }
    }

    /// A decimal number, with an exponent (`2e-10`) or as a power (`2^60`).
    static func number(_ text: String, _ option: String) throws -> Double {
        let parts = text.split(separator: "^", omittingEmptySubsequences: false)
        let value: Double?
        if parts.count == 2, let base = Double(parts[0]), let exponent = Double(parts[1]) {
            value = Foundation.pow(base, exponent)
        } else {
            value = parts.count == 1 ? Double(text) : nil
        }
        guard let value, value.isFinite else {
            throw ConsensusArgumentError("\(option) '\(text)' is not a number (such as 0.05, 2e-10 or 2^60)")
        }
        return value
    }

    private static func number(_ text: String?, _ option: String, default value: Double) throws -> Double {
        try text.map { try number($0, option) } ?? value
    }

    /// A hash rate in whole H/s: an integer of any size, or a number such as `2^60` or `1.5e18`.
    static func wholeHashRate(_ text: String, _ option: String) throws -> BigUInt {
        if let exact = try? ConsensusArgument.bigUInt(text, option) { return exact }
        let value = try number(text, option)
        guard value >= 0 else { throw ConsensusArgumentError("\(option) '\(text)' is negative") }
        return BigUInt(value.rounded(.down))
    }

    /// `DAY:H/S[,DAY:H/S…]`.
    static func path(_ text: String) throws -> HashRatePath {
        let points = try text.split(separator: ",").map { pair -> HashRatePath.Point in
            let fields = pair.split(separator: ":")
            guard fields.count == 2 else {
                throw ConsensusArgumentError("--hashrate-path entry '\(pair)' is not DAY:H/S (such as 365:2^60)")
            }
            return HashRatePath.Point(
                day: try number(String(fields[0]), "--hashrate-path day"),
                hashRate: try number(String(fields[1]), "--hashrate-path hash rate"))
        }
        return try ConsensusArgument.checked { try HashRatePath(points: points) }
    }
}
