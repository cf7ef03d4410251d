/// A transaction input: the output it spends and how it meets that output's lock.
public struct Input: Hashable, Sendable {
    /// The output this input spends.
    public var outpoint: OutPoint
    /// What meets that output's lock; the matching signature is in the witness.
    public var unlock: Unlock

    public init(outpoint: OutPoint, unlock: Unlock) {
        self.outpoint = outpoint
        self.unlock = unlock
    }
}

extension Input: CanonicalCodable {
    public static let codecName = "input"

    public func encode(to writer: inout ByteWriter) {
        writer.write(outpoint)
        writer.write(unlock)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Input {
        let outpoint = try reader.read(OutPoint.self, field: "outpoint")
        let unlock = try reader.read(Unlock.self, field: "unlock")
        return Input(outpoint: outpoint, unlock: unlock)
    }
}
