import EmberCrypto
import EmberVM
import EmberTestSupport
import Testing

/// The state hash after `steps` steps of a fresh run on the fast path.
func freshStateHash(_ program: Program, input: [UInt8] = [], steps: UInt64) throws -> Hash32 {
    let machine = try Machine(program: program, input: input)
    machine.run(untilStep: steps)
    return machine.stateHash()
}

@Test func verifiedProofsOfRandomProgramsMatchTheMachine() throws {
    var random = SeededGenerator(seed: 0xe3be_0001)
    var stores = 0
    var twoLeafSteps = 0
    var stoppedSteps = 0
    var windowTraps = 0
    for _ in 0..<40 {
        let program = try Assembler.assemble(RandomPrograms.source(using: &random)).program
        let reference = try Machine(program: program, input: [1, 2, 3])
        reference.run(untilStep: 10_000)
        let prover = try Prover(program: program, input: [1, 2, 3], checkpointInterval: 16)
        for _ in 0..<24 {
            let step = random.next() % (reference.step + 4)
            let proof = prover.proof(ofStep: step)
            let (pre, post) = try verifyStep(proof)
            #expect(pre == (try freshStateHash(program, input: [1, 2, 3], steps: step)), "pre-state of step \(step)")
            #expect(post == (try freshStateHash(program, input: [1, 2, 3], steps: step + 1)), "post-state of step \(step)")
            #expect(pre == prover.stateHash(afterSteps: step))
            if proof.data.count == 2 { twoLeafSteps += 1 }
            if proof.preState.status != .running { stoppedSteps += 1 }
            if proof.preState.status == .running, (try verifyStep(proof)).postStateHash == reference.stateHash(), reference.trapCause == .outsideMemoryWindows {
                windowTraps += 1
            }
            if let instruction = proof.instruction {
                let offset = Int(proof.preState.pc & 31)
                if instruction.leaf[offset] & 0x7f == 0x23 { stores += 1 }
            }
        }
    }
    // The random programs must really exercise the interesting cases.
    #expect(stores > 20)
    #expect(twoLeafSteps > 2)
    #expect(stoppedSteps > 5)
    #expect(windowTraps > 2)
}

/// A program whose step 4 is a store straddling two leaves that sit in different pages, so the
/// second leaf's path has to reflect the first leaf's write.
let straddlingStore = """
    _start:
      li s0, 0x00200ffe
      li t0, 0x11223344
      sw t0, 0(s0)
      lw t1, 0(s0)
      li a7, 93
      ecall
    """

@Test func storeAcrossLeavesIsProvenAgainstTheUpdatedRoot() throws {
    let program = try Assembler.assemble(straddlingStore).program
    let proof = try prove(program: program, input: [], step: 4)
    #expect(proof.data.map(\.index) == [0x0020_0fe0 >> 5, 0x0020_1000 >> 5])
    let (pre, post) = try verifyStep(proof)
    #expect(pre == (try freshStateHash(program, steps: 4)))
    #expect(post == (try freshStateHash(program, steps: 5)))
}

@Test func haltedStateIsAFixedPoint() throws {
    let program = try Assembler.assemble("_start:\n  li a0, 3\n  li a7, 93\n  ecall\n").program
    let prover = try Prover(program: program, input: [])
    let halted = prover.state(afterSteps: 1000)
    #expect(halted.status == .halted && halted.exitCode == 3 && halted.step == 3)
    let proof = prover.proof(ofStep: 500)
    #expect(proof.instruction == nil && proof.data.isEmpty)
    let (pre, post) = try verifyStep(proof)
    #expect(pre == post)
    #expect(pre == (try freshStateHash(program, steps: 3)))
}

@Test(arguments: [
    ("  ebreak", TrapCause.breakpoint),
    ("  .word 0", .illegalInstruction),
    ("  .word 0x00001073", .illegalInstruction),  // csrrw: no CSRs here
    ("  .word 0x4501", .illegalInstruction),  // a compressed instruction
    ("  la t0, target\n  jalr zero, 2(t0)\ntarget:", .misalignedJump),
    ("  li a7, 64\n  ecall", .unsupportedEcall),
    ("  li s1, 0x38000000\n  li t0, 0x100001\n  sw t0, 0(s1)", .outputLimit),
    ("  li s1, 0x37ffffff\n  li t0, -1\n  sw t0, 0(s1)", .outputLimit),
])
func trapsStopInTheTrappedStateAndTheirStepsVerify(_ body: String, _ cause: TrapCause) throws {
    let program = try Assembler.assemble("_start:\n" + body + "\n  li a7, 93\n  ecall\n").program
    let machine = try Machine(program: program, input: [])
    machine.run(untilStep: 100)
    #expect(machine.status == .trapped)
    #expect(machine.trapCause == cause)
    let trapStep = machine.step - 1
    let trapPC = machine.pc
    let proof = try prove(program: program, input: [], step: trapStep)
    #expect(proof.preState.pc == trapPC)
    let (_, post) = try verifyStep(proof)
    #expect(post == machine.stateHash())
    // The trapped state is a fixed point.
    machine.run(untilStep: 200)
    #expect(machine.step == trapStep + 1)
}

