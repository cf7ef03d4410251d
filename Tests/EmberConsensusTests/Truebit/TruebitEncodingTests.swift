@testable import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
@testable import EmberVM
import Testing

/// The bytes docs/truebit.md defines, pinned against hex written out by hand from its layouts (fields in
/// order, integers big-endian unless said, varints minimal LEB128): the six lock bodies, the ids, the
/// commitment, the payout key hash, the final state fields and their state hash, the input's length word,
/// the move message and its one-hash digest, the output proof's lengths and fold, and the weak keys.
/// `shared/vectors/layer2.json` holds only the bisection points (`BisectionTests`).
@Suite("Truebit encodings")
struct TruebitEncodingTests {
    typealias F = TruebitFixture

    static func hex(_ string: String) -> [UInt8] {
        stride(from: 0, to: string.count, by: 2).map {
            let start = string.index(string.startIndex, offsetBy: $0)
            return UInt8(string[start..<string.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    /// 32 bytes of `byte`, as hex.
    static func fill(_ byte: String) -> String { String(repeating: byte, count: 32) }
    static func hash(_ byte: UInt8) -> Hash32 { Hash32([UInt8](repeating: byte, count: 32))! }
    static func key(_ byte: UInt8) -> RawPublicKey { RawPublicKey([UInt8](repeating: byte, count: 32))! }

    static let task = TruebitTaskLock(
        taskId: hash(0x11), giverKey: key(0x22), programHash: hash(0x33), inputHash: hash(0x44), initialState: hash(0x55),
        maxSteps: 0x0102_0304_0506_0708, solverDeposit: Amount(units: 100_000_000_000_000_000), challengerDeposit: Amount(units: 300),
        solveDeadline: 0x1122_3344_5566_7788, challengeWindow: 720, clock: 756)
    /// taskId, giverKey, programHash, inputHash, initialState, maxSteps u64, solverDeposit varint (0.1 EMB:
    /// 9 bytes), challengerDeposit varint (300: 2 bytes), solveDeadline u64, challengeWindow u32, clock u32.
    static let taskHex = fill("11") + fill("22") + fill("33") + fill("44") + fill("55") + "0102030405060708" + "8080a8ec85afd1b101" + "ac02"
        + "1122334455667788" + "000002d0" + "000002f4"
    static let game = TruebitGameLock(
        solutionId: hash(0x88), solverKey: key(0x66), challengerKey: key(0xbb), lo: 5, loHash: hash(0xcc), hi: 1_000, hiHash: hash(0xdd),
        pointsHash: hash(0xee), solverClock: 54, challengerClock: 58)
    static let gameHex = fill("88") + fill("66") + fill("bb") + "0000000000000005" + fill("cc") + "00000000000003e8" + fill("dd") + fill("ee")
        + "00000036" + "0000003a"

    @Test("the six lock bodies, each the tag byte then the fields in the documented order")
    func lockBodies() throws {
        let commit = TruebitCommitLock(task: Self.task, solverKey: Self.key(0x66), commitment: Self.hash(0x77), revealBy: 1_062)
        let solution = TruebitSolutionLock(
            solutionId: Self.hash(0x88), task: Self.task, solverKey: Self.key(0x66), finalState: Self.hash(0x99), steps: 40,
            outputHash: Self.hash(0xaa), deadline: 1_055)
        let vectors: [(Lock, String, Int)] = [
            (.truebitTask(Self.task), "07" + Self.taskHex, 195),
            (.truebitCommit(commit), "0f" + Self.taskHex + Self.fill("66") + Self.fill("77") + "0000000000000426", 195 + 72),
            (.truebitSolution(solution), "08" + Self.fill("88") + Self.taskHex + Self.fill("66") + Self.fill("99") + "0000000000000028"
                + Self.fill("aa") + "000000000000041f", 195 + 144),
            (.truebitGame(Self.game), "09" + Self.gameHex, 216),
            (.truebitResult(TruebitResultLock(taskId: Self.hash(0x11), solutionId: Self.hash(0x88), outputHash: Self.hash(0xaa))),
             "0b" + Self.fill("11") + Self.fill("88") + Self.fill("aa"), 96),
            (.truebitRefuted(TruebitRefutedLock(solutionId: Self.hash(0x88), challengerKey: Self.key(0xbb))), "0c" + Self.fill("88") + Self.fill("bb"), 64),
        ]
        for (lock, hex, bodySize) in vectors {
            let bytes = Self.hex(hex)
            #expect(bytes.count == 1 + bodySize)
            #expect(lock.encoded == bytes, "lock tag \(lock.tag)")
            var reader = ByteReader(bytes)
            #expect(try Lock.decode(from: &reader) == lock)
        }
    }

    @Test("taskId, solutionId and the commitment: their preimages with varint indices and steps big-endian")
    func identifiers() {
        let post = OutPoint(txid: Self.hash(0x5a), index: 300)
        #expect(TruebitTaskLock.taskId(firstInput: post, outputIndex: 1)
            == Blake3.hash(Array("ember/truebit-task/v1".utf8) + Self.hex(Self.fill("5a") + "ac02" + "01")))
        let commit = OutPoint(txid: Self.hash(0x6b), index: 200)
        #expect(TruebitSolutionLock.solutionId(commit: commit) == Blake3.hash(Array("ember/truebit-solution/v1".utf8) + Self.hex(Self.fill("6b") + "c801")))
        #expect(TruebitCommitLock.commitment(
            solverKey: Self.key(0x66), finalState: Self.hash(0x99), outputHash: Self.hash(0xaa), steps: 0x0102_0304_0506_0708, salt: Self.hash(0x5a))
            == Blake3.hash(Self.hex(Self.fill("66") + Self.fill("99") + Self.fill("aa") + "0102030405060708" + Self.fill("5a"))))
    }

    @Test("pkh(k) pays the pubKeyHash H(k) of the raw 32 key bytes, as the wallet's own key hash")
    func payoutKeyHash() {
        let key = SigningKey.devnet(index: 30).publicKey
        #expect(TruebitChecks.payTo(RawPublicKey(key.bytes)!) == .pubKeyHash(Blake3.hash(key.bytes)))
        #expect(key.publicKeyHash == Blake3.hash(key.bytes))
    }

    @Test("final state fields are big-endian on the wire; the state hash takes them little-endian")
    func finalFieldsAndStateHash() {
        let registers = [UInt32(0)] + (1..<32).map { 0x1000_0000 + UInt32($0) }
        let state = MachineState(
            pc: 0x0102_0304, registers: registers, memoryRoot: Self.hash(0x77), step: 0x0102_0304_0506_0708, status: .halted, exitCode: 0x0a0b_0c0d)
        let registersBE = (1..<32).map { String(format: "100000%02x", $0) }.joined()
        let fields = Self.hex("01020304" + registersBE + Self.fill("77") + "0102030405060708" + "01" + "0a0b0c0d")
        #expect(fields.count == 173)
        #expect(TruebitCommitRule.finalState(fields) == state)
        let registersLE = (1..<32).map { String(format: "%02x000010", $0) }.joined()
        let preimage = Array("ember/vm/v1".utf8) + Self.hex("04030201" + registersLE + Self.fill("77") + "0807060504030201" + "01" + "0d0c0b0a")
        #expect(state.hash == Blake3.hash(preimage))
    }

    @Test("the input's length word at 0x3000_0000 is little-endian")
    func inputLengthWord() throws {
        let machine = try Machine(program: F.loaded, input: [UInt8](repeating: 9, count: 0x0102))
        #expect(machine.memory.readBytes(0x3000_0000, count: 6) == Self.hex("0201000009" + "09"))
    }

    @Test("the move message: the spent outpoint (txid, varint index) then the 216-byte body, hashed once with the domain and network")
    func moveMessage() {
        let outpoint = OutPoint(txid: Self.hash(0x3c), index: 130)
        let message = Self.hex(Self.fill("3c") + "8201" + Self.gameHex)
        #expect(Self.game.moveMessage(spending: outpoint) == message)
        // Devnet is network 2.
        #expect(Layer2SignatureDomain.truebitMove.digest(network: .devnet, message: message)
            == Blake3.hash(Array("ember/truebit-move/v1".utf8) + [2] + message))
    }

