import EmberCore
import EmberCrypto

/// Why a transaction breaks a rule of DESIGN.md section 4; each case carries what was expected and
/// what was found. All are the sender's fault, except `missingInput`, which may only mean the sender
/// knows a transaction we have not seen yet.
public enum TransactionRejection: Error, Hashable, Sendable, CustomStringConvertible {
    case noInputs
    case noOutputs
    case tooManyInputs(limit: Int, found: Int)
    case tooManyOutputs(limit: Int, found: Int)
    case tooLarge(limit: Int, found: Int)
    case duplicateInput(OutPoint)
    case witnessCountMismatch(expected: Int, found: Int)
    case witnessItemCount(input: Int, expected: Int, found: Int)
    case malformedSignature(input: Int, length: Int)
    case badSignature(input: Int)
    case outputBelowDust(output: Int, dust: Amount, found: Amount)
    case outputAboveMaximum(output: Int, maximum: Amount, found: Amount)
    case missingInput(OutPoint)
    case inputLocked(OutPoint, lockTime: UInt64, blockTimestamp: UInt64)
    case publicKeyMismatch(input: Int, expected: Hash32, found: Hash32)
    case inputsAboveMaximum(maximum: Amount)
    case outputsAboveMaximum(maximum: Amount)
    case outputsExceedInputs(inputs: Amount, outputs: Amount)
    case feeBelowMinimum(required: Amount, found: Amount)
    /// An output with a layer-2 lock tag, which decodes but which no active rule lets a transaction create.
    case inactiveLock(output: Int, tag: UInt8)
    /// An input with a layer-2 unlock tag, which decodes but which no active rule accepts.
    case inactiveUnlock(input: Int, tag: UInt8)
    /// An input whose unlock is not the kind its spent output's lock asks for.
    case unlockMismatch(input: Int, lockTag: UInt8, unlockTag: UInt8)

    /// False only when a rejection may be our ignorance rather than the sender's fault.
    public var isSenderAtFault: Bool {
        if case .missingInput = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .noInputs: "the transaction has no inputs (only the coinbase, at index 0 of a block, may)"
        case .noOutputs: "the transaction has no outputs"
        case .tooManyInputs(let limit, let found): "\(found) inputs, more than the limit of \(limit)"
        case .tooManyOutputs(let limit, let found): "\(found) outputs, more than the limit of \(limit)"
        case .tooLarge(let limit, let found): "\(found) bytes, more than the limit of \(limit)"
        case .duplicateInput(let outpoint): "input \(outpoint.txid):\(outpoint.index) is spent twice"
        case .witnessCountMismatch(let expected, let found): "\(found) witnesses for \(expected) inputs"
        case .witnessItemCount(let input, let expected, let found):
            "input \(input): the witness holds \(found) items, expected \(expected) (one signature)"
        case .malformedSignature(let input, let length): "input \(input): a signature is 64 bytes, found \(length)"
        case .badSignature(let input): "input \(input): the signature does not verify for this network and txid"
        case .outputBelowDust(let output, let dust, let found): "output \(output) pays \(found) units, below the dust limit \(dust)"
        case .outputAboveMaximum(let output, let maximum, let found): "output \(output) pays \(found) units, above the maximum \(maximum)"
        case .missingInput(let outpoint): "input \(outpoint.txid):\(outpoint.index) does not exist or is already spent"
        case .inputLocked(let outpoint, let lockTime, let blockTimestamp):
            "input \(outpoint.txid):\(outpoint.index) is locked until \(lockTime), after the block time \(blockTimestamp)"
        case .publicKeyMismatch(let input, let expected, let found):
            "input \(input): the public key hashes to \(found), the output is locked to \(expected)"
        case .inputsAboveMaximum(let maximum): "the inputs sum to more than the maximum amount \(maximum)"
        case .outputsAboveMaximum(let maximum): "the outputs sum to more than the maximum amount \(maximum)"
        case .outputsExceedInputs(let inputs, let outputs): "the outputs pay \(outputs) units but the inputs hold only \(inputs)"
        case .feeBelowMinimum(let required, let found): "the fee is \(found) units, below the required \(required)"
        case .inactiveLock(let output, let tag): "output \(output) has lock tag \(tag), which is not active on this network yet"
        case .inactiveUnlock(let input, let tag): "input \(input) has unlock tag \(tag), which is not active on this network yet"
        case .unlockMismatch(let input, let lockTag, let unlockTag):
            "input \(input): unlock tag \(unlockTag) cannot spend an output with lock tag \(lockTag)"
        }
    }
}
