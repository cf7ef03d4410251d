import EmberCrypto

/// Which chain a data folder belongs to: checked at every open so a node never mixes two networks'
/// data.
public struct ChainIdentity: Hashable, Sendable, CustomStringConvertible {
    /// The network id byte (0 mainnet, 1 testnet, 2 devnet); kept raw so a folder of an unknown
    /// network can still be reported.
    public var networkID: UInt8
    /// The hash of the network's genesis block.
    public var genesisHash: Hash32
    /// The hash of the canonical encoding of the consensus parameters.
    public var parametersHash: Hash32

    public init(networkID: UInt8, genesisHash: Hash32, parametersHash: Hash32) {
        self.networkID = networkID
        self.genesisHash = genesisHash
        self.parametersHash = parametersHash
    }

    public var description: String {
        "network \(networkID), genesis \(genesisHash), parameters \(parametersHash)"
    }
}
