import EmberCore
import EmberCrypto

/// What the two channel lock rules (tags 1 and 2, DESIGN.md section 16) check alike: states well formed
/// and co-signed, cooperative signatures, and the dispute output a spend pins. docs/channels.md lists
/// each mode's witness items and checks in order.
struct ChannelSpendChecks {
    let context: SpendContext
    let lockTag: UInt8
    /// The channel's id: computed from the funding outpoint for tag 1, carried by the lock for tag 2.
    let channelId: Hash32
    let params: ChannelParams

    var network: NetworkID { context.params.networkID }
    var amount: Amount { context.spent.output.amount }
    var items: [[UInt8]] { context.witness.items }

    func broken(_ rule: String, _ detail: String) -> CovenantRejection {
        .ruleBroken(lockTag: lockTag, rule: rule, detail: detail)
    }

    /// The mode's witness must hold exactly `count` items: extra bytes would ride along unpriced by any rule.
    func requireItems(_ count: Int, mode: CovenantUnlock.ChannelMode) throws(CovenantRejection) {
        guard items.count == count else {
            throw broken("witness", "\(mode) takes \(count) witness items, found \(items.count)")
        }
    }

    /// Only force-move runs a program; any other mode declaring steps would pay weight for nothing.
    func requireNoSteps(mode: CovenantUnlock.ChannelMode) throws(CovenantRejection) {
        guard context.unlock.maxSteps == 0 else {
            throw broken("maxSteps", "\(mode) runs no program, so maxSteps must be 0, found \(context.unlock.maxSteps)")
        }
    }

    /// Decodes witness item `index` as a state, well formed for this channel: its id, 1–8 pubKeyHash
    /// balances of at least dust with lockTime 0 and no data, summing to the channel's amount exactly.
    func wellFormedState(item index: Int) throws(CovenantRejection) -> ChannelState {
        let state: ChannelState
        do {
            state = try ChannelState.decode(from: items[index], limit: Witness.maxItemSize)
        } catch {
            throw broken("state", "witness item \(index) is not a channel state: \(error)")
        }
        do {
            try context.params.checkWellFormed(state, channelId: channelId, amount: amount)
        } catch {
            throw broken("state", error.description)
        }
        return state
    }

    /// `stateHash` of witness item `index`, hashed from the item's bytes (the strict decoder made sure
    /// they are the state's canonical encoding).
    func stateHash(item index: Int) -> Hash32 {
        Layer2SignatureDomain.channelState.digest(network: network, message: items[index])
    }

    /// Checks that witness item `index` is `key`'s layer-2 signature of `message` in `domain`.
    func requireSignature(
        item index: Int, by key: RawPublicKey, party: String, domain: Layer2SignatureDomain, message: [UInt8]
    ) throws(CovenantRejection) {
        guard let signature = try? Signature(bytes: items[index]), let publicKey = try? PublicKey(bytes: key.bytes),
              publicKey.isValidSignature(signature, domain: domain, network: network, message: message)
        else {
            throw broken("signature", "witness item \(index) is not \(party)'s \(domain.rawValue) signature")
        }
    }

    /// Checks sigA and sigB (items 1 and 2) over the state in item 0.
    func requireCoSigned() throws(CovenantRejection) {
        let hash = stateHash(item: 0).bytes
        try requireSignature(item: 1, by: params.keyA, party: "A", domain: .channelState, message: hash)
        try requireSignature(item: 2, by: params.keyB, party: "B", domain: .channelState, message: hash)
    }

    /// The cooperative close: sigA and sigB (items 0 and 1) over `coopHash = H(domain ‖ network ‖ channelId ‖ txid)`;
    /// the txid covers every input and output, so the signatures bind the whole transaction.
    func cooperative() throws(CovenantRejection) -> CovenantSpend {
        try requireItems(2, mode: .cooperative)
        try requireNoSteps(mode: .cooperative)
        let message = channelId.bytes + context.txid.bytes
        try requireSignature(item: 0, by: params.keyA, party: "A", domain: .channelCoop, message: message)
        try requireSignature(item: 1, by: params.keyB, party: "B", domain: .channelCoop, message: message)
        return CovenantSpend()
    }

    /// Conclude: a co-signed final state; pins its balances. `minimumVersion` is the dispute's version on tag 2.
    func conclude(minimumVersion: UInt64?) throws(CovenantRejection) -> CovenantSpend {
        try requireItems(3, mode: .conclude)
        try requireNoSteps(mode: .conclude)
        let state = try wellFormedState(item: 0)
        guard state.isFinal else { throw broken("conclude", "the state is not final") }
        if let minimumVersion, state.version < minimumVersion {
            throw broken("conclude", "version \(state.version) is older than the dispute's \(minimumVersion)")
        }
        try requireCoSigned()
        return CovenantSpend(pinned: state.balances.map { PinnedOutput(amount: $0.amount, lock: $0.lock) })
    }

    /// The dispute output a spend pins, with the deadline the submitter wrote into the output at
    /// firstOutput when `deadline` is nil (a chosen deadline for the window, whose heights the spend
    /// then holds for), or exactly `deadline`.
    /// The rule compares that output itself, so a force-move with a wrong one fails before its program runs.
    func pinnedDispute(version: UInt64, stateHash: Hash32, forced: Bool, deadline: UInt64?) throws(CovenantRejection) -> CovenantSpend {
        let first = context.unlock.firstOutput
        let outputs = context.transaction.outputs
        guard first < UInt64(outputs.count) else {
            throw .pinnedRangeOutOfBounds(input: context.inputIndex, firstOutput: first, count: 1, outputs: outputs.count)
        }
        let found = outputs[Int(first)]
        var chosen = deadline ?? 0
        var heights = ValidHeights.unbounded
        if deadline == nil {
            guard case .channelDispute(let written) = found.lock else {
                throw broken("deadline", "output \(first) must be the channel dispute carrying the chosen deadline")
            }
            heights = try context.params.layer2.checkChosenDeadline(written.deadline, window: UInt64(params.window), height: context.height)
            chosen = written.deadline
        }
        let dispute = ChannelDisputeLock(
            channelId: channelId, params: params, version: version, stateHash: stateHash, deadline: chosen, forced: forced)
        let pinned = PinnedOutput(amount: amount, lock: .channelDispute(dispute))
        guard found == pinned.output else {
            throw .pinnedOutputDiffers(input: context.inputIndex, output: Int(first), expected: pinned.output, found: found)
        }
        return CovenantSpend(pinned: [pinned], heights: heights)
    }
}
