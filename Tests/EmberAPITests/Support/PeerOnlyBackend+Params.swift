import EmberAPI
import EmberConsensus

extension PeerOnlyBackend {
    /// The peer routes never read consensus parameters; devnet's defaults stand in, as every backend has some.
    var params: ConsensusParams { DevnetDefaults.params }
}

/// Devnet's default parameters, built once.
private enum DevnetDefaults {
    static let params: ConsensusParams = {
        do {
            return try ConsensusParams.devnet()
        } catch {
            preconditionFailure("devnet's default parameters are invalid: \(error)")
        }
    }()
}
