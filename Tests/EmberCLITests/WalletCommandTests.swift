import EmberCrypto
import EmberNode
import EmberTestSupport
import Foundation
import Testing

/// `ember wallet` as a person runs it: real processes, keystores in temporary folders. Sending to a
/// live node is tested end to end with the node; here every error must stop before anything is sent.
@Suite("ember wallet", .serialized)
struct WalletCommandTests {
    static let passphrase = "a long and memorable passphrase"
    static let environment = ["EMBER_WALLET_PASSPHRASE": passphrase]
    /// Nothing listens on port 1, so any request there fails at once.
    static let deadNode = "http://127.0.0.1:1"
    static let seedAddress = SigningKey.devnet(index: 0).publicKey.address(on: .devnet).string

    /// A temporary folder, removed after `body`.
    static func inTemporaryFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-wallet-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    /// Creates the devnet seed-0 wallet at `path`.
    static func createSeedWallet(_ path: String) throws {
        let created = try EmberBinary.run(["wallet", "create", "--wallet", path, "--devnet-seed", "0"], environment: environment)
        try #require(created.status == 0, "\(created.standardError)")
    }

    /// Expects exit status 1 and exactly one line `ember: <message>` on standard error.
    static func expectFailure(_ output: EmberBinary.Output, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(output.status == 1, sourceLocation: sourceLocation)
        #expect(output.standardError == "ember: \(message)\n", sourceLocation: sourceLocation)
        #expect(output.standardOutput.isEmpty, sourceLocation: sourceLocation)
    }

