import EmberCore

/// The body of `POST /v1/plasma/transactions`: 1 … `maxCount` child transactions, 136 bytes each,
/// end to end, nothing else.
public enum ChildTransactionBatch {
    /// Bounds one request's work (4 096 signature checks, about a tenth of a second on two cores) and
    /// the body a server buffers before deciding (557 056 bytes).
    public static let maxCount = 4_096
    /// The largest body accepted.
    public static let maxByteCount = maxCount * ChildTransaction.byteCount

    /// Why a body is not a batch; the sender's fault, answered with 400.
    public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        case empty
        case notAMultiple(byteCount: Int)
        case tooMany(byteCount: Int)

        public var description: String {
            switch self {
            case .empty:
                "the body is empty; send 1 to \(maxCount) child transactions of \(ChildTransaction.byteCount) bytes each, end to end"
            case .notAMultiple(let byteCount):
                "the body is \(byteCount) bytes, not a multiple of \(ChildTransaction.byteCount) (one child transaction); send whole transactions only"
            case .tooMany(let byteCount):
                "the body is \(byteCount) bytes, over \(maxByteCount) (\(maxCount) child transactions); split it into several requests"
            }
        }
    }

    /// The transactions of `body`, in order; the length is checked before anything is decoded.
    public static func decode(_ body: [UInt8]) throws(Refusal) -> [ChildTransaction] {
        guard !body.isEmpty else { throw .empty }
        guard body.count <= maxByteCount else { throw .tooMany(byteCount: body.count) }
        guard body.count % ChildTransaction.byteCount == 0 else { throw .notAMultiple(byteCount: body.count) }
        var reader = ByteReader(body)
        var moves = [ChildTransaction]()
        moves.reserveCapacity(body.count / ChildTransaction.byteCount)
        while !reader.isAtEnd {
            // Every field of a child transaction is a fixed-size byte string, so whole 136-byte pieces
            // always decode; the guard keeps a future format change from trapping here.
            guard let move = try? ChildTransaction.decode(from: &reader) else { throw .notAMultiple(byteCount: body.count) }
            moves.append(move)
        }
        return moves
    }

    /// The body that carries `moves`.
    public static func encode(_ moves: some Sequence<ChildTransaction>) -> [UInt8] {
        var writer = ByteWriter()
        for move in moves { move.encode(to: &writer) }
        return writer.bytes
    }
}
