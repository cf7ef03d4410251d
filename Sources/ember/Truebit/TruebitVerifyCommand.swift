import ArgumentParser
import EmberTruebit
import Logging

/// `ember truebit verify`: the verifier daemon (docs/truebit.md, "Challenger"). It re-runs every solution,
/// challenges a wrong one before its deadline, plays each game to the one-step proof, claims a solver's
/// timeout, closes refuted solutions at once and voids a result paid despite a marker.
struct TruebitVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Run the verifier daemon: re-run every solution, challenge a wrong one and play the game to the end.")

    @OptionGroup var options: TruebitDaemonOptions

    func run() async throws {
        let (context, key, _) = try options.context(role: "verifier")
        let verifier = TruebitVerifier(
            context: context, challengerKey: key,
            configuration: .init(runOptions: try options.runOptions(), startHeight: options.startHeight),
            logger: Logger(label: "ember.truebit.verifier"))
        say("truebit verifier for key \(key.publicKey.bytes.hexString), store \(context.store.path)")
        try await options.repeatPasses { try await verifier.pass() }
    }
}
