import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@testable import EmberChain

/// Random streams of payments (some late, so their children come first as orphans; some double
/// spends), blocks mined from templates, reorganisations and expiry, against a small pool, with every
/// incremental figure recomputed from scratch after each step.
@Suite("Mempool bookkeeping under random operations")
struct MempoolInvariantTests {
    /// An output a generated payment may spend.
    struct Coin {
        let outpoint: OutPoint
        let amount: Amount
        let key: SigningKey
    }

    static let spenderKey = SigningKey.devnet(index: 7)

    /// What a stream did, to check that the streams exercise what they are for.
    struct Seen {
        var peak = 0, evicted = 0, adopted = 0, orphans = 0, rejected = 0, blocks = 0, reorganisations = 0
    }

    @Test("packages, links, spends and byte counts stay exact, and every template is a valid block")
    func bookkeepingStaysExact() throws {
        var seen = Seen()
        for seed in UInt64(1)...4 { try runStream(seed: seed, seen: &seen) }
        #expect(seen.peak >= 6 && seen.evicted > 0 && seen.adopted > 0 && seen.orphans > 0 && seen.rejected > 0, "\(seen)")
        #expect(seen.blocks > 0 && seen.reorganisations > 0, "\(seen)")
    }

    func runStream(seed: UInt64, seen: inout Seen) throws {
        var generator = SeededGenerator(seed: seed)
        let policy = MempoolPolicy(
            maxBytes: 2_000, expiryMs: 20_000, maxAncestors: 4, maxDescendants: 5, maxOrphanCount: 8, orphanExpiryMs: 5_000)
        var fixture = try MempoolFixture(policy: policy)
        var clock = fixture.nowMs
        var coins = (UInt32(1)...6).map { seed in
            let outpoint = fixture.chain.seedOutPoint(seed)
            return Coin(outpoint: outpoint, amount: fixture.chain.utxos.unspentOutput(at: outpoint)!.output.amount, key: .devnet(index: seed))
        }
        var pending = [Transaction]()
        var previous: (chain: ChainBuilder, block: Block)?

        for step in 0..<200 {
            clock += UInt64.random(in: 0...300, using: &generator)
            switch Int.random(in: 0..<100, using: &generator) {
            case 0..<45:
                // Mostly fresh coins; sometimes one already spent, for a conflict or a double spend.
                guard let payment = Self.payment(spending: &coins, reuse: Int.random(in: 0..<10, using: &generator) == 0, using: &generator) else { continue }
                pending.append(payment)
            case 45..<85:
                guard !pending.isEmpty else { continue }
                // Mostly in the order made; sometimes one made later, whose parent then comes after it.
                let late = Int.random(in: 0..<4, using: &generator) == 0
                let payment = pending.remove(at: late ? Int.random(in: pending.indices, using: &generator) : 0)
                switch try? fixture.pool.add(payment, view: fixture.chain.utxos, nowMs: clock) {
                case .accepted(_, _, let evicted, let adopted)?:
                    seen.evicted += evicted.count
                    seen.adopted += adopted.count
                case .orphan?: seen.orphans += 1
                case nil: seen.rejected += 1
                }
                seen.peak = max(seen.peak, fixture.pool.count)
            case 85..<91:
                seen.blocks += 1
                let selection = fixture.pool.selectTransactions(
                    maxWeight: Int.random(in: 300...2_000, using: &generator), maxCount: 8, blockTimestamp: fixture.chain.tip.header.timestamp + fixture.chain.params.blockTimeMs)
                let before = fixture.chain
                let block = fixture.chain.makeBlock(selection.transactions)
                let effects = try fixture.chain.append(block)
                #expect(effects.fees == selection.fees)
                previous = (before, block)
                fixture.pool.blockConnected(block, view: fixture.chain.utxos, nowMs: clock)
            case 91..<95:
                guard let (forkPoint, disconnected) = previous else { continue }
                seen.reorganisations += 1
                var branch = forkPoint
                let first = branch.makeBlock(timestamp: disconnected.header.timestamp + 1)
                try branch.append(first)
                let second = branch.makeBlock()
                try branch.append(second)
                fixture.pool.reorganised(disconnected: [disconnected], connected: [first, second], view: branch.utxos, nowMs: clock)
                fixture.chain = branch
                previous = nil
            default:
                fixture.pool.expire(nowMs: clock)
            }
            let problems = Self.problems(in: fixture.pool)
            #expect(problems.isEmpty, "seed \(seed), step \(step): \(problems)")
            guard problems.isEmpty else { return }
        }
        let everything = fixture.pool.selectTransactions(maxWeight: .max, maxCount: .max)
        #expect(everything.transactions.count == fixture.pool.count)
        try fixture.chain.append(fixture.chain.makeBlock(everything.transactions))
    }

