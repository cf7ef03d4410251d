import EmberCore
import EmberCrypto

/// The covenant framework of DESIGN.md section 15: the checks every lock rule shares.
extension ConsensusParams {
    /// Tier 3 (context-free) rules of version 2: reads well formed and step budgets within bounds.
    func checkVersion2Shape(_ transaction: Transaction) throws(CovenantRejection) {
        // At most 16 reads: comparing pairs costs less than building a set for each transaction.
        let reads = transaction.reads
        for (index, read) in reads.enumerated() where reads[..<index].contains(read) { throw .duplicateRead(read) }
        if !reads.isEmpty {
            for input in transaction.inputs where reads.contains(input.outpoint) { throw .readAlsoSpent(input.outpoint) }
        }
        for (index, input) in transaction.inputs.enumerated() {
            guard let unlock = input.unlock.covenant, unlock.maxSteps > 0 else { continue }
            guard input.unlock.tag == Unlock.Tag.channel else { throw .maxStepsWithoutRun(input: index, found: unlock.maxSteps) }
            guard unlock.maxSteps <= layer2.maxStepsPerInput else {
                throw .maxStepsAboveLimit(input: index, limit: layer2.maxStepsPerInput, found: unlock.maxSteps)
            }
        }
    }

    /// A commitment output pays exactly 0 (exempt from dust; it is never spent, so coin in it would be lost).
    func checkCommitmentAmount(_ output: Output, index: Int) throws(CovenantRejection) {
        guard output.amount == .zero else { throw .commitmentWithAmount(output: index, found: output.amount) }
    }

    /// The outputs named in `transaction.reads`, each unspent in `view` and of a readable lock tag.
    func readOutputs(_ transaction: Transaction, view: some UTXOView) throws(CovenantRejection) -> [UnspentOutput] {
        var reads = [UnspentOutput]()
        reads.reserveCapacity(transaction.reads.count)
        for outpoint in transaction.reads {
            guard let unspent = view.unspentOutput(at: outpoint) else { throw .missingRead(outpoint) }
            let tag = unspent.output.lock.tag
            guard CovenantLockTags.readable.contains(tag) else { throw .readNotReadable(outpoint, lockTag: tag) }
            reads.append(unspent)
        }
        return reads
    }

