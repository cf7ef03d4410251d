import EmberCore
import EmberCrypto

/// Why a block breaks a rule of DESIGN.md sections 5-11, with what was expected and what was found.
///
/// Three questions matter to the layers above: is the sender at fault (score the peer), is the
/// rejection only for now (a block from the future is retried later), and does it prove the block
/// hash invalid forever (remember it, never validate it again).
public enum BlockRejection: Error, Hashable, Sendable, CustomStringConvertible {
    // Tier 1: the header alone.
    case badTarget(TargetRejection)
    case insufficientWork(hash: Hash32, target: CompactTarget)
    // Tier 2: the header in context.
    case wrongHeight(expected: UInt64, found: UInt64)
    case timestampNotAfterParent(parent: UInt64, found: UInt64)
    case timestampInFuture(limit: UInt64, found: UInt64)
    case wrongTarget(expected: CompactTarget, found: CompactTarget)
    // Tier 3: the body.
    case noTransactions
    case tooManyTransactions(limit: Int, found: Int)
    case tooHeavy(limit: Int, found: Int)
    case merkleRootMismatch(header: Hash32, computed: Hash32)
    case coinbaseHeightMissing
    case coinbaseHeightMismatch(expected: UInt64, found: UInt64)
    case coinbaseLockTime(expected: UInt64, found: UInt64)
    case coinbaseFormWhenInactive
    case coinbaseBurnMissing(burnt: Amount)
    case coinbaseChangeLock(output: Int)
    case coinbaseInputsOfSeveralKeys
    case coinbaseNotVersion1(found: UInt8)
    case coinbaseCovenantOutput(output: Int, lockTag: UInt8)
    case transaction(index: Int, TransactionRejection)
    // Tier 4: against the UTXO view.
    case coinbaseBurnMismatch(expected: Amount, found: Amount)
    case coinbaseAmount(expected: Amount, found: Amount)

    /// The rejection of one transaction of the block.
    public var transactionRejection: TransactionRejection? {
        if case .transaction(_, let rejection) = self { return rejection }
        return nil
    }

    /// A block from the future may become valid as time passes; nothing else does.
    public var isTemporary: Bool {
        if case .timestampInFuture = self { return true }
        return false
    }

    /// Whether the peer that sent the block broke a rule (and gets scored for it).
    ///
    /// Every rule but the clock's: even an input that does not exist is the sender's fault here, since
    /// a block is checked against the complete UTXO set of its parent.
    public var isSenderAtFault: Bool { !isTemporary }

    /// Whether the block hash is invalid for ever, so it is remembered and never validated again.
    ///
    /// Header failures prove it (DESIGN.md section 11). A body that does not hash to the header's
    /// txRoot, or that is too heavy to be hashed at all, says nothing about the block: another body
    /// may match. Once the root matches, the body is the one the hash commits to, so its failures
    /// prove the block invalid too.
    public var provesBlockInvalid: Bool {
        switch self {
        case .timestampInFuture, .noTransactions, .tooManyTransactions, .tooHeavy, .merkleRootMismatch: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .badTarget(let rejection): "bad target: \(rejection)"
        case .insufficientWork(let hash, let target): "hash \(hash) does not meet target \(target)"
        case .wrongHeight(let expected, let found): "height \(found), expected \(expected)"
        case .timestampNotAfterParent(let parent, let found): "timestamp \(found) is not after the parent's \(parent)"
        case .timestampInFuture(let limit, let found): "timestamp \(found) is too far in the future (limit \(limit))"
        case .wrongTarget(let expected, let found): "target \(found), expected \(expected)"
        case .noTransactions: "the block has no coinbase"
        case .tooManyTransactions(let limit, let found): "\(found) transactions, more than the limit of \(limit)"
        case .tooHeavy(let limit, let found): "weight \(found) (bytes plus declared steps / 64), more than the limit of \(limit)"
        case .merkleRootMismatch(let header, let computed): "the transactions hash to \(computed), the header says \(header)"
        case .coinbaseHeightMissing: "the coinbase's output 0 data does not start with a minimal height varint"
        case .coinbaseHeightMismatch(let expected, let found): "the coinbase names height \(found), expected \(expected)"
        case .coinbaseLockTime(let expected, let found): "the coinbase's lockTime is \(found), expected \(expected)"
        case .coinbaseFormWhenInactive: "a PoW block's coinbase has inputs, extra outputs or witnesses"
        case .coinbaseBurnMissing(let burnt): "PoLW is active and the coinbase must burn \(burnt) units from inputs"
        case .coinbaseChangeLock(let output): "coinbase output \(output) is not change to the burning key with lockTime 0"
        case .coinbaseInputsOfSeveralKeys: "the coinbase's inputs are owned by more than one key"
        case .coinbaseNotVersion1(let found): "the coinbase is a version-\(found) transaction; it stays version 1"
        case .coinbaseCovenantOutput(let output, let tag): "coinbase output \(output) has covenant lock tag \(tag); it pays a pubKeyHash lock"
        case .transaction(let index, let rejection): "transaction \(index): \(rejection)"
        case .coinbaseBurnMismatch(let expected, let found): "the coinbase burns \(found) units, expected \(expected)"
        case .coinbaseAmount(let expected, let found): "the coinbase pays \(found) units, expected \(expected)"
        }
    }
}
