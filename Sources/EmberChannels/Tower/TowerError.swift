import EmberCore
import EmberCrypto
import EmberLayer2

/// Why a watchtower refused an entry, phrased for the party (or the operator) who sent it.
public enum TowerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request body is larger than any entry.
    case bodyTooLarge(size: Int, limit: Int)
    /// The body is not an entry.
    case malformed(String)
    /// The entry is for another network than the tower watches.
    case wrongNetwork(entry: NetworkID, tower: NetworkID)
    /// The state names another channel than the parameters and funding outpoint make.
    case wrongChannel(state: Hash32, channel: Hash32)
    /// The channel's window is outside the network's bounds: no such channel can exist on layer 1.
    case windowOutOfBounds(window: UInt32)
    /// sigA or sigB is not that key's signature of the state on this network.
    case badSignatures(channel: Hash32, version: UInt64)
    /// The tower holds a newer state of the channel.
    case olderVersion(channel: Hash32, held: UInt64, given: UInt64)
    /// The tower holds another state with the same version: the parties signed two.
    case conflictingState(channel: Hash32, version: UInt64)
    /// The tower's store failed.
    case store(ClientStoreError)

    public var description: String {
        switch self {
        case .bodyTooLarge(let size, let limit):
            "the entry is \(size) bytes; a tower entry is at most \(limit)"
        case .malformed(let reason):
            "the body is not a tower entry: \(reason)"
        case .wrongNetwork(let entry, let tower):
            "the entry is for \(entry), but this tower watches \(tower)"
        case .wrongChannel(let state, let channel):
            "the state belongs to channel \(state), but the parameters and funding outpoint make channel \(channel)"
        case .windowOutOfBounds(let window):
            "a window of \(window) blocks is outside this network's bounds, so no such channel exists"
        case .badSignatures(let channel, let version):
            "state version \(version) of channel \(channel) is not signed by both channel keys on this network"
        case .olderVersion(let channel, let held, let given):
            "the tower holds version \(held) of channel \(channel); version \(given) is older and was not kept"
        case .conflictingState(let channel, let version):
            "the tower holds another state with version \(version) of channel \(channel); send a newer version"
        case .store(let error):
            "the tower could not store the entry: \(error)"
        }
    }
}
