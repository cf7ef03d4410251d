import EmberCore
import EmberCrypto

/// Why the operator refuses a child transaction. Every case but `chainFrozen` is the sender's fault;
/// each carries what was expected and what was found, so a client can tell what to fix.
public enum AdmissionRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// A fraud proof froze the chain on layer 1: it takes no more moves.
    case chainFrozen
    /// No deposit of this coin is registered (it was never deposited, or its deposit is not final yet).
    case unknownCoin(Hash32)
    /// The coin's deposit starts its history at `firstBlock`, after the block a move admitted now could land in.
    case coinNotYetActive(firstBlock: UInt64, nextBlock: UInt64)
    /// The move does not spend the coin's latest entry: `expected` is that entry's block, `found` the
    /// move's `parentBlock`.
    case wrongParent(expected: UInt64, found: UInt64)
    /// The signature is not the latest owner's over this move (the depositor's for a first move).
    case badSignature(expectedSigner: RawPublicKey)
    /// Another move of the coin is already waiting for the next block, or came earlier in the same
    /// request: a coin moves at most once per block.
    case alreadyMovedThisBlock(Hash32)

    /// Whether the sender made the mistake (as opposed to the chain's state).
    public var isSenderAtFault: Bool { self != .chainFrozen }

    /// A stable short name for clients: the case's name.
    public var code: String {
        switch self {
        case .chainFrozen: "chainFrozen"
        case .unknownCoin: "unknownCoin"
        case .coinNotYetActive: "coinNotYetActive"
        case .wrongParent: "wrongParent"
        case .badSignature: "badSignature"
        case .alreadyMovedThisBlock: "alreadyMovedThisBlock"
        }
    }

    public var description: String {
        switch self {
        case .chainFrozen:
            "the chain is frozen by a fraud proof and takes no moves; exit the coin on layer 1"
        case .unknownCoin(let coin):
            "coin \(coin) has no registered deposit; wait until its deposit is final on layer 1"
        case .coinNotYetActive(let firstBlock, let nextBlock):
            "the coin's history starts at block \(firstBlock), but the next block is \(nextBlock); send the move again later"
        case .wrongParent(let expected, let found):
            "the move names parent block \(found), but the coin's latest entry is in block \(expected)"
        case .badSignature(let signer):
            "the signature is not by the coin's latest owner \(signer) over this move"
        case .alreadyMovedThisBlock(let coin):
            "coin \(coin) already has a move waiting for the next block; a coin moves at most once per block"
        }
    }
}