@Test func outputUpToTheLimitIsAllowed() throws {
    let machine = try runAssembly("""
          li s1, 0x38000000
          li t0, 0x100000
          sw t0, 0(s1)
          li t1, 0xab
          sb t1, 4(s1)
          li a0, 0
          li a7, 93
          ecall
        """)
    #expect(machine.status == .halted)
    #expect(machine.output.count == 1 << 20)
    #expect(machine.output.first == 0xab)
}

/// Proofs that cover the shapes: a plain step, a load, a straddling store, a stopped state.
func sampleProofs() throws -> [StepProof] {
    let straddling = try Assembler.assemble(straddlingStore).program
    return [
        try prove(program: straddling, input: [], step: 1),
        try prove(program: straddling, input: [], step: 4),
        try prove(program: straddling, input: [], step: 5),
        try prove(program: straddling, input: [], step: 9),
    ]
}

/// Byte positions (with the mask used) at which a changed proof was still accepted.
func acceptedFlips(of bytes: [UInt8], masks: [UInt8], decode: ([UInt8]) throws -> StepProof) -> [(Int, UInt8)] {
    var accepted: [(Int, UInt8)] = []
    for position in bytes.indices {
        // Every byte with one mask, rotating the masks so every bit pattern gets exercised.
        let mask = masks[position % masks.count]
        var flipped = bytes
        flipped[position] ^= mask
        if (try? verifyStep(try decode(flipped))) != nil { accepted.append((position, mask)) }
    }
    return accepted
}

@Test func flippingAnyByteOfTheBinaryProofMakesItFail() throws {
    for proof in try sampleProofs() {
        let bytes = proof.encoded()
        #expect(try StepProof(encoded: bytes) == proof)
        _ = try verifyStep(try StepProof(encoded: bytes))
        let accepted = acceptedFlips(of: bytes, masks: [0x01, 0x80, 0xff, 0x10]) { try StepProof(encoded: $0) }
        #expect(accepted.isEmpty, "accepted flips: \(accepted)")
    }
}

@Test func flippingAnyByteOfTheJSONProofMakesItFail() throws {
    for proof in try sampleProofs() {
        let bytes = Array(proof.json().utf8)
        #expect(try StepProof(json: bytes) == proof)
        let accepted = acceptedFlips(of: bytes, masks: [0x01, 0x20, 0x02, 0x10]) { try StepProof(json: $0) }
        #expect(accepted.isEmpty, "accepted flips: \(accepted)")
    }
}

@Test func rejectionsSayWhatIsWrong() throws {
    let proof = try sampleProofs()[1]
    let expectedLeaves = proof.data.map(\.index)

    var wrongSibling = proof
    wrongSibling.data[1].siblings[3] = Hash32.zero
    #expect(throws: StepProofRejection.pathMismatch(which: "data leaf 2")) { try verifyStep(wrongSibling) }

    var wrongLeaf = proof
    wrongLeaf.instruction?.leaf[0] ^= 1
    #expect(throws: StepProofRejection.pathMismatch(which: "the instruction leaf")) { try verifyStep(wrongLeaf) }

    var wrongField = proof
    wrongField.preState.registers[5] &+= 1
    #expect(throws: StepProofRejection.self) { try verifyStep(wrongField) }

    var missingLeaf = proof
    missingLeaf.data.removeLast()
    #expect(throws: StepProofRejection.wrongDataLeafCount(expected: 2, found: 1)) { try verifyStep(missingLeaf) }

    var swappedLeaves = proof
    swappedLeaves.data.reverse()
    #expect(throws: StepProofRejection.wrongLeafIndex(which: "data leaf 1", expected: expectedLeaves[0], found: expectedLeaves[1])) {
        try verifyStep(swappedLeaves)
    }

    var shortSiblings = proof
    shortSiblings.instruction?.siblings.removeLast()
    #expect(throws: StepProofRejection.wrongLeafShape(which: "the instruction leaf", leafBytes: 32, siblings: 26)) {
        try verifyStep(shortSiblings)
    }

    let json = proof.json()
    let unknown = json.replacingOccurrences(of: "\"pc\":", with: "\"extra\":1,\"pc\":")
    #expect(throws: StepProofRejection.malformed("unknown field preState.extra")) { try StepProof(json: Array(unknown.utf8)) }
    let missing = json.replacingOccurrences(of: "\"exitCode\":0", with: "\"exitCod\":0")
    #expect(throws: StepProofRejection.malformed("unknown field preState.exitCod")) { try StepProof(json: Array(missing.utf8)) }
    let noData = String(json[..<json.range(of: ",\"data\":")!.lowerBound]) + "}"
    #expect(throws: StepProofRejection.malformed("missing field proof.data")) { try StepProof(json: Array(noData.utf8)) }
}

