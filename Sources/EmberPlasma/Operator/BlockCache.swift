import EmberCrypto
import Synchronization

/// The child blocks whose trees the operator keeps built, newest first out of the store, so proofs of
/// recent blocks (the ones clients ask for) cost no rebuild.
///
/// Bounded by the moves the cached blocks hold together (a built block keeps about 350 bytes per move:
/// the move, its key and leaf, and the branch nodes a proof lists), not by a number of blocks, since one
/// block may hold a hundred thousand moves and another one. The block added last always stays.
final class BlockCache: Sendable {
    private struct State {
        var blocks: [UInt64: ChildBlock] = [:]
        /// Block numbers, least recently used first.
        var order: [UInt64] = []
        var moves = 0
    }

    let maxMoves: Int
    private let state = Mutex(State())

    init(maxMoves: Int) {
        self.maxMoves = max(0, maxMoves)
    }

    func block(_ number: UInt64) -> ChildBlock? {
        state.withLock { state in
            guard let block = state.blocks[number] else { return nil }
            if let position = state.order.firstIndex(of: number) {
                state.order.remove(at: position)
                state.order.append(number)
            }
            return block
        }
    }

    func insert(_ block: ChildBlock) {
        state.withLock { state in
            if let old = state.blocks.updateValue(block, forKey: block.number) {
                state.moves -= old.transactions.count
                state.order.removeAll { $0 == block.number }
            }
            state.order.append(block.number)
            state.moves += block.transactions.count
            while state.moves > maxMoves, state.order.count > 1 {
                let evicted = state.order.removeFirst()
                state.moves -= state.blocks.removeValue(forKey: evicted)?.transactions.count ?? 0
            }
        }
    }
}
