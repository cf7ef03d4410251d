import EmberChain
import EmberConsensus
import EmberStore
import Foundation

/// One network's data folder: `network.json` (its settings) and `ember.sqlite` (its chain).
public struct DataFolder: Sendable {
    public let url: URL
    public let settings: NetworkSettings
    public let params: ConsensusParams
    public let store: SQLiteChainStore

    /// Why a data folder cannot be opened; phrased for a person.
    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Opens (creating when new) the folder at `path` for `requested` settings, or for the settings
    /// saved in it when `requested` is nil. A folder of another network or parameters is refused,
    /// never rewritten.
    public static func open(path: String, requested: NetworkSettings?) throws(OpenError) -> DataFolder {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let saved: NetworkSettings?
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            saved = try NetworkSettings.saved(in: url)
        } catch {
            throw OpenError(description: "cannot use data folder \(url.path): \(error)")
        }
        let settings = requested ?? saved ?? NetworkSettings()
        let params: ConsensusParams
        do {
            params = try settings.consensusParams()
        } catch {
            throw OpenError(description: error.description)
        }
        let identity = ChainIdentity(
            networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
        let store: SQLiteChainStore
        do {
            store = try SQLiteChainStore(folder: url.path, identity: identity)
        } catch {
            if case .foreignDatabase = error, let saved {
                throw OpenError(description: "\(url.path) holds a different chain (\(saved.network) with the settings in \(NetworkSettings.fileName)); "
                    + "use another --data-dir or the same settings: \(error)")
            }
            throw OpenError(description: "cannot open the chain in \(url.path): \(error)")
        }
        if saved == nil {
            do {
                try settings.save(in: url)
            } catch {
                throw OpenError(description: "cannot write \(NetworkSettings.fileName) in \(url.path): \(error)")
            }
        }
        return DataFolder(url: url, settings: settings, params: params, store: store)
    }
}
