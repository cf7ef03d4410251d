import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import EmberStore
import EmberTestSupport
import Foundation
import Testing

extension NodeProcessSuites {
    /// `ember chain verify | export | import` as a person runs them: real processes, real SQLite files in
    /// temporary folders.
    @Suite("ember chain", .serialized)
    struct ChainCommandTests {
        static let params = try! NetworkSettings().consensusParams()

        /// A temporary folder, removed by the caller.
        static func temporaryFolder() throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("ember-chain-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }

        /// A blocks file of `blocks` generated blocks with up to `transactions` payments each.
        static func blocksFile(in folder: URL, blocks: Int, transactions: Int) throws -> (path: String, blocks: [Block]) {
            var generator = SyntheticChain(params: params)
            let path = folder.appendingPathComponent("chain.blocks").path
            let writer = try BlocksFileWriter(path: path, networkID: params.networkID, genesis: params.genesisBlock.hash)
            var generated = [Block]()
            for _ in 0..<blocks {
                let block = try generator.nextBlock(transactions: transactions)
                try writer.append(block)
                generated.append(block)
            }
            try writer.close()
            return (path, generated)
        }

        @Test("import, verify, export and import again give the same chain; a second import resumes")
        func roundTrip() throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let (file, blocks) = try Self.blocksFile(in: folder, blocks: 25, transactions: 12)
            let dataA = folder.appendingPathComponent("a").path

            let imported = try EmberBinary.run(["chain", "import", "--data-dir", dataA, file])
            #expect(imported.status == 0, "\(imported.standardError)")
            #expect(imported.standardOutput.contains("imported 25 blocks"))

            let verified = try EmberBinary.run(["chain", "verify", "--data-dir", dataA])
            #expect(verified.status == 0)
            let words = verified.standardOutput.split(separator: " ").map(String.init)
            #expect(words.count == 4 && words[0] == "ok" && words[1] == "25" && words[2] == blocks.last?.hash.hex)

            let exported = folder.appendingPathComponent("exported.blocks").path
            #expect(try EmberBinary.run(["chain", "export", "--data-dir", dataA, "--out", exported]).status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: exported)) == Data(contentsOf: URL(fileURLWithPath: file)))

            let dataB = folder.appendingPathComponent("b").path
            #expect(try EmberBinary.run(["chain", "import", "--data-dir", dataB, exported]).status == 0)
            #expect(try EmberBinary.run(["chain", "verify", "--data-dir", dataB]).standardOutput == verified.standardOutput)

            let again = try EmberBinary.run(["chain", "import", "--data-dir", dataA, file])
            #expect(again.status == 0)
            #expect(again.standardOutput.contains("imported 0 blocks") && again.standardOutput.contains("25 already present"))
        }

        /// What the pre-v2 binary (commit 8871026) printed for `ember chain verify` after importing
        /// Tests/Fixtures/v1-devnet-30.blocks, which it made (Tests/Fixtures/README.md).
        static let v1FixtureVerify = "ok 30 002523b970d1cf887b94da164ba7138fae77b5cc4ce9f4b2c2215c63ca869505 "
            + "1b0e81311dcec7c719997ade07ba7a5b50528e53b8b9c5a12857704f5516f993"

        @Test("a chain exported by the pre-v2 binary imports unchanged: same tip, same UTXO set, verify agrees")
        func importsAVersion1Export() throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let fixture = SharedVectors.packageRoot.appendingPathComponent("Tests/Fixtures/v1-devnet-30.blocks").path
            let data = folder.appendingPathComponent("data").path

            let imported = try EmberBinary.run(["chain", "import", "--data-dir", data, fixture])
            #expect(imported.status == 0, "\(imported.standardError)")
            #expect(imported.standardOutput.contains("imported 30 blocks (614 transactions, 0 already present)"))
            #expect(imported.standardOutput.contains("tip 30 002523b970d1cf887b94da164ba7138fae77b5cc4ce9f4b2c2215c63ca869505"))

            let verified = try EmberBinary.run(["chain", "verify", "--data-dir", data])
            #expect(verified.status == 0, "\(verified.standardError)")
            #expect(verified.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == Self.v1FixtureVerify)

            // Exported again, the chain has the very bytes the old binary wrote.
            let exported = folder.appendingPathComponent("again.blocks").path
            #expect(try EmberBinary.run(["chain", "export", "--data-dir", data, "--out", exported]).status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: exported)) == Data(contentsOf: URL(fileURLWithPath: fixture)))
        }

        @Test("a folder of another network, a garbage database or a foreign blocks file is refused and left as it is")
        func refusals() throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let (file, _) = try Self.blocksFile(in: folder, blocks: 2, transactions: 1)
            let data = folder.appendingPathComponent("data").path
            #expect(try EmberBinary.run(["chain", "import", "--data-dir", data, file]).status == 0)
            let database = folder.appendingPathComponent("data/ember.sqlite")
            let before = try Data(contentsOf: database)

