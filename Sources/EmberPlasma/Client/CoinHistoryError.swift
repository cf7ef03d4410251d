/// Why a coin's history is refused.
public enum CoinHistoryError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingRoot(block: UInt64)
    case gap(block: UInt64)
    case oversizedProof(block: UInt64, byteCount: Int, limit: Int)
    case proofDoesNotHold(block: UInt64)
    case invalidMove(block: UInt64, CoinHistory.InvalidMove)

    public var description: String {
        switch self {
        case .missingRoot(let block): "child block \(block) is not committed on layer 1 with the finality depth yet"
        case .gap(let block): "the history has no evidence for child block \(block)"
        case .oversizedProof(let block, let count, let limit): "the proof for child block \(block) is \(count) bytes, over \(limit) (padded?)"
        case .proofDoesNotHold(let block): "the evidence for child block \(block) does not lead to its committed root"
        case .invalidMove(let block, let why): "child block \(block) holds an invalid move of the coin: \(why)"
        }
    }
}