@Test func malformedInputIsRejectedWithoutCrashing() throws {
    var random = SeededGenerator(seed: 77)
    let valid = try sampleProofs()[1]
    let binary = valid.encoded()
    let json = Array(valid.json().utf8)
    for _ in 0..<2000 {
        let length = Int(random.next() % 3000)
        let noise = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        #expect(throws: StepProofRejection.self) { _ = try verifyStep(try StepProof(encoded: noise)) }
        #expect(throws: StepProofRejection.self) { _ = try verifyStep(try StepProof(json: noise)) }
        // Truncations and splices of valid encodings.
        let cut = Int(random.next() % UInt64(binary.count))
        #expect(throws: StepProofRejection.self) { _ = try StepProof(encoded: Array(binary[..<cut])) }
        let jsonCut = Int(random.next() % UInt64(json.count))
        #expect(throws: StepProofRejection.self) { _ = try StepProof(json: Array(json[..<jsonCut])) }
    }
    #expect(throws: StepProofRejection.self) { _ = try StepProof(json: Array(String(repeating: "[", count: 100_000).utf8)) }
    #expect(throws: StepProofRejection.self) { _ = try StepProof(encoded: binary + [0]) }
}

@Test func checkpointsAvoidReplayingFromTheStart() throws {
    // A loop of about 3,000 steps that keeps writing memory.
    let program = try Assembler.assemble("""
        _start:
          li s0, 0x00200000
          li t0, 1000
        1:
          sw t0, 0(s0)
          addi s0, s0, 100
          addi t0, t0, -1
          bnez t0, 1b
          li a7, 93
          ecall
        """).program
    let prover = try Prover(program: program, input: [], checkpointInterval: 100)
    _ = prover.proof(ofStep: 4010)
    #expect(prover.checkpointCount >= 40)
    var random = SeededGenerator(seed: 5)
    for _ in 0..<30 {
        let step = random.next() % 4005
        let before = prover.executedSteps
        let (pre, post) = try verifyStep(prover.proof(ofStep: step))
        #expect(prover.executedSteps - before <= 101, "step \(step) replayed \(prover.executedSteps - before) steps")
        #expect(pre == (try freshStateHash(program, steps: step)))
        #expect(post == (try freshStateHash(program, steps: step + 1)))
    }
}

@Test func stateHashFollowsTheSpecification() throws {
    let program = try Assembler.assemble("_start:\n  li a0, 5\n  li a7, 93\n  ecall\n").program
    let machine = try Machine(program: program, input: [9, 8, 7])
    machine.run(untilStep: 2)
    let state = machine.state
    var bytes = Array("ember/vm/v1".utf8)
    func littleEndian<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        (0..<Value.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    bytes += littleEndian(state.pc)
    for index in 1..<32 { bytes += littleEndian(machine.register(index)) }
    bytes += state.memoryRoot.bytes
    bytes += littleEndian(UInt64(2)) + [0] + littleEndian(UInt32(0))
    #expect(machine.stateHash() == Blake3.hash(bytes))
    #expect(state.pc == program.entry + 8)
    #expect(machine.register(2) == 0x8000_0000 && machine.register(10) == 5 && machine.register(11) == 0x3000_0004)
}

@Test func memoryRootFollowsTheSpecification() throws {
    func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { Blake3.hash([1] + left + right).bytes }
    var zero = [UInt8](repeating: 0, count: 32)
    var zeros = [zero]
    for _ in 0..<27 {
        zero = node(zero, zero)
        zeros.append(zero)
    }
    // Only the input's first leaf is non-zero: input length word 3, then the bytes 9, 8, 7.
    let program = try Program(entry: 0x1000, segments: [])
    let machine = try Machine(program: program, input: [9, 8, 7])
    var current = [3, 0, 0, 0, 9, 8, 7] + [UInt8](repeating: 0, count: 25)
    var index = MachineLayout.inputAddress >> 5
    for level in 0..<27 {
        current = index & 1 == 0 ? node(current, zeros[level]) : node(zeros[level], current)
        index >>= 1
    }
    #expect(machine.state.memoryRoot.bytes == current)
    // Empty memory has the all-zero root.
    let empty = try Machine(program: program, input: [])
    #expect(empty.state.memoryRoot.bytes == zeros[27])
}
