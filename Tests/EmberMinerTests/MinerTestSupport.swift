import EmberConsensus
import EmberCore
import EmberCrypto
import EmberMiner
import EmberTestSupport
import Testing

extension ChainBuilder {
    /// The template of the next block on the tip, paying the miner key (or `key`), with its spendable
    /// outputs taken from the builder's UTXO set; stamped one block time after the tip by default.
    func template(
        transactions: [Transaction] = [], fees: Amount = .zero, key: SigningKey? = nil, nowMs: UInt64? = nil
    ) throws(TemplateError) -> BlockTemplate {
        let key = key ?? minerKey
        return try TemplateBuilder(params: params).makeTemplate(
            parent: tipContext, parentHash: tip.hash, nowMs: nowMs ?? tip.header.timestamp + params.blockTimeMs,
            transactions: transactions, fees: fees, payTo: .pubKeyHash(key.publicKey.publicKeyHash), minerKey: key,
            spendable: utxos.outputs.map { ($0.key, $0.value) })
    }
}

extension BlockTemplate {
    /// The same template with a target no hash meets (value 1), so a miner on it hashes until told otherwise.
    var unreachable: BlockTemplate {
        var header = header
        header.target = CompactTarget(bits: 0x0101_0000)
        return BlockTemplate(header: header, transactions: transactions, reward: reward, fees: fees)
    }

    /// Whether `block` is this template with some nonce.
    func produced(_ block: Block) -> Bool {
        var header = block.header
        header.nonce = .zero
        return header == self.header && block.transactions == transactions
    }
}

/// Blocks from `miner` until `isLast` accepts one (that one included); fails the test after `limit`.
func blocks(
    from miner: Miner, within limit: Duration = .seconds(60), until isLast: @escaping @Sendable (Block) -> Bool = { _ in true },
    sourceLocation: SourceLocation = #_sourceLocation
) async throws -> [Block] {
    let stream = miner.blocks
    let found = try await withThrowingTaskGroup(of: [Block]?.self) { group in
        group.addTask {
            var found = [Block]()
            for await block in stream {
                found.append(block)
                if isLast(block) { return found }
            }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
    return try #require(found, "the miner gave no such block within \(limit)", sourceLocation: sourceLocation)
}

/// Waits until `condition` holds, polling; fails the test after `limit`.
func waitUntil(
    _ what: Comment, within limit: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: limit)
    while !condition() {
        guard clock.now < deadline else {
            Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
