import EmberCore
import EmberCrypto

/// The pool's entries by the fee rate of their descendant packages, lowest first: the order in which
/// a full pool evicts.
///
/// A binary min-heap with lazy deletion: when an entry's package changes the caller pushes it again,
/// and an item whose snapshot no longer matches its entry is dropped when it reaches the top.
/// The caller compacts the queue when stale items outnumber live ones.
struct MempoolEvictionQueue: Sendable {
    struct Item: Sendable {
        let txid: Hash32
        /// The entry's descendant package when pushed.
        let package: MempoolEntry.Package

        var feeRate: FeeRate { package.feeRate }

        /// Lower fee rate first; equal rates by txid, so the order never depends on history.
        func precedes(_ other: Item) -> Bool {
            let (mine, theirs) = (feeRate, other.feeRate)
            return mine != theirs ? mine < theirs : txid < other.txid
        }
    }

    private(set) var items: [Item] = []

    var count: Int { items.count }

    mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> Item? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left].precedes(items[smallest]) { smallest = left }
            if right < items.count, items[right].precedes(items[smallest]) { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    /// A queue holding exactly `items`, each live.
    init(_ items: [Item] = []) {
        for item in items { push(item) }
    }
}
