import EmberCore
import EmberCrypto

/// The coinbase rules of DESIGN.md section 10 that need no UTXO view.
extension ConsensusParams {
    /// Checks the coinbase's form for a block whose reward is `reward`.
    func checkCoinbaseForm(_ coinbase: Transaction, digests: Transaction.Digests, header: BlockHeader, reward: BlockReward)
        throws(BlockRejection)
    {
        do {
            try checkShape(coinbase, digests: digests)
        } catch {
            throw .transaction(index: 0, error)
        }
        guard coinbase.version == Transaction.version1 else { throw .coinbaseNotVersion1(found: coinbase.version) }
        // No creation rule lets a coinbase mint a covenant output (a fake commitment or operator).
        if let index = coinbase.outputs.firstIndex(where: { $0.lock.tag != Lock.Tag.pubKeyHash }) {
            throw .coinbaseCovenantOutput(output: index, lockTag: coinbase.outputs[index].lock.tag)
        }
        let output0 = coinbase.outputs[0]
        guard let (height, _) = Varint.decodePrefix(of: output0.data) else { throw .coinbaseHeightMissing }
        guard height == UInt128(header.height) else {
            throw .coinbaseHeightMismatch(expected: header.height, found: UInt64(clamping: height))
        }
        let (lockTime, overflow) = header.timestamp.addingReportingOverflow(coinbaseLockupMs)
        guard !overflow, output0.lockTime == lockTime else {
            throw .coinbaseLockTime(expected: lockTime, found: output0.lockTime)
        }
        if reward.burnt == .zero {
            guard coinbase.inputs.isEmpty, coinbase.outputs.count == 1, coinbase.witnesses.isEmpty else {
                throw .coinbaseFormWhenInactive
            }
            return
        }
        guard case .publicKey(let burningKey) = coinbase.inputs.first?.unlock else {
            throw .coinbaseBurnMissing(burnt: reward.burnt)
        }
        for input in coinbase.inputs {
            guard case .publicKey(let key) = input.unlock, key == burningKey else { throw .coinbaseInputsOfSeveralKeys }
        }
        let changeLock = Lock.pubKeyHash(Blake3.hash(burningKey.bytes))
        for (index, change) in coinbase.outputs.enumerated().dropFirst() {
            guard change.lock == changeLock, change.lockTime == 0 else { throw .coinbaseChangeLock(output: index) }
            do {
                try checkAmount(change.amount, output: index)
            } catch {
                throw .transaction(index: 0, error)
            }
        }
    }

    /// The coinbase rules against the view: the burn is exact, and output 0 pays exactly R + ⌊fees/2⌋.
    func checkCoinbaseAmounts(
        _ coinbase: Transaction, spent: [UnspentOutput], reward: BlockReward, fees: FeeSplit
    ) throws(BlockRejection) {
        if reward.burnt > .zero {
            guard let inputSum = spent.map(\.output.amount).checkedSum(), inputSum <= maxAmount else {
                throw .transaction(index: 0, .inputsAboveMaximum(maximum: maxAmount))
            }
            guard let changeSum = coinbase.outputs.dropFirst().map(\.amount).checkedSum() else {
                throw .transaction(index: 0, .outputsAboveMaximum(maximum: maxAmount))
            }
            guard let burnt = inputSum.subtracting(changeSum) else {
                throw .transaction(index: 0, .outputsExceedInputs(inputs: inputSum, outputs: changeSum))
            }
            guard burnt == reward.burnt else { throw .coinbaseBurnMismatch(expected: reward.burnt, found: burnt) }
        }
        guard let expected = reward.reward.adding(fees.miner) else {
            throw .coinbaseAmount(expected: reward.reward, found: coinbase.outputs[0].amount)
        }
        guard coinbase.outputs[0].amount == expected else {
            throw .coinbaseAmount(expected: expected, found: coinbase.outputs[0].amount)
        }
    }
}