    @Test("create a devnet seed wallet, show its address, and refuse to overwrite it")
    func createAndAddress() throws {
        try Self.inTemporaryFolder { folder in
            let path = folder.appendingPathComponent("wallets/seed0.json").path
            let created = try EmberBinary.run(["wallet", "create", "--wallet", path, "--devnet-seed", "0"], environment: Self.environment)
            #expect(created.status == 0, "\(created.standardError)")
            #expect(created.standardOutput == "created \(path)\naddress \(Self.seedAddress)\n")

            let address = try EmberBinary.run(["wallet", "address", "--wallet", path])
            #expect(address.standardOutput == Self.seedAddress + "\n")
            let verified = try EmberBinary.run(["wallet", "address", "--wallet", path, "--verify"], environment: Self.environment)
            #expect(verified.status == 0 && verified.standardOutput == Self.seedAddress + "\n")

            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let again = try EmberBinary.run(["wallet", "create", "--wallet", path], environment: Self.environment)
            Self.expectFailure(again, "\(path) already exists; a keystore is never overwritten (choose another file with --wallet)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }

    @Test("a new random wallet unlocks with the passphrase from a file, and not with another")
    func passphraseFile() throws {
        try Self.inTemporaryFolder { folder in
            let path = folder.appendingPathComponent("fresh.json").path
            let secretFile = folder.appendingPathComponent("secret").path
            try Data("\(Self.passphrase)\n".utf8).write(to: URL(fileURLWithPath: secretFile))
            let created = try EmberBinary.run(["wallet", "create", "--wallet", path, "--passphrase-file", secretFile])
            #expect(created.status == 0, "\(created.standardError)")
            let address = try #require(created.standardOutput.split(separator: "\n").last?.split(separator: " ").last)
            #expect(try Address.parse(String(address), expecting: .devnet).string == String(address))
            #expect(address != Self.seedAddress)

            // The file's trailing newline is not part of the passphrase.
            let sameSecret = try EmberBinary.run(["wallet", "address", "--wallet", path, "--verify"], environment: Self.environment)
            #expect(sameSecret.status == 0, "\(sameSecret.standardError)")
            let wrong = try EmberBinary.run(
                ["wallet", "address", "--wallet", path, "--verify"], environment: ["EMBER_WALLET_PASSPHRASE": "guess"])
            Self.expectFailure(wrong, "wrong passphrase or damaged keystore")
        }
    }

    @Test("without a passphrase source or a terminal, create says how to give one",
          .enabled(if: ProcessInfo.processInfo.environment["EMBER_WALLET_PASSPHRASE"] == nil))
    func noPassphrase() throws {
        try Self.inTemporaryFolder { folder in
            let path = folder.appendingPathComponent("w.json").path
            let output = try EmberBinary.run(["wallet", "create", "--wallet", path])
            Self.expectFailure(
                output,
                "no passphrase: there is no terminal to ask on; give --passphrase-file FILE or set EMBER_WALLET_PASSPHRASE")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("create refuses devnet seeds that do not exist or on another network")
    func devnetSeedChecks() throws {
        try Self.inTemporaryFolder { folder in
            let path = folder.appendingPathComponent("w.json").path
            Self.expectFailure(
                try EmberBinary.run(["wallet", "create", "--wallet", path, "--devnet-seed", "8"], environment: Self.environment),
                "--devnet-seed must be 0 to 7; got 8")
            Self.expectFailure(
                try EmberBinary.run(
                    ["wallet", "create", "--wallet", path, "--devnet-seed", "1", "--network", "mainnet"], environment: Self.environment),
                "--devnet-seed applies to a devnet wallet only")
            Self.expectFailure(
                try EmberBinary.run(["wallet", "create", "--wallet", path, "--network", "moonnet"], environment: Self.environment),
                "unknown network 'moonnet'; use mainnet, testnet or devnet")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("send refuses a bad address, too many decimals or a bad fee rate before contacting any node")
    func sendRefusals() throws {
        try Self.inTemporaryFolder { folder in
            let path = folder.appendingPathComponent("w.json").path
            try Self.createSeedWallet(path)
            let payee = SigningKey.devnet(index: 1).publicKey.address(on: .devnet).string
            let mistyped = String(payee.dropLast()) + (payee.hasSuffix("q") ? "p" : "q")
            let mainnetPayee = SigningKey.devnet(index: 1).publicKey.address(on: .mainnet).string
            let send = ["wallet", "send", "--wallet", path, "--node", Self.deadNode]
            let cases: [([String], String)] = [
                (["--to", mistyped, "--amount", "1"], AddressError.malformed(.checksumMismatch).description),
                (["--to", mainnetPayee, "--amount", "1"], AddressError.wrongNetwork(expected: .devnet, found: .mainnet).description),
                (["--to", payee, "--amount", "1.0000000000000000001"],
                 "the amount '1.0000000000000000001' has 19 decimals; EMB has at most 18"),
                (["--to", payee, "--amount=-3"], "the amount '-3' is negative; write a positive number of EMB"),
                (["--to", payee, "--amount", "1", "--fee-rate", "1.5"], "--fee-rate must be a whole number of units per byte; got '1.5'"),
            ]
            for (arguments, message) in cases {
                Self.expectFailure(try EmberBinary.run(send + arguments, environment: Self.environment), message)
            }
        }
    }

    @Test("commands that need the node say when it cannot be reached")
    func unreachableNode() throws {
        try Self.inTemporaryFolder { folder in
            let path = folder.appendingPathComponent("w.json").path
            try Self.createSeedWallet(path)
            let payee = SigningKey.devnet(index: 1).publicKey.address(on: .devnet).string
            for command in [["balance"], ["history"], ["send", "--to", payee, "--amount", "1"]] {
                let output = try EmberBinary.run(["wallet"] + command + ["--wallet", path, "--node", Self.deadNode], environment: Self.environment)
                #expect(output.status == 1)
                #expect(output.standardError.hasPrefix("ember: cannot reach the node at \(Self.deadNode): "))
                #expect(output.standardError.hasSuffix("is `ember devnet` running? (choose another with --node)\n"))
            }
            Self.expectFailure(
                try EmberBinary.run(["wallet", "balance", "--wallet", path, "--node", "localhost:19271"]),
                "--node 'localhost:19271' is not an http:// or https:// URL with a host")
        }
    }

    @Test("a missing or damaged keystore is reported in one line")
    func badKeystore() throws {
        try Self.inTemporaryFolder { folder in
            let missing = folder.appendingPathComponent("none.json").path
            Self.expectFailure(
                try EmberBinary.run(["wallet", "address", "--wallet", missing]),
                "no wallet at \(missing); create one with `ember wallet create` or choose one with --wallet")
            let garbage = folder.appendingPathComponent("garbage.json").path
            try Data("{\"format\":".utf8).write(to: URL(fileURLWithPath: garbage))
            Self.expectFailure(
                try EmberBinary.run(["wallet", "address", "--wallet", garbage]),
                "the keystore is damaged or not an Ember keystore: not JSON")
        }
    }
}
