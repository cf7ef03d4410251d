import EmberConsensus
import EmberCore
import EmberCrypto

/// Builds and signs a payment from one key's outputs, and checks it with the consensus rules before
/// anyone sends it.
///
/// Coin selection is largest first: the fewest inputs, so the smallest transaction and fee, and the
/// same choice for the same outputs (ties broken by outpoint). Outputs worth less than the fee of
/// spending them are never chosen. The fee is the fee rate times the size of the signed transaction;
/// since an Ed25519 signature is always 64 bytes, the size is known before signing. Change of at least
/// the dust limit goes back to the key's own address; less is left to the fee.
public struct WalletTransactionBuilder: Sendable {
    /// A signed transaction that passed the consensus self-check, with what it pays.
    public struct Payment: Hashable, Sendable {
        public let transaction: Transaction
        public let digests: Transaction.Digests
        public let amount: Amount
        public let fee: Amount
        /// The change output's amount; nil when the surplus was below dust and went to the fee.
        public let change: Amount?
        /// The outputs spent, in input order.
        public let spent: [WalletOutput]
    }

    public let params: ConsensusParams
    public let key: SigningKey

    public init(params: ConsensusParams, key: SigningKey) {
        self.params = params
        self.key = key
    }

    private var ownLock: Lock { .pubKeyHash(key.publicKey.publicKeyHash) }

    /// A payment of `amount` to `address` from `outputs` (the key's confirmed outputs).
    ///
    /// - Parameters:
    ///   - feeRate: units per byte; the network minimum when nil.
    ///   - nowMs: the time against which output lock times are compared.
    public func build(
        paying amount: Amount, to address: Address, from outputs: [WalletOutput], feeRate: Amount? = nil, nowMs: UInt64
    ) throws(WalletBuildError) -> Payment {
        let rate = feeRate ?? params.minFeeRate
        guard rate >= params.minFeeRate else { throw .feeRateBelowMinimum(rate: rate, minimum: params.minFeeRate) }
        guard address.network == params.networkID else { throw .wrongNetwork(address: address, expected: params.networkID) }
        guard amount >= params.dust else { throw .amountBelowDust(amount: amount, dust: params.dust) }
        guard amount <= params.maxAmount else { throw .amountAboveMaximum(amount: amount, maximum: params.maxAmount) }

        let candidates = try spendableCandidates(outputs, rate: rate, nowMs: nowMs)
        let payee = Output(amount: amount, lock: .pubKeyHash(address.publicKeyHash))
        var total = Amount.zero
        for count in 1...min(candidates.count, params.maxListLength) {
            guard let sum = total.adding(candidates[count - 1].amount) else { throw .overflow }
            total = sum
            guard total >= amount else { continue }
            if let (outputs, fee, change) = try plan(spending: Array(candidates[..<count]), total: total, payee: payee, rate: rate) {
                return try sign(spending: Array(candidates[..<count]), outputs: outputs, amount: amount, fee: fee, change: change, rate: rate, nowMs: nowMs)
            }
        }
        throw try shortfall(candidates, payee: payee, rate: rate)
    }

    /// The outputs worth spending now, largest first; throws when there are none.
    private func spendableCandidates(_ outputs: [WalletOutput], rate: Amount, nowMs: UInt64) throws(WalletBuildError) -> [WalletOutput] {
        var seen = Set<OutPoint>()
        let unique = outputs.filter { seen.insert($0.outpoint).inserted }
        let spendable = unique.filter { $0.isSpendable(atMs: nowMs) }
        let inputCost = try fee(rate: rate, size: inputSize(OutPoint(txid: .zero, index: UInt32.max)))
        let worthSpending = spendable.filter { $0.amount > inputCost }
        guard !worthSpending.isEmpty else {
            let locked = unique.filter { !$0.isSpendable(atMs: nowMs) }.map(\.amount).checkedSum() ?? .zero
            throw .noSpendableOutputs(locked: locked)
        }
        return worthSpending.sorted {
            ($0.amount, $1.outpoint.txid, $1.outpoint.index) > ($1.amount, $0.outpoint.txid, $0.outpoint.index)
        }
    }

    /// The outputs and fee that spend `inputs` (worth `total`) to `payee` at `rate`, or nil when they
    /// cannot pay the amount and its fee.
    private func plan(
        spending inputs: [WalletOutput], total: Amount, payee: Output, rate: Amount
    ) throws(WalletBuildError) -> (outputs: [Output], fee: Amount, change: Amount?)? {
        // The fee only grows from one round to the next and the size is bounded, so this settles in a
        // round or two; the cap is a guard, after which the no-change form is tried.
        var fee = Amount.zero
        for _ in 0..<8 {
            guard let change = total.subtracting(payee.amount)?.subtracting(fee), change >= params.dust else { break }
            let outputs = [payee, Output(amount: change, lock: ownLock)]
            let required = try self.fee(rate: rate, size: size(spending: inputs, outputs: outputs))
            if fee >= required { return (outputs, fee, change) }
            fee = required
        }
        guard let surplus = total.subtracting(payee.amount) else { return nil }
        let required = try self.fee(rate: rate, size: size(spending: inputs, outputs: [payee]))
        return surplus >= required ? ([payee], surplus, nil) : nil
    }

