import BigInt
import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Testing

/// Two branches from a common ancestor, switched back and forth; after every step the stored UTXO set
/// and its hash must equal a from-scratch rebuild from the stored blocks.
@Suite("Chain reorganisations")
struct ChainReorganisationTests {
    static let params = ChainBuilder.fastParams()

    static func identity(_ params: ConsensusParams) -> ChainIdentity {
        ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
    }

    static func makeChain() async throws -> Chain {
        try await Chain(params: params, store: InMemoryChainStore(identity: identity(params)))
    }

    /// Submits blocks in order; every one must be accepted somewhere (tip or side branch).
    static func submit(_ blocks: ArraySlice<Block>, to chain: Chain) async throws {
        for block in blocks {
            let outcome = try await chain.submit(block, nowMs: block.header.timestamp + 1_000)
            switch outcome {
            case .connected, .sideBranch: break
            default: Issue.record("block \(block.header.height) gave \(outcome)")
            }
        }
    }

    static func expectConsistent(_ chain: Chain, tip expected: Block, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let tip = await chain.tip
        #expect(tip.hash == expected.hash, sourceLocation: sourceLocation)
        let report = try ChainVerifier.verify(chain.store)
        #expect(report.differences == [], sourceLocation: sourceLocation)
        #expect(report.tip.hash == expected.hash, sourceLocation: sourceLocation)
        #expect(tip.utxoSetHash == report.recomputedHash, sourceLocation: sourceLocation)
    }

    @Test("10 shared blocks, then 5 against 20, switched back and forth")
    func backAndForth() async throws {
        var shared = ChainBuilder(params: Self.params)
        try shared.extend(by: 10)
        var left = shared
        try left.extend(by: 5)
        var right = shared
        right.minerKey = .devnet(index: 1)
        try right.extend(by: 20)

        let chain = try await Self.makeChain()
        try await Self.submit(left.blocks.dropFirst(), to: chain)
        try await Self.expectConsistent(chain, tip: left.tip)

        try await Self.submit(right.blocks.dropFirst(11), to: chain)
        try await Self.expectConsistent(chain, tip: right.tip)

        // The left branch comes back with more work.
        try left.extend(by: 16)
        try await Self.submit(left.blocks.dropFirst(16), to: chain)
        try await Self.expectConsistent(chain, tip: left.tip)

        // And the right one overtakes again.
        try right.extend(by: 2)
        try await Self.submit(right.blocks.dropFirst(31), to: chain)
        try await Self.expectConsistent(chain, tip: right.tip)
    }

    @Test("a reorg crosses a block spending an output created on the losing branch")
    func spendAcrossReorg() async throws {
        var shared = ChainBuilder(params: Self.params)
        try shared.extend(by: 10)
        var losing = shared
        let key = SigningKey.devnet(index: 2)
        let own = Lock.pubKeyHash(key.publicKey.publicKeyHash)
        let fee = Amount(units: 10_000_000_000 * 1_000)
        let first = losing.payment(from: losing.seedOutPoint(2), key: key, amount: Amount(coins: 5)!, fee: fee, to: own)
        try losing.append(losing.makeBlock([first]))
        let child = losing.payment(from: OutPoint(txid: first.txid, index: 0), key: key, amount: Amount(coins: 2)!, fee: fee, to: own)
        try losing.append(losing.makeBlock([child]))
        var winning = shared
        winning.minerKey = .devnet(index: 1)
        try winning.extend(by: 4)

        let chain = try await Self.makeChain()
        try await Self.submit(losing.blocks.dropFirst(), to: chain)
        try await Self.expectConsistent(chain, tip: losing.tip)
        #expect(try chain.store.utxo(at: OutPoint(txid: child.txid, index: 0)) != nil)

        try await Self.submit(winning.blocks.dropFirst(11), to: chain)
        try await Self.expectConsistent(chain, tip: winning.tip)
        #expect(try chain.store.utxo(at: OutPoint(txid: first.txid, index: 0)) == nil)
        #expect(try chain.store.utxo(at: OutPoint(txid: child.txid, index: 0)) == nil)
        #expect(try chain.store.utxo(at: losing.seedOutPoint(2)) != nil)
        #expect(try chain.store.transactionLocation(of: first.txid) == nil)

        try losing.extend(by: 3)
        try await Self.submit(losing.blocks.dropFirst(13), to: chain)
        try await Self.expectConsistent(chain, tip: losing.tip)
        #expect(try chain.store.utxo(at: OutPoint(txid: child.txid, index: 0)) != nil)
    }

