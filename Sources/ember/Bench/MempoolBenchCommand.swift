import ArgumentParser
import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import Foundation

/// `ember bench mempool`: how fast the mempool accepts a stream of valid payments, beside the raw
/// Ed25519 verification rate of the same signatures on one core, since each acceptance verifies one.
struct MempoolBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mempool",
        abstract: "Add one-input, two-output payments to an empty mempool; compare with raw signature checks."
    )

    @Option(help: "Transactions to add.")
    var transactions: Int = 10_000

    @Option(help: "Times to repeat each measurement; the best run counts.")
    var rounds: Int = 3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        // The fixture numbers its funding outputs in 16 bits.
        guard (1...50_000).contains(transactions) else { throw commandFailure("--transactions must be 1…50000") }
        guard (1...100).contains(rounds) else { throw commandFailure("--rounds must be 1…100") }
        let params = try ConsensusParams.devnet(maxTargetZeros: 1)
        if !json { print("signing \(transactions) transactions…") }
        let fixture = try ValidationFixture(params: params, transactionCount: transactions)
        let payments = Array(fixture.block.transactions.dropFirst())
        let nowMs = fixture.block.header.timestamp

        let clock = ContinuousClock()
        var addBest = Duration.seconds(1_000)
        var verifyBest = Duration.seconds(1_000)
        for _ in 0..<rounds {
            var pool = MempoolState(params: params)
            let start = clock.now
            for payment in payments {
                guard case .accepted = try pool.add(payment, view: fixture.view, nowMs: nowMs) else {
                    throw commandFailure("a fixture transaction became an orphan")
                }
            }
            addBest = min(addBest, clock.now - start)
            guard pool.count == transactions else { throw commandFailure("the pool holds \(pool.count) transactions") }

            let verifyStart = clock.now
            guard fixture.verifyAllSignaturesOnOneCore() else { throw commandFailure("a fixture signature failed") }
            verifyBest = min(verifyBest, clock.now - verifyStart)
        }
        let acceptedPerSecond = Double(transactions) / addBest.seconds
        let verifiedPerSecond = Double(transactions) / verifyBest.seconds
        let ratio = acceptedPerSecond / verifiedPerSecond
        if json {
            print("{\"transactions\":\(transactions),\"acceptedTxPerSec\":\(jsonNumber(acceptedPerSecond)),"
                + "\"rawVerificationsPerSec\":\(jsonNumber(verifiedPerSecond)),\"ratio\":\(jsonNumber(ratio))}")
            return
        }
        print(String(format: "mempool: %d one-input, two-output payments, one core", transactions))
        print(String(format: "mempool acceptance    %10.0f tx/s   (%.1f µs per transaction)", acceptedPerSecond, addBest.seconds * 1e6 / Double(transactions)))
        print(String(format: "raw Ed25519 verify    %10.0f sig/s", verifiedPerSecond))
        print(String(format: "ratio                 %10.2f", ratio))
    }
}

extension ValidationFixture {
    /// The same signatures verified one after another on the calling thread.
    func verifyAllSignaturesOnOneCore() -> Bool {
        let network = params.networkID
        return signatures.allSatisfy { $0.0.isValidSignature($0.1, txid: $0.2, network: network) }
    }
}