            let otherNetwork = try EmberBinary.run(["chain", "verify", "--data-dir", data, "--network", "testnet"])
            #expect(otherNetwork.status == 1)
            #expect(otherNetwork.standardError.contains("different chain") || otherNetwork.standardError.contains("another"))
            let otherDevnet = try EmberBinary.run(["chain", "verify", "--data-dir", data, "--block-time-ms", "250"])
            #expect(otherDevnet.status == 1)
            #expect(try Data(contentsOf: database) == before)

            let garbageFolder = folder.appendingPathComponent("garbage")
            try FileManager.default.createDirectory(at: garbageFolder, withIntermediateDirectories: true)
            let garbage = Data((0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
            try garbage.write(to: garbageFolder.appendingPathComponent("ember.sqlite"))
            let onGarbage = try EmberBinary.run(["chain", "verify", "--data-dir", garbageFolder.path])
            #expect(onGarbage.status == 1)
            #expect(onGarbage.standardError.split(separator: "\n").count == 1)
            #expect(try Data(contentsOf: garbageFolder.appendingPathComponent("ember.sqlite")) == garbage)

            let truncatedFolder = folder.appendingPathComponent("truncated")
            try FileManager.default.createDirectory(at: truncatedFolder, withIntermediateDirectories: true)
            try before.prefix(before.count / 2).write(to: truncatedFolder.appendingPathComponent("ember.sqlite"))
            let onTruncated = try EmberBinary.run(["chain", "verify", "--data-dir", truncatedFolder.path])
            #expect(onTruncated.status == 1)

            let notBlocks = folder.appendingPathComponent("not.blocks")
            try Data("hello".utf8).write(to: notBlocks)
            let badFile = try EmberBinary.run(["chain", "import", "--data-dir", data, notBlocks.path])
            #expect(badFile.status == 1)
            #expect(badFile.standardError.contains("not an Ember blocks file"))
        }

        @Test("a folder stopped before its first block holds no chain yet: verify connects genesis and passes")
        func verifyBeforeGenesis() throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let data = folder.appendingPathComponent("data").path
            // Opening creates the database and its meta table, as the first moments of any command do.
            let opened = try DataFolder.open(path: data, requested: NetworkSettings())
            #expect(try opened.store.tip() == nil)
            let verify = try EmberBinary.run(["chain", "verify", "--data-dir", data])
            #expect(verify.status == 0, "\(verify.standardError)")
            #expect(verify.standardOutput.hasPrefix("ok 0 \(Self.params.genesisBlock.hash.hex) "))
        }

        @Test("SIGKILL at random moments during import, 20 times: every reported block survives and verify passes")
        func crashDuringImport() async throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            // Long enough that an import outlasts the kill at 150–900 ms on a quiet, fast machine too
            // (400 blocks often finished first once validation got faster).
            let (file, blocks) = try Self.blocksFile(in: folder, blocks: 1_500, transactions: 4)
            var data = folder.appendingPathComponent("data-0").path
            var random = SeededGenerator(seed: 0xDEAD_BEEF)
            var kills = 0
            var attempts = 0
            while kills < 20 && attempts < 60 {
                attempts += 1
                let process = Process()
                process.executableURL = try EmberBinary.url()
                process.arguments = ["chain", "import", "--data-dir", data, "--report-every", "1", file]
                let output = Pipe()
                process.standardOutput = output
                process.standardError = FileHandle.nullDevice
                try process.run()
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...900, using: &random)))
                let wasRunning = process.isRunning
                if wasRunning { kill(process.processIdentifier, SIGKILL) }
                let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                if wasRunning && process.terminationReason == .uncaughtSignal { kills += 1 }

                let reported = printed.split(separator: "\n").filter { $0.hasPrefix("imported ") && $0.split(separator: " ").count == 3 }
                let verify = try EmberBinary.run(["chain", "verify", "--data-dir", data])
                #expect(verify.status == 0, "after kill \(kills): \(verify.standardOutput) \(verify.standardError)")
                if let last = reported.last {
                    let fields = last.split(separator: " ")
                    let height = try #require(UInt64(fields[1]))
                    #expect(String(fields[2]) == blocks[Int(height) - 1].hash.hex)
                    let tipHeight = UInt64(verify.standardOutput.split(separator: " ")[1]) ?? 0
                    #expect(tipHeight >= height, "block \(height) was reported imported but the tip is \(tipHeight)")
                }
                if !wasRunning {
                    // The import finished before the kill: start again in a fresh folder.
                    data = folder.appendingPathComponent("data-\(attempts)").path
                }
            }
            #expect(kills >= 20)
        }
    }
}
