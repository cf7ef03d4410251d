import EmberConsensus
import EmberCore
import EmberCrypto

/// A coin's history for the exit tests: Alice deposits; block 1 moves it to Bob; block 2 does not touch
/// it; block 3 moves it from Bob to Carol.
extension PlasmaFixture {
    static let toBob = move(parent: 0, to: bob, by: alice)
    static let toCarol = move(parent: 1, to: carol, by: bob)

    /// Blocks also move other coins, so one block's proof of the coin differs from another's.
    static func withHistory() -> PlasmaFixture {
        var fixture = PlasmaFixture()
        fixture.commit(1, [toBob], leaves: [Blake3.hash([1]): Blake3.hash([11])])
        fixture.commit(2, [], leaves: [Blake3.hash([2]): Blake3.hash([12])])
        fixture.commit(3, [toCarol], leaves: [Blake3.hash([3]): Blake3.hash([13])])
        return fixture
    }

    /// The exit lock for `owner` resting on `exitTx` in `exitBlock` (nil: never moved), with deadline `deadline`.
    static func exitLock(
        exitTx: ChildTransaction?, exitBlock: UInt64, parentOwner: SigningKey?, deadline: UInt64, bond: Amount = exitBond
    ) -> PlasmaExitLock {
        PlasmaExitLock(
            chainId: chainId, coinId: coinId, depositorKey: raw(alice), exitWindow: window, firstBlock: 1,
            ownerKey: exitTx?.newOwnerKey ?? raw(alice), exitTxHash: exitTx?.leaf ?? .zero, exitBlock: exitBlock,
            parentBlock: exitTx?.parentBlock ?? 0, parentOwnerKey: parentOwner.map(raw) ?? RawPublicKey(Hash32.zero.bytes)!,
            deadline: deadline, exitBond: bond)
    }

    static func exitOutput(_ lock: PlasmaExitLock) -> Output {
        Output(amount: coinValue.adding(lock.exitBond)!, lock: .plasmaExit(lock))
    }

    /// The exit transaction spending the coin: `evidence` and `reads` as the mode lists them.
    func exit(_ lock: PlasmaExitLock, evidence: [[UInt8]], reads: [OutPoint]) -> Transaction {
        Self.transaction([(coinOutpoint, Self.unlock(.exit), evidence)], reads: reads, outputs: [Self.exitOutput(lock)])
    }

    /// Carol's honest exit from block 3 (parent block 1), included at height 30 with deadline 45.
    func carolsExit(deadline: UInt64 = 45) -> Transaction {
        let lock = Self.exitLock(exitTx: Self.toCarol, exitBlock: 3, parentOwner: Self.bob, deadline: deadline)
        return exit(
            lock, evidence: [Self.toCarol.encoded, proof(in: 3), Self.toBob.encoded, proof(in: 1)], reads: [block(3), block(1)])
    }

    /// Places an exit output in the view, as if included at `height`.
    mutating func placeExit(_ lock: PlasmaExitLock, at outpoint: OutPoint = outpoint(0xb0), height: UInt64 = 30) -> OutPoint {
        put(Self.exitOutput(lock), at: outpoint, height: height)
        return outpoint
    }

    /// The outputs a cancel of `lock` at `outpoint` pins, paying half the bond to `recipient`.
    static func cancelOutputs(_ lock: PlasmaExitLock, at outpoint: OutPoint, recipient: SigningKey) -> [Output] {
        [
            Output(amount: coinValue, lock: .plasmaCoin(coinLock)),
            Output(amount: Amount(units: lock.exitBond.units / 2), lock: pkh(recipient)),
            marker(lock, at: outpoint),
        ]
    }

    static func marker(_ lock: PlasmaExitLock, at outpoint: OutPoint) -> Output {
        Output(amount: dust, lock: .plasmaExitClosed(PlasmaExitClosedLock(exit: outpoint, sweepFrom: lock.deadline + 5 * UInt64(lock.exitWindow))))
    }
}
