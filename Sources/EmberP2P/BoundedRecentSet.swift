/// A set that remembers only the last `capacity` insertions: what a peer already knows, or which
/// transactions were recently rejected, without growing for ever.
struct BoundedRecentSet<Element: Hashable & Sendable>: Sendable {
    let capacity: Int
    private var members: Set<Element> = []
    private var order: [Element] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    func contains(_ element: Element) -> Bool { members.contains(element) }

    mutating func insert(_ element: Element) {
        guard members.insert(element).inserted else { return }
        order.append(element)
        if members.count > capacity {
            members.remove(order[head])
            head += 1
            if head * 2 > order.count {
                order.removeFirst(head)
                head = 0
            }
        }
    }
}