    /// The error when no selection pays: too many inputs, or what is missing.
    private func shortfall(_ candidates: [WalletOutput], payee: Output, rate: Amount) throws(WalletBuildError) -> WalletBuildError {
        let usable = Array(candidates.prefix(params.maxListLength))
        guard let available = candidates.map(\.amount).checkedSum(),
              let usableTotal = usable.map(\.amount).checkedSum()
        else { return .overflow }
        let fee = try self.fee(rate: rate, size: size(spending: usable, outputs: [payee]))
        guard let needed = payee.amount.adding(fee) else { return .overflow }
        if usable.count < candidates.count, available >= needed, usableTotal < needed {
            return .tooManyInputs(limit: params.maxListLength)
        }
        if available >= needed {
            // Enough in value, yet no selection within the size limit pays: as good as too many inputs.
            return .tooManyInputs(limit: usable.count)
        }
        return .insufficientFunds(available: available, needed: needed, fee: fee)
    }

    /// Signs the planned transaction and runs the consensus checks a node will run on it.
    private func sign(
        spending inputs: [WalletOutput], outputs: [Output], amount: Amount, fee: Amount, change: Amount?, rate: Amount,
        nowMs: UInt64
    ) throws(WalletBuildError) -> Payment {
        var transaction = unsigned(spending: inputs, outputs: outputs)
        let txid = transaction.txid
        do {
            let signature = try key.sign(txid: txid, network: params.networkID)
            transaction.witnesses = Array(repeating: Witness(items: [signature.bytes]), count: inputs.count)
        } catch {
            throw .signingFailed(error.description)
        }
        let digests = transaction.digests
        let spentView = InMemoryUTXOView(Dictionary(uniqueKeysWithValues: inputs.map {
            ($0.outpoint, UnspentOutput(
                output: Output(amount: $0.amount, lock: ownLock, lockTime: $0.lockTime), height: $0.height, isCoinbase: $0.isCoinbase))
        }))
        do {
            try params.checkTransactionSanity(transaction, digests: digests)
            try params.checkSignatures(transaction, txid: digests.txid)
            // A payment spends pubKeyHash outputs only, whose rules never look at the height.
            let checkedFee = try params.checkTransactionConnect(transaction, digests: digests, view: spentView, height: 0, blockTimestamp: nowMs)
            guard checkedFee == fee, fee >= (try self.fee(rate: rate, size: digests.size)) else {
                throw WalletBuildError.failedSelfCheck("the fee \(checkedFee.units) does not match the planned \(fee.units)")
            }
        } catch let error as WalletBuildError {
            throw error
        } catch {
            throw .failedSelfCheck("\(error)")
        }
        return Payment(transaction: transaction, digests: digests, amount: amount, fee: fee, change: change, spent: inputs)
    }

    private func unsigned(spending inputs: [WalletOutput], outputs: [Output]) -> Transaction {
        let unlock = Unlock.publicKey(rawPublicKey)
        return Transaction(inputs: inputs.map { Input(outpoint: $0.outpoint, unlock: unlock) }, outputs: outputs, witnesses: [])
    }

    private var rawPublicKey: RawPublicKey {
        // A `PublicKey` is 32 bytes by construction, the one length `RawPublicKey` accepts.
        guard let raw = RawPublicKey(key.publicKey.bytes) else { preconditionFailure("a public key is not 32 bytes") }
        return raw
    }

    /// The size of the signed transaction: every signature is `Signature.byteCount` bytes.
    private func size(spending inputs: [WalletOutput], outputs: [Output]) -> Int {
        var transaction = unsigned(spending: inputs, outputs: outputs)
        transaction.witnesses = Array(repeating: Self.placeholderWitness, count: inputs.count)
        return transaction.encoded.count
    }

    /// The bytes one more input adds: its encoding and its witness (the list counts aside).
    private func inputSize(_ outpoint: OutPoint) -> Int {
        Input(outpoint: outpoint, unlock: .publicKey(rawPublicKey)).encoded.count + Self.placeholderWitness.encoded.count
    }

    private static let placeholderWitness = Witness(items: [[UInt8](repeating: 0, count: Signature.byteCount)])

    private func fee(rate: Amount, size: Int) throws(WalletBuildError) -> Amount {
        let (fee, overflow) = rate.units.multipliedReportingOverflow(by: UInt128(size))
        guard !overflow else { throw .overflow }
        return Amount(units: fee)
    }
}
