import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberPlasma
import EmberTestSupport
import Foundation
import Synchronization
import Testing

/// A node's REST API answered from `ChainBuilder` chains (every block checked by the consensus rules):
/// blocks by height and hash, outputs by lock and address from the active chain's UTXO set, and the
/// transactions a client submits, which `mine()` puts into the next block. Activating another chain
/// provokes a reorganisation.
final class ScriptedPlasmaNode: NodeAPITransport, Sendable {
    private struct State {
        var active = ChainBuilder()
        var known: [Hash32: Block] = [:]
        var submitted: [Transaction] = []
    }

    private let state = Mutex(State())

    func activate(_ builder: ChainBuilder) {
        state.withLock { state in
            state.active = builder
            for block in builder.blocks { state.known[block.hash] = block }
        }
    }

    var active: ChainBuilder { state.withLock { $0.active } }
    var submitted: [Transaction] { state.withLock { $0.submitted } }

    /// Mines the submitted transactions (each once, and only those still valid on the active chain, as a
    /// node's mempool would after a reorganisation) and `extra` empty blocks after them.
    func mine(extra: Int = 0) throws {
        var builder = active
        var seen = Set<Hash32>()
        var transactions = [Transaction]()
        for transaction in submitted where seen.insert(transaction.txid).inserted {
            if (try? builder.validate(builder.makeBlock(transactions + [transaction]))) != nil { transactions.append(transaction) }
        }
        try builder.append(builder.makeBlock(transactions))
        try builder.extend(by: extra)
        state.withLock { $0.submitted = [] }
        activate(builder)
    }

