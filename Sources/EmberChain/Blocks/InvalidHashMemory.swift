import EmberCrypto

/// Hashes of headers found invalid that never reach the store, held in memory and bounded: junk
/// headers cost an attacker nothing to make, so remembering them must cost us nothing lasting. The
/// oldest are forgotten first; forgetting one only means checking it again (one hash for tier 1).
struct InvalidHashMemory: Sendable {
    /// Bounds the memory: a few thousand hashes (about 300 KiB with the set), so a flood of junk
    /// headers cannot grow it.
    static let defaultCapacity = 4_096

    let capacity: Int
    private var members: Set<Hash32> = []
    /// A ring of the members in arrival order; `next` is where the next one goes.
    private var ring: [Hash32] = []
    private var next = 0

    init(capacity: Int = Self.defaultCapacity) {
        precondition(capacity > 0, "an invalid-hash memory needs room for at least one hash")
        self.capacity = capacity
    }

    var count: Int { members.count }

    func contains(_ hash: Hash32) -> Bool { members.contains(hash) }

    /// Remembers `hash`, forgetting the oldest one when full.
    mutating func insert(_ hash: Hash32) {
        guard members.insert(hash).inserted else { return }
        if ring.count < capacity {
            ring.append(hash)
        } else {
            members.remove(ring[next])
            ring[next] = hash
            next = (next + 1) % capacity
        }
    }
}
