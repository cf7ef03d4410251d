import ArgumentParser
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberPlasma
import Foundation
import Logging

/// The options every client command shares: the node, the operator, the wallet file, the key, the chain.
struct PlasmaClientOptions: ParsableArguments {
    @OptionGroup var account: Layer2AccountOptions
    @Option(name: .customLong("operator"), help: ArgumentHelp("The operator's API, such as http://127.0.0.1:19740.", valueName: "url"))
    var operatorURL: String?
    @Option(help: ArgumentHelp("The client's SQLite file (default: ./.ember/plasma-CHAIN.sqlite).", valueName: "path"))
    var wallet: String?
    @Option(help: ArgumentHelp("The child chain's id, 64 hex digits.", valueName: "chainId"))
    var chain: String

    /// The watcher over this wallet, node and operator: what every command uses.
    func watcher() throws -> (PlasmaWatcher, SigningKey) {
        let (key, network) = try account.signingKey()
        guard chain.utf8.count == 64, let chainId = Hash32(hex: chain) else { throw commandFailure("--chain must be 64 hex digits") }
        let node = try account.nodeClient(for: network)
        let operatorBase = operatorURL ?? "http://127.0.0.1:19740"
        guard let operatorURL = NodeClient.parseURL(operatorBase) else { throw commandFailure("--operator '\(operatorBase)' is not an http:// URL with a host") }
        let path = wallet ?? FileManager.default.currentDirectoryPath + "/.ember/plasma-\(chainId.hex.prefix(16)).sqlite"
        let store: PlasmaWallet
        do {
            store = try PlasmaWallet(path: path, chainId: chainId, network: network)
        } catch {
            throw commandFailure(error.description)
        }
        let params = WalletSender.params(for: network)
        let watcher = PlasmaWatcher(
            wallet: store, node: node, operatorClient: OperatorClient(baseURL: operatorURL),
            transactions: PlasmaCoinTransactions(params: params, fundingKey: key), ownerKey: RawPublicKey(key.publicKey.bytes)!,
            configuration: .init(finalityDepth: params.layer2.finalityDepth))
        return (watcher, key)
    }
}

/// Runs `body`, turning any error into the command's one-line failure.
private func plasmaFailure<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw commandFailure("\(error)")
    }
}

private func coinId(_ text: String) throws -> Hash32 {
    guard text.utf8.count == 64, let id = Hash32(hex: text) else { throw commandFailure("--coin must be 64 hex digits") }
    return id
}

struct PlasmaDepositCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deposit", abstract: "Deposit coins into the child chain: one coin per --amount, in EMB, owned by the key.")

    @OptionGroup var options: PlasmaClientOptions
    @Option(help: "A coin's amount in EMB; repeat for several coins.")
    var amount: [String]

    func run() async throws {
        let amounts = try amount.map { text in
            do { return try CoinAmount.parse(text) } catch { throw commandFailure("--amount '\(text)': \(error)") }
        }
        let (watcher, _) = try options.watcher()
        let (txid, coins) = try await plasmaFailure { try await watcher.deposit(amounts) }
        print("deposit \(txid) sent; coins:")
        for coin in coins { print("  \(coin.hex)") }
        print("wait for the finality depth, then run `ember plasma watch` so the operator and the client follow the coins")
    }
}

struct PlasmaSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Move a coin to another key on the child chain (signed once, resent as it is).")

    @OptionGroup var options: PlasmaClientOptions
    @Option(help: "The coin id, 64 hex digits.")
    var coin: String
    @Option(help: "The receiver's public key, 64 hex digits.")
    var to: String

    func run() async throws {
        let id = try coinId(coin)
        guard let bytes = [UInt8](hexString: to), let receiver = RawPublicKey(bytes) else { throw commandFailure("--to must be a 32-byte public key in hex") }
        let (watcher, key) = try options.watcher()
        let verdict = try await plasmaFailure { try await watcher.send(id, to: receiver, signer: key) }
        print("the operator answered: \(verdict)")
    }
}

struct PlasmaReceiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Accept a coin moved to the key: find it on layer 1, fetch and check its whole history from the operator, then hold it.")

    @OptionGroup var options: PlasmaClientOptions
    @Option(help: "The coin id, 64 hex digits.")
    var coin: String

    func run() async throws {
        let id = try coinId(coin)
        let (watcher, _) = try options.watcher()
        let received = try await plasmaFailure { try await watcher.receive(coinId: id) }
        print("coin \(received.coinId.hex) held: \(CoinAmount.formatWithUnit(received.amount)), history checked through block \(received.checkedThrough)")
        print("run `ember plasma watch` so the client keeps checking the coin's new blocks")
    }
}

struct PlasmaBalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: "List the wallet's coins, their state and the blocks checked.")

    @OptionGroup var options: PlasmaClientOptions

    func run() async throws {
        let (watcher, _) = try options.watcher()
        let coins = try await plasmaFailure { try watcher.wallet.coins() }
        var held = Amount.zero
        for coin in coins {
            print("\(coin.coinId.hex)  \(CoinAmount.formatWithUnit(coin.amount))  \(coin.status.rawValue)  checked through block \(coin.checkedThrough)")
            if coin.status == .held { held = held.adding(coin.amount) ?? held }
        }
        print("held: \(CoinAmount.formatWithUnit(held)) in \(coins.filter { $0.status == .held }.count) coins")
    }
}

struct PlasmaExitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exit", abstract: "Exit a coin to layer 1 now, from its latest checked entry; `watch` finalizes it when due.")

    @OptionGroup var options: PlasmaClientOptions
    @Option(help: "The coin id, 64 hex digits.")
    var coin: String

    func run() async throws {
        let id = try coinId(coin)
        let (watcher, _) = try options.watcher()
        guard let action = try await plasmaFailure({ try await watcher.exitNow(id) }) else {
            throw commandFailure("no exit was sent: the coin is not the wallet's, or an exit was sent a moment ago")
        }
        print(action.description)
    }
}

struct PlasmaWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow layer 1 and the operator; check every child block; exit, challenge, preempt, answer and prove fraud on its own.")

    @OptionGroup var options: PlasmaClientOptions
    @Flag(help: "Make one pass and stop.")
    var once = false

    func run() async throws {
        let (watcher, _) = try options.watcher()
        repeat {
            let actions = try await plasmaFailure { try await watcher.pass() }
            // `say`, not `print`: each line reaches a log file or a pipe at once, not when a buffer fills.
            for action in actions { say(action.description) }
            if let problem = await watcher.operatorProblem { say(problem.description) }
            if !once { try await Task.sleep(for: .seconds(2)) }
        } while !once && !Task.isCancelled
    }
}
