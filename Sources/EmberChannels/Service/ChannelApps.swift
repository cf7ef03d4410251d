import EmberCore
import EmberCrypto

/// The apps a channel service knows by name; a channel's app hash must be one of theirs.
public struct ChannelApp: Sendable {
    public var name: String
    public var hash: Hash32
    public var program: [UInt8]
    /// Checks a move from `old` to `new` (the app program's verdict).
    public var checkMove: @Sendable (ChannelParams, ChannelState, ChannelState) throws(ChannelRefusal) -> Void
    /// The app data of the refund (version 0), such as an empty board.
    public var initialAppData: (@Sendable (ChannelRecord) -> [UInt8])?
}

public enum ChannelApps {
    /// Every app this service can run, by name.
    public static var all: [ChannelApp] { [] }

    public static func app(named name: String) -> ChannelApp? { all.first { $0.name == name } }
}
