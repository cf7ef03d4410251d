import EmberCore
import EmberCrypto

/// A fraud proof (mode 8, docs/plasma.md): a child transaction T included in block n that no honest
/// operator includes, on one of five grounds. Items: `ground u8, T, n, proofT`, then the ground's.
struct PlasmaFraudProof {
    enum Ground: UInt8 {
        /// T spends an entry that does not exist: the coin's leaf in T's parent block is empty.
        case emptyParent = 1
        /// T is not signed by the new owner of the transaction at its parent leaf.
        case badSignature = 2
        /// The coin has a non-empty leaf strictly between T's parent block and n: T spends a stale entry.
        case inclusionBetween = 3
        /// T names a parent at or after its own block.
        case parentNotEarlier = 4
        /// T is a first move not signed by the depositor, whose key the coinId binds.
        case forgedFirstMove = 5
    }

    let ground: Ground
    let move: ChildTransaction
    let block: UInt64
    let moveProof: SparseMerkleTree.Proof
    let bond: PlasmaBondLock
    let items: [[UInt8]]

    /// Sizes, decodings and the ground's block and field conditions, before any hashing.
    init(items: [[UInt8]], bond: PlasmaBondLock, checks: PlasmaChecks) throws(CovenantRejection) {
        guard items.count >= 4 else { throw checks.broken("witness", "a fraud proof takes at least 4 witness items, found \(items.count)") }
        guard items[0].count == 1, let ground = Ground(rawValue: items[0][0]) else {
            throw checks.broken("witness", "the fraud ground is one byte, 1 to 5")
        }
        let extra: Int = switch ground {
        case .emptyParent: 1
        case .badSignature: 2
        case .inclusionBetween: 3
        case .parentNotEarlier: 0
        case .forgedFirstMove: 1
        }
        try checks.requireItemCount(items, [4 + extra], mode: "fraud proof ground \(ground.rawValue)")
        self.ground = ground
        self.move = try checks.childTransaction(items[1], "T")
        self.block = try checks.blockNumber(items[2], "n")
        self.moveProof = try checks.proof(items[3], "T's proof")
        self.bond = bond
        self.items = items
        let parent = move.parentBlock
        switch ground {
        case .emptyParent, .badSignature:
            guard parent >= 1, parent < block else { throw checks.broken("fraudProof", "ground \(ground.rawValue) needs 1 ≤ parent block \(parent) < n = \(block)") }
        case .inclusionBetween:
            let between = try checks.blockNumber(items[5], "m")
            guard parent < between, between < block else {
                throw checks.broken("fraudProof", "ground 3 needs parent block \(parent) < m = \(between) < n = \(block)")
            }
        case .parentNotEarlier:
            guard parent >= block else { throw checks.broken("fraudProof", "T's parent block \(parent) is before its block \(block)") }
        case .forgedFirstMove:
            guard parent == 0 else { throw checks.broken("fraudProof", "ground 5 is about a first move, parent block 0") }
            guard (67...93).contains(items[4].count) else {
                throw checks.broken("witness", "the coin preimage is 67 to 93 bytes, found \(items[4].count)")
            }
        }
    }

    /// T's inclusion, then the ground's read and proof, then its signature condition, last.
    func verify(checks: inout PlasmaChecks) throws(CovenantRejection) {
        let chainId = bond.chainId
        try checks.requireIncluded(move, proof: moveProof, chainId: chainId, number: block, what: "T")
        let parent = move.parentBlock
        switch ground {
        case .emptyParent:
            let proof = try checks.proof(items[4], "the parent block's proof")
            try checks.requireHolds(proof, coinId: move.coinId, leaf: SparseMerkleTree.emptyLeaf, chainId: chainId, number: parent, what: "the empty parent leaf")
        case .badSignature:
            let parentTx = try checks.childTransaction(items[4], "P")
            guard parentTx.coinId == move.coinId else { throw checks.broken("fraudProof", "P moves another coin") }
            let proof = try checks.proof(items[5], "P's proof")
            try checks.requireIncluded(parentTx, proof: proof, chainId: chainId, number: parent, what: "P")
            guard !move.isSigned(by: parentTx.newOwnerKey, network: checks.network) else {
                throw checks.broken("fraudProof", "T is signed by P's new owner: not fraud")
            }
        case .inclusionBetween:
            let leaf = try checks.hash32(items[4], "leafU")
            guard leaf != SparseMerkleTree.emptyLeaf else { throw checks.broken("fraudProof", "leafU is the empty leaf: not fraud") }
            let between = try checks.blockNumber(items[5], "m")
            let proof = try checks.proof(items[6], "leafU's proof")
            try checks.requireHolds(proof, coinId: move.coinId, leaf: leaf, chainId: chainId, number: between, what: "leafU")
        case .parentNotEarlier:
            break
        case .forgedFirstMove:
            var writer = ByteWriter()
            writer.writeRawBytes(PlasmaCoinId.domainTag)
            writer.writeHash(chainId)
            writer.writeRawBytes(items[4])
            guard Blake3.hash(writer.bytes) == move.coinId, let depositor = RawPublicKey(items[4].suffix(RawPublicKey.byteCount)) else {
                throw checks.broken("fraudProof", "the coin preimage does not make T's coinId")
            }
            guard !move.isSigned(by: depositor, network: checks.network) else {
                throw checks.broken("fraudProof", "T is signed by the depositor: not fraud")
            }
        }
    }
}
