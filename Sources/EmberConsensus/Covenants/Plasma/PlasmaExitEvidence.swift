import EmberCore
import EmberCrypto

/// The evidence of an exit (docs/plasma.md, E1–E4), shared by exit (mode 1) and preempt (mode 10): the
/// new exit's fields must follow from the witness, which holds nothing for a coin never moved, the exit
/// transaction and its proof for a first move, and the parent transaction and its proof as well after.
struct PlasmaExitEvidence {
    let exitTx: ChildTransaction?
    let exitProof: SparseMerkleTree.Proof?
    let parentTx: ChildTransaction?
    let parentProof: SparseMerkleTree.Proof?
    /// The key that must have signed the exit transaction: the depositor's, or the parent's new owner.
    let parentOwner: RawPublicKey?

    /// E1 and E2: sizes, decodings and field equalities, before any hashing.
    init(items: [[UInt8]], coin: PlasmaCoinLock, exit: PlasmaExitLock, checks: PlasmaChecks) throws(CovenantRejection) {
        try checks.requireItemCount(items, [0, 2, 4], mode: "an exit's evidence")
        let zero = Hash32.zero
        guard exit.exitBlock >= 1 else {
            // E1: never moved.
            guard items.isEmpty, exit.parentBlock == 0, exit.exitTxHash == zero, exit.parentOwnerKey.bytes == zero.bytes,
                  exit.ownerKey == coin.depositorKey
            else {
                throw checks.broken(
                    "exit", "an exit from block 0 is the deposit's: no evidence, parent 0, zero hash and parent key, the depositor as owner")
            }
            (exitTx, exitProof, parentTx, parentProof, parentOwner) = (nil, nil, nil, nil, nil)
            return
        }
        // E2: moved.
        guard exit.exitBlock >= coin.firstBlock else {
            throw checks.broken("exit", "exit block \(exit.exitBlock) is below the coin's first block \(coin.firstBlock)")
        }
        guard items.count >= 2 else { throw checks.broken("exit", "an exit from block \(exit.exitBlock) needs its transaction and proof") }
        let tx = try checks.childTransaction(items[0], "the exit transaction")
        guard tx.coinId == coin.coinId else { throw checks.broken("exit", "the exit transaction moves another coin") }
        let parent = tx.parentBlock
        guard parent < exit.exitBlock else {
            throw checks.broken("exit", "the exit transaction's parent block \(parent) is not before its block \(exit.exitBlock)")
        }
        guard parent == 0 || parent >= coin.firstBlock else {
            throw checks.broken("exit", "the parent block \(parent) is below the coin's first block \(coin.firstBlock)")
        }
        guard items.count == (parent == 0 ? 2 : 4) else {
            throw checks.broken("witness", "an exit with parent block \(parent) takes \(parent == 0 ? 2 : 4) witness items, found \(items.count)")
        }
        let proof = try checks.proof(items[1], "the exit transaction's proof")
        var parentTx: ChildTransaction?
        var parentProof: SparseMerkleTree.Proof?
        let owner: RawPublicKey
        if parent >= 1 {
            let decoded = try checks.childTransaction(items[2], "the parent transaction")
            guard decoded.coinId == coin.coinId else { throw checks.broken("exit", "the parent transaction moves another coin") }
            parentProof = try checks.proof(items[3], "the parent transaction's proof")
            parentTx = decoded
            owner = decoded.newOwnerKey
        } else {
            owner = coin.depositorKey
        }
        guard exit.ownerKey == tx.newOwnerKey, exit.exitTxHash == tx.leaf, exit.parentBlock == parent, exit.parentOwnerKey == owner else {
            throw checks.broken("exit", "the exit's owner, transaction hash, parent block or parent owner differs from its evidence")
        }
        (exitTx, exitProof, self.parentTx, self.parentProof, parentOwner) = (tx, proof, parentTx, parentProof, owner)
    }

    /// E3 (inclusions against read blocks), then E4 (the exit transaction's signature), last.
    func verify(exit: PlasmaExitLock, checks: inout PlasmaChecks) throws(CovenantRejection) {
        guard let exitTx, let exitProof, let parentOwner else { return }
        try checks.requireIncluded(exitTx, proof: exitProof, chainId: exit.chainId, number: exit.exitBlock, what: "the exit transaction")
        if let parentTx, let parentProof {
            try checks.requireIncluded(parentTx, proof: parentProof, chainId: exit.chainId, number: exit.parentBlock, what: "the parent transaction")
        }
        try checks.requireSigned(exitTx, by: parentOwner, what: "the exit transaction")
    }
}