    func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
        let path = request.path
        if request.method == "POST" {
            let body = (try? JSONSerialization.jsonObject(with: request.body ?? Data())) as? [String: String]
            guard let hex = body?["hex"], let bytes = [UInt8](hexString: hex), let transaction = try? Transaction.decode(from: bytes, limit: 1 << 20) else {
                return Self.answer(400, #"{"error":"bad transaction"}"#)
            }
            state.withLock { $0.submitted.append(transaction) }
            return Self.answer(200, #"{"txid":"\#(transaction.txid.hex)"}"#)
        }
        let snapshot = state.withLock { $0 }
        let blocks = snapshot.active.blocks
        let network = snapshot.active.params.networkID
        if path == "/v1/info" {
            return Self.answer(200, #"{"networkID":\#(network.rawValue),"height":\#(blocks.count - 1),"tip":"\#(blocks.last!.hash.hex)"}"#)
        }
        if let rest = path.strip("/v1/blocks/height/") {
            guard let height = Int(rest), blocks.indices.contains(height) else { return Self.answer(404, #"{"error":"not found"}"#) }
            return Self.block(blocks[height], active: true)
        }
        if let rest = path.strip("/v1/blocks/") {
            guard let hash = Hash32(hex: rest), let block = snapshot.known[hash] else { return Self.answer(404, #"{"error":"not found"}"#) }
            return Self.block(block, active: blocks.indices.contains(Int(block.header.height)) && blocks[Int(block.header.height)].hash == hash)
        }
        let outputs = snapshot.active.utxos.outputs.filter { entry in
            if let lockHex = path.strip("/v1/locks/")?.replacingOccurrences(of: "/outputs", with: "") {
                return entry.value.output.lock.encoded.hexString == lockHex
            }
            guard let address = path.strip("/v1/addresses/")?.replacingOccurrences(of: "/outputs", with: ""),
                  case .pubKeyHash(let hash) = entry.value.output.lock
            else { return false }
            return Address(publicKeyHash: hash, network: network).description == address
        }
        let items = outputs.map { outpoint, unspent in
            #"{"txid":"\#(outpoint.txid.hex)","index":\#(outpoint.index),"amount":"\#(unspent.output.amount.units)","lockTime":\#(unspent.output.lockTime),"height":\#(unspent.height),"coinbase":\#(unspent.isCoinbase)}"#
        }
        return Self.answer(200, #"{"outputs":[\#(items.joined(separator: ","))]}"#)
    }

    private static func block(_ block: Block, active: Bool) -> NodeAPIResponse {
        answer(200, #"{"hash":"\#(block.hash.hex)","height":\#(block.header.height),"active":\#(active),"hex":"\#(block.encoded.hexString)"}"#)
    }

    private static func answer(_ status: Int, _ json: String) -> NodeAPIResponse {
        NodeAPIResponse(status: status, body: Data(json.utf8))
    }
}

extension String {
    /// The rest after `prefix`, or nil when the string does not start with it.
    fileprivate func strip(_ prefix: String) -> String? { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil }
}

/// The committer and the deposit watcher against a scripted node: commits one per layer-1 block, a
/// commit a reorganisation dropped is sent again, a restart resumes from layer 1; deposits count only
/// once final, and one a reorganisation replaced never counts.
@Suite("Plasma operator layer 1: committer and deposit watcher against a scripted chain", .serialized)
struct OperatorLayer1ChainTests {
    static let operatorKey = SigningKey.devnet(index: 5)
    static let window: UInt32 = 4

    struct Setup {
        let node = ScriptedPlasmaNode()
        let fixture = OperatorFixture()
        let registration: PlasmaOperatorTransactions.Registration
        let transactions: PlasmaOperatorTransactions
        let service: OperatorService
        /// The chain right after the register's block.
        let registered: ChainBuilder

        init() throws {
            var chain = ChainBuilder()
            try chain.extend(by: 1)
            transactions = PlasmaOperatorTransactions(params: chain.params, operatorKey: OperatorLayer1ChainTests.operatorKey)
            let lock = Lock.pubKeyHash(OperatorLayer1ChainTests.operatorKey.publicKey.publicKeyHash)
            let funding = chain.utxos.outputs.filter { $0.value.output.lock == lock }.map {
                WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, height: $0.value.height, isCoinbase: $0.value.isCoinbase)
            }
            registration = try transactions.register(
                bond: Amount(coins: 2)!, exitWindow: OperatorLayer1ChainTests.window,
                in: .init(height: chain.tip.header.height + 1, funding: funding, nowMs: chain.nowMs))
            try chain.append(chain.makeBlock([registration.built.transaction]))
            registered = chain
            node.activate(chain)
            let store = try OperatorStore(path: fixture.storePath, chainId: registration.chainId, network: chain.params.networkID)
            service = OperatorService(store: store, logger: OperatorFixture.quietLogger)
        }

        var client: NodeAPIClient { NodeAPIClient(transport: node) }

        func committer() -> PlasmaCommitter {
            PlasmaCommitter(
                service: service, transactions: transactions, client: client, exitWindow: OperatorLayer1ChainTests.window,
                logger: OperatorFixture.quietLogger, clock: { [node] in node.active.nowMs })
        }

        func seal(_ number: UInt64) throws {
            try service.store.storeSealed(try ChildBlock(number: number, transactions: []), sealedAt: Date())
        }

        func committedRoot(_ number: UInt64) -> Hash32? {
            node.active.utxos.outputs.values.compactMap { unspent -> Hash32? in
                guard case .plasmaBlock(let block) = unspent.output.lock, block.chainId == registration.chainId, block.number == number else { return nil }
                return block.root
            }.first
        }
    }

    @Test("sealed blocks are committed oldest first, one per layer-1 block, each after the previous one is mined")
    func commitsInOrder() async throws {
        let setup = try Setup()
        defer { setup.fixture.remove() }
        let committer = setup.committer()
        #expect(try await committer.step() == .idle(nextNumber: 1))
        for number in UInt64(1)...3 { try setup.seal(number) }
        guard case .sent(1, var txid) = try await committer.step() else {
            Issue.record("block 1 was not sent")
            return
        }
        for number in UInt64(1)...3 {
            // Until it is mined, the next one waits: it spends the output this one creates.
            #expect(try await committer.step() == .waiting(number: number))
            try setup.node.mine()
            #expect(setup.committedRoot(number) == (try setup.service.store.block(number))?.root)
            let next = try await committer.step()
            #expect(try setup.service.store.block(number)?.commitTxid == txid)
            if number == 3 {
                #expect(next == .idle(nextNumber: 4))
            } else if case .sent(number + 1, let sent) = next {
                txid = sent
            } else {
                Issue.record("block \(number + 1) was not sent: \(next)")
                return
            }
        }
        #expect(try setup.service.store.firstUncommittedBlock() == nil)
    }

    @Test("a commit a reorganisation drops is sent again, and its record is forgotten until it is mined again")
    func reorganisedCommitIsResent() async throws {
        let setup = try Setup()
        defer { setup.fixture.remove() }
        let committer = setup.committer()
        for number in UInt64(1)...2 { try setup.seal(number) }
        guard case .sent(1, let first) = try await committer.step() else {
            Issue.record("block 1 was not sent")
            return
        }
        try setup.node.mine()
        #expect(try await committer.step() == .sent(number: 2, txid: try #require(setup.node.submitted.last?.txid)))
        #expect(try setup.service.store.block(1)?.commitTxid == first)

        // A longer branch from the register's block, without the commit of block 1.
        var branch = setup.registered
        try branch.extend(by: 3)
        setup.node.activate(branch)
        guard case .sent(1, _) = try await committer.step() else {
            Issue.record("the dropped commit of block 1 was not sent again")
            return
        }
        #expect(try setup.service.store.block(1)?.commitTxid == nil)
        try setup.node.mine()
        guard case .sent(2, _) = try await committer.step() else {
            Issue.record("block 2 did not follow")
            return
        }
        #expect(try setup.service.store.block(1)?.commitTxid != nil)
    }

    @Test("a restarted committer resumes from layer 1: the block in flight is sent again as the same transaction, none is skipped")
    func restartResumes() async throws {
        let setup = try Setup()
        defer { setup.fixture.remove() }
        for number in UInt64(1)...2 { try setup.seal(number) }
        let before = setup.committer()
        _ = try await before.step()
        try setup.node.mine()
        guard case .sent(2, let inFlight) = try await before.step() else {
            Issue.record("block 2 was not sent")
            return
        }
        // A new committer (the process killed and started again) knows only the store and layer 1.
        let after = setup.committer()
        #expect(try await after.step() == .sent(number: 2, txid: inFlight))
        try setup.node.mine()
        _ = try await after.step()
        #expect(try setup.service.store.lastCommittedBlockNumber() == 2)
    }

    @Test("a deposit is registered once final; one a reorganisation replaced before then never is")
    func depositsCountOnceFinal() async throws {
        let setup = try Setup()
        defer { setup.fixture.remove() }
        let watcher = PlasmaDepositWatcher(
            service: setup.service, client: setup.client, exitWindow: Self.window, finalityDepth: 3, logger: OperatorFixture.quietLogger)
        func deposit(from index: UInt32, on chain: ChainBuilder) throws -> (Transaction, Hash32) {
            let key = SigningKey.devnet(index: index)
            let raw = RawPublicKey(key.publicKey.bytes)!
            let seed = chain.seedOutPoint(index)
            let amount = Amount(coins: 1)!
            let coinId = PlasmaCoinId.derive(chainId: setup.registration.chainId, firstInput: seed, outputIndex: 0, amount: amount, depositorKey: raw)
            let seedAmount = try #require(chain.utxos.unspentOutput(at: seed)).output.amount
            var transaction = Transaction(
                version: Transaction.version2, inputs: [Input(outpoint: seed, unlock: .publicKey(raw))], reads: [setup.registration.bondOutpoint],
                outputs: [
                    Output(amount: amount, lock: .plasmaCoin(PlasmaCoinLock(
                        chainId: setup.registration.chainId, coinId: coinId, depositorKey: raw, exitWindow: Self.window, firstBlock: 1))),
                    Output(amount: seedAmount.subtracting(Amount(coins: 2)!)!, lock: .pubKeyHash(key.publicKey.publicKeyHash)),
                ], blobs: [], witnesses: [])
            transaction.witnesses = [Witness(items: [try key.sign(txid: transaction.txid, network: chain.params.networkID).bytes])]
            return (transaction, coinId)
        }
        // Deposit A is mined, then replaced by a longer branch holding deposit B before it was final.
        let (depositA, coinA) = try deposit(from: 6, on: setup.registered)
        var chainA = setup.registered
        try chainA.append(chainA.makeBlock([depositA]))
        setup.node.activate(chainA)
        #expect(try await watcher.step() == 0)
        let (depositB, coinB) = try deposit(from: 7, on: setup.registered)
        var chainB = setup.registered
        try chainB.append(chainB.makeBlock([depositB]))
        try chainB.extend(by: 2)
        setup.node.activate(chainB)
        #expect(try await watcher.step() == 0)
        #expect(try setup.service.store.coin(coinB) == nil)
        try setup.node.mine()
        #expect(try await watcher.step() == 1)
        #expect(try setup.service.store.coin(coinB)?.firstBlock == 1)
        #expect(try setup.service.store.coin(coinA) == nil)
        // A watcher started again on the store goes on from its cursor and registers nothing twice.
        let restarted = PlasmaDepositWatcher(
            service: setup.service, client: setup.client, exitWindow: Self.window, finalityDepth: 3, logger: OperatorFixture.quietLogger)
        try setup.node.mine(extra: 3)
        #expect(try await restarted.step() == 0)
        #expect(try setup.service.store.layer1Cursor()?.height == UInt64(setup.node.active.blocks.count - 1 - 3))
    }

    @Test("a fraud proof that froze the bond freezes the store once final, and the committer stops")
    func fraudProofFreezes() async throws {
        let setup = try Setup()
        defer { setup.fixture.remove() }
        var chain = setup.registered
        let params = chain.params
        // The watcher runs from the start (it begins at the register's block, found by the open bond).
        let watcher = PlasmaDepositWatcher(
            service: setup.service, client: setup.client, exitWindow: Self.window, finalityDepth: 3, logger: OperatorFixture.quietLogger)
        try await watcher.step()
        func output(_ outpoint: OutPoint) throws -> PlasmaOperatorTransactions.ChainOutput {
            .init(outpoint: outpoint, unspent: try #require(chain.utxos.unspentOutput(at: outpoint)))
        }
        func funding(_ key: SigningKey) -> [WalletOutput] {
            let lock = Lock.pubKeyHash(key.publicKey.publicKeyHash)
            return chain.utxos.outputs.filter { $0.value.output.lock == lock }.map {
                WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, height: $0.value.height, isCoinbase: $0.value.isCoinbase)
            }
        }
        // A cheating operator commits an empty block 1, then a block 2 moving a coin from parent block 1.
        let orphan = try ChildTransaction(
            coinId: Blake3.hash(Array("never deposited".utf8)), parentBlock: 1, newOwnerKey: RawPublicKey(Self.operatorKey.publicKey.bytes)!,
            signedBy: .devnet(index: 6), network: params.networkID)
        let blocks = [try ChildBlock(number: 1, transactions: []), try ChildBlock(number: 2, transactions: [orphan])]
        var operatorOutpoint = setup.registration.operatorOutpoint
        var blockOutpoints = [OutPoint]()
        for block in blocks {
            let built = try setup.transactions.commit(
                root: block.root, operator: try output(operatorOutpoint), bond: try output(setup.registration.bondOutpoint),
                in: .init(height: chain.tip.header.height + 1, funding: funding(Self.operatorKey), nowMs: chain.nowMs))
            try chain.append(chain.makeBlock([built.transaction]))
            operatorOutpoint = OutPoint(txid: built.txid, index: 0)
            blockOutpoints.append(OutPoint(txid: built.txid, index: 1))
        }
        // Ground 1: the coin's leaf in the parent block is empty. Anyone submits it, paying the fee.
        let recipient = Blake3.hash(Array("prover".utf8))
        var frozenLock = setup.registration.bondLock
        frozenLock.state = .frozen
        let bond = try output(setup.registration.bondOutpoint)
        let proofs = blocks.map { $0.proof(for: orphan.coinId).proof.encoded }
        let fraud = try SponsoredTransactionBuilder(params: params, fundingKey: .devnet(index: 6)).build(
            CovenantTransactionRequest(
                covenantInputs: [CovenantSpendInput(
                    outpoint: bond.outpoint, spent: bond.unspent,
                    unlock: .plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.fraudProof.rawValue, firstOutput: 0, recipient: recipient)),
                    witness: Witness(items: [[1], orphan.encoded, [0, 0, 0, 0, 0, 0, 0, 2], proofs[1], proofs[0]]),
                    pinned: [
                        Output(amount: .zero, lock: .plasmaBond(frozenLock)),
                        Output(amount: Amount(units: bond.unspent.output.amount.units / 2), lock: .pubKeyHash(recipient)),
                    ])],
                reads: [
                    .init(outpoint: blockOutpoints[1], unspent: try #require(chain.utxos.unspentOutput(at: blockOutpoints[1]))),
                    .init(outpoint: blockOutpoints[0], unspent: try #require(chain.utxos.unspentOutput(at: blockOutpoints[0]))),
                ]),
            funding: funding(.devnet(index: 6)), height: chain.tip.header.height + 1, nowMs: chain.nowMs)
        try chain.append(chain.makeBlock([fraud.transaction]))
        setup.node.activate(chain)
        try await watcher.step()
        #expect(try !setup.service.store.isFrozen(), "frozen before the fraud proof was final")
        try setup.node.mine(extra: 2)
        try await watcher.step()
        #expect(try setup.service.store.isFrozen())
        #expect(try await setup.committer().step() == .stopped)
    }
}
