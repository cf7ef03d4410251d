import ArgumentParser
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTruebit
import Foundation

/// `ember truebit spv-input`: the input of the SPV task program (Programs/spv) for the last headers of a
/// node's chain, or a range of heights, written to a file for `ember truebit post`.
struct TruebitSPVInputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spv-input",
        abstract: "Write the SPV program's input (Programs/spv): headers of the node's chain and the easiest target they may have.")

    @Option(help: ArgumentHelp("The node's API (default: http://127.0.0.1:19271 on devnet, port 9271 otherwise).", valueName: "url"))
    var node: String?
    @Option(help: "mainnet, testnet or devnet (default: devnet).")
    var network: String = "devnet"
    @Option(help: "The last N headers, the tip's included (at most 2 404, one blob).")
    var count: Int?
    @Option(help: "The first height of a range (with --to) instead of --count.")
    var from: UInt64?
    @Option(help: "The last height of the range.")
    var to: UInt64?
    @Option(help: "The maximum target as zero bits (default: the network's; a devnet node run with --max-target-zeros needs the same).")
    var maxTargetZeros: UInt8?
    @Option(help: ArgumentHelp("Where to write the input.", valueName: "file"))
    var out: String

    func run() async throws {
        guard let networkID = NetworkID.allCases.first(where: { "\($0)" == network }) else { throw commandFailure("--network must be mainnet, testnet or devnet") }
        let params = WalletSender.params(for: networkID)
        let maximumTarget = maxTargetZeros.map { CompactTarget.maximum(zeros: $0) } ?? params.maxTarget
        var nodeOptions = WalletNodeOptions()
        nodeOptions.node = node
        let client = NodeAPIClient(baseURL: try nodeOptions.client(for: networkID).baseURL)
        let input: SPVTaskInput
        do {
            switch (count, from, to) {
            case (let count?, nil, nil):
                input = try await SPVTaskInput.fetchLatest(count: count, from: client, maximumTarget: maximumTarget)
            case (nil, let from?, let to?) where from <= to:
                input = try await SPVTaskInput.fetch(heights: from...to, from: client, maximumTarget: maximumTarget)
            default:
                throw commandFailure("give --count N, or --from H --to H with H ≤ H")
            }
        } catch let failure as SPVFetchError {
            throw commandFailure(failure.description)
        }
        let bytes = input.encoded
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: out))
        } catch {
            throw commandFailure("cannot write \(out): \(error.localizedDescription)")
        }
        let first = input.headers[0], last = input.headers[input.headers.count - 1]
        print("\(input.headers.count) headers, heights \(first.height)…\(last.height), \(bytes.count) bytes written to \(out)")
        print("tip \(last.hash.hex); the program outputs anchor, tip, total work and count (Programs/spv/README.md)")
    }
}
