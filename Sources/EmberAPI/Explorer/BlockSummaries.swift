import EmberConsensus
import EmberCore
import Hummingbird

/// Reads consecutive active blocks for `GET /v1/blocks/height/{height}/summaries`: what the explorer
/// lists and charts, in one request instead of one per block.
enum BlockSummaries {
    /// The summaries of up to `count` active blocks from `height` down, newest first. Nil when no active
    /// block is at `height`. The walk follows parent links and stops at a break, so a reorganisation
    /// during the request shortens the answer rather than mixing two branches.
    static func read(from height: UInt64, count: Int, backend: any NodeBackend) async throws -> [BlockSummaryView]? {
        guard let newest = try await backend.block(height: height) else { return nil }
        var summaries = [try summary(of: newest, params: backend.params)]
        var expectedHash = newest.parent
        let lowest = height - min(height, UInt64(count - 1))
        var next = height
        while next > lowest {
            next -= 1
            guard let block = try await backend.block(height: next), block.hash == expectedHash else { break }
            summaries.append(try summary(of: block, params: backend.params))
            expectedHash = block.parent
        }
        return summaries
    }

    /// A block view's figures with what its target means under `params`.
    static func summary(of block: BlockView, params: ConsensusParams) throws -> BlockSummaryView {
        guard let bits = UInt32(block.target, radix: 16) else {
            throw APIError(.internalServerError, "internal error", detail: "block \(block.hash) has target \(block.target), not 8 hex digits")
        }
        let target = CompactTarget(bits: bits)
        let reward = try? params.reward(target: target, timestampMs: block.timestamp)
        let isPolw: Bool
        if case .polw = reward { isPolw = true } else { isPolw = false }
        return BlockSummaryView(
            height: block.height, hash: block.hash, parent: block.parent, timestamp: block.timestamp,
            transactionCount: block.transactions.count, size: block.size, reward: block.reward, burnt: block.burnt, target: block.target,
            difficulty: ((try? Work.weight(of: target)) ?? 0).description,
            hashRate: ((try? params.emission.timing.hashRate(of: target)) ?? 0).description, polw: isPolw)
    }
}
