import EmberCore
import EmberCrypto
import EmberVM

/// What the Truebit lock rules (tags 7, 8, 9, 11, 12, 15; DESIGN.md section 18, docs/truebit.md) check
/// alike: witness items of exact sizes, heights, the chosen output at firstOutput, markers among the
/// reads, signatures, and the outputs a refuted or missed solution leaves.
///
/// Order of checks, as for channels and Plasma: sizes and decodings, heights, field equalities and pins,
/// reads, hashing (proofs), signatures last. Every failure names its rule. All arithmetic is checked.
struct TruebitChecks: CovenantHeightChecks {
    let lockTag: UInt8
    let height: UInt64
    let transaction: Transaction
    let txid: Hash32
    let reads: [UnspentOutput]
    let params: ConsensusParams
    /// Indices of the reads the rule has looked at.
    private(set) var usedReads = Set<Int>()

    init(lockTag: UInt8, height: UInt64, transaction: Transaction, txid: Hash32, reads: [UnspentOutput], params: ConsensusParams) {
        self.lockTag = lockTag
        self.height = height
        self.transaction = transaction
        self.txid = txid
        self.reads = reads
        self.params = params
    }

    init(_ context: SpendContext) {
        self.init(
            lockTag: context.spent.output.lock.tag, height: context.height, transaction: context.transaction, txid: context.txid,
            reads: context.reads, params: context.params)
    }

    init(_ context: CreationContext, lockTag: UInt8) {
        self.init(
            lockTag: lockTag, height: context.height, transaction: context.transaction, txid: context.txid, reads: context.reads,
            params: context.params)
    }

    var network: NetworkID { params.networkID }
    var layer2: Layer2Parameters { params.layer2 }
    var dust: Amount { params.dust }

    /// The largest output blob a reveal may carry.
    static let maxOutputBytes = 65_536
    /// A final state's fields: pc, x1 … x31, memoryRoot, step, status, exitCode.
    static let finalFieldsBytes = 173
    /// The largest output proof (len = 0: 28 tail bytes and 27 siblings).
    static let maxOutputProofBytes = 892

    func broken(_ rule: String, _ detail: String) -> CovenantRejection {
        .ruleBroken(lockTag: lockTag, rule: rule, detail: detail)
    }

    // MARK: Witness items

    /// Exactly `sizes.count` items, item i of `sizes[i]` bytes (a nil size is checked by the mode).
    func requireItems(_ items: [[UInt8]], _ sizes: [Int?], mode: String) throws(CovenantRejection) {
        guard items.count == sizes.count else {
            throw broken("witness", "\(mode) takes \(sizes.count) witness items, found \(items.count)")
        }
        for (index, size) in sizes.enumerated() {
            guard let size else { continue }
            guard items[index].count == size else {
                throw broken("witness", "\(mode): item \(index) must be \(size) bytes, found \(items[index].count)")
            }
        }
    }

    /// A mode that pins nothing needs firstOutput 0.
    func requireFirstOutputZero(_ unlock: CovenantUnlock, input: Int) throws(CovenantRejection) {
        guard unlock.firstOutput == 0 else { throw .firstOutputNotZero(input: input, found: unlock.firstOutput) }
    }

    // MARK: Heights

    /// A move under a chess clock `clock` started at `createdHeight`, writing `written`: checks
    /// `h − createdHeight < clock` and `written ≤ clock − (h − createdHeight)`; returns every height at
    /// which the same move passes, `createdHeight ≤ h ≤ createdHeight + clock − max(written, 1)`.
    func clockMove(clock: UInt32, createdHeight: UInt64, written: UInt32, rule: String) throws(CovenantRejection) -> ValidHeights {
        let latestOffset = UInt64(clock) - min(UInt64(clock), UInt64(max(written, 1)))
        let (latest, overflow) = createdHeight.addingReportingOverflow(latestOffset)
        let heights = ValidHeights(validFrom: createdHeight, validBelow: overflow || latest == .max ? nil : latest + 1)
        guard height >= createdHeight else { throw .notAtThisHeight(rule: rule, height: height, heights: heights) }
        try layer2.checkClockMove(clock: UInt64(clock), createdHeight: createdHeight, height: height, written: UInt64(written))
        // Passing means clock ≥ 1 and written ≤ clock, so the range is not empty and holds h.
        return heights
    }

    // MARK: The output at firstOutput

    /// The output at `firstOutput`, checked in 64 bits before any indexing (`pinnedOutputMissing`).
    func chosenOutput(_ unlock: CovenantUnlock) throws(CovenantRejection) -> Output {
        guard unlock.firstOutput < UInt64(transaction.outputs.count) else {
            throw broken("pinnedOutputMissing", "firstOutput \(unlock.firstOutput) is past the \(transaction.outputs.count) outputs")
        }
        return transaction.outputs[Int(unlock.firstOutput)]
    }

    func chosenCommit(_ unlock: CovenantUnlock) throws(CovenantRejection) -> TruebitCommitLock {
        guard case .truebitCommit(let commit) = try chosenOutput(unlock).lock else {
            throw broken("pinnedOutputDiffers", "the output at firstOutput is not a truebitCommit")
        }
        return commit
    }

