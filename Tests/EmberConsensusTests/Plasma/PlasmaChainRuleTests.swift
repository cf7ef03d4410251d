import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// Register, deposit, commit, close and release (docs/plasma.md): the rules that make a chain, put coins
/// in it and stop it. Each test takes a valid transaction and breaks one rule.
@Suite("Plasma chain rules: register, deposit, commit, close, release")
struct PlasmaChainRuleTests {
    typealias F = PlasmaFixture

    // MARK: Register

    static func register(operatorKey: SigningKey = F.operatorKey, window: UInt32 = F.window, bond: Amount = F.bondAmount, firstInput: OutPoint = F.registerInput)
        -> Transaction
    {
        let chainId = PlasmaChainId.derive(network: F.network, firstInput: firstInput, operatorKey: F.raw(operatorKey), exitWindow: window)
        return F.transaction(
            [(firstInput, .publicKey(F.raw(F.alice)), [])],
            outputs: [
                Output(amount: F.dust, lock: .plasmaOperator(PlasmaOperatorLock(chainId: chainId, operatorKey: F.raw(operatorKey), nextNumber: 1))),
                Output(amount: bond, lock: .plasmaBond(PlasmaBondLock(chainId: chainId, exitWindow: window, state: .open))),
            ])
    }

    func checkRegister(_ transaction: Transaction) -> String? {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 10)!, lock: F.pkh(F.alice)), at: F.registerInput)
        return fixture.broken(transaction, height: 30)
    }

    @Test("a register creates one operator output and one open bond whose chainId binds its first input, key and window")
    func register() {
        #expect(checkRegister(Self.register()) == nil)
        var wrongId = Self.register()
        wrongId.outputs[1].lock = .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window + 1, state: .open))
        #expect(checkRegister(wrongId) == "register")
        var twoBonds = Self.register()
        twoBonds.outputs.append(twoBonds.outputs[1])
        #expect(checkRegister(twoBonds) == "register")
        var noBond = Self.register()
        noBond.outputs.removeLast()
        #expect(checkRegister(noBond) == "register")
        #expect(checkRegister(Self.register(bond: Amount(coins: 1)!.subtracting(Amount(units: 1))!)) == "register")
        let minimum = F.params.layer2.windowMinimum
        #expect(checkRegister(Self.register(window: minimum - 1)) == CovenantRejection.windowOutOfBounds(found: UInt64(minimum - 1), minimum: UInt64(minimum), maximum: 100_000).description)
        var started = Self.register()
        if case .plasmaOperator(var lock) = started.outputs[0].lock { lock.nextNumber = 2; started.outputs[0].lock = .plasmaOperator(lock) }
        #expect(checkRegister(started) == "register")
        var frozen = Self.register()
        if case .plasmaBond(var lock) = frozen.outputs[1].lock { lock.state = .closing; frozen.outputs[1].lock = .plasmaBond(lock) }
        #expect(checkRegister(frozen) == "register")
        var locked = Self.register()
        locked.outputs[1].lockTime = 5
        #expect(checkRegister(locked) == "creation")
    }

    // MARK: Deposit

    func deposit(_ fixture: PlasmaFixture, firstBlock: UInt64 = 1, reads: [OutPoint]? = nil, amount: Amount = F.coinValue, depositor: SigningKey = F.bob)
        -> Transaction
    {
        let input = F.outpoint(0xd1)
        let coinId = PlasmaCoinId.derive(chainId: F.chainId, firstInput: input, outputIndex: 0, amount: amount, depositorKey: F.raw(depositor))
        let coin = PlasmaCoinLock(chainId: F.chainId, coinId: coinId, depositorKey: F.raw(depositor), exitWindow: F.window, firstBlock: firstBlock)
        return F.transaction(
            [(input, .publicKey(F.raw(F.alice)), [])], reads: reads ?? [fixture.bondOutpoint], outputs: [Output(amount: amount, lock: .plasmaCoin(coin))])
    }

    @Test("a deposit reads its chain's open bond, copies its window and binds its coinId; a frozen or closing chain takes none")
    func depositRules() {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 10)!, lock: F.pkh(F.bob)), at: F.outpoint(0xd1))
        #expect(fixture.broken(deposit(fixture), height: 30) == nil)
        // No bond read.
        #expect(fixture.broken(deposit(fixture, reads: []), height: 30) == "reads")
        // A coinId bound to another amount.
        var other = deposit(fixture)
        other.outputs[0].amount = Amount(coins: 6)!
        #expect(fixture.broken(other, height: 30) == "deposit")
        // Below dust.
        #expect(fixture.broken(deposit(fixture, amount: Amount(units: 1)), height: 30) == "deposit")
        // The bond frozen or closing.
        for state in [PlasmaBondLock.State.frozen, .closing] {
            var stopped = fixture
            stopped.put(Output(amount: .zero, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: state))), at: fixture.bondOutpoint)
            #expect(stopped.broken(deposit(stopped), height: 30) == "deposit", "\(state)")
        }
    }

    @Test("a deposit's first block is 1 or follows a block already committed, never a future one")
    func depositFirstBlock() {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 10)!, lock: F.pkh(F.bob)), at: F.outpoint(0xd1))
        fixture.commit(1, [])
        fixture.commit(2, [])
        #expect(fixture.broken(deposit(fixture, firstBlock: 3, reads: [fixture.bondOutpoint, fixture.block(2)]), height: 30) == nil)
        #expect(fixture.broken(deposit(fixture, firstBlock: 4, reads: [fixture.bondOutpoint, fixture.block(2)]), height: 30) == "reads")
        #expect(fixture.broken(deposit(fixture, firstBlock: 3), height: 30) == "reads")
        #expect(fixture.broken(deposit(fixture, firstBlock: 0), height: 30) == "deposit")
        // A block read that the deposit does not need is a read no rule uses.
        #expect(fixture.rejection(deposit(fixture, firstBlock: 1, reads: [fixture.bondOutpoint, fixture.block(2)]), height: 30) == .unusedRead(index: 1))
    }

    // MARK: Commit

    func commit(_ fixture: PlasmaFixture, root: Hash32 = Hash32([UInt8](repeating: 7, count: 32))!, signer: SigningKey = F.operatorKey, number: UInt64 = 1)
        -> Transaction
    {
        var transaction = F.transaction(
            [(fixture.operatorOutpoint, F.unlock(.commit), [[UInt8](repeating: 0, count: 64)])], reads: [fixture.bondOutpoint],
            outputs: [
                Output(amount: F.dust, lock: .plasmaOperator(PlasmaOperatorLock(chainId: F.chainId, operatorKey: F.raw(F.operatorKey), nextNumber: number + 1))),
                Output(amount: .zero, lock: .plasmaBlock(PlasmaBlockLock(chainId: F.chainId, number: number, root: root))),
            ])
        transaction.witnesses[0] = Witness(items: [try! signer.sign(txid: transaction.txid, network: F.network).bytes])
        return transaction
    }

    @Test("a commit is signed by the operator, pins the next operator output and the block, and reads the open bond")
    func commitRules() {
        let fixture = F()
        #expect(fixture.broken(commit(fixture), height: 6) == nil)
        #expect(fixture.broken(commit(fixture, signer: F.mallory), height: 6) == "signature")
        guard case .pinnedOutputDiffers(input: 0, output: 0, _, _)? = fixture.rejection(commit(fixture, number: 2), height: 6) else {
            Issue.record("a commit of the wrong number must differ from the pinned operator output")
            return
        }
        var noBond = commit(fixture)
        noBond.reads = []
        #expect(fixture.broken(noBond, height: 6) == "reads")
    }

    @Test("one commit per chain per layer-1 block: not in the block that created the operator output")
    func commitOncePerBlock() throws {
        let fixture = F()
        #expect(fixture.broken(commit(fixture), height: 5) == "height")
        let heights = try fixture.check(commit(fixture), height: 6).heights
        #expect(heights == ValidHeights(validFrom: 6))
    }

    @Test("no commit after a freeze or a close")
    func commitAfterFreeze() {
        for state in [PlasmaBondLock.State.frozen, .closing] {
            var fixture = F()
            fixture.put(Output(amount: .zero, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: state))), at: fixture.bondOutpoint)
            #expect(fixture.broken(commit(fixture), height: 6) == "commit", "\(state)")
        }
    }

    // MARK: Close and release

    func close(_ fixture: PlasmaFixture, withBond: Bool = true, signer: SigningKey = F.operatorKey) -> Transaction {
        var inputs = [(fixture.operatorOutpoint, F.unlock(.close), [[UInt8](repeating: 0, count: 64)])]
        var outputs = [Output(amount: F.dust, lock: F.pkh(F.operatorKey))]
        var reads = [OutPoint]()
        if withBond {
            inputs.append((fixture.bondOutpoint, F.unlock(.close, firstOutput: 1), []))
            outputs.append(Output(amount: F.bondAmount, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .closing))))
        } else {
            reads = [fixture.bondOutpoint]
        }
        var transaction = F.transaction(inputs, reads: reads, outputs: outputs)
        transaction.witnesses[0] = Witness(items: [try! signer.sign(txid: transaction.txid, network: F.network).bytes])
        return transaction
    }

    @Test("the close spends the operator output and the open bond after 2 · exitWindow without a commit; the bond stays, closing")
    func closeRules() throws {
        let fixture = F()
        let from = 5 + 2 * UInt64(F.window)
        #expect(fixture.broken(close(fixture), height: from - 1) == "height")
        #expect(fixture.broken(close(fixture), height: from) == nil)
        #expect(fixture.broken(close(fixture, signer: F.mallory), height: from) == "signature")
        // Alone, an open chain does not close.
        #expect(fixture.broken(close(fixture, withBond: false), height: from) == "close")
        // Alone after a freeze, at any height.
        var frozen = F()
        frozen.put(Output(amount: .zero, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .frozen))), at: frozen.bondOutpoint)
        #expect(frozen.broken(close(frozen, withBond: false), height: 6) == nil)
    }

    @Test("a closing bond is released 100 000 blocks after the close to the key its chainId binds, whoever submits")
    func release() {
        var fixture = F()
        fixture.put(Output(amount: F.bondAmount, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .closing))), at: fixture.bondOutpoint, height: 50)
        func release(key: SigningKey) -> Transaction {
            F.transaction(
                [(fixture.bondOutpoint, F.unlock(.releaseBond), [F.registerInput.encoded, F.raw(key).bytes])],
                outputs: [
                    Output(amount: .zero, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .frozen))),
                    Output(amount: F.bondAmount, lock: F.pkh(key)),
                ])
        }
        #expect(fixture.broken(release(key: F.operatorKey), height: 100_049) == "height")
        #expect(fixture.broken(release(key: F.operatorKey), height: 100_050) == nil)
        #expect(fixture.broken(release(key: F.mallory), height: 100_050) == "releaseBond")
    }
}
