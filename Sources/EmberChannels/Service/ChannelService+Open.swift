import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import Foundation

extension ChannelService {
    /// Opens a channel with the service at `peerURL` (DESIGN.md section 16, "Opening order"): agree on
    /// the parameters, build the funding transaction, co-sign the refund (version 0), and only then sign
    /// and publish the funding. Returns once the funding transaction is accepted by the node.
    public func open(
        peerURL: String, amount: Amount, peerAmount: Amount = .zero, window: UInt32? = nil, app: String = "payments"
    ) async throws -> ChannelRecord {
        let window = window ?? defaultWindow
        let layer2 = params.layer2
        guard window >= layer2.windowMinimum, window <= layer2.windowMaximum else {
            throw ChannelServiceError.windowOutOfBounds(window: window, minimum: layer2.windowMinimum, maximum: layer2.windowMaximum)
        }
        for share in [amount, peerAmount] where share != .zero && share < params.dust {
            throw ChannelServiceError.amountBelowDust(amount: share, dust: params.dust)
        }
        guard amount >= params.dust else { throw ChannelServiceError.amountBelowDust(amount: amount, dust: params.dust) }
        let appHash: Hash32
        if app == "payments" {
            appHash = .zero
        } else {
            guard let known = ChannelApps.app(named: app) else { throw ChannelServiceError.protocolViolation("unknown app \(app)") }
            appHash = known.hash
        }
        let peerKey: RawPublicKey
        do {
            peerKey = try await connect(to: peerURL)
        } catch {
            throw (error as? ChannelServiceError) ?? .peerUnreachable(url: peerURL, reason: "\(error)")
        }
        let channelParams = ChannelParams(keyA: ownKey, keyB: peerKey, window: window, app: appHash)
        let proposal = Blake3.hash(Array(UUID().uuidString.utf8))
        let request = OpenRequest(proposal: proposal, params: channelParams, openerAmount: amount, responderAmount: peerAmount, app: app)
        let link = try link(forKey: peerKey)

        let accept = try await exchange(proposal, send: .openRequest(request), over: link)
        guard case .openAccept(_, let contribution) = accept else { throw ChannelServiceError.protocolViolation("expected openAccept, got \(accept)") }

        let outputs = try await ownOutputs()
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1_000)
        var funding = try FundingTransactionBuilder(params: params, openerKey: key).build(
            openerOutputs: outputs, openerAmount: amount, contribution: contribution, responderAmount: peerAmount,
            channel: channelParams, nowMs: nowMs)
        let fundingOutpoint = OutPoint(txid: funding.txid, index: 0)
        let id = channelParams.channelId(network: params.networkID, funding: fundingOutpoint)
        var record = ChannelRecord(
            id: id, network: params.networkID, params: channelParams, funding: fundingOutpoint, amount: funding.outputs[0].amount,
            side: .a, peerURL: peerURL, app: app, status: .opening)
        let refund = try refundState(record: record, openerAmount: amount, responderAmount: peerAmount, app: app)
        let ownRefundSignature = sign(refund)