    func chosenSolution(_ unlock: CovenantUnlock) throws(CovenantRejection) -> TruebitSolutionLock {
        guard case .truebitSolution(let solution) = try chosenOutput(unlock).lock else {
            throw broken("pinnedOutputDiffers", "the output at firstOutput is not a truebitSolution")
        }
        return solution
    }

    func chosenGame(_ unlock: CovenantUnlock) throws(CovenantRejection) -> TruebitGameLock {
        guard case .truebitGame(let game) = try chosenOutput(unlock).lock else {
            throw broken("pinnedOutputDiffers", "the output at firstOutput is not a truebitGame")
        }
        return game
    }

    // MARK: Reads

    /// Exactly one read truebitRefuted marker of `solutionId`; the rule uses that read.
    mutating func marker(of solutionId: Hash32) throws(CovenantRejection) -> TruebitRefutedLock {
        var found: (index: Int, marker: TruebitRefutedLock)? = nil
        for (index, read) in reads.enumerated() {
            guard case .truebitRefuted(let marker) = read.output.lock, marker.solutionId == solutionId else { continue }
            guard found == nil else { throw broken("reads", "the transaction reads two markers of solution \(solutionId)") }
            found = (index, marker)
        }
        guard let found else { throw broken("reads", "the transaction reads no marker of solution \(solutionId)") }
        usedReads.insert(found.index)
        return found.marker
    }

    /// The read truebitSolution with `solutionId`, with its creation height; the rule uses that read.
    mutating func solution(_ solutionId: Hash32) throws(CovenantRejection) -> (lock: TruebitSolutionLock, height: UInt64) {
        for (index, read) in reads.enumerated() {
            if case .truebitSolution(let solution) = read.output.lock, solution.solutionId == solutionId {
                usedReads.insert(index)
                return (solution, read.height)
            }
        }
        throw broken("reads", "the transaction reads no solution \(solutionId)")
    }

    // MARK: Signatures

    /// Item `bytes` is `key`'s signature of the transaction (txMessage, section 3).
    func requireTransactionSignature(_ bytes: [UInt8], by key: RawPublicKey, party: String) throws(CovenantRejection) {
        guard let signature = try? Signature(bytes: bytes), let publicKey = try? PublicKey(bytes: key.bytes),
              publicKey.isValidSignature(signature, txid: txid, network: network)
        else {
            throw broken("signature", "the witness is not \(party)'s signature of the transaction")
        }
    }

    /// Item `bytes` is `key`'s move signature over `outpoint ‖ body` (one digest, `truebitMove` domain).
    func requireMoveSignature(_ bytes: [UInt8], by key: RawPublicKey, party: String, outpoint: OutPoint, game: TruebitGameLock)
        throws(CovenantRejection)
    {
        guard let signature = try? Signature(bytes: bytes), let publicKey = try? PublicKey(bytes: key.bytes),
              publicKey.isValidSignature(signature, domain: .truebitMove, network: network, message: game.moveMessage(spending: outpoint))
        else {
            throw broken("signature", "the move is not signed by the \(party)")
        }
    }


    // MARK: Outputs

    /// `pkh(k)`: pays H(k).
    static func payTo(_ key: RawPublicKey) -> Lock { .pubKeyHash(Blake3.hash(key.bytes)) }

    /// The marker a won game leaves, holding exactly dust.
    func marker(solutionId: Hash32, challengerKey: RawPublicKey) -> PinnedOutput {
        PinnedOutput(amount: dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: solutionId, challengerKey: challengerKey)))
    }

    /// The task returned by a missed reveal or a close: the reward back in the task, ⌊Ds/2⌋ to the giver,
    /// the rest of the deposit burnt.
    func taskReturned(_ task: TruebitTaskLock, amount: Amount, rule: String) throws(CovenantRejection) -> CovenantSpend {
        guard let reward = amount.subtracting(task.solverDeposit) else {
            throw broken(rule, "the output holds \(amount), less than the solver's deposit \(task.solverDeposit)")
        }
        let half = Amount(units: task.solverDeposit.units / 2)
        return CovenantSpend(
            pinned: [PinnedOutput(amount: reward, lock: .truebitTask(task)), PinnedOutput(amount: half, lock: Self.payTo(task.giverKey))],
            burnt: Amount(units: task.solverDeposit.units - half.units))
    }

    /// Outputs a creation rule allows carry lockTime 0 and no data.
    func requirePlain(_ output: Output, index: Int) throws(CovenantRejection) {
        guard output.lockTime == 0, output.data.isEmpty else {
            throw broken("creation", "output \(index) must have lockTime 0 and no data")
        }
    }

    /// The first blob whose hash is `hash` among the blobs of at most `maxBytes` bytes (a longer blob
    /// could not be the one wanted, so it is never hashed).
    func blob(hashing hash: Hash32, maxBytes: Int) -> Int? {
        transaction.blobs.indices.first { transaction.blobs[$0].count <= maxBytes && Blake3.hash(transaction.blobs[$0]) == hash }
    }
}
