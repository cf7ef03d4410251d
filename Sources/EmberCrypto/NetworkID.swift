/// Which Ember network a key, address, signature or block belongs to (DESIGN.md section 3).
public enum NetworkID: UInt8, Sendable, CaseIterable, Codable {
    case mainnet = 0
    case testnet = 1
    case devnet = 2

    /// The Bech32m human-readable part of this network's addresses.
    public var addressPrefix: String {
        switch self {
        case .mainnet: "em"
        case .testnet: "emt"
        case .devnet: "emd"
        }
    }
}