    /// Tier 4 covenant rules of one transaction: every covenant input's rule with its pinned outputs
    /// (exact, inside the output list, never pinned twice), every covenant output pinned or allowed by
    /// its creation rule, every blob named.
    ///
    /// - Returns: the coin the covenants burn, and the including heights every rule's verdict holds for.
    func checkCovenants(
        _ transaction: Transaction, txid: Hash32, spent: [UnspentOutput], reads: [UnspentOutput], height: UInt64,
        blockTimestamp: UInt64
    ) throws(CovenantRejection) -> (burnt: Amount, heights: ValidHeights) {
        // A plain payment (public keys in, pubKeyHash out, no blobs, no reads) has nothing here to check.
        if transaction.blobs.isEmpty, transaction.reads.isEmpty, transaction.inputs.allSatisfy({ $0.unlock.tag == Unlock.Tag.publicKey }),
           transaction.outputs.allSatisfy({ $0.lock.tag == Lock.Tag.pubKeyHash }) {
            for (index, unspent) in spent.enumerated() where unspent.output.lock.tag != Lock.Tag.pubKeyHash {
                throw .unlockDoesNotMatchLock(input: index, lockTag: unspent.output.lock.tag, unlockTag: Unlock.Tag.publicKey)
            }
            return (.zero, .unbounded)
        }
        var pinnedBy = [Int?](repeating: nil, count: transaction.outputs.count)
        var burnt = Amount.zero
        var named = Set<Int>()
        var usedReads = Set<Int>()
        var heights = ValidHeights.unbounded
        for (index, input) in transaction.inputs.enumerated() {
            let lockTag = spent[index].output.lock.tag
            guard CovenantLockTags.unlockTag(spending: lockTag) == input.unlock.tag else {
                throw .unlockDoesNotMatchLock(input: index, lockTag: lockTag, unlockTag: input.unlock.tag)
            }
            guard lockTag != Lock.Tag.pubKeyHash else { continue }
            guard let rule = covenantRules.rule(for: lockTag) else { throw .notActive(lockTag: lockTag) }
            let context = SpendContext(
                height: height, blockTimestamp: blockTimestamp, transaction: transaction, txid: txid, inputIndex: index,
                spent: spent[index], reads: reads, spentByInputs: spent, params: self)
            let spend = try rule.checkSpend(context)
            try checkPinned(spend.pinned, input: index, firstOutput: context.unlock.firstOutput, of: transaction, pinnedBy: &pinnedBy)
            guard let total = burnt.adding(spend.burnt), total <= maxAmount else {
                throw .ruleBroken(lockTag: lockTag, rule: "burn", detail: "the burns exceed the maximum amount")
            }
            burnt = total
            named.formUnion(spend.namedBlobs)
            usedReads.formUnion(spend.usedReads)
            heights = heights.intersection(spend.heights)
        }
        for (index, output) in transaction.outputs.enumerated() where pinnedBy[index] == nil {
            let lockTag = output.lock.tag
            guard lockTag != Lock.Tag.pubKeyHash else { continue }
            guard let rule = covenantRules.rule(for: lockTag) else { throw .notActive(lockTag: lockTag) }
            let context = CreationContext(
                height: height, transaction: transaction, txid: txid, outputIndex: index, reads: reads, spentByInputs: spent,
                params: self)
            let creation = try rule.checkCreation(context)
            named.formUnion(creation.namedBlobs)
            usedReads.formUnion(creation.usedReads)
            heights = heights.intersection(creation.heights)
        }
        if named.contains(where: { $0 < 0 || $0 >= transaction.blobs.count }) {
            // Sorted, so every node names the same blob in its rejection.
            let outOfRange = named.sorted().first { $0 < 0 || $0 >= transaction.blobs.count } ?? 0
            throw .blobIndexOutOfRange(index: outOfRange, count: transaction.blobs.count)
        }
        if let unnamed = transaction.blobs.indices.first(where: { !named.contains($0) }) { throw .unnamedBlob(index: unnamed) }
        // Like an unnamed blob, a read no rule looks at would be free data and a free pin on someone's output.
        if let unused = transaction.reads.indices.first(where: { !usedReads.contains($0) }) { throw .unusedRead(index: unused) }
        return (burnt, heights)
    }

    /// Checks one spend's pinned outputs against the transaction and records which input pins each.
    private func checkPinned(
        _ pinned: [PinnedOutput], input: Int, firstOutput: UInt64, of transaction: Transaction, pinnedBy: inout [Int?]
    ) throws(CovenantRejection) {
        guard !pinned.isEmpty else {
            guard firstOutput == 0 else { throw .firstOutputNotZero(input: input, found: firstOutput) }
            return
        }
        // The decoder keeps firstOutput within 32 bits; a value built in memory may not be.
        let (end, overflow) = firstOutput.addingReportingOverflow(UInt64(pinned.count))
        guard !overflow, end <= UInt64(transaction.outputs.count) else {
            throw .pinnedRangeOutOfBounds(input: input, firstOutput: firstOutput, count: pinned.count, outputs: transaction.outputs.count)
        }
        for (offset, pin) in pinned.enumerated() {
            let index = Int(firstOutput) + offset
            if let other = pinnedBy[index] { throw .pinnedRangesOverlap(output: index, firstInput: other, secondInput: input) }
            pinnedBy[index] = input
            let expected = pin.output
            guard transaction.outputs[index] == expected else {
                throw .pinnedOutputDiffers(input: input, output: index, expected: expected, found: transaction.outputs[index])
            }
        }
    }
}
