import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode

/// Builds a version-2 covenant transaction and pays its fee from a funding key (fee sponsorship,
/// DESIGN.md section 15): covenant inputs first, then plain inputs of the funding key; the pinned
/// outputs at their `firstOutput`, the free outputs in the gaps and after them, then one change output
/// to the funding key.
///
/// The fee is `Σin − Σout − burnt ≥ params.minimumFee(weight:)`; with change it equals that minimum
/// exactly. The burn comes from the network's own covenant rule for each input (a tag without a rule is
/// `notActive`). Coin selection is deterministic: the fewest funding outputs, largest first, ties by
/// outpoint. Every signature is 64 bytes, so the weight is known before signing. The result is checked
/// with `checkTransactionSanity`, `checkSignatures` and `checkTransactionConnect` against the spent and
/// read outputs before it is returned.
public struct SponsoredTransactionBuilder: Sendable {
    public let params: ConsensusParams
    public let fundingKey: SigningKey

    public init(params: ConsensusParams, fundingKey: SigningKey) {
        self.params = params
        self.fundingKey = fundingKey
    }

    /// The funding key's lock, where its outputs and the change are.
    public var fundingLock: Lock { .pubKeyHash(fundingKey.publicKey.publicKeyHash) }

    /// Builds against the node: the funding key's confirmed outputs from its address route, and the
    /// height the mempool checks against (tip + 1).
    public func build(
        _ request: CovenantTransactionRequest, client: NodeAPIClient, nowMs: UInt64
    ) async throws(SponsorshipError) -> SponsoredTransaction {
        let address = Address(publicKeyHash: fundingKey.publicKey.publicKeyHash, network: params.networkID)
        let tip: ChainTip
        let funding: [WalletOutput]
        do {
            tip = try await client.tip()
            funding = try await client.outputs(of: address)
        } catch {
            throw .node(error)
        }
        return try build(request, funding: funding, height: tip.height + 1, nowMs: nowMs)
    }

    /// Builds from `funding` (the funding key's confirmed outputs) for a block at `height` with
    /// timestamp `nowMs` (lock times are compared with it).
    public func build(
        _ request: CovenantTransactionRequest, funding: [WalletOutput], height: UInt64, nowMs: UInt64
    ) throws(SponsorshipError) -> SponsoredTransaction {
        for (index, input) in request.covenantInputs.enumerated() where input.unlock.covenant == nil {
            throw .notACovenantUnlock(input: index)
        }
        let outputs = try layOut(request)
        let candidates = spendable(funding, excluding: Set(request.covenantInputs.map(\.outpoint)), nowMs: nowMs)
        let limit = params.maxListLength - request.covenantInputs.count
        for count in 0...min(candidates.count, max(0, limit)) {
            let chosen = Array(candidates.prefix(count))
            if let plan = try plan(request, outputs: outputs, funding: chosen, height: height, nowMs: nowMs) {
                return try sign(plan, request: request, funding: chosen, height: height, nowMs: nowMs)
            }
        }
        throw try shortfall(request, outputs: outputs, candidates: candidates, limit: limit, height: height, nowMs: nowMs)
    }

    // MARK: - Layout

    /// The outputs before change: each pinned range at its firstOutput, free outputs in the gaps, then the rest.
    private func layOut(_ request: CovenantTransactionRequest) throws(SponsorshipError) -> [Output] {
        let pinnedCount = request.covenantInputs.reduce(0) { $0 + $1.pinned.count }
        var slots = [Output?](repeating: nil, count: pinnedCount + request.otherOutputs.count)
        for (index, input) in request.covenantInputs.enumerated() where !input.pinned.isEmpty {
            let first = Int(input.unlock.covenant?.firstOutput ?? 0)
            guard first + input.pinned.count <= slots.count else {
                throw .pinnedLayout("input \(index) pins outputs \(first)..<\(first + input.pinned.count), past the \(slots.count) outputs")
            }
            for (offset, output) in input.pinned.enumerated() {
                guard slots[first + offset] == nil else { throw .pinnedLayout("output \(first + offset) is pinned twice") }
                slots[first + offset] = output
            }
        }
        var free = request.otherOutputs.makeIterator()
        return slots.map { $0 ?? free.next()! }
    }

