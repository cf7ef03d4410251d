import ArgumentParser
import EmberNode

/// The devnet settings that change consensus, and so the devnet's genesis.
struct DevnetConsensusOptions: ParsableArguments {
    @Option(help: "Devnet block time in ms (part of its genesis).")
    var blockTimeMs: UInt64?

    @Option(help: "Devnet max-target zero bits (part of its genesis).")
    var maxTargetZeros: UInt8?

    @Option(name: .customLong("polw-threshold-hashrate"), help: "Devnet PoLW threshold in H/s; set it low to watch PoLW blocks burn coins.")
    var polwThresholdHashRate: String?

    @Option(help: "Devnet coinbase lockup in ms (part of its genesis).")
    var lockupMs: UInt64?

    var isEmpty: Bool { blockTimeMs == nil && maxTargetZeros == nil && polwThresholdHashRate == nil && lockupMs == nil }

    /// The same options as command-line arguments, for child nodes that must share this devnet's genesis.
    var arguments: [String] {
        var arguments: [String] = []
        if let blockTimeMs { arguments += ["--block-time-ms", "\(blockTimeMs)"] }
        if let maxTargetZeros { arguments += ["--max-target-zeros", "\(maxTargetZeros)"] }
        if let polwThresholdHashRate { arguments += ["--polw-threshold-hashrate", polwThresholdHashRate] }
        if let lockupMs { arguments += ["--lockup-ms", "\(lockupMs)"] }
        return arguments
    }

    /// Settings for `network` with these devnet options.
    func settings(network: String) -> NetworkSettings {
        NetworkSettings(
            network: network, blockTimeMs: blockTimeMs, maxTargetZeros: maxTargetZeros,
            polwThresholdHashRate: polwThresholdHashRate, coinbaseLockupMs: lockupMs)
    }
}

/// The options that choose a network and, for a devnet, its consensus settings.
struct NetworkOptions: ParsableArguments {
    @Option(help: "mainnet, testnet or devnet (default: the data folder's saved network, else devnet).")
    var network: String?

    @OptionGroup var devnet: DevnetConsensusOptions

    /// The settings asked for, or nil when no option was given (use what the folder saved).
    var requested: NetworkSettings? {
        guard network != nil || !devnet.isEmpty else { return nil }
        return devnet.settings(network: network ?? "devnet")
    }

    /// Opens the data folder, turning any failure into the one-line error of `ember`.
    func openDataFolder(_ path: String) throws -> DataFolder {
        do {
            return try DataFolder.open(path: path, requested: requested)
        } catch {
            throw commandFailure(error.description)
        }
    }
}
