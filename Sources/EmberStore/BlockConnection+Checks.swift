import EmberCore

// The consistency checks both implementations make before touching anything, so they fail alike.

extension BlockConnection {
    /// Throws unless the block is indexed with a stored body and is the tip's child at the next height.
    func checkExtends(tip: ChainTip?, entry: BlockIndexEntry?, hasBody: Bool) throws(StoreError) {
        guard let entry else { throw .unknownBlock(blockHash) }
        let expectedHeight = tip.map { $0.height + 1 } ?? 0
        let parentIsTip = tip.map { entry.header.parent == $0.hash } ?? true
        guard height == expectedHeight, entry.header.height == height, parentIsTip else {
            throw .notExtendingTip(block: blockHash, height: height, tip: tip)
        }
        guard hasBody else { throw .missingBody(blockHash) }
    }
}

extension BlockDisconnection {
    /// Throws unless the block disconnected is the tip.
    func checkIsTip(_ tip: ChainTip?) throws(StoreError) {
        guard let tip, tip.hash == blockHash, tip.height == height else {
            throw .notTip(block: blockHash, height: height, tip: tip)
        }
    }
}

extension BlockStatus {
    /// Throws when `self` holds flags only the store may set.
    func checkSettableByCaller() throws(StoreError) {
        let managed = intersection(.managedByStore)
        guard managed.isEmpty else { throw .storeManagedStatus(managed) }
    }
}
