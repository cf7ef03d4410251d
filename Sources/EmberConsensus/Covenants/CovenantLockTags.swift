import EmberCore

/// What DESIGN.md sections 15–18 fix about each lock tag, apart from its spending rules: which unlock
/// tag spends it, whether other transactions may read it, and whether it is a zero-amount commitment.
public enum CovenantLockTags {
    /// The unlock tag that spends an output with lock tag `lockTag` (0 for a pubKeyHash lock).
    public static func unlockTag(spending lockTag: UInt8) -> UInt8? {
        switch lockTag {
        case Lock.Tag.pubKeyHash: Unlock.Tag.publicKey
        case Lock.Tag.channel, Lock.Tag.channelDispute: Unlock.Tag.channel
        case Lock.Tag.plasmaOperator, Lock.Tag.plasmaBlock, Lock.Tag.plasmaCoin, Lock.Tag.plasmaExit, Lock.Tag.plasmaBond,
             Lock.Tag.plasmaChallenge, Lock.Tag.plasmaExitClosed:
            Unlock.Tag.plasma
        case Lock.Tag.truebitTask, Lock.Tag.truebitSolution, Lock.Tag.truebitGame, Lock.Tag.truebitResult,
             Lock.Tag.truebitRefuted, Lock.Tag.truebitCommit:
            Unlock.Tag.truebit
        default: nil
        }
    }

    /// Tags another transaction may name in its `reads`: commitments, bonds, exits and solutions.
    public static let readable: Set<UInt8> = [
        Lock.Tag.plasmaBlock, Lock.Tag.plasmaExit, Lock.Tag.truebitSolution, Lock.Tag.plasmaBond,
        Lock.Tag.truebitResult, Lock.Tag.truebitRefuted, Lock.Tag.plasmaExitClosed,
    ]

    /// Whether `lock` is a zero-amount commitment: exempt from dust, never spendable, readable.
    public static func isCommitment(_ lock: Lock) -> Bool {
        switch lock {
        // A plasmaExitClosed marker holds dust and is swept (docs/plasma.md), and so do Truebit's results
        // and markers (docs/truebit.md fix U): none is one.
        case .plasmaBlock: true
        case .plasmaBond(let bond): bond.state == .frozen
        default: false
        }
    }
}
