import EmberCrypto

/// What an input spending a covenant lock offers (DESIGN.md sections 15 to 19): the spend mode, where its
/// pinned outputs start, and the fields some modes add. The body of unlock tags 1 to 3.
///
/// On the wire, after the unlock tag: `mode u8 | firstOutput varint`, then for tag 1 `maxSteps u32`, and
/// for tags 2 and 3 `recipient 32` in the modes that pay a bounty. Tag 1's modes are fixed (docs/channels.md);
/// those of tags 2 and 3 are provisional until their protocols' docs pages fix them (docs/encoding.md).
///
/// Encoding writes the fields the value holds; a value its tag's layout cannot carry (a recipient in a mode
/// without a bounty, maxSteps other than 0 outside tag 1) encodes to bytes that decode to something else.
public struct CovenantUnlock: Hashable, Sendable {
    /// The spend mode, one of `ChannelMode`, `PlasmaMode` or `TruebitMode` by the unlock's tag.
    public var mode: UInt8
    /// The index of the first output the mode pins (a varint on the wire, at most `UInt32.max`).
    public var firstOutput: UInt64
    /// The most EmberVM steps the spend may run; 0 where no VM runs. On the wire only for tag 1.
    public var maxSteps: UInt32
    /// The pubKeyHash a bounty is paid to; present exactly in the bounty modes of tags 2 and 3.
    public var recipient: Hash32?

    public init(mode: UInt8, firstOutput: UInt64, maxSteps: UInt32 = 0, recipient: Hash32? = nil) {
        self.mode = mode
        self.firstOutput = firstOutput
        self.maxSteps = maxSteps
        self.recipient = recipient
    }

    /// The spend modes of a state channel (unlock tag 1, DESIGN.md section 16).
    public enum ChannelMode: UInt8, CaseIterable, Sendable {
        case cooperative = 0
        case conclude = 1
        case dispute = 2
        case override = 3
        case settle = 4
        case forceMove = 5
    }

    /// The spend modes of Plasma (unlock tag 2, DESIGN.md section 17).
    public enum PlasmaMode: UInt8, CaseIterable, Sendable {
        case commit = 0
        case exit = 1
        case challengeSpent = 2
        case challengeDoubleSpend = 3
        case answer = 4
        case cancel = 5
        case finalize = 6
        case reclaimChallenge = 7
        case fraudProof = 8
        case close = 9
        case preempt = 10
        case sweep = 11
        case releaseBond = 12

        /// Whether the mode pays a bounty, so the unlock names its recipient. Only a fraud proof does: a
        /// cancel pays the key its evidence names, so a copied cancel gains its copier nothing.
        public var paysBounty: Bool {
            switch self {
            case .fraudProof: true
            case .commit, .exit, .challengeSpent, .challengeDoubleSpend, .answer, .cancel, .finalize, .reclaimChallenge, .close,
                 .preempt, .sweep, .releaseBond:
                false
            }
        }
    }

    /// The spend modes of Truebit (unlock tag 3, DESIGN.md section 18); none pays a bounty.
    public enum TruebitMode: UInt8, CaseIterable, Sendable {
        case refund = 0
        case commit = 1
        case reveal = 2
        case missedReveal = 3
        case bisect = 4
        case choose = 5
        case step = 6
        case claimTimeout = 7
        case closeRefuted = 8
        case payout = 9
        /// Spends a truebitResult whose solution has a marker (docs/truebit.md fix V).
        case voidResult = 10
        /// Spends a truebitRefuted marker 700 000 blocks after its creation (docs/truebit.md fix U).
        case sweep = 11
    }

    /// Which unlock tag's layout the body follows.
    enum Layout: Sendable {
        case channel, plasma, truebit
    }

    func encode(to writer: inout ByteWriter, layout: Layout) {
        writer.writeUInt8(mode)
        writer.writeVarint(UInt128(firstOutput))
        if layout == .channel { writer.writeUInt32(maxSteps) }
        if let recipient { writer.writeHash(recipient) }
    }

    static func decode(from reader: inout ByteReader, layout: Layout) throws(DecodingError) -> CovenantUnlock {
        let mode = try reader.readUInt8(field: "mode")
        let paysBounty: Bool
        switch layout {
        case .channel:
            guard ChannelMode(rawValue: mode) != nil else { throw DecodingError(.unknownTag(mode), at: "mode") }
            paysBounty = false
        case .plasma:
            guard let plasmaMode = PlasmaMode(rawValue: mode) else { throw DecodingError(.unknownTag(mode), at: "mode") }
            paysBounty = plasmaMode.paysBounty
        case .truebit:
            guard TruebitMode(rawValue: mode) != nil else { throw DecodingError(.unknownTag(mode), at: "mode") }
            paysBounty = false
        }
        // An output index: no transaction has more outputs than 32 bits count.
        let firstOutput = try reader.readVarint(as: UInt32.self, field: "firstOutput")
        let maxSteps = layout == .channel ? try reader.readUInt32(field: "maxSteps") : 0
        let recipient = paysBounty ? try reader.readHash(field: "recipient") : nil
        return CovenantUnlock(mode: mode, firstOutput: UInt64(firstOutput), maxSteps: maxSteps, recipient: recipient)
    }
}
