import EmberConsensus
import EmberCore
import EmberCrypto
import Testing

/// The layer-2 parameter table of DESIGN.md section 15 and the deadline and clock arithmetic.
@Suite("Layer-2 parameters, deadlines and clocks")
struct Layer2ParametersTests {
    static let devnet = try! ConsensusParams.devnet().layer2
    static let mainnet = ConsensusParams.mainnet.layer2

    @Test("the table of §15, per network")
    func table() {
        let emb = UInt128(1_000_000_000_000_000_000)
        #expect(Self.mainnet.windowMinimum == 720)
        #expect(ConsensusParams.testnet.layer2.windowMinimum == 720)
        #expect(Self.devnet.windowMinimum == 2)
        #expect(Self.mainnet.windowMaximum == 100_000 && Self.devnet.windowMaximum == 100_000)
        #expect(Self.mainnet.operatorBondMinimum.units == 100 * emb)
        #expect(Self.devnet.operatorBondMinimum.units == emb)
        #expect(Self.mainnet.bondMinimum.units == emb / 10)
        #expect(Self.devnet.bondMinimum.units == 2 * 1_000_000_000_000_000)
        #expect(Self.mainnet.finalityDepth == 20 && Self.devnet.finalityDepth == 8)
        #expect(Self.mainnet.maxStepsPerInput == 16_777_216)
    }

    @Test("Truebit's clock minimum is the window minimum plus 4 · (⌈log16 maxSteps⌉ + 1)",
          arguments: [(1, 0), (2, 1), (16, 1), (17, 2), (256, 2), (257, 3), (1 << 24, 6), ((1 << 24) + 1, 7), (UInt64.max, 16)] as [(UInt64, Int)])
    func truebitClockMinimum(maxSteps: UInt64, rounds: Int) {
        #expect(Self.mainnet.truebitClockMinimum(maxSteps: maxSteps) == 720 + 4 * (UInt64(rounds) + 1))
    }

    @Test("windows are checked against the network's bounds")
    func windows() throws {
        #expect(throws: CovenantRejection.windowOutOfBounds(found: 719, minimum: 720, maximum: 100_000)) {
            try Self.mainnet.checkWindow(719)
        }
        try Self.mainnet.checkWindow(720)
        try Self.mainnet.checkWindow(100_000)
        #expect(throws: CovenantRejection.windowOutOfBounds(found: 100_001, minimum: 720, maximum: 100_000)) {
            try Self.mainnet.checkWindow(100_001)
        }
    }

    @Test("a chosen deadline near the top of 64 bits is refused, never a trap")
    func deadlineOverflow() {
        #expect(throws: CovenantRejection.deadlineOutOfRange(deadline: .max, earliest: .max, latest: .max)) {
            try Self.devnet.checkChosenDeadline(.max, window: 10, height: .max - 5)
        }
        #expect(throws: CovenantRejection.deadlineOutOfRange(deadline: .max, earliest: .max - 5, latest: .max)) {
            try Self.devnet.checkChosenDeadline(.max, window: 10, height: .max - 15)
        }
    }

    @Test("a move needs time left on the mover's clock and writes at most what is left")
    func clocks() throws {
        try Self.devnet.checkClockMove(clock: 10, createdHeight: 100, height: 109, written: 1)
        #expect(throws: CovenantRejection.clockTooLarge(written: 2, remaining: 1)) {
            try Self.devnet.checkClockMove(clock: 10, createdHeight: 100, height: 109, written: 2)
        }
        #expect(throws: CovenantRejection.clockExpired(createdHeight: 100, clock: 10, height: 110)) {
            try Self.devnet.checkClockMove(clock: 10, createdHeight: 100, height: 110, written: 0)
        }
        #expect(!Self.devnet.clockHasRunOut(clock: 10, createdHeight: 100, height: 109))
        #expect(Self.devnet.clockHasRunOut(clock: 10, createdHeight: 100, height: 110))
        #expect(!Self.devnet.clockHasRunOut(clock: 10, createdHeight: .max - 3, height: .max))
    }

    @Test("a layer-2 signature verifies only in its own domain and network, never as a transaction signature")
    func signatureDomains() throws {
        let key = SigningKey.devnet(index: 1)
        let message: [UInt8] = Array(repeating: 7, count: 32)
        let signature = try key.sign(domain: .channelState, network: .devnet, message: message)
        #expect(key.publicKey.isValidSignature(signature, domain: .channelState, network: .devnet, message: message))
        for domain in Layer2SignatureDomain.allCases where domain != .channelState {
            #expect(!key.publicKey.isValidSignature(signature, domain: domain, network: .devnet, message: message))
        }
        #expect(!key.publicKey.isValidSignature(signature, domain: .channelState, network: .mainnet, message: message))
        #expect(!key.publicKey.isValidSignature(signature, txid: Hash32(message)!, network: .devnet))
        // The digest is H(domain ‖ networkId ‖ message), assembled here by hand.
        let expected = Blake3.hash(Array("ember/channel-state/v1".utf8) + [2] + message)
        #expect(Layer2SignatureDomain.channelState.digest(network: .devnet, message: message) == expected)
    }

    @Test("a test network's rules change its parameter hash; Ember's own networks keep theirs")
    func parameterHash() throws {
        let devnet = try ConsensusParams.devnet()
        let other = devnet.withCovenantRules(CovenantRules(identity: "other", rules: []))
        #expect(other.parametersHash != devnet.parametersHash)
        #expect(devnet.withCovenantRules(.enshrined).parametersHash == devnet.parametersHash)
    }
}

/// Protocol v2 must not move any network's genesis: chains made before it stay valid.
@Suite("Genesis hashes pinned across protocol v2")
struct PinnedGenesisTests {
    /// Read from databases made by the node before protocol v2 (the `meta` table's genesis_hash).
    @Test("mainnet, testnet and the default devnet keep their genesis hashes",
          arguments: [
              (ConsensusParams.mainnet, "cd4f7188b808cab43a97355d100d16e71c445592daaf022342af559b68ce2607"),
              (ConsensusParams.testnet, "a80fbf174566f224c822e2ea0748549070c45cf8671dcc0e1946734c0ab8756b"),
              (try! ConsensusParams.devnet(), "63ce72b3eed7505868eb88592870597b419fdd3e6ecec99e0389a21c6a93ab8b"),
          ])
    func pinned(params: ConsensusParams, hash: String) {
        #expect(params.genesisBlock.hash.description == hash)
    }
}
