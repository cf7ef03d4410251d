import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

/// One block of the in-memory block index: the header, the chain work up to it and what is known.
struct IndexedBlock: Sendable {
    let hash: Hash32
    let header: BlockHeader
    let cumulativeWork: BigUInt
    var status: BlockStatus

    var height: UInt64 { header.height }
    var parent: Hash32 { header.parent }
    var rank: ChainRank { ChainRank(cumulativeWork: cumulativeWork, tipHash: hash) }

    init(hash: Hash32, header: BlockHeader, cumulativeWork: BigUInt, status: BlockStatus) {
        self.hash = hash
        self.header = header
        self.cumulativeWork = cumulativeWork
        self.status = status
    }

    init(_ entry: BlockIndexEntry) {
        self.init(
            hash: entry.hash, header: entry.header,
            cumulativeWork: entry.cumulativeWork.reduce(BigUInt(0)) { $0 << 8 | BigUInt($1) }, status: entry.status)
    }

    var storeEntry: BlockIndexEntry {
        BlockIndexEntry(
            hash: hash, header: header, cumulativeWork: cumulativeWork.bigEndianPadded(to: max(32, (cumulativeWork.bitWidth + 7) / 8)),
            status: status.subtracting(.managedByStore))
    }
}
