import ArgumentParser
import EmberNode

/// The P2P options `ember node` and `ember devnet` share: where to listen, whom to connect to, or none.
struct PeerConnectionOptions: ParsableArguments {
    @Option(name: .customLong("p2p-port"), help: "P2P port (default 9270; devnet 19270).")
    var p2pPort: Int?

    @Option(name: .customLong("peer"), help: ArgumentHelp("A peer to keep connected to; repeat for several.", valueName: "HOST:PORT"))
    var peers: [String] = []

    @Flag(name: .customLong("no-p2p"), help: "Run without peer-to-peer networking.")
    var noP2P = false

    /// Whether any option asks for networking, which then wins over `"p2p": false` in a config file.
    var asksForNetworking: Bool { p2pPort != nil || !peers.isEmpty }

    /// `--no-p2p` with options that only make sense with networking is a mistake, not a choice.
    func checkConsistent(extraOptionGiven: Bool = false) throws {
        if noP2P && (asksForNetworking || extraOptionGiven) {
            throw commandFailure("--no-p2p cannot be combined with other P2P options")
        }
    }
}

/// `ember node`'s further P2P options, with their config-file keys beside them.
struct NodePeerNetworkOptions: ParsableArguments {
    @OptionGroup var connection: PeerConnectionOptions

    @Option(name: .customLong("p2p-bind"), help: "Address the P2P listener binds to (default 127.0.0.1).")
    var p2pBind: String?

    @Option(help: "Most inbound peers at once (default 64).")
    var maxInbound: Int?

    @Option(help: "Most outbound peers at once (default 8).")
    var maxOutbound: Int?

    @Option(help: "Most inbound peers from one IP address; loopback is exempt (default 8).")
    var maxInboundPerAddress: Int?

    @Option(help: "Most inbound peers from one IPv4 /16 or IPv6 /32 (default 16).")
    var maxInboundPerGroup: Int?

    @Option(name: .customLong("frame-budget-mib"), help: "MiB of partly received frames all peers may buffer together (default 64).")
    var frameBudgetMiB: Int?

    @Option(help: "Gossiped addresses dialled per minute; configured peers do not count (default 12).")
    var maxDialsPerMinute: Int?

    /// The settings from these options over the config file's; nil when networking is off.
    func settings(file: ConfigFile, network: String) throws -> PeerNetworkSettings? {
        let extraOptions: [Int?] = [maxInbound, maxOutbound, maxInboundPerAddress, maxInboundPerGroup, frameBudgetMiB, maxDialsPerMinute]
        let extraOptionGiven = p2pBind != nil || extraOptions.contains { $0 != nil }
        try connection.checkConsistent(extraOptionGiven: extraOptionGiven)
        if connection.noP2P { return nil }
        if file.p2p == false && !connection.asksForNetworking && !extraOptionGiven { return nil }
        var settings = PeerNetworkSettings(
            bindHost: p2pBind ?? file.p2pBind ?? "127.0.0.1",
            port: connection.p2pPort ?? file.p2pPort ?? (network == "devnet" ? 19_270 : 9_270),
            peers: connection.peers.isEmpty ? file.peers ?? [] : connection.peers,
            maxInbound: maxInbound ?? file.maxInbound ?? PeerNetworkSettings.defaultMaxInbound,
            maxOutbound: maxOutbound ?? file.maxOutbound ?? PeerNetworkSettings.defaultMaxOutbound)
        settings.maxInboundPerAddress = maxInboundPerAddress ?? file.maxInboundPerAddress ?? settings.maxInboundPerAddress
        settings.maxInboundPerNetworkGroup = maxInboundPerGroup ?? file.maxInboundPerGroup ?? settings.maxInboundPerNetworkGroup
        if let mib = frameBudgetMiB ?? file.frameBudgetMiB {
            guard PeerNetworkSettings.frameBudgetMiBRange.contains(mib) else {
                throw Self.outOfRange("--frame-budget-mib", mib, PeerNetworkSettings.frameBudgetMiBRange)
            }
            settings.maxBufferedFrameBytes = mib * 1_024 * 1_024
        }
        settings.maxDialsPerMinute = maxDialsPerMinute ?? file.maxDialsPerMinute ?? settings.maxDialsPerMinute
        return settings
    }

    /// The one-line refusal of an option outside its range.
    static func outOfRange(_ name: String, _ value: some BinaryInteger, _ range: ClosedRange<some BinaryInteger>) -> Error {
        commandFailure("\(name) must be \(range.lowerBound)…\(range.upperBound) (got \(value))")
    }
}

extension PeerNetworkSettings {
    /// Refuses settings that cannot work, with the option a person would change.
    func check(apiHost: String, apiPort: Int) throws {
        guard (1...65_535).contains(port) else { throw commandFailure("--p2p-port must be 1…65535 (got \(port))") }
        let anyAddress: Set = ["0.0.0.0", "::"]
        if port == apiPort && (bindHost == apiHost || anyAddress.contains(bindHost) || anyAddress.contains(apiHost)) {
            throw commandFailure("--p2p-port and --api-port are both \(port): give them different ports")
        }
        if let peer = peers.first(where: { !Self.isWellFormedPeer($0) }) {
            throw commandFailure("--peer \(peer) is not \(Self.peerForm)")
        }
        let limits = [
            ("--max-inbound", maxInbound, Self.connectionLimitRange), ("--max-outbound", maxOutbound, Self.connectionLimitRange),
            ("--max-inbound-per-address", maxInboundPerAddress, Self.perSourceLimitRange),
            ("--max-inbound-per-group", maxInboundPerNetworkGroup, Self.perSourceLimitRange),
            ("--max-dials-per-minute", maxDialsPerMinute, Self.dialsPerMinuteRange),
        ]
        for (name, value, range) in limits where !range.contains(value) {
            throw NodePeerNetworkOptions.outOfRange(name, value, range)
        }
    }

    /// `HOST:PORT` of the listener, with an IPv6 host in brackets.
    var listenAddress: String { bindHost.contains(":") ? "[\(bindHost)]:\(port)" : "\(bindHost):\(port)" }
}
