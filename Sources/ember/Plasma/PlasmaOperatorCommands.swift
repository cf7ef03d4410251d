import ArgumentParser
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberPlasma
import Foundation
import Logging

/// The operator's key: `devnet:N` (devnet seed key N, 0…7) or a keystore file, unlocked with the
/// passphrase options. The key signs commits and the close and pays their fees.
struct PlasmaKeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The operator key: devnet:N (devnet seed key N) or a keystore file.", valueName: "key"))
    var key: String

    @OptionGroup var passphrase: WalletPassphraseOptions

    func load() throws -> (key: SigningKey, network: NetworkID) {
        if key.hasPrefix("devnet:") {
            guard let index = UInt32(key.dropFirst("devnet:".count)), index < 8 else { throw commandFailure("--key devnet:N needs N in 0…7") }
            return (.devnet(index: index), .devnet)
        }
        let keystore: Keystore
        do {
            keystore = try Keystore.read(path: key)
        } catch {
            throw commandFailure(error.description)
        }
        do {
            return (try keystore.unlock(passphrase: try passphrase.passphrase(confirm: false)), keystore.network)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw commandFailure("cannot unlock \(key): \(error)")
        }
    }
}

/// `ember plasma register`: puts an operator output and its bond on layer 1 and waits for the block.
struct PlasmaRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a Plasma chain on layer 1: an operator output and a bond; prints the chainId.",
        discussion: """
            The chainId binds the register's first input, the operator key and the exit window (docs/plasma.md, \
            "Register"). The key's own outputs pay the bond and the fee. The command waits until the register \
            is mined, then prints the command that runs the operator.
            """)

    @OptionGroup var nodeOptions: WalletNodeOptions
    @OptionGroup var keyOptions: PlasmaKeyOptions
    @Option(help: "The bond in EMB (at least 100 on mainnet, 1 on devnet).")
    var bond: String
    @Option(help: "The exit window in layer-1 blocks (devnet clients default to 30; mainnet at least 720).")
    var exitWindow: UInt32
    @Option(help: "Seconds to wait for the register to be mined.")
    var waitSeconds: Double = 600

    func run() async throws {
        let (key, network) = try keyOptions.load()
        let params = WalletSender.params(for: network)
        let bondAmount: Amount
        do {
            bondAmount = try CoinAmount.parse(bond)
        } catch {
            throw commandFailure("--bond '\(bond)': \(error.description)")
        }
        let nodeURL = try nodeOptions.client(for: network).baseURL
        let client = NodeAPIClient(baseURL: nodeURL)
        let transactions = PlasmaOperatorTransactions(params: params, operatorKey: key)
        let registration: PlasmaOperatorTransactions.Registration
        do {
            let tip = try await client.tip()
            guard tip.network == network else { throw commandFailure("the node at \(nodeURL) runs \(tip.network), the key \(network)") }
            let funding = try await client.outputs(of: key.publicKey.address(on: network))
            registration = try transactions.register(
                bond: bondAmount, exitWindow: exitWindow,
                in: .init(height: tip.height + 1, funding: funding, nowMs: UInt64(Date().timeIntervalSince1970 * 1_000)))
            _ = try await client.submit(registration.built.transaction)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw commandFailure("\(error)")
        }
        print("chainId \(registration.chainId.hex)")
        print("register \(registration.built.txid.hex) (\(registration.built.transaction.encoded.count) bytes, fee \(CoinAmount.formatWithUnit(registration.built.fee)))")
        print("operator \(registration.operatorOutpoint.txid.hex):\(registration.operatorOutpoint.index)")
        print("bond \(registration.bondOutpoint.txid.hex):\(registration.bondOutpoint.index) (\(CoinAmount.formatWithUnit(bondAmount)))")
        print("exitWindow \(exitWindow)")
        let deadline = Date().addingTimeInterval(waitSeconds)
        while Date() < deadline {
            let found = try? await client.outputs(under: .plasmaOperator(registration.operatorLock)).first { $0.outpoint == registration.operatorOutpoint }
            if let found {
                print("mined at height \(found.height)")
                print("run: ember plasma operator --node \(nodeURL.absoluteString) --key \(keyOptions.key) --chain \(registration.chainId.hex) --exit-window \(exitWindow) --data FOLDER")
                return
            }
            try await Task.sleep(for: .seconds(1))
        }
        throw commandFailure("the register \(registration.built.txid.hex) was not mined within \(Int(waitSeconds)) s; it may still be; check the node")
    }
}

