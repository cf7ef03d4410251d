import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Testing

@testable import EmberChain

/// Which body failures make a block hash invalid for ever (docs/chain-and-node.md): once the body hashes
/// to the header's txRoot it is the body the hash commits to, so its failures are remembered; a body that
/// does not match says nothing about the block.
@Suite("chain: body failures and the invalid-block memory")
struct ChainInvalidBodyTests {
    static let params = ChainBuilder.fastParams()

    static func makeChain() async throws -> (Chain, InMemoryChainStore) {
        let identity = ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
        let store = InMemoryChainStore(identity: identity)
        return (try await Chain(params: params, store: store), store)
    }

    /// A chain holding a builder's two blocks on top of genesis.
    static func chainOnTwoBlocks() async throws -> (Chain, InMemoryChainStore, ChainBuilder) {
        var builder = ChainBuilder(params: params)
        try builder.extend(by: 2)
        let (chain, store) = try await makeChain()
        for block in builder.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: builder.nowMs) }
        return (chain, store, builder)
    }

    /// Submits `bad`, a child of the tip whose body matches its txRoot, and expects it refused for
    /// `expected` and remembered invalid, in memory and in the store, with the tip unchanged.
    static func expectRemembered(
        _ bad: Block, refusedFor expected: BlockRejection, chain: Chain, store: InMemoryChainStore, builder: ChainBuilder,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(try await chain.submit(bad, nowMs: builder.nowMs) == .rejected(expected), sourceLocation: sourceLocation)
        #expect(await chain.isKnownInvalid(bad.hash), sourceLocation: sourceLocation)
        #expect(try store.indexEntry(for: bad.hash)?.status.contains(.invalid) == true, sourceLocation: sourceLocation)
        #expect(try await chain.submit(bad, nowMs: builder.nowMs) == .knownInvalid, sourceLocation: sourceLocation)
        #expect(await chain.tip.hash == builder.tip.hash, sourceLocation: sourceLocation)
    }

    @Test("a body that matches its txRoot and fails tier 3 marks the hash invalid, in memory and in the store")
    func matchingBodyFailureIsRemembered() async throws {
        let (chain, store, builder) = try await Self.chainOnTwoBlocks()
        var bad = builder.makeBlock()
        let expected = bad.transactions[0].outputs[0].lockTime
        bad.transactions[0].outputs[0].lockTime += 1
        bad = ChainBuilder.sealed(bad)
        try await Self.expectRemembered(
            bad, refusedFor: .coinbaseLockTime(expected: expected, found: expected + 1), chain: chain, store: store, builder: builder)
    }

    @Test("a block on the tip that matches its txRoot and fails against the UTXO set (tier 4) is marked invalid too")
    func connectFailureIsRemembered() async throws {
        let (chain, store, builder) = try await Self.chainOnTwoBlocks()
        var bad = builder.makeBlock()
        let paid = bad.transactions[0].outputs[0].amount
        bad.transactions[0].outputs[0].amount = Amount(units: paid.units + 1)
        bad = ChainBuilder.sealed(bad)
        try await Self.expectRemembered(
            bad, refusedFor: .coinbaseAmount(expected: paid, found: Amount(units: paid.units + 1)), chain: chain, store: store,
            builder: builder)
    }

    @Test("a body that does not match its header's txRoot is refused but the hash is not remembered; the right body connects")
    func mismatchedBodyIsNotRemembered() async throws {
        let (chain, store, builder) = try await Self.chainOnTwoBlocks()
        let good = builder.makeBlock()
        var wrongBody = good
        wrongBody.transactions[0].outputs[0].lockTime += 1
        #expect(wrongBody.hash == good.hash)
        guard case .rejected(.merkleRootMismatch) = try await chain.submit(wrongBody, nowMs: builder.nowMs) else {
            Issue.record("a body that does not hash to the txRoot was not refused for it")
            return
        }
        #expect(await !chain.isKnownInvalid(good.hash))
        #expect(try store.indexEntry(for: good.hash)?.status.contains(.invalid) != true)
        #expect(try await chain.submit(good, nowMs: builder.nowMs) == .connected(tip: good.hash, height: 3))
    }
}
