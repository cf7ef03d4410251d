import EmberCore
import EmberCrypto

/// Why a transaction breaks a rule of DESIGN.md section 15 (reads, blobs, covenant outputs and spends).
/// Each case carries what was expected and what was found.
public enum CovenantRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// A version-1 value with reads or blobs, which its encoding cannot carry.
    case readsOrBlobsInVersion1
    /// The same outpoint read twice.
    case duplicateRead(OutPoint)
    /// An outpoint both read and spent by one transaction.
    case readAlsoSpent(OutPoint)
    /// A read that does not exist unspent at its point in the block (or is not known yet).
    case missingRead(OutPoint)
    /// A read of an output whose lock tag no rule calls readable.
    case readNotReadable(OutPoint, lockTag: UInt8)
    /// A declared step budget above the per-input maximum.
    case maxStepsAboveLimit(input: Int, limit: UInt32, found: UInt32)
    /// maxSteps declared by an unlock whose rules never run the VM.
    case maxStepsWithoutRun(input: Int, found: UInt32)
    /// An unlock of one family spending a lock of another.
    case unlockDoesNotMatchLock(input: Int, lockTag: UInt8, unlockTag: UInt8)
    /// A lock tag this network does not enforce yet.
    case notActive(lockTag: UInt8)
    /// A spend that pins nothing, with a firstOutput other than 0.
    case firstOutputNotZero(input: Int, found: UInt64)
    /// Pinned outputs that run past the end of the output list.
    case pinnedRangeOutOfBounds(input: Int, firstOutput: UInt64, count: Int, outputs: Int)
    /// An output at a pinned position that differs from what the rule requires.
    case pinnedOutputDiffers(input: Int, output: Int, expected: Output, found: Output)
    /// Two inputs pinning the same output.
    case pinnedRangesOverlap(output: Int, firstInput: Int, secondInput: Int)
    /// A covenant output neither pinned by a spend nor allowed by its tag's creation rule.
    case outputNotAllowed(output: Int, lockTag: UInt8)
    /// A commitment output carrying coin, which could never be spent.
    case commitmentWithAmount(output: Int, found: Amount)
    /// A blob no rule of the transaction names.
    case unnamedBlob(index: Int)
    /// A read no rule of the transaction looks at.
    case unusedRead(index: Int)
    /// A spend or creation whose rule holds only at other including heights (a deadline passed, a window
    /// not yet over); `rule` names the rule.
    case notAtThisHeight(rule: String, height: UInt64, heights: ValidHeights)
    /// A rule named a blob the transaction does not have.
    case blobIndexOutOfRange(index: Int, count: Int)
    /// A chosen deadline outside `h + W ... h + 2W`.
    case deadlineOutOfRange(deadline: UInt64, earliest: UInt64, latest: UInt64)
    /// A window or clock outside the network's bounds.
    case windowOutOfBounds(found: UInt64, minimum: UInt64, maximum: UInt64)
    /// A remaining clock larger than the clock left at the including height.
    case clockTooLarge(written: UInt64, remaining: UInt64)
    /// A move after the mover's clock ran out.
    case clockExpired(createdHeight: UInt64, clock: UInt64, height: UInt64)
    /// The VM run a rule requires did not halt with exit code 0 within its budget.
    case programRunFailed(input: Int, reason: String)
    /// A rule's program blob is not a valid consensus ELF.
    case programRejected(reason: String)
    /// The outputs and the burns together exceed the inputs.
    case outputsAndBurnExceedInputs(inputs: Amount, outputs: Amount, burnt: Amount)
    /// A lock rule of sections 16–18 is broken; `rule` names it, `detail` says what was found.
    case ruleBroken(lockTag: UInt8, rule: String, detail: String)

    /// False only when a rejection may be our ignorance rather than the sender's fault.
    public var isSenderAtFault: Bool {
        switch self {
        // A peer one block behind relays such a transaction honestly: a read it has not seen spent, or a
        // height, chosen deadline or clock that held at its tip.
        case .missingRead, .notAtThisHeight, .deadlineOutOfRange, .clockTooLarge, .clockExpired: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .readsOrBlobsInVersion1: "a version-1 transaction cannot carry reads or blobs"
        case .duplicateRead(let outpoint): "output \(outpoint.txid):\(outpoint.index) is read twice"
        case .readAlsoSpent(let outpoint): "output \(outpoint.txid):\(outpoint.index) is both read and spent"
        case .missingRead(let outpoint): "read \(outpoint.txid):\(outpoint.index) does not exist or is already spent"
        case .readNotReadable(let outpoint, let tag):
            "read \(outpoint.txid):\(outpoint.index) has lock tag \(tag), which no rule lets a transaction read"
        case .maxStepsAboveLimit(let input, let limit, let found): "input \(input) declares \(found) steps, above the limit of \(limit)"
        case .maxStepsWithoutRun(let input, let found): "input \(input) declares \(found) steps but its unlock runs no program"
        case .unlockDoesNotMatchLock(let input, let lockTag, let unlockTag):
            "input \(input): unlock tag \(unlockTag) cannot spend an output with lock tag \(lockTag)"
        case .notActive(let tag): "lock tag \(tag) is not active on this network yet"
        case .firstOutputNotZero(let input, let found): "input \(input) pins no output, so firstOutput must be 0, found \(found)"
        case .pinnedRangeOutOfBounds(let input, let first, let count, let outputs):
            "input \(input) pins outputs \(first)..<\(first + UInt64(count)) but the transaction has \(outputs)"
        case .pinnedOutputDiffers(let input, let output, let expected, let found):
            "input \(input) pins output \(output) as \(expected), found \(found)"
        case .pinnedRangesOverlap(let output, let first, let second): "inputs \(first) and \(second) both pin output \(output)"
        case .outputNotAllowed(let output, let tag):
            "output \(output) has lock tag \(tag) but no spend pins it and its creation rule does not allow it"
        case .commitmentWithAmount(let output, let found): "output \(output) is a commitment and must pay 0 units, found \(found)"
        case .unnamedBlob(let index): "blob \(index) is named by no rule of its transaction"
        case .unusedRead(let index): "read \(index) is used by no rule of its transaction"
        case .notAtThisHeight(let rule, let height, let heights): "\(rule) is valid at heights \(heights), not at \(height)"
        case .blobIndexOutOfRange(let index, let count): "a rule names blob \(index) but the transaction has \(count)"
        case .deadlineOutOfRange(let deadline, let earliest, let latest):
            "deadline \(deadline) is outside the allowed heights \(earliest)...\(latest)"
        case .windowOutOfBounds(let found, let minimum, let maximum): "window \(found) is outside \(minimum)...\(maximum) blocks"
        case .clockTooLarge(let written, let remaining): "the written clock \(written) exceeds the \(remaining) blocks left"
        case .clockExpired(let created, let clock, let height):
            "the clock of \(clock) blocks from height \(created) ran out before height \(height)"
        case .programRunFailed(let input, let reason): "input \(input): the program run failed: \(reason)"
        case .programRejected(let reason): "the program is not a valid consensus ELF: \(reason)"
        case .outputsAndBurnExceedInputs(let inputs, let outputs, let burnt):
            "the outputs pay \(outputs) units and the covenants burn \(burnt), but the inputs hold only \(inputs)"
        case .ruleBroken(let tag, let rule, let detail): "lock tag \(tag), \(rule): \(detail)"
        }
    }
}
