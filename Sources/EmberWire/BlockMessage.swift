import EmberCore

/// Carries one full block, in answer to a `GetDataMessage`.
public struct BlockMessage: WirePayload {
    public static let command = WireCommand.block
    /// A block's own consensus limit; a frame may be larger, its block may not.
    public static let maxPayloadSize = Block.maxSize

    public var block: Block

    public init(block: Block) {
        self.block = block
    }
}

extension BlockMessage {
    public static let codecName = "blockMessage"

    public func encode(to writer: inout ByteWriter) {
        writer.write(block)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> BlockMessage {
        BlockMessage(block: try reader.read(Block.self, field: "block"))
    }
}
