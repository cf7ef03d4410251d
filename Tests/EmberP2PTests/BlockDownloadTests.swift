import EmberCrypto
import Testing

@testable import EmberP2P

/// The download queue on its own: windows per peer, heights, stalls and peers leaving.
@Suite("peer network: block download")
struct BlockDownloadTests {
    /// Distinct hashes standing for blocks at heights 1…count, in height order.
    static func blocks(_ count: Int) -> [(hash: Hash32, height: UInt64)] {
        (1...count).map { height in (Hash32([UInt8](repeating: UInt8(height), count: 32))!, UInt64(height)) }
    }

    /// A download queuing `count` blocks, with peer 1 already given its window.
    static func started(queuing count: Int) -> (wanted: [(hash: Hash32, height: UInt64)], download: BlockDownload) {
        let wanted = blocks(count)
        var download = BlockDownload()
        download.enqueue(wanted)
        _ = download.assign(to: 1, peerHeight: 100, nowMs: 0)
        return (wanted, download)
    }

    @Test("each peer gets at most 16 blocks in height order, none above its own height")
    func windowsInHeightOrder() {
        let wanted = Self.blocks(40)
        var download = BlockDownload()
        download.enqueue(wanted)
        #expect(download.wantedCount == 40 && download.hasIndexedHeader(wanted[0].hash))
        let first = download.assign(to: 1, peerHeight: 100, nowMs: 0)
        #expect(first == wanted[0..<16].map(\.hash))
        let full = download.assign(to: 1, peerHeight: 100, nowMs: 0)
        #expect(full.isEmpty)
        let lower = download.assign(to: 2, peerHeight: 20, nowMs: 0)
        #expect(lower == wanted[16..<20].map(\.hash))
        #expect(download.inFlightCount(of: 1) == 16 && download.inFlightCount(of: 2) == 4 && download.inFlightCount == 20)
    }

    @Test("a block counts as requested only from the peer asked, and is no longer wanted once it arrives")
    func receivedFromWhom() {
        var (wanted, download) = Self.started(queuing: 2)
        let fromAsked = download.received(wanted[0].hash, from: 1)
        let fromOther = download.received(wanted[1].hash, from: 2)
        #expect(fromAsked && !fromOther)
        #expect(download.wantedCount == 0 && download.inFlightCount == 0 && !download.isWanted(wanted[1].hash))
    }

    @Test("requests that time out, or whose peer leaves, go to the next peer first")
    func stalledAndGoneGoBack() {
        var (wanted, download) = Self.started(queuing: 20)
        _ = download.assign(to: 2, peerHeight: 100, nowMs: 500)
        let stalled = download.takeStalled(nowMs: 1_000, timeoutMs: 1_000)
        #expect(stalled.count == 16 && stalled.allSatisfy { $0.peer == 1 })
        let retried = download.assign(to: 3, peerHeight: 100, nowMs: 1_000)
        #expect(retried == wanted[0..<16].map(\.hash))
        download.peerGone(2)
        let leftBehind = download.assign(to: 4, peerHeight: 100, nowMs: 1_000)
        #expect(leftBehind == wanted[16..<20].map(\.hash))
    }

    @Test("a block asked for on its announcement alone has no indexed header")
    func announcedBlocks() {
        let announced = Self.blocks(1)[0]
        var download = BlockDownload()
        download.request(announced.hash, height: announced.height, from: 1, nowMs: 0)
        #expect(download.isWanted(announced.hash) && !download.hasIndexedHeader(announced.hash))
        download.returnToQueue(announced.hash)
        let again = download.assign(to: 2, peerHeight: 10, nowMs: 0)
        #expect(again == [announced.hash])
    }
}
