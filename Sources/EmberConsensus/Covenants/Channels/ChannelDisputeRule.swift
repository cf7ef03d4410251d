import EmberCore
import EmberCrypto

/// Lock tag 2, a channel under dispute (DESIGN.md section 16, docs/channels.md): overridden by a newer
/// co-signed state before the deadline, moved by the app's rules, settled by anyone from the deadline on.
public struct ChannelDisputeRule: CovenantRule {
    public init() {}

    public var lockTag: UInt8 { Lock.Tag.channelDispute }

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        guard case .channelDispute(let lock) = context.spent.output.lock else {
            throw .ruleBroken(lockTag: lockTag, rule: "lock", detail: "the spent output is not a channel dispute")
        }
        let checks = ChannelSpendChecks(context: context, lockTag: lockTag, channelId: lock.channelId, params: lock.params)
        let beforeDeadline = context.height < lock.deadline
        switch CovenantUnlock.ChannelMode(rawValue: context.unlock.mode) {
        case .cooperative:
            return try checks.cooperative()
        case .conclude:
            return try checks.conclude(minimumVersion: lock.version)
        case .override:
            try checks.requireItems(3, mode: .override)
            try checks.requireNoSteps(mode: .override)
            guard beforeDeadline else { throw checks.broken("deadline", "override at height \(context.height), the deadline was \(lock.deadline)") }
            let state = try checks.wellFormedState(item: 0)
            // A co-signed state beats a forced move of the same version, never a co-signed one.
            guard state.version > lock.version || (state.version == lock.version && lock.forced) else {
                throw checks.broken("override", "version \(state.version) does not override version \(lock.version)\(lock.forced ? " (forced)" : "")")
            }
            try checks.requireCoSigned()
            var spend = try checks.pinnedDispute(
                version: state.version, stateHash: checks.stateHash(item: 0), forced: false, deadline: lock.deadline)
            spend.heights = ValidHeights(validBelow: lock.deadline)
            return spend
        case .settle:
            try checks.requireItems(1, mode: .settle)
            try checks.requireNoSteps(mode: .settle)
            guard !beforeDeadline else { throw checks.broken("deadline", "settle at height \(context.height), before the deadline \(lock.deadline)") }
            guard checks.stateHash(item: 0) == lock.stateHash else { throw checks.broken("settle", "the state is not the one under dispute") }
            let state = try checks.wellFormedState(item: 0)
            return CovenantSpend(
                pinned: state.balances.map { PinnedOutput(amount: $0.amount, lock: $0.lock) }, heights: ValidHeights(validFrom: lock.deadline))
        case .forceMove:
            return try forceMove(lock: lock, checks: checks, beforeDeadline: beforeDeadline)
        case .dispute, nil:
            throw checks.broken("mode", "mode \(context.unlock.mode) does not spend a channel dispute")
        }
    }

    /// Force-move: one party's move, checked by the app program in EmberVM, answering a stale dispute
    /// without the other's signature; it gets a fresh window.
    private func forceMove(lock: ChannelDisputeLock, checks: ChannelSpendChecks, beforeDeadline: Bool) throws(CovenantRejection) -> CovenantSpend {
        let context = checks.context
        try checks.requireItems(3, mode: .forceMove)
        guard context.unlock.maxSteps >= 1 else {
            throw .maxStepsAboveLimit(input: context.inputIndex, limit: context.params.layer2.maxStepsPerInput, found: 0)
        }
        guard lock.params.hasApp else { throw checks.broken("forceMove", "a payment channel has no app to move by") }
        guard beforeDeadline else { throw checks.broken("deadline", "force-move at height \(context.height), the deadline was \(lock.deadline)") }
        guard checks.stateHash(item: 0) == lock.stateHash else { throw checks.broken("forceMove", "the old state is not the one under dispute") }
        let old = try checks.wellFormedState(item: 0)
        guard !old.isFinal else { throw checks.broken("forceMove", "the old state is final") }
        guard old.version < .max else { throw checks.broken("forceMove", "the old state's version is at its maximum") }
        let new = try checks.wellFormedState(item: 1)
        guard new.version == old.version + 1 else {
            throw checks.broken("forceMove", "the new version \(new.version) is not \(old.version + 1)")
        }
        // Finality is something only both signatures make: a forced final state would leave the other
        // side no move and no override (docs/channels.md, attack 3).
        guard !new.isFinal else { throw checks.broken("forceMove", "a forced state cannot be final") }
        guard let programIndex = context.transaction.blobs.firstIndex(where: { Blake3.hash($0) == lock.params.app }) else {
            throw checks.broken("forceMove", "no blob of the transaction is the app program \(lock.params.app)")
        }
        let newHash = checks.stateHash(item: 1)
        var spend = try checks.pinnedDispute(version: new.version, stateHash: newHash, forced: true, deadline: nil)
        spend.namedBlobs = [programIndex]
        spend.heights = spend.heights.intersection(ValidHeights(validBelow: lock.deadline))
        let moverIsA = new.version % 2 == 1
        try checks.requireSignature(
            item: 2, by: moverIsA ? lock.params.keyA : lock.params.keyB, party: moverIsA ? "A (the mover)" : "B (the mover)",
            domain: .channelState, message: newHash.bytes)
        // The program runs last: every cheaper check has passed by now.
        var input = ByteWriter()
        input.writeUInt64(lock.deadline)
        lock.params.encode(to: &input)
        try context.params.runCovenantProgram(
            context.transaction.blobs[programIndex], input: input.bytes + checks.items[0] + checks.items[1],
            maxSteps: context.unlock.maxSteps, inputIndex: context.inputIndex)
        return spend
    }

    /// A dispute exists only as the pinned output of a dispute, override or force-move.
    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .ruleBroken(lockTag: lockTag, rule: "creation", detail: "a channel dispute is created only by a channel spend")
    }
}
