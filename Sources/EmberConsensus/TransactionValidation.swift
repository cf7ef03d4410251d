import EmberCore
import EmberCrypto

/// The transaction rules of DESIGN.md section 4, in the tiers of section 11. The mempool calls them
/// one transaction at a time; block validation calls them for every transaction of a block.
extension ConsensusParams {
    /// Context-free rules of an ordinary (non-coinbase) transaction: lists, size, duplicate inputs,
    /// witness form and output amounts. Signatures are checked apart, so they can run in parallel.
    public func checkTransactionSanity(_ transaction: Transaction, digests: Transaction.Digests) throws(TransactionRejection) {
        guard !transaction.inputs.isEmpty else { throw .noInputs }
        try checkShape(transaction, digests: digests)
        do {
            try checkVersion2Shape(transaction)
        } catch {
            throw .covenant(error)
        }
        let weight = weight(of: transaction, size: digests.size)
        guard weight <= maxTransactionWeight else { throw .tooHeavy(limit: maxTransactionWeight, found: weight) }
        for (index, output) in transaction.outputs.enumerated() {
            if CovenantLockTags.isCommitment(output.lock) {
                do {
                    try checkCommitmentAmount(output, index: index)
                } catch {
                    throw .covenant(error)
                }
            } else {
                try checkAmount(output.amount, output: index)
            }
        }
    }

    /// Rules shared by ordinary transactions and the coinbase.
    func checkShape(_ transaction: Transaction, digests: Transaction.Digests) throws(TransactionRejection) {
        guard transaction.version == Transaction.version1 || transaction.version == Transaction.version2 else {
            throw .unsupportedVersion(transaction.version)
        }
        if transaction.version == Transaction.version1, !transaction.reads.isEmpty || !transaction.blobs.isEmpty {
            throw .covenant(.readsOrBlobsInVersion1)
        }
        guard !transaction.outputs.isEmpty else { throw .noOutputs }
        guard transaction.inputs.count <= maxListLength else {
            throw .tooManyInputs(limit: maxListLength, found: transaction.inputs.count)
        }
        guard transaction.outputs.count <= maxListLength else {
            throw .tooManyOutputs(limit: maxListLength, found: transaction.outputs.count)
        }
        let sizeLimit = transaction.version == Transaction.version1 ? maxTransactionSize : maxVersion2TransactionSize
        guard digests.size <= sizeLimit else { throw .tooLarge(limit: sizeLimit, found: digests.size) }
        guard transaction.witnesses.count == transaction.inputs.count else {
            throw .witnessCountMismatch(expected: transaction.inputs.count, found: transaction.witnesses.count)
        }
        var seen = Set<OutPoint>(minimumCapacity: transaction.inputs.count)
        for input in transaction.inputs where !seen.insert(input.outpoint).inserted {
            throw .duplicateInput(input.outpoint)
        }
        // A covenant unlock's witness items are its rule's to check, in tier 4.
        for (index, (input, witness)) in zip(transaction.inputs, transaction.witnesses).enumerated()
        where input.unlock.tag == Unlock.Tag.publicKey {
            guard witness.items.count == 1 else {
                throw .witnessItemCount(input: index, expected: 1, found: witness.items.count)
            }
            guard witness.items[0].count == Signature.byteCount else {
                throw .malformedSignature(input: index, length: witness.items[0].count)
            }
        }
    }

    func checkAmount(_ amount: Amount, output: Int) throws(TransactionRejection) {
        guard amount >= dust else { throw .outputBelowDust(output: output, dust: dust, found: amount) }
        guard amount <= maxAmount else { throw .outputAboveMaximum(output: output, maximum: maxAmount, found: amount) }
    }

    /// Every signature of the transaction, in input order; the first bad one is reported.
    public func checkSignatures(_ transaction: Transaction, txid: Hash32) throws(TransactionRejection) {
        for check in signatureChecks(transaction, txid: txid) where !check.isValid(on: networkID) {
            throw .badSignature(input: check.input)
        }
    }

    /// The transaction signatures a transaction needs, one per public-key input; run after `checkShape`.
    /// Covenant inputs carry layer-2 signatures, which their rules check in tier 4.
    func signatureChecks(_ transaction: Transaction, txid: Hash32) -> [SignatureCheck] {
        zip(transaction.inputs, transaction.witnesses).enumerated().compactMap { index, pair in
            guard case .publicKey(let key) = pair.0.unlock else { return nil }
            return SignatureCheck(publicKey: key, signature: pair.1.items.first ?? [], txid: txid, input: index)
        }
    }

    /// Rules against the UTXO view: inputs and reads exist unspent, inputs are unlocked by the block's
    /// time and owned by the key that signed, covenant rules hold, and the amounts add up with a fee of
    /// at least `minFeeRate` per weight unit. `height` is the including block's (the mempool's: tip + 1).
    ///
    /// - Returns: the fee (what the inputs hold beyond the outputs and the covenants' burns).
    public func checkTransactionConnect(
        _ transaction: Transaction, digests: Transaction.Digests, view: some UTXOView, height: UInt64, blockTimestamp: UInt64
    ) throws(TransactionRejection) -> Amount {
        try connectEffects(transaction, digests: digests, view: view, height: height, blockTimestamp: blockTimestamp).fee
    }