    @Test("a heavier branch whose block fails to connect is tried, rolled back and marked; the honest tip stays")
    func invalidBlockInBranch() async throws {
        var shared = ChainBuilder(params: Self.params)
        try shared.extend(by: 3)
        var attacker = shared
        attacker.minerKey = .devnet(index: 1)
        try attacker.extend(by: 1)
        // The honest block wins the tie at height 4 (smaller hash), so the attacker's branch only
        // becomes the best once its next block adds work: then the reorganisation must be attempted.
        var honest = shared
        var stamp = shared.tip.header.timestamp + Self.params.blockTimeMs
        var honestBlock = honest.makeBlock(timestamp: stamp)
        while BigUInt(hash: honestBlock.hash) > BigUInt(hash: attacker.tip.hash) {
            stamp += 1
            honestBlock = honest.makeBlock(timestamp: stamp)
        }
        try honest.append(honestBlock)
        // A block whose header is fine but whose coinbase overpays: only the connect tier can tell.
        var bad = attacker.makeBlock()
        let paid = bad.transactions[0].outputs[0].amount
        bad.transactions[0].outputs[0].amount = Amount(units: paid.units + 1)
        bad = ChainBuilder.sealed(bad)

        let chain = try await Self.makeChain()
        try await Self.submit(honest.blocks.dropFirst(), to: chain)
        #expect(try await chain.submit(attacker.tip, nowMs: attacker.tip.header.timestamp) == .sideBranch)
        let events = await chain.subscribe()
        let outcome = try await chain.submit(bad, nowMs: bad.header.timestamp)
        #expect(outcome == .rejected(.coinbaseAmount(expected: paid, found: bad.transactions[0].outputs[0].amount)))
        // The honest block was disconnected for the attacker's branch, then connected again.
        var seen = [String]()
        for await event in events {
            switch event {
            case .blockConnected(let block, _): seen.append("+\(block.header.height) \(block.hash == honestBlock.hash ? "honest" : "attacker")")
            case .blockDisconnected(let block): seen.append("-\(block.header.height) \(block.hash == honestBlock.hash ? "honest" : "attacker")")
            case .tipChanged: break
            }
            if seen.count == 4 { break }
        }
        #expect(seen == ["-4 honest", "+4 attacker", "-4 attacker", "+4 honest"])
        #expect(await chain.isKnownInvalid(bad.hash))
        // A child of the bad block is invalid too, whatever its own contents.
        var child = bad
        child.header.parent = bad.hash
        child.header.height = bad.header.height + 1
        child.header.timestamp = bad.header.timestamp + 1_000
        child = ChainBuilder.mined(child)
        let childOutcome = try await chain.submit(child, nowMs: child.header.timestamp)
        #expect(childOutcome == .knownInvalid || { if case .rejected = childOutcome { return true }; return false }())
        try await Self.expectConsistent(chain, tip: honestBlock)
    }

    @Test("orphans wait for their parent, then connect in order")
    func orphans() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 6)
        let chain = try await Self.makeChain()
        for block in builder.blocks.dropFirst().reversed() {
            _ = try await chain.submit(block, nowMs: builder.nowMs)
        }
        try await Self.expectConsistent(chain, tip: builder.tip)
        #expect(await chain.orphanCount == 0)
    }

    @Test("chain events report connections, disconnections and the tip, in order")
    func events() async throws {
        var shared = ChainBuilder(params: Self.params)
        try shared.extend(by: 2)
        var left = shared
        try left.extend(by: 1)
        var right = shared
        right.minerKey = .devnet(index: 1)
        try right.extend(by: 2)
        let chain = try await Self.makeChain()
        let events = await chain.subscribe()
        try await Self.submit(left.blocks.dropFirst(), to: chain)
        try await Self.submit(right.blocks.dropFirst(3), to: chain)
        var log = [String]()
        for await event in events {
            switch event {
            case .blockConnected(let block, _): log.append("+\(block.header.height)")
            case .blockDisconnected(let block): log.append("-\(block.header.height)")
            case .tipChanged(let tip): log.append("tip \(tip.height)")
            }
            if log.last == "tip 4" { break }
        }
        // Right's block 3 ties with left's; the smaller hash wins the tie, so the switch happens at
        // height 3 or at height 4.
        let switchAtFour = ["+1", "tip 1", "+2", "tip 2", "+3", "tip 3", "-3", "+3", "+4", "tip 4"]
        let switchAtThree = ["+1", "tip 1", "+2", "tip 2", "+3", "tip 3", "-3", "+3", "tip 3", "+4", "tip 4"]
        let tieGoesRight = ChainRank(cumulativeWork: 1, tipHash: right.blocks[3].hash) > ChainRank(cumulativeWork: 1, tipHash: left.blocks[3].hash)
        #expect(log == (tieGoesRight ? switchAtThree : switchAtFour))
    }
}
