/// The memory Merkle tree of DESIGN.md section 14: 2^27 leaves of 32 raw bytes, nodes
/// `H(0x01 ‖ l ‖ r)`, zero subtrees from `zeroSubtree`.
///
/// Each page is a subtree of height 7 whose root is cached in the page header; the 20 levels above
/// pages are sparse dictionaries. Bringing the root up to date rehashes only the pages written since
/// the last time and the paths above them.
extension PagedMemory {
    static let upperLevelBase = MachineLayout.pageTreeHeight + 1

    /// The memory root, after rehashing whatever was written since it was last computed.
    func updatedRoot() -> Digest32 {
        if !hashDirtyPages.isEmpty {
            hashDirtyPages.sort()
            for index in hashDirtyPages {
                guard let page = table[Int(index)] else { continue }
                Self.pageRoot(of: page).write(to: page + Self.rootOffset)
                page.storeBytes(of: 0, toByteOffset: Self.hashDirtyOffset, as: UInt8.self)
            }
            var indices = hashDirtyPages
            for level in Self.upperLevelBase...MachineLayout.treeDepth {
                var parents: [UInt32] = []
                parents.reserveCapacity(indices.count)
                for index in indices where parents.last != index >> 1 { parents.append(index >> 1) }
                for parent in parents {
                    let left = node(level: level - 1, index: parent << 1)
                    let right = node(level: level - 1, index: parent << 1 | 1)
                    let childZero = zeroSubtree[level - 1]
                    if left == childZero && right == childZero {
                        upperLevels[level - Self.upperLevelBase].removeValue(forKey: parent)
                    } else {
                        upperLevels[level - Self.upperLevelBase][parent] = merkleNode(left, right)
                    }
                }
                indices = parents
            }
            hashDirtyPages.removeAll(keepingCapacity: true)
        }
        return node(level: MachineLayout.treeDepth, index: 0)
    }

    /// A node at or above page level; only meaningful once `updatedRoot()` has run.
    func node(level: Int, index: UInt32) -> Digest32 {
        if level == MachineLayout.pageTreeHeight {
            guard let page = table[Int(index)] else { return zeroSubtree[level] }
            return Digest32(copying: page + Self.rootOffset)
        }
        return upperLevels[level - Self.upperLevelBase][index] ?? zeroSubtree[level]
    }

    /// The 27 siblings of a leaf, lowest first, in the tree as it stands after `updatedRoot()`.
    func siblings(ofLeaf leafIndex: UInt32) -> [Digest32] {
        var result: [Digest32] = []
        result.reserveCapacity(MachineLayout.treeDepth)
        let pageIndex = leafIndex >> UInt32(MachineLayout.pageTreeHeight)
        let leavesPerPage = 1 << MachineLayout.pageTreeHeight
        let localIndex = Int(leafIndex) & (leavesPerPage - 1)
        if let page = table[Int(pageIndex)] {
            var level = (0..<leavesPerPage).map { Digest32(copying: page + $0 * MachineLayout.leafSize) }
            for height in 0..<MachineLayout.pageTreeHeight {
                result.append(level[(localIndex >> height) ^ 1])
                level = (0..<level.count / 2).map { Self.combine(level[2 * $0], level[2 * $0 + 1], height: height) }
            }
        } else {
            result.append(contentsOf: zeroSubtree[0..<MachineLayout.pageTreeHeight])
        }
        for level in MachineLayout.pageTreeHeight..<MachineLayout.treeDepth {
            result.append(node(level: level, index: (leafIndex >> UInt32(level)) ^ 1))
        }
        return result
    }

    /// The 32 bytes of a leaf.
    func leafBytes(_ leafIndex: UInt32) -> [UInt8] {
        readBytes(leafIndex << MachineLayout.leafShift, count: MachineLayout.leafSize)
    }

    /// Combines two children of the given height, skipping the hash when both are zero subtrees.
    @inline(__always)
    static func combine(_ left: Digest32, _ right: Digest32, height: Int) -> Digest32 {
        if left == zeroSubtree[height] && right == zeroSubtree[height] { return zeroSubtree[height + 1] }
        return merkleNode(left, right)
    }

    /// The root of one page's subtree, hashing pairwise in place.
    static func pageRoot(of page: UnsafeMutableRawPointer) -> Digest32 {
        let leavesPerPage = 1 << MachineLayout.pageTreeHeight
        return withUnsafeTemporaryAllocation(of: Digest32.self, capacity: leavesPerPage / 2) { scratch in
            for pair in 0..<leavesPerPage / 2 {
                let left = Digest32(copying: page + 2 * pair * MachineLayout.leafSize)
                let right = Digest32(copying: page + (2 * pair + 1) * MachineLayout.leafSize)
                scratch[pair] = combine(left, right, height: 0)
            }
            var count = leavesPerPage / 2
            var height = 1
            while count > 1 {
                for pair in 0..<count / 2 {
                    scratch[pair] = combine(scratch[2 * pair], scratch[2 * pair + 1], height: height)
                }
                count /= 2
                height += 1
            }
            return scratch[0]
        }
    }
}

/// Folds a leaf up its path of siblings to the root it implies.
func merkleRoot(leaf: Digest32, index: UInt32, siblings: some Collection<Digest32>) -> Digest32 {
    var current = leaf
    var position = index
    for sibling in siblings {
        current = position & 1 == 0 ? merkleNode(current, sibling) : merkleNode(sibling, current)
        position >>= 1
    }
    return current
}
