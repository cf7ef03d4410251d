import EmberCore
import EmberCrypto

/// Lock tag 1, an open channel (DESIGN.md section 16, docs/channels.md): closed cooperatively, concluded
/// with a co-signed final state, or disputed with any co-signed state.
public struct ChannelRule: CovenantRule {
    public init() {}

    public var lockTag: UInt8 { Lock.Tag.channel }

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        guard case .channel(let params) = context.spent.output.lock else {
            throw .ruleBroken(lockTag: lockTag, rule: "lock", detail: "the spent output is not a channel")
        }
        let checks = ChannelSpendChecks(
            context: context, lockTag: lockTag,
            channelId: params.channelId(network: context.params.networkID, funding: context.input.outpoint), params: params)
        switch CovenantUnlock.ChannelMode(rawValue: context.unlock.mode) {
        case .cooperative:
            return try checks.cooperative()
        case .conclude:
            return try checks.conclude(minimumVersion: nil)
        case .dispute:
            try checks.requireItems(3, mode: .dispute)
            try checks.requireNoSteps(mode: .dispute)
            let state = try checks.wellFormedState(item: 0)
            try checks.requireCoSigned()
            return try checks.pinnedDispute(version: state.version, stateHash: checks.stateHash(item: 0), forced: false, deadline: nil)
        case .override, .settle, .forceMove, nil:
            throw .ruleBroken(lockTag: lockTag, rule: "mode", detail: "mode \(context.unlock.mode) does not spend an open channel")
        }
    }

    /// Anyone may open a channel; its window must lie within the network's bounds.
    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        guard case .channel(let params) = context.output.lock else {
            throw .ruleBroken(lockTag: lockTag, rule: "creation", detail: "not a channel lock")
        }
        try context.params.layer2.checkWindow(UInt64(params.window))
        return CovenantCreation()
    }
}
