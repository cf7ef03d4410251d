import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode

/// Builds every layer-1 transaction of Truebit (docs/truebit.md, "Spend modes" and "Flows for a user"): the
/// giver's post and refund, the solver's commit, reveal and bisect, the challenger's challenge, choose and
/// step, and what anyone may submit: missed reveal, claim, close, payout, voidResult and sweep.
///
/// Every builder takes the layer-1 outputs it spends and reads as `ChainOutput`s (outpoint and current
/// state, found by the caller: a daemon's store or the node) and a `Context` (the including height, the
/// funding key's outputs, the time), and pays deposits, marker dust and the fee from the funding key
/// (`SponsoredTransactionBuilder`). Covenant inputs come first and their pinned outputs start at output 0.
/// Every result passed the network's own covenant rules and `checkTransactionConnect` in the sponsor's
/// self-check before it is returned (for the two spends signed over the txid, see `buildSigned`): nothing
/// here decides whether a spend is valid. Where a mode's outputs
/// follow from the spent output alone (missed reveal, step, claim, close, payout), the network's rule is
/// asked what it pins rather than the split being worked out here a second time.
public struct TruebitTransactions: Sendable {
    public let sponsor: SponsoredTransactionBuilder

    public init(params: ConsensusParams, fundingKey: SigningKey) {
        sponsor = SponsoredTransactionBuilder(params: params, fundingKey: fundingKey)
    }

    public var params: ConsensusParams { sponsor.params }
    public var network: NetworkID { params.networkID }

    /// An output on layer 1 that a Truebit transaction spends or reads, with its state and creation height
    /// (a game's height starts its clocks).
    public typealias ChainOutput = CovenantTransactionRequest.ReadOutput

    /// Where a transaction is built: the including height (tip + 1), the funding key's outputs, the time.
    public typealias Context = SponsorshipContext

    /// The blocks of margin m a move leaves itself (docs/truebit.md, "Clocks"): it stays valid if included
    /// up to m blocks after the block it was built for.
    public static let moveMargin: UInt32 = 3

    /// The revealBy a commit writes, or the deadline a reveal writes, when built for the block at
    /// `nextHeight`: `nextHeight + W + ⌊W/2⌋`. The rule accepts it from ⌈W/2⌉ blocks below `nextHeight` to
    /// ⌊W/2⌋ above, so the transaction may wait half a window and survive a half-window reorganisation.
    public static func chosenDeadline(nextHeight: UInt64, window: UInt32) -> UInt64 {
        let (deadline, overflow) = nextHeight.addingReportingOverflow(UInt64(window) + UInt64(window / 2))
        return overflow ? .max : deadline
    }

    /// The clock a move writes for its mover: `c − (nextHeight − createdHeight) − margin`, for the mover's
    /// clock `c` on a game output created at `createdHeight` and a move built for the block at `nextHeight`.
    /// The move then stays valid up to `margin` blocks late. At least 1, which keeps every height the clock
    /// still allows when less than the margin is left; nil when the clock has run out by `nextHeight`.
    public static func clockAfterMove(clock: UInt32, createdHeight: UInt64, nextHeight: UInt64, margin: UInt32 = moveMargin) -> UInt32? {
        let elapsed = nextHeight > createdHeight ? nextHeight - createdHeight : 0
        guard elapsed < UInt64(clock) else { return nil }
        let remaining = UInt32(UInt64(clock) - elapsed)
        return remaining > margin ? remaining - margin : 1
    }

    // MARK: - Parts

    static func unlock(_ mode: CovenantUnlock.TruebitMode) -> Unlock {
        .truebit(CovenantUnlock(mode: mode.rawValue, firstOutput: 0))
    }

    /// `pkh(k)`.
    static func payTo(_ key: RawPublicKey) -> Lock { .pubKeyHash(Blake3.hash(key.bytes)) }

    static func raw(_ key: SigningKey) -> RawPublicKey {
        // A `PublicKey` is 32 bytes by construction, the one length `RawPublicKey` accepts.
        guard let raw = RawPublicKey(key.publicKey.bytes) else { preconditionFailure("a public key is not 32 bytes") }
        return raw
    }

    static let signaturePlaceholder = [UInt8](repeating: 0, count: Signature.byteCount)