        let signed = try await exchange(proposal, send: .openFunding(proposal: proposal, funding: funding, refund: refund, refundSignature: ownRefundSignature), over: link)
        guard case .openSigned(_, let peerRefundSignature, let peerWitnesses) = signed else {
            throw ChannelServiceError.protocolViolation("expected openSigned, got \(signed)")
        }
        let coSignedRefund = CoSignedState(state: refund, sigA: ownRefundSignature, sigB: peerRefundSignature)
        guard coSignedRefund.isValid(for: channelParams, network: params.networkID) else {
            throw ChannelServiceError.protocolViolation("the peer's refund signature does not verify")
        }
        // The co-signed refund is on disk before this side signs its funding inputs.
        records[id] = record
        latest[id] = coSignedRefund
        do {
            try store.save(record, latest: coSignedRefund)
        } catch {
            throw ChannelServiceError.store(error)
        }
        let ownCount = funding.inputs.count - contribution.inputs.count
        guard peerWitnesses.count == contribution.inputs.count else {
            throw ChannelServiceError.protocolViolation("the peer signed \(peerWitnesses.count) of its \(contribution.inputs.count) funding inputs")
        }
        let txid = funding.txid
        let ownWitness = Witness(items: [try! key.sign(txid: txid, network: params.networkID).bytes])
        funding.witnesses = Array(repeating: ownWitness, count: ownCount) + peerWitnesses
        do {
            _ = try await node.submit(funding)
        } catch {
            throw ChannelServiceError.node("the funding transaction was refused: \(error.description)")
        }
        record.status = .open
        try save(record)
        return record
    }

    /// The refund (version 0): each side gets back what it put in, or for a game, the empty board.
    func refundState(record: ChannelRecord, openerAmount: Amount, responderAmount: Amount, app: String) throws(ChannelServiceError) -> ChannelState {
        let balances = Self.balances(a: openerAmount, b: responderAmount, record: record)
        var appData = [UInt8]()
        if record.params.hasApp {
            guard let known = ChannelApps.app(named: app), let initial = known.initialAppData else {
                throw ChannelServiceError.protocolViolation("unknown app \(app)")
            }
            appData = initial(record)
        }
        return ChannelState(channelId: record.id, version: 0, isFinal: false, balances: balances, appData: appData)
    }

    func link(forKey key: RawPublicKey) throws(ChannelServiceError) -> PeerLink {
        guard let link = links[key] else { throw ChannelServiceError.peerUnreachable(url: key.bytes.hexString, reason: "the link closed") }
        return link
    }

    /// Sends `message` and waits (up to 30 s) for the peer's reply to the same proposal.
    func exchange(_ proposal: Hash32, send message: ChannelMessage, over link: PeerLink) async throws -> ChannelMessage {
        let timeout = Task {
            try await Task.sleep(for: .seconds(30))
            self.failOpen(proposal, .timedOut("the peer's answer to the channel opening"))
        }
        defer { timeout.cancel() }
        let reply: ChannelMessage
        do {
            reply = try await awaitReply(proposal, send: message, over: link)
        } catch let error as ChannelServiceError {
            throw error
        } catch {
            throw ChannelServiceError.protocolViolation("\(error)")
        }
        if case .refuse(_, _, let reason) = reply { throw ChannelServiceError.peerRefused(reason) }
        return reply
    }

    private func awaitReply(_ proposal: Hash32, send message: ChannelMessage, over link: PeerLink) async throws -> ChannelMessage {
        let reply = Reply<ChannelMessage>()
        openWaiters[proposal] = reply
        link.send(message)
        return try await reply.value()
    }

    func failOpen(_ proposal: Hash32, _ error: ChannelServiceError) {
        openWaiters.removeValue(forKey: proposal)?.resume(throwing: error)
    }

    // MARK: - The responding side

    func receiveOpenRequest(_ request: OpenRequest, from peer: RawPublicKey, link: PeerLink) async {
        let refuse = { (reason: String) in link.send(.refuse(channel: request.proposal, version: 0, reason: reason)) }
        let layer2 = params.layer2
        guard request.params.keyA == peer, request.params.keyB == ownKey else { return refuse("the keys are not ours") }
        guard request.params.window >= layer2.windowMinimum, request.params.window <= layer2.windowMaximum else {
            return refuse("window \(request.params.window) is outside [\(layer2.windowMinimum), \(layer2.windowMaximum)]")
        }
        if request.app == "payments" {
            guard !request.params.hasApp else { return refuse("a payment channel has no app hash") }
        } else {
            guard let app = ChannelApps.app(named: request.app), app.hash == request.params.app else { return refuse("unknown app \(request.app)") }
            guard request.openerAmount == request.responderAmount else { return refuse("a game is played for equal stakes") }
        }
        guard request.openerAmount >= params.dust, request.responderAmount == .zero || request.responderAmount >= params.dust else {
            return refuse("a share is below the dust limit")
        }
        var contribution = FundingContribution.none
        if request.responderAmount > .zero {
            do {
                contribution = try await contributionOf(request.responderAmount)
            } catch {
                return refuse((error as? ChannelServiceError)?.description ?? "\(error)")
            }
        }
        responderProposals[request.proposal] = (request, contribution)
        link.send(.openAccept(proposal: request.proposal, contribution: contribution))
    }

    /// This side's confirmed outputs, as the node's address index reports them.
    func ownOutputs() async throws -> [WalletOutput] {
        do {
            return try await node.outputs(of: Address(publicKeyHash: key.publicKey.publicKeyHash, network: params.networkID))
        } catch {
            throw ChannelServiceError.node(error.description)
        }
    }

    /// This side's share: its largest outputs until they cover `amount`, the rest back as change.
    func contributionOf(_ amount: Amount) async throws -> FundingContribution {
        let outputs = try await ownOutputs()
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1_000)
        var inputs = [FundingInput]()
        var held = Amount.zero
        for output in outputs.filter({ $0.isSpendable(atMs: nowMs) }).sorted(by: { $0.amount > $1.amount }) {
            guard inputs.count < FundingContribution.maxInputs, held < amount else { break }
            inputs.append(FundingInput(outpoint: output.outpoint, amount: output.amount))
            held = held.adding(output.amount) ?? held
        }
        guard held >= amount, let change = held.subtracting(amount) else {
            throw ChannelServiceError.funding("this side holds \(held) spendable in at most \(FundingContribution.maxInputs) outputs, not \(amount)")
        }
        guard change == .zero || change >= params.dust else {
            throw ChannelServiceError.funding("the change of \(change) would be below the dust limit; choose another amount")
        }
        let changeOutput = change == .zero ? nil : Output(amount: change, lock: .pubKeyHash(key.publicKey.publicKeyHash))
        return FundingContribution(inputs: inputs, change: changeOutput)
    }

    func receiveFunding(
        proposal: Hash32, funding: Transaction, refund: ChannelState, signature: Signature, from peer: RawPublicKey, link: PeerLink
    ) async {
        guard let (request, contribution) = responderProposals.removeValue(forKey: proposal) else {
            return link.send(.refuse(channel: proposal, version: 0, reason: "unknown proposal"))
        }
        let refuse = { (reason: String) in link.send(.refuse(channel: proposal, version: 0, reason: reason)) }
        guard let total = request.openerAmount.adding(request.responderAmount),
              funding.outputs.first == Output(amount: total, lock: .channel(request.params))
        else { return refuse("output 0 of the funding transaction is not the channel") }
        let ownInputs = funding.inputs.filter { $0.unlock == .publicKey(ownKey) }
        guard ownInputs.map(\.outpoint) == contribution.inputs.map(\.outpoint),
              Array(funding.inputs.suffix(ownInputs.count)).map(\.outpoint) == contribution.inputs.map(\.outpoint)
        else { return refuse("the funding transaction does not spend exactly this side's offered inputs, last") }
        if let change = contribution.change, !funding.outputs.dropFirst().contains(change) {
            return refuse("the funding transaction lacks this side's change")
        }
        let fundingOutpoint = OutPoint(txid: funding.txid, index: 0)
        let id = request.params.channelId(network: params.networkID, funding: fundingOutpoint)
        let record = ChannelRecord(
            id: id, network: params.networkID, params: request.params, funding: fundingOutpoint, amount: total, side: .b,
            peerURL: nil, app: request.app, status: .open)
        let expected: ChannelState
        do throws(ChannelServiceError) {
            expected = try refundState(record: record, openerAmount: request.openerAmount, responderAmount: request.responderAmount, app: request.app)
        } catch {
            return refuse(error.description)
        }
        guard refund == expected else { return refuse("the refund is not each side's share back at version 0") }
        let own = sign(refund)
        let coSigned = CoSignedState(state: refund, sigA: signature, sigB: own)
        guard coSigned.isValid(for: request.params, network: params.networkID) else { return refuse("the opener's refund signature does not verify") }
        records[id] = record
        latest[id] = coSigned
        do {
            try store.save(record, latest: coSigned)
        } catch {
            return refuse("this side cannot store the channel: \(error)")
        }
        let witness = Witness(items: [try! key.sign(txid: funding.txid, network: params.networkID).bytes])
        link.send(.openSigned(proposal: proposal, refundSignature: own, witnesses: Array(repeating: witness, count: ownInputs.count)))
    }
}
