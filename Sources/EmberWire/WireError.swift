import EmberCore
import EmberCrypto

/// Why a frame from a peer was refused; every case is the peer's fault.
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The frame does not start with `"EMB"` and our network id: another protocol or another network.
    case badMagic(expected: [UInt8], received: [UInt8])
    /// The header announces a payload longer than `Frame.maxPayloadSize`; refused before reading it.
    case frameTooLarge(length: UInt32, limit: Int)
    /// The payload does not hash to the header's checksum.
    case badChecksum(command: UInt8, expected: [UInt8], received: [UInt8])
    /// The payload is not a valid encoding of the message its command announces.
    case malformedPayload(WireCommand, DecodingError)

    /// How much this fault counts towards banning the peer (see `MisbehaviourScore`).
    public var misbehaviourScore: Int {
        switch self {
        case .badMagic, .frameTooLarge, .badChecksum, .malformedPayload: MisbehaviourScore.ban
        }
    }

    public var description: String {
        switch self {
        case .badMagic(let expected, let received):
            "frame magic \(received.hexString) is not \(expected.hexString): the peer speaks another protocol or "
                + "belongs to another network"
        case .frameTooLarge(let length, let limit):
            "frame payload of \(length) bytes is over the limit of \(limit) bytes; refused before reading it"
        case .badChecksum(let command, let expected, let received):
            "frame checksum \(received.hexString) for command \(command) does not match its payload "
                + "(\(expected.hexString)): the bytes were damaged or forged"
        case .malformedPayload(let command, let error):
            "\(command) payload is malformed: \(error)"
        }
    }
}
