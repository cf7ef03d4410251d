import BigInt
import EmberConsensus
import EmberCrypto
import Foundation

/// Which network a node runs and, for a devnet, the settings that define it (all part of its genesis).
///
/// Saved as `network.json` in the data folder when the folder is created, so later commands on the
/// same folder need no flags to find the right parameters.
public struct NetworkSettings: Codable, Hashable, Sendable {
    public var network: String
    public var blockTimeMs: UInt64?
    public var maxTargetZeros: UInt8?
    /// Decimal, since hash rates exceed 64 bits.
    public var polwThresholdHashRate: String?
    public var coinbaseLockupMs: UInt64?

    public static let fileName = "network.json"
    /// A settings file is a few hundred bytes; anything this large is not one, and is not read whole.
    static let maxFileSize = 64 * 1_024

    public init(
        network: String = "devnet", blockTimeMs: UInt64? = nil, maxTargetZeros: UInt8? = nil,
        polwThresholdHashRate: String? = nil, coinbaseLockupMs: UInt64? = nil
    ) {
        self.network = network
        self.blockTimeMs = blockTimeMs
        self.maxTargetZeros = maxTargetZeros
        self.polwThresholdHashRate = polwThresholdHashRate
        self.coinbaseLockupMs = coinbaseLockupMs
    }

    /// Why settings do not make a network; phrased for the person who typed them.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The consensus parameters these settings name.
    public func consensusParams() throws(Invalid) -> ConsensusParams {
        switch network {
        case "mainnet", "testnet":
            guard blockTimeMs == nil, maxTargetZeros == nil, polwThresholdHashRate == nil, coinbaseLockupMs == nil else {
                throw Invalid(description: "--block-time-ms, --max-target-zeros, --polw-threshold-hashrate and --lockup-ms change consensus and apply to a devnet only")
            }
            return network == "mainnet" ? .mainnet : .testnet
        case "devnet":
            var threshold = ConsensusParams.defaultPolwThresholdHashRate
            if let text = polwThresholdHashRate {
                guard let value = BigUInt(text, radix: 10), value > 0 else {
                    throw Invalid(description: "--polw-threshold-hashrate must be a positive whole number of hashes per second; got \(text)")
                }
                threshold = value
            }
            if let zeros = maxTargetZeros, zeros > 250 {
                throw Invalid(description: "--max-target-zeros must be at most 250; got \(zeros)")
            }
            do {
                return try ConsensusParams.devnet(
                    blockTimeMs: blockTimeMs ?? 4_000, maxTargetZeros: maxTargetZeros ?? 10,
                    polwThresholdHashRate: threshold, coinbaseLockupMs: coinbaseLockupMs ?? 60_000)
            } catch {
                throw Invalid(description: "these devnet settings do not make a network: \(error)")
            }
        default:
            throw Invalid(description: "unknown network \(network); use mainnet, testnet or devnet")
        }
    }

    /// The settings saved in `folder`, or nil when it has none.
    public static func saved(in folder: URL) throws -> NetworkSettings? {
        let file = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data = try BoundedFile.read(path: file.path, limit: maxFileSize)
        guard data.count <= maxFileSize else { throw Invalid(description: "\(file.path) is too large to be Ember network settings") }
        return try JSONDecoder().decode(NetworkSettings.self, from: data)
    }

    /// Writes these settings into `folder`.
    public func save(in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: folder.appendingPathComponent(Self.fileName), options: .atomic)
    }
}