    /// The input spending `output` in `mode` with `items`, pinning what the network's rule pins for it in a
    /// block at `context.height` (reading `reads`): for the modes whose outputs follow from the spent output.
    func spend(
        _ output: ChainOutput, _ mode: CovenantUnlock.TruebitMode, items: [[UInt8]] = [], reads: [ChainOutput] = [], in context: Context
    ) throws(TruebitTransactionError) -> CovenantSpendInput {
        let unlock = Self.unlock(mode)
        let lockTag = output.unspent.output.lock.tag
        guard let rule = params.covenantRules.rule(for: lockTag) else { throw .sponsorship(.covenant(input: 0, .notActive(lockTag: lockTag))) }
        let draft = Transaction(
            version: Transaction.version2, inputs: [Input(outpoint: output.outpoint, unlock: unlock)], reads: reads.map(\.outpoint), outputs: [],
            blobs: [], witnesses: [Witness(items: items)])
        let verdict: CovenantSpend
        do {
            verdict = try rule.checkSpend(SpendContext(
                height: context.height, blockTimestamp: context.nowMs, transaction: draft, txid: draft.txid, inputIndex: 0, spent: output.unspent,
                reads: reads.map(\.unspent), spentByInputs: [output.unspent], params: params))
        } catch {
            throw .sponsorship(.covenant(input: 0, error))
        }
        return CovenantSpendInput(
            outpoint: output.outpoint, spent: output.unspent, unlock: unlock, witness: Witness(items: items), pinned: verdict.pinned.map(\.output))
    }

    func build(_ request: CovenantTransactionRequest, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        do {
            return try sponsor.build(request, funding: context.funding, height: context.height, nowMs: context.nowMs)
        } catch {
            throw .sponsorship(error)
        }
    }

    /// Sponsors `request`, whose covenant input 0 carries a placeholder at witness item `item` for `signer`'s
    /// signature of the txid (refund, reveal).
    ///
    /// The txid is known only once the funding is chosen, and the sponsor asks the rule for its verdict on
    /// every draft: the first build runs on a copy of the network whose rule for that lock signs each
    /// draft's txid before asking the real rule (`TxidSigningRule`). The witness is outside the txid, so
    /// the second build, with the signature in and the same funding, ends in the same transaction; its
    /// drafts with fewer inputs are signed as before, but the transaction with the signed txid reaches the
    /// real rule with its own witness untouched, in the sponsor's self-check too, so what is returned passed
    /// every rule of the network on its own bytes.
    func buildSigned(
        _ request: CovenantTransactionRequest, item: Int, signer: SigningKey, in context: Context
    ) throws(TruebitTransactionError) -> SponsoredTransaction {
        let unsigned = try build(request, funding: context.funding, signing: (signer, item, nil), in: context)
        var signed = request
        do {
            signed.covenantInputs[0].witness.items[item] = try signer.sign(txid: unsigned.digests.txid, network: network).bytes
        } catch {
            throw .signingFailed("\(error)")
        }
        let built = try build(signed, funding: unsigned.funding, signing: (signer, item, unsigned.digests.txid), in: context)
        guard built.digests.txid == unsigned.digests.txid, built.transaction.witnesses[0] == signed.covenantInputs[0].witness else {
            throw .signedTransactionChanged
        }
        return built
    }

    /// Sponsors `request` on the network with its rule for input 0's lock wrapped in a `TxidSigningRule`.
    private func build(
        _ request: CovenantTransactionRequest, funding: [WalletOutput], signing: (key: SigningKey, item: Int, signed: Hash32?), in context: Context
    ) throws(TruebitTransactionError) -> SponsoredTransaction {
        let lockTag = request.covenantInputs[0].spent.output.lock.tag
        guard let real = params.covenantRules.rule(for: lockTag) else { throw .sponsorship(.covenant(input: 0, .notActive(lockTag: lockTag))) }
        let wrapped = TxidSigningRule(real: real, key: signing.key, item: signing.item, signed: signing.signed, params: params)
        let rules = params.covenantRules.activeTags.compactMap { tag -> (any CovenantRule)? in
            tag == lockTag ? wrapped : params.covenantRules.rule(for: tag)
        }
        let signingParams = params.withCovenantRules(CovenantRules(identity: "truebit-txid-signing", rules: rules))
        do {
            return try SponsoredTransactionBuilder(params: signingParams, fundingKey: sponsor.fundingKey).build(
                request, funding: funding, height: context.height, nowMs: context.nowMs)
        } catch {
            throw .sponsorship(error)
        }
    }
}
