import EmberCrypto

/// The proof of one step (DESIGN.md section 14): the pre-state hash and the fields it hashes, the
/// instruction's leaf with its 27 siblings, then the data leaves a load or store touches.
public struct StepProof: Equatable, Sendable {
    /// One memory leaf (32 raw bytes) with the siblings on its path to the root, lowest first.
    public struct LeafProof: Equatable, Sendable {
        public var index: UInt32
        public var leaf: [UInt8]
        var siblingDigests: [Digest32]

        public init(index: UInt32, leaf: [UInt8], siblings: [Hash32]) {
            self.index = index
            self.leaf = leaf
            self.siblingDigests = siblings.map(Digest32.init)
        }

        init(index: UInt32, leaf: [UInt8], siblingDigests: [Digest32]) {
            self.index = index
            self.leaf = leaf
            self.siblingDigests = siblingDigests
        }

        public var siblings: [Hash32] {
            get { siblingDigests.map(\.hash32) }
            set { siblingDigests = newValue.map(Digest32.init) }
        }
    }

    public var preStateHash: Hash32
    public var preState: MachineState
    /// The leaf holding the instruction at pc; absent when the pre-state is halted or trapped.
    public var instruction: LeafProof?
    /// The leaves a load or store touches, in ascending leaf order; empty for other instructions.
    public var data: [LeafProof]

    public init(preStateHash: Hash32, preState: MachineState, instruction: LeafProof?, data: [LeafProof]) {
        self.preStateHash = preStateHash
        self.preState = preState
        self.instruction = instruction
        self.data = data
    }

    /// A load or store touches at most two leaves (a misaligned access across a leaf boundary).
    public static let maxDataLeaves = 2
}

/// Why a step proof was rejected. Every case says what was expected and what was found.
public enum StepProofRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case preStateHashMismatch(claimed: Hash32, computed: Hash32)
    case invalidRegisters(String)
    case stepCounterExhausted
    case unexpectedLeaves(status: MachineStatus)
    case missingInstructionLeaf
    case leavesForFetchOutsideWindows(pc: UInt32)
    case wrongLeafIndex(which: String, expected: UInt32, found: UInt32)
    case wrongLeafShape(which: String, leafBytes: Int, siblings: Int)
    case pathMismatch(which: String)
    case wrongDataLeafCount(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .malformed(let reason):
            "malformed proof: \(reason)"
        case .preStateHashMismatch(let claimed, let computed):
            "the pre-state fields hash to \(computed.hex), not to the claimed pre-state hash \(claimed.hex)"
        case .invalidRegisters(let reason):
            "invalid registers: \(reason)"
        case .stepCounterExhausted:
            "the pre-state step counter is at its maximum, so no step can follow it"
        case .unexpectedLeaves(let status):
            "the pre-state is \(status), so the proof must carry no memory leaves"
        case .missingInstructionLeaf:
            "the pre-state is running but the proof has no instruction leaf"
        case .leavesForFetchOutsideWindows(let pc):
            "pc 0x\(hex32(pc)) is outside the memory windows, so the step traps and the proof must carry no memory leaves"
        case .wrongLeafIndex(let which, let expected, let found):
            "\(which) is leaf \(found), but the step needs leaf \(expected)"
        case .wrongLeafShape(let which, let leafBytes, let siblings):
            "\(which) has \(leafBytes) leaf bytes and \(siblings) siblings; expected 32 and \(MachineLayout.treeDepth)"
        case .pathMismatch(let which):
            "\(which) and its siblings do not lead to the memory root"
        case .wrongDataLeafCount(let expected, let found):
            "the instruction touches \(expected) data leaves but the proof has \(found)"
        }
    }
}
