import EmberConsensus
import EmberCore
import EmberCrypto
@testable import EmberMiner
import EmberTestSupport
import Testing

/// Workers of one miner never hash the same header: each lane of each batch holds the template's
/// header with a nonce no other lane, batch or worker has.
@Suite("Nonce spaces")
struct NonceSpaceTests {
    @Test("batches follow each other; a batch that does not fit the low word moves to the next middle word")
    func reserve() {
        var space = NonceSpace(worker: 3)
        #expect(space.reserve(64) == (0, 0))
        #expect(space.reserve(64) == (0, 64))

        var nearEnd = NonceSpace(worker: 3, middle: 7, nextLow: UInt64.max - 62)
        #expect(nearEnd.reserve(64) == (8, 0))

        var exactEnd = NonceSpace(worker: 3, middle: 7, nextLow: UInt64.max - 63)
        #expect(exactEnd.reserve(64) == (7, UInt64.max - 63))
        #expect(exactEnd.reserve(64) == (8, 0))
    }

    /// Every nonce in the lanes of `batches` batches of `search`, after checking that each lane holds the
    /// template's header apart from the nonce.
    static func laneNonces(_ search: NonceSearch, batches: Int, header: [UInt8]) throws -> [Nonce] {
        var nonces = [Nonce]()
        for _ in 0..<batches {
            let (middle, firstLow) = search.fillNextBatch()
            for lane in 0..<search.batchSize {
                let bytes = search.headerBytes(lane: lane)
                #expect(bytes[Nonce.byteCount...] == header[Nonce.byteCount...])
                let nonce = try #require(Nonce(bytes[..<Nonce.byteCount]))
                #expect(nonce == search.space.nonce(middle: middle, firstLow: firstLow, lane: lane))
                nonces.append(nonce)
            }
        }
        return nonces
    }

    @Test("two workers' lanes hold disjoint nonces, across a wrap of the low word too")
    func disjointWorkers() throws {
        let template = try ChainBuilder().template()
        let header = template.header.encoded
        let target = MiningTarget(template.header.target)
        var seen = Set<Nonce>()
        var total = 0
        for worker in 0..<2 {
            for start in [NonceSpace(worker: UInt64(worker)), NonceSpace(worker: UInt64(worker), middle: 0, nextLow: UInt64.max - 100)] {
                let search = NonceSearch(worker: worker, batchSize: 64, kernel: .scalar)
                search.load(header: header, target: target, space: start)
                let nonces = try Self.laneNonces(search, batches: 4, header: header)
                #expect(nonces.allSatisfy { $0.high == UInt64(worker) })
                seen.formUnion(nonces)
                total += nonces.count
            }
        }
        #expect(seen.count == total)
    }

    @Test("a batch's solution is a nonce whose header meets the target")
    func solution() throws {
        let template = try ChainBuilder().template()
        let search = NonceSearch(worker: 1)
        search.load(header: template.header.encoded, target: MiningTarget(template.header.target))
        // z = 1: about half of all digests meet the target, so the first batch of 64 has one.
        let nonce = try #require(search.hashNextBatch())
        #expect(nonce.high == 1)
        let block = template.block(nonce: nonce)
        #expect(MiningTarget(block.header.target).isMet(by: block.hash))
        _ = try ChainBuilder().validate(block)
    }
}