/// `ember plasma operator`: runs the operator (docs/plasma-operator.md) until SIGINT or SIGTERM.
struct PlasmaOperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Run a Plasma operator: its HTTP API, a child block every interval, commits, deposits from layer 1.",
        discussion: """
            The operator keeps its state in DATA/operator.sqlite and resumes from it after a restart, also after \
            a kill: every acknowledged move is there. It commits each sealed block to layer 1 (one commit per \
            layer-1 block, oldest first), registers deposits once they are final, and stops committing when a \
            fraud proof freezes its bond. Its API has no authentication: keep it on 127.0.0.1 or behind a proxy.
            """)

    @OptionGroup var nodeOptions: WalletNodeOptions
    @OptionGroup var keyOptions: PlasmaKeyOptions
    @Option(help: ArgumentHelp("The chainId `ember plasma register` printed (64 hex digits).", valueName: "chainId"))
    var chain: String
    @Option(help: "The exit window the chain was registered with (its bond's).")
    var exitWindow: UInt32
    @Option(help: ArgumentHelp("The operator's folder (default: ./.ember/plasma-operator).", valueName: "folder"))
    var data: String?
    @Option(help: "The address the API listens on.")
    var host: String = "127.0.0.1"
    @Option(help: "The API's port (0: any free port, printed).")
    var port: Int = 19_740
    @Option(help: "Seconds between two child blocks.")
    var blockInterval: Double = 5
    @Option(help: "Milliseconds between two looks at layer 1.")
    var pollIntervalMs: Int = 1_000

    func run() async throws {
        let (key, network) = try keyOptions.load()
        guard chain.utf8.count == 64, let chainId = Hash32(hex: chain) else { throw commandFailure("--chain must be 64 hex digits") }
        guard (0...65_535).contains(port) else { throw commandFailure("--port must be 0…65535") }
        guard blockInterval >= 0.05, blockInterval <= 3_600 else { throw commandFailure("--block-interval must be 0.05…3600 seconds") }
        guard (10...60_000).contains(pollIntervalMs) else { throw commandFailure("--poll-interval-ms must be 10…60000") }
        let params = WalletSender.params(for: network)
        let folder = data ?? FileManager.default.currentDirectoryPath + "/.ember/plasma-operator"
        let configuration = PlasmaOperatorNode.Configuration(
            params: params, operatorKey: key, chainId: chainId, exitWindow: exitWindow, nodeURL: try nodeOptions.client(for: network).baseURL,
            dataFolder: URL(fileURLWithPath: folder), host: host, port: port, blockInterval: .milliseconds(Int64(blockInterval * 1_000)),
            pollInterval: .milliseconds(pollIntervalMs))
        let operatorNode: PlasmaOperatorNode
        do {
            operatorNode = try PlasmaOperatorNode(configuration, logger: Logger(label: "ember.plasma.operator"))
        } catch {
            throw commandFailure("\(error)")
        }
        let resumed = try operatorNode.service.store.lastBlockNumber()
        // `say` writes each line at once, so a log file has it before the process is killed.
        say("plasma operator of chain \(chainId.hex) on \(network), key \(key.publicKey.bytes.hexString)")
        say("store \(folder)/operator.sqlite (last block \(resumed))")
        do {
            try await operatorNode.run { port in
                say("listening on http://\(host):\(port) (status: /v1/plasma/status, layer 1: /v1/plasma/layer1)")
            }
        } catch {
            throw commandFailure("\(error)")
        }
        say("stopped")
    }
}
