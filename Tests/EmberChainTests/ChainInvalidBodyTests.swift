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

    @Test("a body that matches its txRoot and fails tier 3 marks the hash invalid, in memory and in the store")
    func matchingBodyFailureIsRemembered() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 2)
        let (chain, store) = try await Self.makeChain()
        for block in builder.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: builder.nowMs) }
        var bad = builder.makeBlock()
        bad.transactions[0].outputs[0].lockTime += 1
        bad = ChainBuilder.sealed(bad)
        guard case .rejected(.coinbaseLockTime) = try await chain.submit(bad, nowMs: builder.nowMs) else {
            Issue.record("the coinbase with a wrong lock time was not refused for it")
            return
        }
        #expect(await chain.isKnownInvalid(bad.hash))
        #expect(try store.indexEntry(for: bad.hash)?.status.contains(.invalid) == true)
        #expect(try await chain.submit(bad, nowMs: builder.nowMs) == .knownInvalid)
        #expect(await chain.tip.hash == builder.tip.hash)
    }

    @Test("a body that does not match its header's txRoot is refused but the hash is not remembered; the right body connects")
    func mismatchedBodyIsNotRemembered() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 2)
        let (chain, store) = try await Self.makeChain()
        for block in builder.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: builder.nowMs) }
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
