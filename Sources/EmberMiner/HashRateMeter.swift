import Synchronization

/// Counts the hashes of every worker and turns them into a rate over a sliding window.
///
/// Workers add their counts every thousand hashes or so; at most every `sampleInterval` one of them also
/// records a sample (time, total). The rate is the hashes since the oldest sample inside the window over
/// the time since that sample, so it follows a start or a stop within one window, and nobody needs to
/// poll the meter for the window to slide.
final class HashRateMeter: Sendable {
    /// Four samples a second keep the window's edge within 250 ms of `window`.
    static let sampleInterval = Duration.milliseconds(250)

    /// How far back `hashesPerSecond` looks.
    let window: Duration
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    private let total = Atomic<UInt64>(0)
    /// When the next sample is due, in nanoseconds since `origin`; claimed by compare-and-exchange so one
    /// worker takes each sample.
    private let nextSampleDue = Atomic<Int64>(0)
    private let samples: Mutex<[Sample]>

    private struct Sample {
        let nanoseconds: Int64
        let total: UInt64
    }

    init(window: Duration) {
        precondition(window > .zero, "a hash-rate window has a length")
        self.window = window
        origin = clock.now
        samples = Mutex([Sample(nanoseconds: 0, total: 0)])
    }

    /// Every hash counted so far.
    var totalHashes: UInt64 { total.load(ordering: .relaxed) }

    /// Counts `hashes` more; called by the workers.
    func add(_ hashes: UInt64) {
        let newTotal = total.wrappingAdd(hashes, ordering: .relaxed).newValue
        let now = nanosecondsSinceOrigin()
        let due = nextSampleDue.load(ordering: .relaxed)
        guard now >= due,
              nextSampleDue.compareExchange(
                expected: due, desired: now + Self.nanoseconds(Self.sampleInterval), ordering: .relaxed
              ).exchanged
        else { return }
        let windowStart = now - Self.nanoseconds(window)
        samples.withLock { samples in
            samples.append(Sample(nanoseconds: now, total: newTotal))
            samples.removeFirst(samples.firstIndex { $0.nanoseconds >= windowStart } ?? samples.count - 1)
        }
    }

    /// Hashes per second over about the last `window`.
    var hashesPerSecond: Double {
        let now = nanosecondsSinceOrigin()
        let totalNow = totalHashes
        let windowStart = now - Self.nanoseconds(window)
        // After a pause longer than the window no sample is inside it: the newest one then shows that
        // (almost) nothing was hashed since.
        let baseline = samples.withLock { samples in
            samples.first { $0.nanoseconds >= windowStart } ?? samples[samples.count - 1]
        }
        let elapsed = now - baseline.nanoseconds
        guard elapsed > 0 else { return 0 }
        return Double(totalNow &- baseline.total) * 1e9 / Double(elapsed)
    }

    private func nanosecondsSinceOrigin() -> Int64 {
        Self.nanoseconds(clock.now - origin)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