    /// The funding outputs worth considering: unique, unlocked, not a covenant input; largest first, in the
    /// order coin selection takes them (so the first is the first funding input of any transaction it funds).
    public func spendable(_ funding: [WalletOutput], excluding: Set<OutPoint>, nowMs: UInt64) -> [WalletOutput] {
        var seen = excluding
        return funding.filter { $0.lockTime <= nowMs && seen.insert($0.outpoint).inserted }.sorted {
            if $0.amount != $1.amount { return $0.amount > $1.amount }
            if $0.outpoint.txid != $1.outpoint.txid { return $0.outpoint.txid.bytes.lexicographicallyPrecedes($1.outpoint.txid.bytes) }
            return $0.outpoint.index < $1.outpoint.index
        }
    }

    // MARK: - Planning

    private struct Plan {
        var transaction: Transaction
        var fee: Amount
        var burnt: Amount
        var change: Amount?
    }

    /// The unsigned transaction and fee that spend `funding` too, or nil when they cannot pay.
    private func plan(
        _ request: CovenantTransactionRequest, outputs: [Output], funding: [WalletOutput], height: UInt64, nowMs: UInt64
    ) throws(SponsorshipError) -> Plan? {
        guard let inputSum = (request.covenantInputs.map(\.spent.output.amount) + funding.map(\.amount)).checkedSum(),
              let outputSum = outputs.map(\.amount).checkedSum()
        else { throw .overflow }
        // The burn is the rules' verdict on the transaction with change; rules judge a spend, not its funding.
        let withChange = draft(request, outputs: outputs + [Output(amount: params.dust, lock: fundingLock)], funding: funding)
        let burnt = try burn(withChange, request: request, funding: funding, height: height, nowMs: nowMs)
        guard let available = inputSum.subtracting(outputSum)?.subtracting(burnt) else { return nil }
        // The fee grows toward the minimum of the transaction it pays for; a smaller change varint can
        // shrink it again, so the loop is capped and settles for a fee at least the minimum.
        var fee = Amount.zero
        for _ in 0..<8 {
            guard let change = available.subtracting(fee), change >= params.dust else { break }
            let transaction = draft(request, outputs: outputs + [Output(amount: change, lock: fundingLock)], funding: funding)
            let required = minimumFee(of: transaction)
            if fee >= required { return Plan(transaction: transaction, fee: fee, burnt: burnt, change: change) }
            fee = required
        }
        let transaction = draft(request, outputs: outputs, funding: funding)
        guard available >= minimumFee(of: transaction) else { return nil }
        return Plan(transaction: transaction, fee: available, burnt: burnt, change: nil)
    }

    /// What the covenant rules burn on `transaction`, asking the network's rule of each input's tag.
    private func burn(
        _ transaction: Transaction, request: CovenantTransactionRequest, funding: [WalletOutput], height: UInt64, nowMs: UInt64
    ) throws(SponsorshipError) -> Amount {
        let spent = request.covenantInputs.map(\.spent) + funding.map(fundingUnspent)
        let reads = request.reads.map(\.unspent)
        let txid = transaction.txid
        var burnt = Amount.zero
        for (index, input) in request.covenantInputs.enumerated() {
            let lockTag = input.spent.output.lock.tag
            guard let rule = params.covenantRules.rule(for: lockTag) else { throw .covenant(input: index, .notActive(lockTag: lockTag)) }
            let context = SpendContext(
                height: height, blockTimestamp: nowMs, transaction: transaction, txid: txid, inputIndex: index, spent: input.spent,
                reads: reads, spentByInputs: spent, params: params)
            let spend: CovenantSpend
            do {
                spend = try rule.checkSpend(context)
            } catch {
                throw .covenant(input: index, error)
            }
            guard let total = burnt.adding(spend.burnt) else { throw .overflow }
            burnt = total
        }
        return burnt
    }

    private func minimumFee(of transaction: Transaction) -> Amount {
        params.minimumFee(weight: params.weight(of: transaction, size: transaction.encoded.count))
    }

