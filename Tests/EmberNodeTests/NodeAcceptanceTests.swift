import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Foundation
import Logging
import Testing
@testable import EmberNode

/// A transaction from the API takes the path one from a peer takes (`PeerNetwork.accept`), and a store
/// that cannot be read is an error, not a missing input.
@Suite("node: one acceptance path")
struct NodeAcceptanceTests {
    static let fee = Amount(units: 10_000_000_000_000_000)

    /// A payment from devnet account 1 to itself, and a child spending its first output onwards.
    static func parentAndChild(params: ConsensusParams) -> (parent: Transaction, child: Transaction) {
        let builder = ChainBuilder(params: params)
        let key = SigningKey.devnet(index: 1)
        let parent = builder.payment(
            from: builder.seedOutPoint(1), key: key, amount: Amount(coins: 10)!, fee: fee, to: .pubKeyHash(key.publicKey.publicKeyHash))
        let child = builder.spend(
            [(OutPoint(txid: parent.txid, index: 0), key)],
            to: [Output(amount: Amount(units: Amount(coins: 10)!.units - fee.units), lock: .pubKeyHash(SigningKey.devnet(index: 2).publicKey.publicKeyHash))])
        return (parent, child)
    }

    static func eventually(seconds: Double = 60, _ condition: () async -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return await condition()
    }

    @Test("through the API an orphan waits unannounced; its parent arrives and a peer hears of both")
    func apiAnnouncesAdoptedOrphans() async throws {
        let (folderA, folderB) = (NodeStoreFailureTests.temporaryFolder(), NodeStoreFailureTests.temporaryFolder())
        defer {
            try? FileManager.default.removeItem(at: folderA)
            try? FileManager.default.removeItem(at: folderB)
        }
        let portB = try PortAllocator.freePort()
        var configurationB = NodeStoreFailureTests.configuration(folder: folderB)
        configurationB.p2p = PeerNetworkSettings(port: portB)
        var configurationA = NodeStoreFailureTests.configuration(folder: folderA)
        configurationA.p2p = PeerNetworkSettings(port: try PortAllocator.freePort(), peers: ["127.0.0.1:\(portB)"])
        let nodeB = try await Node(configuration: configurationB, logger: Logger(label: "test")) { _ in }
        let runningB = Task { try await nodeB.run() }
        // A dials B once B listens, so the first dial does not meet a closed port and wait for a retry.
        // Generous: at the start of a full test run every suite starts at once on two cores.
        #expect(try await Self.eventually(seconds: 240) { !PortAllocator.isFree(portB) })
        let nodeA = try await Node(configuration: configurationA, logger: Logger(label: "test")) { _ in }
        let runningA = Task { try await nodeA.run() }
        defer {
            runningA.cancel()
            runningB.cancel()
        }
        let networkA = try #require(nodeA.network)
        // A loaded 2-core run once took over 60 s here while a load test of another suite ran beside it.
        #expect(try await Self.eventually(seconds: 180) { await networkA.snapshot().contains { $0.handshakeComplete } })

        let (parent, child) = Self.parentAndChild(params: nodeA.folder.params)
        guard case .orphan = try await nodeA.accept(child) else {
            Issue.record("the child should wait for its parent")
            return
        }
        guard case .accepted(_, _, _, let adopted) = try await nodeA.accept(parent) else {
            Issue.record("the parent should enter the pool")
            return
        }
        #expect(adopted == [child.txid])
        let relayed = try await Self.eventually(seconds: 180) {
            let (childThere, parentThere) = (await nodeB.mempool.entry(child.txid), await nodeB.mempool.entry(parent.txid))
            return childThere != nil && parentThere != nil
        }
        #expect(relayed)
    }

    @Test("a UTXO read that fails is a store error; nothing is parked among the orphans")
    func storeErrorIsAnError() async throws {
        let folder = NodeStoreFailureTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try await Node(
            configuration: NodeStoreFailureTests.configuration(folder: folder), logger: Logger(label: "test"), report: { _ in },
            wrapStore: { FailingChainStore(base: $0, failingFromHeight: .max, failingUTXOReads: true) })
        let (parent, _) = Self.parentAndChild(params: node.folder.params)
        let error = await #expect(throws: TransactionAcceptanceError.self) { try await node.accept(parent) }
        guard case .store(let storeError) = error else {
            Issue.record("expected a store error, got \(String(describing: error))")
            return
        }
        #expect(storeError == FailingChainStore.injected)
        #expect(await node.mempool.count == 0)
        #expect(await node.mempool.orphanCount == 0)
    }
}
