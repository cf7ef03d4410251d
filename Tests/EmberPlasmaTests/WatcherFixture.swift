import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberPlasma
import EmberTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// A node's REST API answered from a ChainBuilder chain: tip, blocks by height and hash, outputs by
/// address, and the transactions a client submits (kept for the test to mine).
final class ScriptedNode: NodeAPITransport, Sendable {
    private struct State {
        var chain: ChainBuilder
        /// Every block ever served, so a client can walk back a branch that left the active chain.
        var known: [Hash32: Block] = [:]
        var submitted: [Transaction] = []
    }

    private let state: Mutex<State>

    init(_ chain: ChainBuilder) {
        state = Mutex(State(chain: chain))
        update(chain)
    }

    func update(_ chain: ChainBuilder) {
        state.withLock { state in
            state.chain = chain
            for block in chain.blocks { state.known[block.hash] = block }
        }
    }
    var submitted: [Transaction] { state.withLock { $0.submitted } }
    func clearSubmitted() { state.withLock { $0.submitted = [] } }

    func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
        if request.method == "POST" {
            let body = (try? JSONSerialization.jsonObject(with: request.body ?? Data())) as? [String: String]
            guard let hex = body?["hex"], let bytes = [UInt8](hexString: hex), let transaction = try? Transaction.decode(from: bytes, limit: 1 << 20) else {
                return Self.answer(400, #"{"error":"bad transaction"}"#)
            }
            state.withLock { $0.submitted.append(transaction) }
            return Self.answer(200, #"{"txid":"\#(transaction.txid.hex)"}"#)
        }
        let (chain, known) = state.withLock { ($0.chain, $0.known) }
        let blocks = chain.blocks
        let path = request.path
        if path == "/v1/info" {
            return Self.answer(200, #"{"networkID":\#(chain.params.networkID.rawValue),"height":\#(blocks.count - 1),"tip":"\#(blocks.last!.hash.hex)"}"#)
        }
        if path.hasPrefix("/v1/blocks/height/") {
            guard let height = Int(path.dropFirst("/v1/blocks/height/".count)), blocks.indices.contains(height) else { return Self.answer(404, "{}") }
            return Self.block(blocks[height])
        }
        if path.hasPrefix("/v1/blocks/") {
            let hex = String(path.dropFirst("/v1/blocks/".count))
            guard let hash = Hash32(hex: hex), let block = known[hash] else { return Self.answer(404, "{}") }
            let height = Int(block.header.height)
            return Self.block(block, active: blocks.indices.contains(height) && blocks[height].hash == hash)
        }
        guard path.hasPrefix("/v1/addresses/") else { return Self.answer(404, "{}") }
        let address = path.dropFirst("/v1/addresses/".count).replacingOccurrences(of: "/outputs", with: "")
        let items = chain.utxos.outputs.filter { entry in
            guard case .pubKeyHash(let hash) = entry.value.output.lock else { return false }
            return Address(publicKeyHash: hash, network: chain.params.networkID).description == address
        }.map { outpoint, unspent in
            #"{"txid":"\#(outpoint.txid.hex)","index":\#(outpoint.index),"amount":"\#(unspent.output.amount.units)","lockTime":\#(unspent.output.lockTime),"height":\#(unspent.height),"coinbase":\#(unspent.isCoinbase)}"#
        }
        return Self.answer(200, #"{"outputs":[\#(items.joined(separator: ","))]}"#)
    }

    private static func block(_ block: Block, active: Bool = true) -> NodeAPIResponse {
        answer(200, #"{"hash":"\#(block.hash.hex)","height":\#(block.header.height),"active":\#(active),"hex":"\#(block.encoded.hexString)"}"#)
    }

    static func answer(_ status: Int, _ json: String) -> NodeAPIResponse { NodeAPIResponse(status: status, body: Data(json.utf8)) }
}

/// An operator's proof route answered from child blocks the test holds, the way `OperatorRoutes` answers
/// it; blocks can be withheld (404) or answered with bytes the test chooses.
final class ScriptedOperator: NodeAPITransport, Sendable {
    private struct State {
        var blocks: [UInt64: ChildBlock] = [:]
        var withheld: Set<UInt64> = []
        var raw: [UInt64: String] = [:]
        var requests = 0
    }

    private let state = Mutex(State())

    func serve(_ blocks: [UInt64: ChildBlock]) { state.withLock { $0.blocks = blocks } }
    func withhold(_ number: UInt64) { state.withLock { _ = $0.withheld.insert(number) } }
    /// Answers block `number`'s proof requests with `body` (status 200) instead.
    func answerRaw(_ number: UInt64, _ body: String) { state.withLock { $0.raw[number] = body } }
    var requests: Int { state.withLock { $0.requests } }

    func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
        let parts = request.path.split(separator: "/")
        // /v1/plasma/blocks/{n}/proofs/{coin}
        guard parts.count == 6, parts[2] == "blocks", let number = UInt64(parts[3]), let coin = Hash32(hex: String(parts[5])) else {
            return ScriptedNode.answer(404, #"{"error":"no route"}"#)
        }
        let (block, withheld, raw) = state.withLock { state in
            state.requests += 1
            return (state.blocks[number], state.withheld.contains(number), state.raw[number])
        }
        if let raw { return ScriptedNode.answer(200, raw) }
        guard let block, !withheld else { return ScriptedNode.answer(404, #"{"error":"there is no block \#(number)"}"#) }
        let proof = block.proof(for: coin)
        let transaction = proof.move.map { #""\#($0.encoded.hexString)""# } ?? "null"
        return ScriptedNode.answer(200, """
            {"coinId":"\(coin.hex)","evidence":{"block":\(number),"root":"\(block.root.hex)","included":\(proof.move != nil),"proof":"\(proof.proof.encoded.hexString)","transaction":\(transaction)}}
            """)
    }
}

/// A wallet, a watcher and the chain it follows, in a temporary folder.
struct WatcherFixture {
    var chain: CoinChainFixture
    let node: ScriptedNode
    let operatorTransport: ScriptedOperator
    let folder: URL
    let wallet: PlasmaWallet
    let owner: SigningKey

    init(chain: CoinChainFixture, owner: SigningKey, operatorClient: OperatorClient? = nil) throws {
        self.chain = chain
        self.owner = owner
        node = ScriptedNode(chain.builder)
        operatorTransport = ScriptedOperator()
        operatorTransport.serve(chain.childBlocks)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-plasma-watcher-\(UUID().uuidString)")
        wallet = try PlasmaWallet(path: folder.appendingPathComponent("wallet.sqlite").path, chainId: chain.chainId, network: chain.params.networkID)
        self.operatorClientOverride = operatorClient
    }

    private let operatorClientOverride: OperatorClient?

    static var quietLogger: Logger {
        var logger = Logger(label: "ember.test.plasma-watcher")
        logger.logLevel = .critical
        return logger
    }

    /// A watcher over the wallet (a new one resumes from the same file).
    func watcher(withholdLimit: UInt64 = 3) -> PlasmaWatcher {
        PlasmaWatcher(
            wallet: wallet, node: NodeAPIClient(transport: node),
            operatorClient: operatorClientOverride ?? OperatorClient(transport: operatorTransport, description: "scripted operator"),
            transactions: chain.transactions, ownerKey: CoinChainFixture.raw(owner),
            configuration: .init(finalityDepth: chain.params.layer2.finalityDepth, withholdLimit: withholdLimit), logger: Self.quietLogger,
            clock: { [nowMs = chain.builder.nowMs] in nowMs })
    }

    /// Adds a deposited coin to the wallet, as `ember plasma deposit` does.
    func hold(_ coin: PlasmaCoinTransactions.DepositedCoin, depositor: SigningKey = CoinChainFixture.alice) throws {
        try wallet.save(WalletCoin(
            coinId: coin.coinId, depositorKey: CoinChainFixture.raw(depositor), amount: coin.amount, firstBlock: coin.lock.firstBlock,
            exitWindow: coin.lock.exitWindow, firstInput: coin.firstInput, outputIndex: coin.outpoint.index, output: coin.outpoint, outputHeight: 0))
    }

    /// Mines empty blocks (so every commit so far is final) and shows the chain to the node.
    mutating func settle(blocks: UInt64? = nil) throws {
        try chain.advance(toNextHeight: chain.nextHeight + (blocks ?? chain.params.layer2.finalityDepth))
        node.update(chain.builder)
        operatorTransport.serve(chain.childBlocks)
    }

    /// Mines what the watcher submitted (every tier checks it) and shows the chain to the node.
    mutating func mineSubmitted() throws {
        for transaction in node.submitted { try chain.mine(transaction) }
        node.clearSubmitted()
        node.update(chain.builder)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
