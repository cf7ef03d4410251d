/// One page's contents and subtree root, frozen at a checkpoint.
final class PageImage: Sendable {
    let bytes: [UInt8]
    let root: Digest32

    init(bytes: [UInt8], root: Digest32) {
        self.bytes = bytes
        self.root = root
    }
}

/// Memory as it stood at a checkpoint. Consecutive snapshots share the images of pages that did not
/// change between them, so a snapshot costs only what was written since the previous one.
struct MemorySnapshot: Sendable {
    var pages: [UInt32: PageImage]
    var upperLevels: [[UInt32: Digest32]]
}

extension PagedMemory {
    /// Freezes the current memory (bringing the Merkle tree up to date first).
    func snapshot() -> MemorySnapshot {
        _ = updatedRoot()
        var pages: [UInt32: PageImage]
        let changed: [UInt32]
        if let lastSnapshot {
            pages = lastSnapshot.pages
            changed = snapshotDirtyPages
        } else {
            pages = [:]
            changed = allocatedPages
        }
        for index in changed {
            guard let page = table[Int(index)] else { continue }
            page.storeBytes(of: 0, toByteOffset: Self.snapshotDirtyOffset, as: UInt8.self)
            let bytes = [UInt8](UnsafeRawBufferPointer(start: page, count: Self.pageSize))
            pages[index] = PageImage(bytes: bytes, root: Digest32(copying: page + Self.rootOffset))
        }
        snapshotDirtyPages.removeAll(keepingCapacity: true)
        let snapshot = MemorySnapshot(pages: pages, upperLevels: upperLevels)
        lastSnapshot = snapshot
        return snapshot
    }

    /// A memory equal to the snapshot, with its Merkle tree already up to date.
    convenience init(restoring snapshot: MemorySnapshot) {
        self.init()
        for (index, image) in snapshot.pages {
            let page = allocatePage(index)
            image.bytes.withUnsafeBytes { page.copyMemory(from: $0.baseAddress!, byteCount: Self.pageSize) }
            image.root.write(to: page + Self.rootOffset)
        }
        upperLevels = snapshot.upperLevels
        lastSnapshot = snapshot
    }
}
