import EmberCrypto

/// The condition an output sets on whoever spends it (DESIGN.md sections 4 and 15 to 18).
///
/// On the wire: a tag byte, then the body the tag defines. Tags 1 to 15 are the layer-2 covenants; they
/// decode here, and consensus decides whether they are active. Any other tag is invalid.
///
/// The covenant cases are `indirect`: their bodies run to hundreds of bytes, and every output in a UTXO
/// set, a block and a view would otherwise carry that much inline to hold a 32-byte pubKeyHash.
public enum Lock: Hashable, Sendable {
    /// Spendable by the Ed25519 key whose Blake3 hash this is (tag 0).
    case pubKeyHash(Hash32)
    /// An open state channel (tag 1).
    indirect case channel(ChannelParams)
    /// A state channel under dispute (tag 2).
    indirect case channelDispute(ChannelDisputeLock)
    /// A Plasma chain's operator (tag 3).
    indirect case plasmaOperator(PlasmaOperatorLock)
    /// A committed Plasma child block (tag 4).
    indirect case plasmaBlock(PlasmaBlockLock)
    /// A coin deposited into a Plasma chain (tag 5).
    indirect case plasmaCoin(PlasmaCoinLock)
    /// A Plasma coin exiting (tag 6).
    indirect case plasmaExit(PlasmaExitLock)
    /// A Truebit task awaiting a solver (tag 7).
    indirect case truebitTask(TruebitTaskLock)
    /// A revealed Truebit solution (tag 8).
    indirect case truebitSolution(TruebitSolutionLock)
    /// A Truebit verification game (tag 9).
    indirect case truebitGame(TruebitGameLock)
    /// A Plasma operator's bond (tag 10).
    indirect case plasmaBond(PlasmaBondLock)
    /// A Truebit task's accepted result (tag 11).
    indirect case truebitResult(TruebitResultLock)
    /// A refuted Truebit solution's marker (tag 12).
    indirect case truebitRefuted(TruebitRefutedLock)
    /// An invalid-history challenge against a Plasma exit (tag 13).
    indirect case plasmaChallenge(PlasmaChallengeLock)
    /// A closed Plasma exit's marker (tag 14).
    indirect case plasmaExitClosed(PlasmaExitClosedLock)
    /// A Truebit solver's commitment (tag 15).
    indirect case truebitCommit(TruebitCommitLock)

    /// The wire tag of each case.
    public enum Tag {
        public static let pubKeyHash: UInt8 = 0
        public static let channel: UInt8 = 1
        public static let channelDispute: UInt8 = 2
        public static let plasmaOperator: UInt8 = 3
        public static let plasmaBlock: UInt8 = 4
        public static let plasmaCoin: UInt8 = 5
        public static let plasmaExit: UInt8 = 6
        public static let truebitTask: UInt8 = 7
        public static let truebitSolution: UInt8 = 8
        public static let truebitGame: UInt8 = 9
        public static let plasmaBond: UInt8 = 10
        public static let truebitResult: UInt8 = 11
        public static let truebitRefuted: UInt8 = 12
        public static let plasmaChallenge: UInt8 = 13
        public static let plasmaExitClosed: UInt8 = 14
        public static let truebitCommit: UInt8 = 15
    }

    /// The wire tag of this case.
    public var tag: UInt8 {
        switch self {
        case .pubKeyHash: Tag.pubKeyHash
        case .channel: Tag.channel
        case .channelDispute: Tag.channelDispute
        case .plasmaOperator: Tag.plasmaOperator
        case .plasmaBlock: Tag.plasmaBlock
        case .plasmaCoin: Tag.plasmaCoin
        case .plasmaExit: Tag.plasmaExit
        case .truebitTask: Tag.truebitTask
        case .truebitSolution: Tag.truebitSolution
        case .truebitGame: Tag.truebitGame
        case .plasmaBond: Tag.plasmaBond
        case .truebitResult: Tag.truebitResult
        case .truebitRefuted: Tag.truebitRefuted
        case .plasmaChallenge: Tag.plasmaChallenge
        case .plasmaExitClosed: Tag.plasmaExitClosed
        case .truebitCommit: Tag.truebitCommit
        }
    }
}

extension Lock: CanonicalCodable {
    public static let codecName = "lock"

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt8(tag)
        switch self {
        case .pubKeyHash(let hash): writer.writeHash(hash)
        case .channel(let body): body.encode(to: &writer)
        case .channelDispute(let body): body.encode(to: &writer)
        case .plasmaOperator(let body): body.encode(to: &writer)
        case .plasmaBlock(let body): body.encode(to: &writer)
        case .plasmaCoin(let body): body.encode(to: &writer)
        case .plasmaExit(let body): body.encode(to: &writer)
        case .truebitTask(let body): body.encode(to: &writer)
        case .truebitSolution(let body): body.encode(to: &writer)
        case .truebitGame(let body): body.encode(to: &writer)
        case .plasmaBond(let body): body.encode(to: &writer)
        case .truebitResult(let body): body.encode(to: &writer)
        case .truebitRefuted(let body): body.encode(to: &writer)
        case .plasmaChallenge(let body): body.encode(to: &writer)
        case .plasmaExitClosed(let body): body.encode(to: &writer)
        case .truebitCommit(let body): body.encode(to: &writer)
        }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Lock {
        let tag = try reader.readUInt8(field: "tag")
        switch tag {
        case Tag.pubKeyHash: return .pubKeyHash(try reader.readHash(field: "pubKeyHash"))
        case Tag.channel: return .channel(try reader.read(ChannelParams.self, field: "channel"))
        case Tag.channelDispute: return .channelDispute(try reader.read(ChannelDisputeLock.self, field: "channelDispute"))
        case Tag.plasmaOperator: return .plasmaOperator(try reader.read(PlasmaOperatorLock.self, field: "plasmaOperator"))
        case Tag.plasmaBlock: return .plasmaBlock(try reader.read(PlasmaBlockLock.self, field: "plasmaBlock"))
        case Tag.plasmaCoin: return .plasmaCoin(try reader.read(PlasmaCoinLock.self, field: "plasmaCoin"))
        case Tag.plasmaExit: return .plasmaExit(try reader.read(PlasmaExitLock.self, field: "plasmaExit"))
        case Tag.truebitTask: return .truebitTask(try reader.read(TruebitTaskLock.self, field: "truebitTask"))
        case Tag.truebitSolution:
            return .truebitSolution(try reader.read(TruebitSolutionLock.self, field: "truebitSolution"))
        case Tag.truebitGame: return .truebitGame(try reader.read(TruebitGameLock.self, field: "truebitGame"))
        case Tag.plasmaBond: return .plasmaBond(try reader.read(PlasmaBondLock.self, field: "plasmaBond"))
        case Tag.truebitResult: return .truebitResult(try reader.read(TruebitResultLock.self, field: "truebitResult"))
        case Tag.truebitRefuted: return .truebitRefuted(try reader.read(TruebitRefutedLock.self, field: "truebitRefuted"))
        case Tag.plasmaChallenge:
            return .plasmaChallenge(try reader.read(PlasmaChallengeLock.self, field: "plasmaChallenge"))
        case Tag.plasmaExitClosed:
            return .plasmaExitClosed(try reader.read(PlasmaExitClosedLock.self, field: "plasmaExitClosed"))
        case Tag.truebitCommit: return .truebitCommit(try reader.read(TruebitCommitLock.self, field: "truebitCommit"))
        default: throw DecodingError(.unknownTag(tag), at: "tag")
        }
    }
}
