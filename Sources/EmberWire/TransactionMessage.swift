import EmberCore

/// Carries one transaction, in answer to a `GetDataMessage`.
public struct TransactionMessage: WirePayload {
    public static let command = WireCommand.transaction
    /// A transaction's own consensus limit.
    public static let maxPayloadSize = Transaction.maxSize

    public var transaction: Transaction

    public init(transaction: Transaction) {
        self.transaction = transaction
    }
}

extension TransactionMessage {
    public static let codecName = "tx"

    public func encode(to writer: inout ByteWriter) {
        writer.write(transaction)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TransactionMessage {
        TransactionMessage(transaction: try reader.read(Transaction.self, field: "transaction"))
    }
}
