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

    /// The settings from these options over the config file's; nil when networking is off.
    func settings(file: ConfigFile, network: String) throws -> PeerNetworkSettings? {
        let extraOptionGiven = p2pBind != nil || maxInbound != nil || maxOutbound != nil
        try connection.checkConsistent(extraOptionGiven: extraOptionGiven)
        if connection.noP2P { return nil }
        if file.p2p == false && !connection.asksForNetworking && !extraOptionGiven { return nil }
        return PeerNetworkSettings(
            bindHost: p2pBind ?? file.p2pBind ?? "127.0.0.1",
            port: connection.p2pPort ?? file.p2pPort ?? (network == "devnet" ? 19_270 : 9_270),
            peers: connection.peers.isEmpty ? file.peers ?? [] : connection.peers,
            maxInbound: maxInbound ?? file.maxInbound ?? PeerNetworkSettings.defaultMaxInbound,
            maxOutbound: maxOutbound ?? file.maxOutbound ?? PeerNetworkSettings.defaultMaxOutbound)
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
        for (name, value) in [("--max-inbound", maxInbound), ("--max-outbound", maxOutbound)] {
            guard Self.connectionLimitRange.contains(value) else {
                throw commandFailure("\(name) must be \(Self.connectionLimitRange.lowerBound)…\(Self.connectionLimitRange.upperBound) (got \(value))")
            }
        }
    }

    /// `HOST:PORT` of the listener, with an IPv6 host in brackets.
    var listenAddress: String { bindHost.contains(":") ? "[\(bindHost)]:\(port)" : "\(bindHost):\(port)" }
}