    /// `checkTransactionConnect` for the mempool: the fee, and the including heights at which the transaction's
    /// covenant rules hold (`ValidHeights`). While the outputs it spends and reads stay as they are, the
    /// transaction is valid in a block at height h exactly when h is inside, so a pool re-checks an entry
    /// on a new tip by comparing heights, without running programs or checking signatures again.
    public func checkConnectWithHeights(
        _ transaction: Transaction, digests: Transaction.Digests, view: some UTXOView, height: UInt64, blockTimestamp: UInt64
    ) throws(TransactionRejection) -> (fee: Amount, heights: ValidHeights) {
        let effects = try connectEffects(transaction, digests: digests, view: view, height: height, blockTimestamp: blockTimestamp)
        return (effects.fee, effects.heights)
    }

    /// `checkTransactionConnect`, returning the covenants' burn and valid heights beside the fee.
    func connectEffects(
        _ transaction: Transaction, digests: Transaction.Digests, view: some UTXOView, height: UInt64, blockTimestamp: UInt64
    ) throws(TransactionRejection) -> (fee: Amount, burnt: Amount, heights: ValidHeights) {
        let inputs = try spentOutputs(transaction, view: view, blockTimestamp: blockTimestamp)
        guard let inputSum = inputs.map(\.output.amount).checkedSum(), inputSum <= maxAmount else {
            throw .inputsAboveMaximum(maximum: maxAmount)
        }
        guard let outputSum = transaction.outputs.map(\.amount).checkedSum(), outputSum <= maxAmount else {
            throw .outputsAboveMaximum(maximum: maxAmount)
        }
        guard let afterOutputs = inputSum.subtracting(outputSum) else {
            throw .outputsExceedInputs(inputs: inputSum, outputs: outputSum)
        }
        // The fee is checked before any covenant rule runs (a burn only lowers it), so a transaction that
        // cannot pay for its weight costs no VM run.
        let required = minimumFee(weight: weight(of: transaction, size: digests.size))
        guard afterOutputs >= required else { throw .feeBelowMinimum(required: required, found: afterOutputs) }
        let burnt: Amount, heights: ValidHeights
        do {
            let reads = try readOutputs(transaction, view: view)
            (burnt, heights) = try checkCovenants(
                transaction, txid: digests.txid, spent: inputs, reads: reads, height: height, blockTimestamp: blockTimestamp)
        } catch {
            throw .covenant(error)
        }
        guard let fee = afterOutputs.subtracting(burnt) else {
            throw .covenant(.outputsAndBurnExceedInputs(inputs: inputSum, outputs: outputSum, burnt: burnt))
        }
        guard fee >= required else { throw .feeBelowMinimum(required: required, found: fee) }
        return (fee, burnt, heights)
    }

    /// The outputs the inputs spend, checked for existence, lock time and ownership.
    func spentOutputs(
        _ transaction: Transaction, view: some UTXOView, blockTimestamp: UInt64
    ) throws(TransactionRejection) -> [UnspentOutput] {
        var spent = [UnspentOutput]()
        spent.reserveCapacity(transaction.inputs.count)
        for (index, input) in transaction.inputs.enumerated() {
            guard let unspent = view.unspentOutput(at: input.outpoint) else { throw .missingInput(input.outpoint) }
            guard unspent.output.lockTime <= blockTimestamp else {
                throw .inputLocked(input.outpoint, lockTime: unspent.output.lockTime, blockTimestamp: blockTimestamp)
            }
            // A public key spends only a pubKeyHash lock (the coinbase's inputs are checked here alone);
            // a covenant unlock is the covenant framework's to judge.
            switch (input.unlock, unspent.output.lock) {
            case (.publicKey(let key), .pubKeyHash(let expected)):
                let found = Blake3.hash(key.bytes)
                guard found == expected else { throw .publicKeyMismatch(input: index, expected: expected, found: found) }
            case (.publicKey, let lock):
                throw .covenant(.unlockDoesNotMatchLock(input: index, lockTag: lock.tag, unlockTag: Unlock.Tag.publicKey))
            default:
                break
            }
            spent.append(unspent)
        }
        return spent
    }
}

/// One Ed25519 verification: a key, its signature and the txid it signs.
struct SignatureCheck: Sendable {
    let publicKey: RawPublicKey
    let signature: [UInt8]
    let txid: Hash32
    let input: Int

    func isValid(on network: NetworkID) -> Bool {
        guard let key = try? PublicKey(bytes: publicKey.bytes), let signature = try? Signature(bytes: signature) else {
            return false
        }
        return key.isValidSignature(signature, txid: txid, network: network)
    }
}
