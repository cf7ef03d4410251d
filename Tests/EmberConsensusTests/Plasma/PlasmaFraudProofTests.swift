import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// Fraud proofs (mode 8, docs/plasma.md): each of the five grounds proves a block no honest operator
/// makes, and fails against an honest block. The bond is halved: half to the named recipient, half burnt,
/// and the chain freezes.
@Suite("Plasma fraud proofs")
struct PlasmaFraudProofTests {
    typealias F = PlasmaFixture
    static let recipient = Blake3.hash(Array("prover".utf8))

    func proof(_ fixture: PlasmaFixture, ground: UInt8, move: ChildTransaction, block: UInt64, extra: [[UInt8]], reads: [OutPoint]) -> Transaction {
        F.transaction(
            [(fixture.bondOutpoint, F.unlock(.fraudProof, recipient: Self.recipient), [[ground], move.encoded, F.u64(block), fixture.proof(in: block)] + extra)],
            reads: [fixture.block(block)] + reads,
            outputs: [
                Output(amount: .zero, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .frozen))),
                Output(amount: Amount(units: F.bondAmount.units / 2), lock: .pubKeyHash(Self.recipient)),
            ])
    }

    @Test("ground 1: a move whose parent leaf is empty; half the bond to the prover, half burnt")
    func emptyParent() throws {
        var fixture = F()
        fixture.commit(1, [])
        let orphan = F.move(parent: 1, to: F.mallory, by: F.alice)
        fixture.commit(2, [orphan])
        let fraud = proof(fixture, ground: 1, move: orphan, block: 2, extra: [fixture.proof(in: 1)], reads: [fixture.block(1)])
        let result = try fixture.check(fraud, height: 30)
        #expect(result.burnt == Amount(units: F.bondAmount.units - F.bondAmount.units / 2))
        // Against an honest block: the parent leaf is the coin's move.
        var honest = F()
        honest.commit(1, [F.toBob])
        let next = F.move(parent: 1, to: F.carol, by: F.bob)
        honest.commit(2, [next])
        #expect(honest.broken(proof(honest, ground: 1, move: next, block: 2, extra: [honest.proof(in: 1)], reads: [honest.block(1)]), height: 30) == "proof")
    }

    @Test("ground 2: a move not signed by its parent's new owner")
    func badSignature() {
        var fixture = F()
        fixture.commit(1, [F.toBob])
        let forged = F.move(parent: 1, to: F.mallory, by: F.mallory)
        fixture.commit(2, [forged])
        #expect(fixture.broken(proof(fixture, ground: 2, move: forged, block: 2, extra: [F.toBob.encoded, fixture.proof(in: 1)], reads: [fixture.block(1)]), height: 30) == nil)
        var honest = F()
        honest.commit(1, [F.toBob])
        let next = F.move(parent: 1, to: F.carol, by: F.bob)
        honest.commit(2, [next])
        #expect(honest.broken(proof(honest, ground: 2, move: next, block: 2, extra: [F.toBob.encoded, honest.proof(in: 1)], reads: [honest.block(1)]), height: 30) == "fraudProof")
    }

    @Test("ground 3: the coin moved again between the parent and the move, so the move spends a stale entry")
    func inclusionBetween() {
        var fixture = F()
        fixture.commit(1, [F.toBob])
        let toCarol = F.move(parent: 1, to: F.carol, by: F.bob)
        fixture.commit(2, [toCarol])
        let stale = F.move(parent: 1, to: F.mallory, by: F.bob)
        fixture.commit(3, [stale])
        let fraud = proof(fixture, ground: 3, move: stale, block: 3, extra: [toCarol.leaf.bytes, F.u64(2), fixture.proof(in: 2)], reads: [fixture.block(2)])
        #expect(fixture.broken(fraud, height: 30) == nil)
        let empty = proof(fixture, ground: 3, move: stale, block: 3, extra: [Hash32.zero.bytes, F.u64(2), fixture.proof(in: 2)], reads: [fixture.block(2)])
        #expect(fixture.broken(empty, height: 30) == "fraudProof")
        // m must lie strictly between the parent and n.
        let outside = proof(fixture, ground: 3, move: stale, block: 3, extra: [F.toBob.leaf.bytes, F.u64(1), fixture.proof(in: 1)], reads: [fixture.block(1)])
        #expect(fixture.broken(outside, height: 30) == "fraudProof")
    }

    @Test("ground 4: a move naming a parent at or after its own block")
    func parentNotEarlier() {
        var fixture = F()
        let loop = F.move(parent: 2, to: F.mallory, by: F.alice)
        fixture.commit(2, [loop])
        #expect(fixture.broken(proof(fixture, ground: 4, move: loop, block: 2, extra: [], reads: []), height: 30) == nil)
        fixture.commit(3, [loop])
        #expect(fixture.broken(proof(fixture, ground: 4, move: loop, block: 3, extra: [], reads: []), height: 30) == "fraudProof")
    }

    @Test("ground 5: a first move not signed by the depositor, whose key the coinId binds")
    func forgedFirstMove() {
        var preimage = ByteWriter()
        preimage.write(F.depositInput)
        preimage.writeVarint(UInt128(0))
        preimage.writeVarint(F.coinValue.units)
        preimage.writeRawBytes(F.raw(F.alice).bytes)
        var fixture = F()
        let forged = F.move(parent: 0, to: F.mallory, by: F.mallory)
        fixture.commit(1, [forged])
        #expect(fixture.broken(proof(fixture, ground: 5, move: forged, block: 1, extra: [preimage.bytes], reads: []), height: 30) == nil)
        // A preimage naming another depositor does not make the coinId.
        var lie = ByteWriter()
        lie.write(F.depositInput)
        lie.writeVarint(UInt128(0))
        lie.writeVarint(F.coinValue.units)
        lie.writeRawBytes(F.raw(F.mallory).bytes)
        #expect(fixture.broken(proof(fixture, ground: 5, move: forged, block: 1, extra: [lie.bytes], reads: []), height: 30) == "fraudProof")
        var honest = F()
        honest.commit(1, [F.toBob])
        #expect(honest.broken(proof(honest, ground: 5, move: F.toBob, block: 1, extra: [preimage.bytes], reads: []), height: 30) == "fraudProof")
    }

    @Test("a frozen bond proves nothing twice; a closing bond is still slashable")
    func bondStates() {
        var fixture = F()
        let loop = F.move(parent: 2, to: F.mallory, by: F.alice)
        fixture.commit(2, [loop])
        var closing = fixture
        closing.put(Output(amount: F.bondAmount, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .closing))), at: fixture.bondOutpoint)
        #expect(closing.broken(proof(closing, ground: 4, move: loop, block: 2, extra: [], reads: []), height: 30) == nil)
        var frozen = fixture
        frozen.put(Output(amount: .zero, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .frozen))), at: fixture.bondOutpoint)
        #expect(frozen.broken(proof(frozen, ground: 4, move: loop, block: 2, extra: [], reads: []), height: 30) == "fraudProof")
    }

    @Test("the bounty goes to the recipient the unlock names, and the bond is recreated frozen with nothing in it")
    func payouts() {
        var fixture = F()
        let loop = F.move(parent: 2, to: F.mallory, by: F.alice)
        fixture.commit(2, [loop])
        var greedy = proof(fixture, ground: 4, move: loop, block: 2, extra: [], reads: [])
        greedy.outputs[1].amount = F.bondAmount
        #expect(fixture.rejection(greedy, height: 30) != nil)
        var open = proof(fixture, ground: 4, move: loop, block: 2, extra: [], reads: [])
        open.outputs[0].lock = .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .open))
        #expect(fixture.rejection(open, height: 30) != nil)
    }
}
