import EmberChain
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@testable import EmberP2P

/// The received blocks' bookkeeping on its own: the pace it sets for the download and the blocks it
/// holds for their parent.
@Suite("peer network: block intake")
struct BlockIntakeTests {
    static let params = ChainBuilder.fastParams()

    /// `count` blocks in a line from genesis, unchecked: the intake never looks at their validity.
    static func line(_ count: Int) throws -> [CheckedBlock] {
        var builder = ChainBuilder(params: params)
        try builder.extend(by: count - 1)
        return builder.blocks.map { CheckedBlock(unchecked: $0, params: params) }
    }

    @Test("no more blocks are requested while 32 received ones wait for the chain")
    func pacesTheDownload() {
        var intake = BlockIntake()
        #expect(intake.hasRoom && intake.isEmpty)
        for _ in 0..<BlockIntake.maxAwaitingSubmission { intake.admit() }
        #expect(!intake.hasRoom && !intake.isEmpty)
        intake.release()
        #expect(intake.hasRoom && intake.awaitingSubmission == BlockIntake.maxAwaitingSubmission - 1)
        for _ in 1..<BlockIntake.maxAwaitingSubmission { intake.release() }
        #expect(intake.isEmpty)
    }

    @Test("a block waits while its parent downloads, and so does its own child; they come out with the parent")
    func holdsBlocksForTheirParent() throws {
        let blocks = try Self.line(3)
        var intake = BlockIntake()
        #expect(intake.shouldWait(forParent: blocks[1].block.header.parent, parentWanted: true))
        intake.wait(blocks[1])
        // The grandchild's parent is not wanted from the download: it waits here.
        #expect(intake.shouldWait(forParent: blocks[2].block.header.parent, parentWanted: false))
        intake.wait(blocks[2])
        #expect(intake.waitingCount == 2 && !intake.isEmpty)
        #expect(intake.takeChildren(of: blocks[0].hash).map(\.hash) == [blocks[1].hash])
        #expect(intake.takeChildren(of: blocks[1].hash).map(\.hash) == [blocks[2].hash])
        #expect(intake.takeChildren(of: blocks[1].hash).isEmpty)
        #expect(intake.waitingCount == 0 && intake.isEmpty)
    }

    @Test("a block whose parent nobody is fetching goes to the chain at once")
    func parentNotComing() throws {
        let blocks = try Self.line(2)
        let intake = BlockIntake()
        #expect(!intake.shouldWait(forParent: blocks[1].block.header.parent, parentWanted: false))
    }

    @Test("at 512 waiting blocks no more wait, and none is dropped")
    func boundedWithoutDropping() {
        let builder = ChainBuilder(params: Self.params)
        let parent = builder.tip
        var intake = BlockIntake()
        var siblings = [Hash32]()
        for offset in 0..<BlockIntake.maxWaitingBlocks {
            let sibling = builder.makeBlock(timestamp: parent.header.timestamp + 1 + UInt64(offset))
            #expect(intake.shouldWait(forParent: parent.hash, parentWanted: true))
            intake.wait(CheckedBlock(unchecked: sibling, params: Self.params))
            siblings.append(sibling.hash)
        }
        #expect(!intake.shouldWait(forParent: parent.hash, parentWanted: true))
        #expect(intake.takeChildren(of: parent.hash).map(\.hash) == siblings)
    }
}