    @Test("a bisect signed over the message once is accepted; signed over its digest (a double hash) it is refused")
    func moveSignatureHashedOnce() throws {
        let outpoint = OutPoint(txid: F.gameOutpoint.txid, index: 130)
        var fixture = F()
        fixture.putSolution(TruebitGameRuleTests.liar)
        let game = F.game(TruebitGameRuleTests.liar)
        fixture.putGame(game, at: outpoint)
        let points = TruebitGameRuleTests.points(game)
        var next = game
        next.pointsHash = Blake3.hash(points)
        next.solverClock -= 1
        let message = outpoint.txid.bytes + Self.hex("8201") + next.encoded
        func bisect(signature: Signature) -> Transaction {
            F.transaction([(outpoint, F.unlock(.bisect), [points, signature.bytes])], outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(next))])
        }
        let once = try F.solver.sign(domain: .truebitMove, network: F.network, message: message)
        #expect(fixture.broken(bisect(signature: once), height: F.gameHeight + 1) == nil)
        let digest = Layer2SignatureDomain.truebitMove.digest(network: F.network, message: message)
        let twice = try F.solver.sign(domain: .truebitMove, network: F.network, message: digest.bytes)
        #expect(fixture.broken(bisect(signature: twice), height: F.gameHeight + 1) == "signature")
    }

    @Test("weak keys: verification is swift-crypto's; the identity key, canonical or not, with (R = identity, s = 0) verifies any move or transaction, s ≥ L never")
    func weakKeys() throws {
        let identity = Self.hex("01" + String(repeating: "00", count: 31))
        let identitySignature = try Signature(bytes: identity + [UInt8](repeating: 0, count: 32))
        let weak = try PublicKey(bytes: identity)
        let message = Self.hex(Self.gameHex)
        #expect(weak.isValidSignature(identitySignature, domain: .truebitMove, network: .devnet, message: message))
        #expect(weak.isValidSignature(identitySignature, txid: Self.hash(0x01), network: .devnet))
        // s = L, the group order, little-endian: never canonical.
        let order = Self.hex("edd3f55c1a631258d69cf7a2def9de14" + "00000000000000000000000000000010")
        let overOrder = try Signature(bytes: identity + order)
        #expect(!weak.isValidSignature(overOrder, domain: .truebitMove, network: .devnet, message: message))
        #expect(!weak.isValidSignature(overOrder, txid: Self.hash(0x01), network: .devnet))
        // The identity with a non-canonical y (p + 1 = 2^255 − 18, little-endian): swift-crypto decodes it
        // and accepts the identity signature, as for the canonical key; another library must agree.
        let nonCanonical = try PublicKey(bytes: Self.hex("ee" + String(repeating: "ff", count: 30) + "7f"))
        #expect(nonCanonical.isValidSignature(identitySignature, domain: .truebitMove, network: .devnet, message: message))
        #expect(nonCanonical.isValidSignature(identitySignature, txid: Self.hash(0x01), network: .devnet))
    }

    @Test("outputProofVectors: the proof's length follows from len alone; the fold gives the memory root; one byte more or less is refused before hashing")
    func outputProofVectors() {
        // (len, leaves, t + 32 · n(len)) from the fold's index arithmetic, worked out by hand.
        for (length, proofLength) in [(0, 892), (1, 891), (27, 865), (28, 864), (29, 863), (60, 832), (61, 863), (65_535, 861), (65_536, 860)] {
            #expect(TruebitOutputProof.proofLength(outputLength: length) == proofLength, "len \(length)")
        }
        #expect(TruebitOutputProof.proofLength(outputLength: 65_537) == nil)
        #expect(TruebitOutputProof.proofLength(outputLength: -1) == nil)
        for length in [0, 27, 28, 29, 61, 4_000] {
            let output = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
            let memory = PagedMemory()
            // The length word, the output, then other bytes after it that the tail must carry, and a page beyond.
            memory.write(0x3800_0000, bytes: Self.le32(UInt32(length)) + output + [UInt8](repeating: 0xa5, count: 40))
            memory.write(0x3900_0000, bytes: [1])
            let proof = Self.outputProof(memory: memory, length: length)
            #expect(proof.count == TruebitOutputProof.proofLength(outputLength: length))
            #expect(TruebitOutputProof.root(proof: proof, output: output) == memory.updatedRoot().hash32, "len \(length)")
            #expect(TruebitOutputProof.root(proof: proof + [0], output: output) == nil)
            #expect(TruebitOutputProof.root(proof: Array(proof.dropLast()), output: output) == nil)
        }
    }

    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// `tail ‖ siblings` from the memory's own tree: the bytes after the output in its last leaf, then per
    /// level the left neighbour of the first covered node (when it is a right child) and the right
    /// neighbour of the last (when it is a left child).
    static func outputProof(memory: PagedMemory, length: Int) -> [UInt8] {
        _ = memory.updatedRoot()
        let first = UInt32(0x3800_0000 >> 5), last = UInt32((0x3800_0003 + length) >> 5)
        let leaf = memory.leafBytes(last)
        var proof = Array(leaf[(0x3800_0004 + length - 32 * Int(last))...])
        let left = memory.siblings(ofLeaf: first), right = memory.siblings(ofLeaf: last)
        for level in 0..<27 {
            if (first >> level) & 1 == 1 { proof += left[level].bytes }
            if (last >> level) & 1 == 0 { proof += right[level].bytes }
        }
        return proof
    }
}
