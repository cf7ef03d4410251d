import EmberCore
import EmberLayer2
import EmberNode

/// Why a Truebit transaction was not built; phrased for the person running the client.
public enum TruebitTransactionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The output given is not of the lock the transaction needs.
    case notThe(String, OutPoint)
    case noTasks
    /// The program blob does not load under the consensus loader.
    case programRejected(String)
    /// The input does not fit below the VM's output window.
    case inputTooLarge(bytes: Int)
    /// A run's output is larger than a reveal can prove (65 536 bytes).
    case outputTooLarge(bytes: Int)
    /// The builder spent another funding output first than the one the taskIds were derived from.
    case fundingOrderChanged
    /// The key given is not the one the lock names for this role.
    case notTheKey(role: String, expected: RawPublicKey)
    /// A bisect or choose carries the wrong number of points for the game's range.
    case pointCount(expected: Int, found: Int)
    /// The game's range is one step (or empty): the next move is the one-step proof, not a bisection.
    case notBisectable(lo: UInt64, hi: UInt64)
    case partOutOfRange(part: Int, parts: Int)
    /// The mover's clock has run out for a move included at `height`.
    case clockRanOut(clock: UInt32, createdHeight: UInt64, height: UInt64)
    /// No bisect of the game is in the transaction, or its points item is malformed.
    case noPoints(String)
    case signingFailed(String)
    /// The signed transaction came out different from the one its signature was made for.
    case signedTransactionChanged
    /// The funding key cannot pay, or the network's rules refuse the built transaction.
    case sponsorship(SponsorshipError)

    public var description: String {
        switch self {
        case .notThe(let what, let outpoint): "output \(outpoint.txid):\(outpoint.index) is not a \(what)"
        case .noTasks: "a post needs at least one task"
        case .programRejected(let reason): "the program does not load under the consensus loader: \(reason)"
        case .inputTooLarge(let bytes): "the input of \(bytes) bytes does not fit the machine's input window"
        case .outputTooLarge(let bytes): "the run's output of \(bytes) bytes is over the 65 536 bytes a reveal can carry; output a hash of it"
        case .fundingOrderChanged: "the post's first input is not the one its taskIds were derived from; nothing was sent"
        case .notTheKey(let role, let expected): "the key given is not the \(role)'s key \(expected.bytes.hexString)"
        case .pointCount(let expected, let found): "the move needs \(expected) points for the game's range, found \(found)"
        case .notBisectable(let lo, let hi): "the game's range [\(lo), \(hi)] cannot be bisected; it is settled by a one-step proof"
        case .partOutOfRange(let part, let parts): "part \(part) is not one of 1 ... \(parts)"
        case .clockRanOut(let clock, let created, let height):
            "the mover's clock of \(clock) blocks from height \(created) has run out at height \(height); the other side may claim"
        case .noPoints(let reason): "no points to read: \(reason)"
        case .signingFailed(let reason): "signing failed: \(reason)"
        case .signedTransactionChanged: "the signed transaction differs from the one signed; nothing was sent"
        case .sponsorship(let error): error.description
        }
    }
}
