import EmberCrypto

/// A block: a header and its transactions, the coinbase first (DESIGN.md section 5).
public struct Block: Hashable, Sendable {
    /// Bounds the bytes one block can make every node receive, store and hash (4 MiB).
    public static let maxSize = 4 * 1_024 * 1_024
    /// Bounds the transactions, and so the Merkle leaves and lookups, one block can demand.
    public static let maxTransactions = 20_000

    /// The header, whose hash is the block's.
    public var header: BlockHeader
    /// The transactions, coinbase first, in the order they are applied.
    public var transactions: [Transaction]

    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    /// The block hash, `H(H(headerBytes))`.
    public var hash: Hash32 { header.hash }
}

extension Block: CanonicalCodable {
    public static let codecName = "block"

    public func encode(to writer: inout ByteWriter) {
        writer.write(header)
        writer.writeList(transactions)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Block {
        try reader.withLimit(maxSize) { reader throws(DecodingError) in
            let header = try reader.read(BlockHeader.self, field: "header")
            let transactions = try reader.readList(
                of: Transaction.self,
                limit: maxTransactions,
                field: "transactions"
            )
            return Block(header: header, transactions: transactions)
        }
    }
}
