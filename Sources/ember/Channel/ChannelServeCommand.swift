import ArgumentParser
import EmberChannels
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation
import Logging

struct ChannelServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run this party's channel service: the peer WebSocket, the watchtower and the control API.",
        discussion: """
            The service keeps its channels in DATA/channels.sqlite and resumes them after a restart. Its key \
            (the wallet's) signs states and pays layer-1 fees; keep its outputs funded so it can answer a \
            dispute. On devnet, --devnet-key N uses seed key N instead of a keystore.
            """)

    @OptionGroup var wallet: WalletFileOptions
    @OptionGroup var passphrase: WalletPassphraseOptions
    @OptionGroup var nodeOptions: WalletNodeOptions
    @Option(help: "Use devnet seed key N (0…7) instead of a keystore.")
    var devnetKey: UInt32?
    @Option(help: ArgumentHelp("The service's folder (default: ./.ember/channels).", valueName: "folder"))
    var data: String?
    @Option(help: "The address the peer WebSocket listens on.")
    var host: String = "127.0.0.1"
    @Option(help: "The peer WebSocket's port.")
    var port: Int = 19_735
    @Option(help: "The control API's port (always on 127.0.0.1).")
    var controlPort: Int = ChannelServiceOptions.defaultControlPort
    @Option(help: "The dispute window in blocks for channels this side opens.")
    var window: UInt32 = 30

    func run() async throws {
        let key: SigningKey
        let network: NetworkID
        if let devnetKey {
            guard devnetKey < 8 else { throw commandFailure("--devnet-key must be 0…7") }
            key = .devnet(index: devnetKey)
            network = .devnet
        } else {
            let keystore = try wallet.readKeystore()
            do {
                key = try keystore.unlock(passphrase: try passphrase.passphrase(confirm: false))
            } catch {
                throw commandFailure("cannot unlock \(try wallet.path()): \(error)")
            }
            network = keystore.network
        }
        for (name, value) in [("--port", port), ("--control-port", controlPort)] where !(1...65_535).contains(value) {
            throw commandFailure("\(name) must be 1…65535")
        }
        let params = WalletSender.params(for: network)
        let folder = data ?? FileManager.default.currentDirectoryPath + "/.ember/channels"
        let store: ChannelStore
        do {
            store = try ChannelStore(path: folder + "/channels.sqlite")
        } catch {
            throw commandFailure(error.description)
        }
        let nodeURL = try nodeOptions.client(for: network).baseURL
        let logger = Logger(label: "ember.channels")
        let service: ChannelService
        do {
            service = try ChannelService(
                params: params, key: key, store: store, node: NodeAPIClient(baseURL: nodeURL), defaultWindow: window, logger: logger)
        } catch {
            throw commandFailure(error.description)
        }
        let client = NodeAPIClient(baseURL: nodeURL)
        let channelGuard: ChannelGuard
        let tower: Watchtower
        do {
            channelGuard = try ChannelGuard(
                store: store, name: "channels", client: client, transactions: ChannelTransactions(params: params, fundingKey: key, client: client),
                logger: logger)
            tower = try Watchtower(store: store, params: params, client: client, fundingKey: key, logger: logger)
        } catch {
            throw commandFailure("\(error)")
        }
        await service.resume()
        print("channel service of \(key.publicKey.bytes.hexString) on \(network)")
        print("peer WebSocket on ws://\(host):\(port)/v1/peer, watchtower on http://\(host):\(port)/v1/tower/channels; control API on http://127.0.0.1:\(controlPort)")
        let server = ChannelServer(
            service: service, peerHost: host, peerPort: port, controlPort: controlPort, logger: logger,
            peerRoutes: { router in TowerRoutes(tower: tower).add(to: router) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await service.runGuard(channelGuard) }
            group.addTask { try await channelGuard.run() }
            group.addTask { try await tower.run() }
            group.addTask { try await server.run() }
            // The server returns on SIGINT or SIGTERM; the followers stop with it.
            try await group.next()
            group.cancelAll()
        }
        await service.stopLinks()
    }
}
