import EmberCore
import EmberCrypto

/// Why a coinbase could not be built; said to the miner's operator.
public enum CoinbaseBuildError: Error, Hashable, Sendable, CustomStringConvertible {
    case burningKeyMissing(burnt: Amount)
    case insufficientCoinsToBurn(needed: Amount, available: Amount)
    /// The key's coins cover the burn, but only with more inputs than one transaction may hold.
    case burnNeedsTooManyInputs(needed: Amount, inputLimit: Int, availableWithinLimit: Amount)
    case amountOverflow
    case signingFailed(String)

    public var description: String {
        switch self {
        case .burningKeyMissing(let burnt):
            "PoLW is active: this block must burn \(burnt) units, which needs the miner's private key, not only an address"
        case .insufficientCoinsToBurn(let needed, let available):
            "PoLW is active: this block must burn \(needed) units but the miner key has only \(available) spendable"
        case .burnNeedsTooManyInputs(let needed, let limit, let available):
            "PoLW is active: this block must burn \(needed) units but the miner key's \(limit) largest spendable "
                + "outputs (as many as one transaction holds) have only \(available); consolidate the key's coins"
        case .amountOverflow: "the coinbase amount overflows"
        case .signingFailed(let reason): "signing the coinbase failed: \(reason)"
        }
    }
}

/// Builds the coinbase of section 10 that the rules accept: the reward and half the fees to the
/// miner's lock, and under PoLW an exact burn from the miner key's own coins.
extension ConsensusParams {
    /// The coinbase of a block at `height` with `timestamp`.
    ///
    /// - Parameters:
    ///   - payTo: the lock of output 0 (any lock the miner chooses).
    ///   - burningKey: the key whose coins are burnt; needed only while PoLW is active.
    ///   - spendable: unspent outputs to choose the burn from; those of other keys or still locked at
    ///     `timestamp` are skipped. Larger outputs are taken first so the coinbase stays small.
    public func makeCoinbase(
        height: UInt64, timestamp: UInt64, reward: BlockReward, fees: Amount, payTo: Lock,
        burningKey: SigningKey?, spendable: [(OutPoint, UnspentOutput)]
    ) throws(CoinbaseBuildError) -> Transaction {
        guard let amount = reward.reward.adding(FeeSplit(totalFees: fees).miner) else { throw .amountOverflow }
        let (lockTime, overflow) = timestamp.addingReportingOverflow(coinbaseLockupMs)
        guard !overflow else { throw .amountOverflow }
        let output0 = Output(amount: amount, lock: payTo, lockTime: lockTime, data: Varint.encoded(UInt128(height)))
        guard reward.burnt > .zero else { return Transaction(inputs: [], outputs: [output0], witnesses: []) }
        guard let burningKey else { throw .burningKeyMissing(burnt: reward.burnt) }

        let keyLock = Lock.pubKeyHash(burningKey.publicKey.publicKeyHash)
        let candidates = spendable
            .filter { $0.1.output.lock == keyLock && $0.1.output.lockTime <= timestamp }
            .sorted { $0.1.output.amount > $1.1.output.amount }
        guard let rawKey = RawPublicKey(burningKey.publicKey.bytes) else { throw .signingFailed("malformed public key") }
        // Largest first: for any number of inputs no other choice holds more, so when the burn does not
        // fit the input budget no selection does.
        let inputLimit = coinbaseInputLimit(output0: output0, key: rawKey)
        var chosen = [OutPoint]()
        var total = Amount.zero
        for (outpoint, unspent) in candidates.prefix(inputLimit) {
            guard let sum = total.adding(unspent.output.amount) else { throw .amountOverflow }
            chosen.append(outpoint)
            total = sum
            if let change = total.subtracting(reward.burnt), change == .zero || change >= dust { break }
        }
        guard let change = total.subtracting(reward.burnt), change == .zero || change >= dust else {
            guard candidates.count > inputLimit else {
                throw .insufficientCoinsToBurn(needed: reward.burnt, available: total)
            }
            throw .burnNeedsTooManyInputs(needed: reward.burnt, inputLimit: inputLimit, availableWithinLimit: total)
        }
        var outputs = [output0]
        if change > .zero { outputs.append(Output(amount: change, lock: keyLock)) }
        var coinbase = Transaction(
            inputs: chosen.map { Input(outpoint: $0, unlock: .publicKey(rawKey)) }, outputs: outputs, witnesses: [])
        do {
            // Every input signs the same txid with the same key, so one signature serves them all.
            let signature = try burningKey.sign(txid: coinbase.txid, network: networkID)
            coinbase.witnesses = Array(repeating: Witness(items: [signature.bytes]), count: chosen.count)
        } catch {
            throw .signingFailed(String(describing: error))
        }
        return coinbase
    }

    /// How many burning inputs a coinbase with `output0` and a change output can hold within the list
    /// and size limits of a transaction, every input spending by `key` and carrying one signature.
    func coinbaseInputLimit(output0: Output, key: RawPublicKey) -> Int {
        let change = Output(amount: Amount(units: .max), lock: .pubKeyHash(.zero))
        // Both list counts at their widest (`maxListLength` entries).
        let fixed = Transaction(inputs: [], outputs: [output0, change], witnesses: []).encoded.count
            + 2 * (Varint.encodedSize(of: UInt128(maxListLength)) - 1)
        let widestInput = Input(outpoint: OutPoint(txid: .zero, index: UInt32(maxListLength - 1)), unlock: .publicKey(key))
        let perInput = widestInput.encoded.count + Witness(items: [[UInt8](repeating: 0, count: Signature.byteCount)]).encoded.count
        return max(0, min(maxListLength, (maxTransactionSize - fixed) / perInput))
    }
}
