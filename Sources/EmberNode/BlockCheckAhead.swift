import EmberChain
import EmberConsensus
import EmberCore

/// The blocks of a blocks file with their tier-3 checks (signatures included) run ahead in tasks of
/// their own, one block per core, so while the chain actor connects one block, or writes a batch of
/// them, the next ones are being checked.
struct BlockCheckAhead {
    /// How many blocks may be read and being checked beyond the one handed out last. Enough to keep
    /// both cores busy while the chain actor writes a batch and SQLite's checkpoint waits for the
    /// disk (up to 0.2 s, as long as about five full blocks take to check); few enough that memory
    /// stays small.
    let depth: Int
    private let params: ConsensusParams
    private var reader: BlocksFileReader
    private var waiting: [Block]
    /// Checks under way, oldest block first.
    private var checking: [Task<CheckedBlock, Never>] = []
    private var readAll = false
    /// Why reading stopped before the end of the file; thrown once every block read before it is handed out.
    private var readError: BlocksFile.ReadError?

    /// - Parameter first: a block already read from `reader`, handed out first.
    init(reader: BlocksFileReader, first: Block?, params: ConsensusParams, depth: Int) {
        self.reader = reader
        self.params = params
        self.depth = max(1, depth)
        waiting = first.map { [$0] } ?? []
    }

    /// The next block of the file, checked; nil at its end. A read error is thrown only after every
    /// complete block before it has been handed out, so an importer keeps all of them.
    mutating func next() async throws(BlocksFile.ReadError) -> CheckedBlock? {
        readAhead()
        guard !checking.isEmpty else {
            if let readError { throw readError }
            return nil
        }
        return await checking.removeFirst().value
    }

    /// Reads blocks and starts their checks until `depth` are under way; a read error is kept for `next()`.
    mutating func readAhead() {
        while checking.count < depth {
            let block: Block
            if !waiting.isEmpty {
                block = waiting.removeFirst()
            } else if !readAll, let read = readNext() {
                block = read
            } else {
                readAll = true
                return
            }
            let params = params
            // One block per thread: the pool runs as many checks at once as there are cores, so every
            // core has a whole block's signatures to work through and none waits for another's last
            // piece. Below the importing task's priority, so the chain actor and the loop feeding it
            // are not queued behind checks of blocks it does not need yet.
            checking.append(Task(priority: .low) { CheckedBlock(block, params: params, signatures: .callingThread) })
        }
    }

    private mutating func readNext() -> Block? {
        do {
            return try reader.next()
        } catch {
            readError = error
            return nil
        }
    }
}
