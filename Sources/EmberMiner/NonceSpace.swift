import EmberCore

/// The share of the 24-byte nonce space one worker searches, so no two workers of a miner ever hash
/// the same header.
///
/// `high` is the worker's index; `middle` is an extra nonce that moves on when `low` cannot hold the
/// next batch; `low` counts. A fresh template starts again at middle 0, low 0: its header differs, so
/// nothing hashed before repeats.
struct NonceSpace: Hashable, Sendable {
    /// The worker's index: the `high` word of every nonce it tries.
    let worker: UInt64
    /// The extra nonce of the next batch.
    private(set) var middle: UInt64
    /// The `low` word of the next batch's first nonce.
    private(set) var nextLow: UInt64

    init(worker: UInt64, middle: UInt64 = 0, nextLow: UInt64 = 0) {
        self.worker = worker
        self.middle = middle
        self.nextLow = nextLow
    }

    /// Takes `count` consecutive nonces, all with one `middle`: returns that middle and the first low.
    mutating func reserve(_ count: Int) -> (middle: UInt64, firstLow: UInt64) {
        precondition(count > 0, "a batch holds at least one nonce")
        if nextLow > UInt64.max - UInt64(count - 1) {
            middle &+= 1
            nextLow = 0
        }
        let batch = (middle, nextLow)
        // Wraps to 0 only when the batch ended exactly at UInt64.max; the next reserve moves `middle`.
        nextLow &+= UInt64(count)
        if nextLow == 0 {
            middle &+= 1
        }
        return batch
    }

    /// The nonce in lane `lane` of a batch that `reserve` returned.
    func nonce(middle: UInt64, firstLow: UInt64, lane: Int) -> Nonce {
        Nonce(high: worker, middle: middle, low: firstLow + UInt64(lane))
    }
}
