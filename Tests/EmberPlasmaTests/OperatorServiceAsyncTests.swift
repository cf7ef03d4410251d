import EmberCore
import EmberCrypto
import EmberPlasma
import Testing

/// The service's asynchronous store calls that return nothing (deposits, the freeze), called as the
/// layer-1 watchers would. A service method taking a deposit's four fields as parameters jumped to a null
/// address on a Dispatch thread here, while the same closure called from a test did not (docs/channels.md,
/// "Known issues", saw the same kind of crash); deposits now go in as an array.
@Suite("Plasma operator service: deposits and the freeze through the actor")
struct OperatorServiceAsyncTests {
    @Test("deposits registered and the chain frozen through the service are in the store, and the freeze refuses moves")
    func depositAndFreeze() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let depositor = OperatorFixture.key(1)
        let coins = (0..<50).map { Blake3.hash([UInt8($0)]) }
        for coin in coins {
            try await service.registerDeposits([
                OperatorStore.Deposit(coinId: coin, depositorKey: OperatorFixture.raw(depositor), amount: Amount(units: 1_000), firstBlock: 1),
            ])
        }
        let move = try fixture.move(coins[0], parent: 0, to: OperatorFixture.key(2), signedBy: depositor)
        #expect(try await service.submit([move]) == [.accepted])
        try await service.freeze()
        let later = try fixture.move(coins[1], parent: 0, to: OperatorFixture.key(2), signedBy: depositor)
        #expect(try await service.submit([later]) == [.refused(.chainFrozen)])
    }
}
