import EmberCore

/// The lock rules a network enforces, one per active lock tag.
///
/// A lock tag without a rule here decodes but is rejected as not active: its outputs cannot be created
/// and its unlocks cannot spend. Each layer-2 issue adds its rules to `enshrined`. Tests may run a
/// network with other rules (`ConsensusParams.withCovenantRules`); such a network's genesis differs.
public struct CovenantRules: Sendable, Hashable {
    /// Names the set, so two networks with different rules have different parameter hashes.
    public let identity: String
    private let rules: [UInt8: any CovenantRule]

    public init(identity: String, rules: [any CovenantRule]) {
        self.identity = identity
        var table = [UInt8: any CovenantRule]()
        for rule in rules {
            precondition(table[rule.lockTag] == nil, "two covenant rules for lock tag \(rule.lockTag)")
            precondition(rule.lockTag != Lock.Tag.pubKeyHash, "lock tag 0 is the pubKeyHash rule, not a covenant")
            table[rule.lockTag] = rule
        }
        self.rules = table
    }

    /// The rules Ember's networks run: state channels (tags 1 and 2), Plasma (tags 3–6, 10, 13, 14) and
    /// Truebit (tags 7, 8, 9, 11, 12, 15).
    public static let enshrined = CovenantRules(
        identity: "enshrined",
        rules: [
            ChannelRule(), ChannelDisputeRule(), PlasmaOperatorRule(), PlasmaBlockRule(), PlasmaCoinRule(), PlasmaExitRule(),
            PlasmaBondRule(), PlasmaChallengeRule(), PlasmaExitClosedRule(), TruebitTaskRule(), TruebitCommitRule(),
            TruebitSolutionRule(), TruebitGameRule(), TruebitResultRule(), TruebitRefutedRule(),
        ])

    /// The rule for `lockTag`, or nil when the tag is not active.
    public func rule(for lockTag: UInt8) -> (any CovenantRule)? { rules[lockTag] }

    /// The active lock tags, in order.
    public var activeTags: [UInt8] { rules.keys.sorted() }

    public static func == (lhs: CovenantRules, rhs: CovenantRules) -> Bool {
        lhs.identity == rhs.identity && lhs.activeTags == rhs.activeTags
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(identity)
        hasher.combine(activeTags)
    }
}
