import EmberChain
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@testable import EmberP2P

/// The received blocks' bookkeeping on its own: the pace it sets for the download, and the senders of
/// the blocks the chain holds for their parent.
@Suite("peer network: block intake")
struct BlockIntakeTests {
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

    @Test("the sender of a block the chain holds is remembered until the block follows its parent in, once")
    func remembersTheSender() {
        var intake = BlockIntake()
        let held = Blake3.hash([1]), other = Blake3.hash([2])
        intake.heldByChain(held, sender: 7)
        #expect(intake.isHeld(held) && !intake.isHeld(other))
        #expect(intake.takeSender(of: other) == nil)
        #expect(intake.takeSender(of: held) == 7)
        #expect(intake.takeSender(of: held) == nil && !intake.isHeld(held))
    }

    @Test("a block handed over twice answers to its latest sender and is remembered once")
    func latestSenderWins() {
        var intake = BlockIntake()
        let held = Blake3.hash([3])
        intake.heldByChain(held, sender: 1)
        intake.heldByChain(held, sender: 2)
        #expect(intake.rememberedCount == 1)
        #expect(intake.takeSender(of: held) == 2)
    }

    @Test("past the bound the oldest senders are forgotten first; held blocks never count against the download")
    func boundedOldestFirst() {
        var intake = BlockIntake()
        let hashes = (0..<(BlockIntake.maxRememberedSenders + 3)).map { Blake3.hash(Array("block \($0)".utf8)) }
        for (index, hash) in hashes.enumerated() { intake.heldByChain(hash, sender: PeerID(index)) }
        #expect(intake.rememberedCount == BlockIntake.maxRememberedSenders)
        #expect(hashes.prefix(3).allSatisfy { !intake.isHeld($0) })
        #expect(intake.takeSender(of: hashes[3]) == 3)
        #expect(intake.takeSender(of: hashes[hashes.count - 1]) == PeerID(hashes.count - 1))
        #expect(intake.isEmpty && intake.hasRoom)
    }
}
