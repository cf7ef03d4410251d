import EmberCore
import EmberCrypto

/// The transaction rules of DESIGN.md section 4, in the tiers of section 11. The mempool calls them
/// one transaction at a time; block validation calls them for every transaction of a block.
extension ConsensusParams {
    /// Context-free rules of an ordinary (non-coinbase) transaction: lists, size, duplicate inputs,
    /// witness form and output amounts. Signatures are checked apart, so they can run in parallel.
    public func checkSanity(_ transaction: Transaction, digests: Transaction.Digests) throws(TransactionRejection) {
        guard !transaction.inputs.isEmpty else { throw .noInputs }
        try checkShape(transaction, digests: digests)
        for (index, output) in transaction.outputs.enumerated() {
            try checkAmount(output.amount, output: index)
        }
    }

    /// Rules shared by ordinary transactions and the coinbase.
    func checkShape(_ transaction: Transaction, digests: Transaction.Digests) throws(TransactionRejection) {
        guard !transaction.outputs.isEmpty else { throw .noOutputs }
        guard transaction.inputs.count <= maxListLength else {
            throw .tooManyInputs(limit: maxListLength, found: transaction.inputs.count)
        }
        guard transaction.outputs.count <= maxListLength else {
            throw .tooManyOutputs(limit: maxListLength, found: transaction.outputs.count)
        }
        guard digests.size <= maxTransactionSize else {
            throw .tooLarge(limit: maxTransactionSize, found: digests.size)
        }
        guard transaction.witnesses.count == transaction.inputs.count else {
            throw .witnessCountMismatch(expected: transaction.inputs.count, found: transaction.witnesses.count)
        }
        var seen = Set<OutPoint>(minimumCapacity: transaction.inputs.count)
        for input in transaction.inputs where !seen.insert(input.outpoint).inserted {
            throw .duplicateInput(input.outpoint)
        }
        for (index, (input, witness)) in zip(transaction.inputs, transaction.witnesses).enumerated() {
            switch input.unlock {
            case .publicKey:
                guard witness.items.count == 1 else {
                    throw .witnessItemCount(input: index, expected: 1, found: witness.items.count)
                }
                guard witness.items[0].count == Signature.byteCount else {
                    throw .malformedSignature(input: index, length: witness.items[0].count)
                }
            case .channel, .plasma, .truebit:
                throw .inactiveUnlock(input: index, tag: input.unlock.tag)
            }
        }
        // Layer-2 locks decode, but until their rules are active no transaction (the coinbase included)
        // may create one.
        for (index, output) in transaction.outputs.enumerated() where output.lock.tag != Lock.Tag.pubKeyHash {
            throw .inactiveLock(output: index, tag: output.lock.tag)
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

    /// The signature checks a transaction needs, one per input; run after `checkShape`.
    func signatureChecks(_ transaction: Transaction, txid: Hash32) -> [SignatureCheck] {
        zip(transaction.inputs, transaction.witnesses).enumerated().compactMap { index, pair in
            switch pair.0.unlock {
            case .publicKey(let key):
                SignatureCheck(publicKey: key, signature: pair.1.items.first ?? [], txid: txid, input: index)
            case .channel, .plasma, .truebit:
                nil  // checkShape has already rejected these unlocks
            }
        }
    }

    /// Rules against the UTXO view: inputs exist and are unspent, unlocked by the block's time, owned by
    /// the key that signed, and the amounts add up with a fee of at least `minFeeRate` per byte.
    ///
    /// - Returns: the fee.
    public func checkConnect(
        _ transaction: Transaction, digests: Transaction.Digests, view: some UTXOView, blockTimestamp: UInt64
    ) throws(TransactionRejection) -> Amount {
        let inputs = try spentOutputs(transaction, view: view, blockTimestamp: blockTimestamp)
        guard let inputSum = inputs.map(\.output.amount).checkedSum(), inputSum <= maxAmount else {
            throw .inputsAboveMaximum(maximum: maxAmount)
        }
        guard let outputSum = transaction.outputs.map(\.amount).checkedSum(), outputSum <= maxAmount else {
            throw .outputsAboveMaximum(maximum: maxAmount)
        }
        guard let fee = inputSum.subtracting(outputSum) else {
            throw .outputsExceedInputs(inputs: inputSum, outputs: outputSum)
        }
        let required = Amount(units: minFeeRate.units * UInt128(digests.size))
        guard fee >= required else { throw .feeBelowMinimum(required: required, found: fee) }
        return fee
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
            switch (input.unlock, unspent.output.lock) {
            case (.publicKey(let key), .pubKeyHash(let expected)):
                let found = Blake3.hash(key.bytes)
                guard found == expected else { throw .publicKeyMismatch(input: index, expected: expected, found: found) }
            default:
                throw .unlockMismatch(input: index, lockTag: unspent.output.lock.tag, unlockTag: input.unlock.tag)
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
