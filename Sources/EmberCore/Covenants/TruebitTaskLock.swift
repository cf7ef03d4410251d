import EmberCrypto

/// A computation posted for solving, holding the reward (DESIGN.md section 18, revised: docs/truebit.md);
/// the body of lock tag 7, and the task body that tags 8 and 15 embed.
///
/// On the wire: `taskId 32 | giverKey 32 | programHash 32 | inputHash 32 | initialState 32 | maxSteps u64 |
/// solverDeposit varint | challengerDeposit varint | solveDeadline u64 | challengeWindow u32 | clock u32`.
public struct TruebitTaskLock: Hashable, Sendable {
    /// The task's identity, fixed at post: H("ember/truebit-task/v1" ‖ the post's first input's
    /// outpoint ‖ varint(output index)); copied by every lock that embeds the task.
    public var taskId: Hash32
    public var giverKey: RawPublicKey
    /// The hash of the ELF program blob.
    public var programHash: Hash32
    /// The hash of the input blob.
    public var inputHash: Hash32
    /// The machine's state hash after loading the program and input.
    public var initialState: Hash32
    /// At most challengeWindow · truebitStepsPerWindowBlock (checked at post).
    public var maxSteps: UInt64
    public var solverDeposit: Amount
    public var challengerDeposit: Amount
    /// The height from which an unsolved task returns to its giver.
    public var solveDeadline: UInt64
    public var challengeWindow: UInt32
    /// Each side's clock, in blocks, for a verification game.
    public var clock: UInt32

    public init(
        taskId: Hash32, giverKey: RawPublicKey, programHash: Hash32, inputHash: Hash32, initialState: Hash32, maxSteps: UInt64,
        solverDeposit: Amount, challengerDeposit: Amount, solveDeadline: UInt64, challengeWindow: UInt32, clock: UInt32
    ) {
        self.taskId = taskId
        self.giverKey = giverKey
        self.programHash = programHash
        self.inputHash = inputHash
        self.initialState = initialState
        self.maxSteps = maxSteps
        self.solverDeposit = solverDeposit
        self.challengerDeposit = challengerDeposit
        self.solveDeadline = solveDeadline
        self.challengeWindow = challengeWindow
        self.clock = clock
    }
}

extension TruebitTaskLock: CanonicalCodable {
    public static let codecName = "truebitTask"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(taskId)
        writer.writeKey(giverKey)
        writer.writeHash(programHash)
        writer.writeHash(inputHash)
        writer.writeHash(initialState)
        writer.writeUInt64(maxSteps)
        writer.writeAmount(solverDeposit)
        writer.writeAmount(challengerDeposit)
        writer.writeUInt64(solveDeadline)
        writer.writeUInt32(challengeWindow)
        writer.writeUInt32(clock)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TruebitTaskLock {
        TruebitTaskLock(
            taskId: try reader.readHash(field: "taskId"),
            giverKey: try reader.readKey(field: "giverKey"),
            programHash: try reader.readHash(field: "programHash"),
            inputHash: try reader.readHash(field: "inputHash"),
            initialState: try reader.readHash(field: "initialState"),
            maxSteps: try reader.readUInt64(field: "maxSteps"),
            solverDeposit: try reader.readAmount(field: "solverDeposit"),
            challengerDeposit: try reader.readAmount(field: "challengerDeposit"),
            solveDeadline: try reader.readUInt64(field: "solveDeadline"),
            challengeWindow: try reader.readUInt32(field: "challengeWindow"),
            clock: try reader.readUInt32(field: "clock")
        )
    }
}

extension TruebitTaskLock {
    /// The domain tag, ASCII, that starts the hashed bytes of a taskId.
    public static let taskIdDomain: [UInt8] = Array("ember/truebit-task/v1".utf8)

    /// `H("ember/truebit-task/v1" ‖ firstInput (txid 32 ‖ varint index) ‖ varint(outputIndex))`: the id of
    /// the task a post whose first input is `firstInput` creates at output `outputIndex`.
    public static func taskId(firstInput: OutPoint, outputIndex: UInt32) -> Hash32 {
        var writer = ByteWriter()
        writer.writeRawBytes(taskIdDomain)
        writer.write(firstInput)
        writer.writeVarint(UInt128(outputIndex))
        return Blake3.hash(writer.bytes)
    }
}
