import EmberCore
import EmberCrypto

/// Why a transaction breaks a rule of DESIGN.md section 4 (or 15, wrapped in `covenant`); each case carries what was expected and
/// what was found. All are the sender's fault, except `missingInput`, which may only mean the sender
/// knows a transaction we have not seen yet.
public enum TransactionRejection: Error, Hashable, Sendable, CustomStringConvertible {
    case noInputs
    case noOutputs
    case tooManyInputs(limit: Int, found: Int)
    case tooManyOutputs(limit: Int, found: Int)
    case tooLarge(limit: Int, found: Int)
    case tooHeavy(limit: Int, found: Int)
    case unsupportedVersion(UInt8)
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
    /// A rule of protocol v2 (reads, blobs, covenants) is broken.
    case covenant(CovenantRejection)

    /// False only when a rejection may be our ignorance rather than the sender's fault.
    public var isSenderAtFault: Bool {
        switch self {
        case .missingInput: false
        case .covenant(let rejection): rejection.isSenderAtFault
        default: true
        }
    }

    public var description: String {
        switch self {
        case .noInputs: "the transaction has no inputs (only the coinbase, at index 0 of a block, may)"
        case .noOutputs: "the transaction has no outputs"
        case .tooManyInputs(let limit, let found): "\(found) inputs, more than the limit of \(limit)"
        case .tooManyOutputs(let limit, let found): "\(found) outputs, more than the limit of \(limit)"
        case .tooLarge(let limit, let found): "\(found) bytes, more than the limit of \(limit)"
        case .tooHeavy(let limit, let found): "weight \(found) (bytes plus declared VM runs), more than a transaction's limit of \(limit)"
        case .unsupportedVersion(let version): "version \(version) is not a transaction version (1 or 2)"
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
        case .covenant(let rejection): rejection.description
        }
    }
}