    /// The transaction with placeholder signatures: its size is that of the signed one.
    private func draft(_ request: CovenantTransactionRequest, outputs: [Output], funding: [WalletOutput]) -> Transaction {
        let unlock = Unlock.publicKey(rawFundingKey)
        let inputs = request.covenantInputs.map { Input(outpoint: $0.outpoint, unlock: $0.unlock) }
            + funding.map { Input(outpoint: $0.outpoint, unlock: unlock) }
        let witnesses = request.covenantInputs.map(\.witness)
            + Array(repeating: Witness(items: [[UInt8](repeating: 0, count: Signature.byteCount)]), count: funding.count)
        return Transaction(
            version: Transaction.version2, inputs: inputs, reads: request.reads.map(\.outpoint), outputs: outputs, blobs: request.blobs,
            witnesses: witnesses)
    }

    private var rawFundingKey: RawPublicKey {
        // A `PublicKey` is 32 bytes by construction, the one length `RawPublicKey` accepts.
        guard let raw = RawPublicKey(fundingKey.publicKey.bytes) else { preconditionFailure("a public key is not 32 bytes") }
        return raw
    }

    private func fundingUnspent(_ output: WalletOutput) -> UnspentOutput {
        UnspentOutput(
            output: Output(amount: output.amount, lock: fundingLock, lockTime: output.lockTime), height: output.height,
            isCoinbase: output.isCoinbase)
    }

    /// The error when no selection pays: too many inputs, or what is missing.
    private func shortfall(
        _ request: CovenantTransactionRequest, outputs: [Output], candidates: [WalletOutput], limit: Int, height: UInt64, nowMs: UInt64
    ) throws(SponsorshipError) -> SponsorshipError {
        guard let available = candidates.map(\.amount).checkedSum(),
              let covenantIn = request.covenantInputs.map(\.spent.output.amount).checkedSum(),
              let outputSum = outputs.map(\.amount).checkedSum()
        else { return .overflow }
        if candidates.count > limit { return .tooManyInputs(limit: params.maxListLength) }
        let all = draft(request, outputs: outputs, funding: candidates)
        let burnt = try burn(all, request: request, funding: candidates, height: height, nowMs: nowMs)
        guard let spend = outputSum.adding(burnt)?.adding(minimumFee(of: all)) else { return .overflow }
        let needed = spend.subtracting(covenantIn) ?? .zero
        return .insufficientFunds(available: available, needed: needed)
    }

    // MARK: - Signing and self-check

    private func sign(
        _ plan: Plan, request: CovenantTransactionRequest, funding: [WalletOutput], height: UInt64, nowMs: UInt64
    ) throws(SponsorshipError) -> SponsoredTransaction {
        var transaction = plan.transaction
        let txid = transaction.txid
        if !funding.isEmpty {
            do {
                let signature = try fundingKey.sign(txid: txid, network: params.networkID)
                let covenantCount = request.covenantInputs.count
                for index in covenantCount..<transaction.inputs.count { transaction.witnesses[index] = Witness(items: [signature.bytes]) }
            } catch {
                throw .signingFailed("\(error)")
            }
        }
        let digests = transaction.digests
        var view = [OutPoint: UnspentOutput]()
        for input in request.covenantInputs { view[input.outpoint] = input.spent }
        for read in request.reads { view[read.outpoint] = read.unspent }
        for output in funding { view[output.outpoint] = fundingUnspent(output) }
        let fee: Amount
        do {
            try params.checkTransactionSanity(transaction, digests: digests)
            try params.checkSignatures(transaction, txid: digests.txid)
            fee = try params.checkTransactionConnect(transaction, digests: digests, view: InMemoryUTXOView(view), height: height, blockTimestamp: nowMs)
        } catch {
            throw .failedSelfCheck(error)
        }
        guard fee == plan.fee else {
            throw .failedSelfCheck(.feeBelowMinimum(required: plan.fee, found: fee))
        }
        return SponsoredTransaction(
            transaction: transaction, digests: digests, weight: params.weight(of: transaction, size: digests.size), fee: fee,
            burnt: plan.burnt, change: plan.change, funding: funding)
    }
}
