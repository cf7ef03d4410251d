import EmberCrypto

/// EmberVM inside consensus (DESIGN.md section 15): a run bounded in steps and in distinct pages.
///
/// Pure: no clock, no I/O, no global state; the same program, input and maxSteps always give the same
/// outcome. A run succeeds when the program halts with exit code 0 within `maxSteps` instructions (the
/// halting `ecall` included) having touched at most `maxPages` distinct 4 KiB pages: every page
/// overlapping a loaded segment's `[vaddr, vaddr + memsz)`, the input's pages (its length word and
/// bytes at 0x3000_0000), and every page fetched, read or written during the run.
public enum ConsensusRun {
    /// The most instructions an unlock may declare; bounds the time one transaction's run can take.
    public static let maxSteps: UInt32 = 1 << 24
    /// The most distinct pages a run may touch; bounds a run's memory to 16 MiB.
    public static let maxPages = 4_096

    /// Runs `program` over `input` for at most `maxSteps` instructions (1 … 2^24).
    public static func run(program: ConsensusProgram, input: [UInt8], maxSteps: UInt32) -> ConsensusRunOutcome {
        guard maxSteps >= 1, maxSteps <= Self.maxSteps else { return .maxStepsOutOfRange(maxSteps) }
        // The pages touched at start are counted before anything is allocated, so a program declaring
        // 256 MiB of zeros or a huge input fails without costing memory.
        let startPages = program.segmentPageCount + inputPageCount(input.count)
        guard startPages <= maxPages else { return .pageLimitExceeded(pages: startPages, steps: 0) }
        // At most 4 096 pages of input (16 MiB) is far below the machine's input limit, so this cannot
        // fail; the fallback keeps the function total.
        guard let machine = try? Machine(program: program.program, input: input) else {
            return .pageLimitExceeded(pages: startPages, steps: 0)
        }
        for segment in program.program.segments where segment.memorySize > 0 {
            let first = segment.address >> MachineLayout.pageShift
            let last = (segment.address + (segment.memorySize - 1)) >> MachineLayout.pageShift
            for page in first...last { machine.memory.touchPage(page) }
        }
        var access = CountingMemoryAccess(machine.memory, pageLimit: maxPages)
        machine.run(untilStep: UInt64(maxSteps), access: &access)
        // At most 2^24 steps, so the count fits.
        let steps = UInt32(truncatingIfNeeded: machine.step)
        if access.overLimit { return .pageLimitExceeded(pages: maxPages + 1, steps: steps) }
        switch machine.status {
        case .running: return .outOfSteps(maxSteps: maxSteps)
        case .halted: return .halted(exitCode: machine.exitCode, steps: steps)
        case .trapped: return .trapped(TrapCause(rawValue: machine.exitCode) ?? .illegalInstruction, steps: steps)
        }
    }

    /// The state hash at step 0 of `program` over `input` (DESIGN.md section 14), as a Truebit task
    /// records it; fails only for an input over `MachineLayout.maxInputBytes`.
    public static func initialStateHash(program: ConsensusProgram, input: [UInt8]) throws(ProgramError) -> Hash32 {
        try Machine(program: program.program, input: input).stateHash()
    }

    /// Pages holding the input's length word and bytes: `[0x3000_0000, 0x3000_0004 + count)`.
    static func inputPageCount(_ count: Int) -> Int {
        (4 + count - 1) / MachineLayout.pageSize + 1
    }
}

/// How a consensus run ended.
public enum ConsensusRunOutcome: Equatable, Sendable {
    /// The program halted (`ecall` 93) with this exit code after `steps` instructions, the ecall included.
    case halted(exitCode: UInt32, steps: UInt32)
    /// The machine trapped at instruction number `steps`.
    case trapped(TrapCause, steps: UInt32)
    /// Still running after `maxSteps` instructions.
    case outOfSteps(maxSteps: UInt32)
    /// The run touched more than `ConsensusRun.maxPages` pages: `pages` at start, or the limit plus the
    /// page that instruction number `steps` needed (the run stops there).
    case pageLimitExceeded(pages: Int, steps: UInt32)
    /// maxSteps was 0 or above `ConsensusRun.maxSteps`; nothing ran.
    case maxStepsOutOfRange(UInt32)

    /// Whether the run halted with exit code 0: the only outcome consensus accepts.
    public var isSuccess: Bool {
        if case .halted(exitCode: 0, steps: _) = self { return true }
        return false
    }

    /// Why the run does not satisfy consensus, or nil when it does.
    public var failure: ConsensusRunFailure? {
        switch self {
        case .halted(let exitCode, _): exitCode == 0 ? nil : .nonZeroExitCode(exitCode)
        case .trapped(let cause, _): .trapped(cause)
        case .outOfSteps(let maxSteps): .didNotHalt(maxSteps: maxSteps)
        case .pageLimitExceeded: .tooManyPages(limit: ConsensusRun.maxPages)
        case .maxStepsOutOfRange(let found): .maxStepsOutOfRange(found: found, limit: ConsensusRun.maxSteps)
        }
    }

    /// Instructions executed, the halting or trapping one included.
    public var steps: UInt32 {
        switch self {
        case .halted(_, let steps), .trapped(_, let steps), .pageLimitExceeded(_, let steps): steps
        case .outOfSteps(let maxSteps): maxSteps
        case .maxStepsOutOfRange: 0
        }
    }
}

/// Why a consensus run makes its transaction invalid; a consensus rejection wraps it.
public enum ConsensusRunFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case didNotHalt(maxSteps: UInt32)
    case nonZeroExitCode(UInt32)
    case trapped(TrapCause)
    case tooManyPages(limit: Int)
    case maxStepsOutOfRange(found: UInt32, limit: UInt32)

    public var description: String {
        switch self {
        case .didNotHalt(let maxSteps): "did not halt within \(maxSteps) steps"
        case .nonZeroExitCode(let code): "exit code \(code)"
        case .trapped(let cause): "trapped: \(cause)"
        case .tooManyPages(let limit): "touched more than \(limit) pages"
        case .maxStepsOutOfRange(let found, let limit): "maxSteps \(found) is outside 1…\(limit)"
        }
    }
}
