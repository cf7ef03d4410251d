import EmberCrypto

/// Which blocks of the best header chain we still need, and who is fetching which: a queue in height
/// order, at most `maxInFlightPerPeer` requests per peer, and requests that time out go back to the
/// front of the queue for another peer.
struct BlockDownload: Sendable {
    static let maxInFlightPerPeer = 16

    struct Request: Sendable {
        let peer: PeerID
        let height: UInt64
        let sentMs: UInt64
    }

    /// Blocks wanted, by height; `head` is the first not yet handed out.
    private var pending: [(hash: Hash32, height: UInt64)] = []
    private var head = 0
    /// Timed-out or orphaned requests, handed out before `pending`.
    private var retry: [(hash: Hash32, height: UInt64)] = []
    /// Every block wanted and not yet received, in either list or in flight.
    private var wanted: [Hash32: UInt64] = [:]
    /// Wanted blocks whose headers the chain indexed (tiers 1 and 2 passed), as opposed to blocks
    /// requested on an announcement alone.
    private var indexedHeaders: Set<Hash32> = []
    private(set) var inFlight: [Hash32: Request] = [:]
    private var byPeer: [PeerID: Set<Hash32>] = [:]

    var wantedCount: Int { wanted.count }
    var inFlightCount: Int { inFlight.count }
    func inFlightCount(of peer: PeerID) -> Int { byPeer[peer]?.count ?? 0 }
    func isWanted(_ hash: Hash32) -> Bool { wanted[hash] != nil }
    /// Whether `hash` is wanted because the chain indexed its header.
    func hasIndexedHeader(_ hash: Hash32) -> Bool { indexedHeaders.contains(hash) }

    /// Adds blocks to fetch, in the order given (the order of the headers, so parents come first); the
    /// chain has indexed every one's header.
    mutating func enqueue(_ blocks: [(hash: Hash32, height: UInt64)]) {
        for block in blocks {
            indexedHeaders.insert(block.hash)
            guard wanted[block.hash] == nil else { continue }
            wanted[block.hash] = block.height
            pending.append(block)
        }
    }

    /// Hands `peer` the next blocks it can serve (at most its best height), filling its window.
    mutating func assign(to peer: PeerID, peerHeight: UInt64, nowMs: UInt64) -> [Hash32] {
        var room = Self.maxInFlightPerPeer - inFlightCount(of: peer)
        var assigned = [Hash32]()
        var skipped = [(hash: Hash32, height: UInt64)]()
        while room > 0, let next = retry.first {
            retry.removeFirst()
            guard wanted[next.hash] != nil, inFlight[next.hash] == nil else { continue }
            guard next.height <= peerHeight else { skipped.append(next); continue }
            request(next.hash, height: next.height, from: peer, nowMs: nowMs)
            assigned.append(next.hash)
            room -= 1
        }
        retry.insert(contentsOf: skipped, at: 0)
        while room > 0, head < pending.count {
            let next = pending[head]
            guard wanted[next.hash] != nil, inFlight[next.hash] == nil else { head += 1; continue }
            guard next.height <= peerHeight else { break }
            head += 1
            request(next.hash, height: next.height, from: peer, nowMs: nowMs)
            assigned.append(next.hash)
            room -= 1
        }
        if head > 1_024, head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
        return assigned
    }

    /// Records a request made outside the queue (a block announced by inventory).
    mutating func request(_ hash: Hash32, height: UInt64, from peer: PeerID, nowMs: UInt64) {
        wanted[hash] = height
        inFlight[hash] = Request(peer: peer, height: height, sentMs: nowMs)
        byPeer[peer, default: []].insert(hash)
    }

    /// A block arrived from `peer`: true when we had asked that peer for it.
    mutating func received(_ hash: Hash32, from peer: PeerID) -> Bool {
        let wasRequested = inFlight[hash]?.peer == peer
        forget(hash)
        return wasRequested
    }

    /// The block is no longer wanted (it arrived, from anyone, or was found invalid).
    mutating func forget(_ hash: Hash32) {
        wanted[hash] = nil
        indexedHeaders.remove(hash)
        if let request = inFlight.removeValue(forKey: hash) {
            byPeer[request.peer]?.remove(hash)
        }
    }

    /// Requests older than `timeoutMs`, taken back for another peer.
    mutating func takeStalled(nowMs: UInt64, timeoutMs: UInt64) -> [(hash: Hash32, peer: PeerID)] {
        let stalled = inFlight.filter { nowMs >= $0.value.sentMs + timeoutMs }
        for (hash, request) in stalled { giveBack(hash, request) }
        return stalled.map { ($0.key, $0.value.peer) }
    }

    /// The peer left: its requests go to others.
    mutating func peerGone(_ peer: PeerID) {
        for hash in byPeer.removeValue(forKey: peer) ?? [] {
            if let request = inFlight[hash] { giveBack(hash, request) }
        }
    }

    /// The peer does not have the block after all: another peer gets the request.
    mutating func returnToQueue(_ hash: Hash32) {
        if let request = inFlight[hash] { giveBack(hash, request) }
    }

    private mutating func giveBack(_ hash: Hash32, _ request: Request) {
        inFlight[hash] = nil
        byPeer[request.peer]?.remove(hash)
        retry.append((hash, request.height))
        retry.sort { $0.height < $1.height }
    }
}