    /// A signed payment of one or two coins to two outputs of the spender key; its outputs become coins.
    static func payment(spending coins: inout [Coin], reuse: Bool, using generator: inout SeededGenerator) -> Transaction? {
        guard !coins.isEmpty else { return nil }
        let count = min(coins.count, Int.random(in: 1...2, using: &generator))
        var spent = [Coin]()
        for _ in 0..<count {
            let index = Int.random(in: coins.indices, using: &generator)
            spent.append(reuse ? coins[index] : coins.remove(at: index))
            if coins.isEmpty { break }
        }
        var unique = [OutPoint: Coin]()
        for coin in spent { unique[coin.outpoint] = coin }
        let inputs = unique.values.sorted { $0.outpoint.txid < $1.outpoint.txid }
        let total = inputs.map(\.amount).checkedSum()!
        let fee = MempoolFixture.fee(UInt128.random(in: 1...20, using: &generator))
        let half = Amount(units: total.subtracting(fee)!.units / 2)
        guard half.units >= 10 * 1_000_000_000_000_000 else { return nil }
        let lock = Lock.pubKeyHash(spenderKey.publicKey.publicKeyHash)
        let outputs = [Output(amount: half, lock: lock), Output(amount: total.subtracting(fee)!.subtracting(half)!, lock: lock)]
        let unsigned = Transaction(
            inputs: inputs.map { Input(outpoint: $0.outpoint, unlock: .publicKey(RawPublicKey($0.key.publicKey.bytes)!)) },
            outputs: outputs, witnesses: [])
        let txid = unsigned.txid
        var signed = unsigned
        signed.witnesses = inputs.map { Witness(items: [try! $0.key.sign(txid: txid, network: .devnet).bytes]) }
        for (index, output) in outputs.enumerated() {
            coins.append(Coin(outpoint: OutPoint(txid: txid, index: UInt32(index)), amount: output.amount, key: spenderKey))
        }
        return signed
    }

    /// Every incremental figure of the pool that differs from its recomputation from scratch.
    static func problems(in pool: MempoolState) -> [String] {
        var problems = [String]()
        let entries = pool.entries
        let totalBytes = entries.values.reduce(0) { $0 + $1.size }
        if pool.bytes != totalBytes { problems.append("bytes \(pool.bytes), entries hold \(totalBytes)") }
        if pool.bytes > pool.policy.maxBytes { problems.append("bytes \(pool.bytes) above the limit") }
        let spends = entries.values.reduce(0) { $0 + $1.transaction.inputs.count }
        if pool.spentBy.count != spends { problems.append("spentBy has \(pool.spentBy.count) outpoints for \(spends) inputs") }
        let reads = entries.values.reduce(0) { $0 + $1.transaction.reads.count }
        let recorded = pool.readBy.values.reduce(0) { $0 + $1.count }
        if recorded != reads { problems.append("readBy records \(recorded) reads, entries make \(reads)") }
        if let both = pool.readBy.keys.first(where: { pool.spentBy[$0] != nil }) { problems.append("\(both) is both read and spent in the pool") }

        func closure(of txid: Hash32, along next: (MempoolEntry) -> Set<Hash32>) -> Set<Hash32> {
            var found: Set<Hash32> = [txid]
            var pending = [txid]
            while let current = pending.popLast() {
                for relative in entries[current].map(next) ?? [] where found.insert(relative).inserted { pending.append(relative) }
            }
            return found
        }
        func package(_ members: Set<Hash32>) -> MempoolEntry.Package {
            MempoolEntry.Package(
                count: members.count, size: members.reduce(0) { $0 + (entries[$1]?.size ?? 0) },
                weight: members.reduce(0) { $0 + (entries[$1]?.weight ?? 0) },
                fee: members.compactMap { entries[$0]?.fee }.checkedSum() ?? .zero)
        }
        for (txid, entry) in entries {
            let dependencies = entry.transaction.inputs.map(\.outpoint.txid) + entry.transaction.reads.map(\.txid)
            let parents = Set(dependencies.filter { entries[$0] != nil })
            if entry.parents != parents { problems.append("\(txid): parents \(entry.parents), inputs and reads say \(parents)") }
            let children = Set(entries.values.filter { $0.parents.contains(txid) }.map(\.txid))
            if entry.children != children { problems.append("\(txid): children \(entry.children), expected \(children)") }
            for input in entry.transaction.inputs where pool.spentBy[input.outpoint] != txid {
                problems.append("\(txid): spentBy does not name it for \(input.outpoint)")
            }
            guard parents.isSubset(of: entries.keys), children.isSubset(of: entries.keys) else { continue }
            let ancestors = closure(of: txid) { $0.parents }, descendants = closure(of: txid) { $0.children }
            if entry.ancestors != package(ancestors) { problems.append("\(txid): ancestors \(entry.ancestors), expected \(package(ancestors))") }
            if entry.descendants != package(descendants) { problems.append("\(txid): descendants \(entry.descendants), expected \(package(descendants))") }
            if ancestors.count > pool.policy.maxAncestors { problems.append("\(txid): \(ancestors.count) ancestors") }
            if descendants.count > pool.policy.maxDescendants { problems.append("\(txid): \(descendants.count) descendants") }
        }
        let orphanBytes = pool.orphans.orphans.values.reduce(0) { $0 + $1.digests.size }
        if pool.orphanBytes != orphanBytes { problems.append("orphan bytes \(pool.orphanBytes), orphans hold \(orphanBytes)") }
        if pool.orphanCount > pool.policy.maxOrphanCount { problems.append("\(pool.orphanCount) orphans") }
        return problems
    }
}
