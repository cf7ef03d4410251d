import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

/// `ember tx` as a person runs it.
@Suite("ember tx")
struct TxCommandTests {
    static func hash(_ byte: String) -> Hash32 { Hash32(hex: String(repeating: byte, count: 32))! }
    static func key(_ byte: String) -> RawPublicKey { RawPublicKey(hash(byte).bytes)! }

    /// A v2 transaction with a bounty-mode Plasma unlock, a read, a covenant lock and a blob.
    static let sample = Transaction(
        version: 2,
        inputs: [Input(outpoint: OutPoint(txid: hash("11"), index: 3),
                       unlock: .plasma(CovenantUnlock(mode: 8, firstOutput: 1, recipient: hash("22"))))],
        reads: [OutPoint(txid: hash("33"), index: 7)],
        outputs: [
            Output(amount: Amount(units: 1_000_000_000_000_000), lock: .pubKeyHash(hash("44")), lockTime: 9, data: [0xab]),
            Output(amount: Amount(units: 5_000_000_000_000_000), lock: .plasmaOperator(PlasmaOperatorLock(chainId: hash("55"), operatorKey: key("66"), nextNumber: 12))),
        ],
        blobs: [[1, 2, 3]],
        witnesses: [Witness(items: [[0xca, 0xfe]])])

    static func json(_ output: EmberBinary.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
    }

    @Test("decode names every field of a v2 transaction with a read, a blob and a covenant lock")
    func decodeVersion2() throws {
        let hex = Self.sample.encoded.hexString
        let output = try EmberBinary.run(["tx", "decode", hex])
        #expect(output.status == 0, "\(output.standardError)")
        let json = try Self.json(output)
        #expect(json["version"] as? Int == 2)
        #expect(json["size"] as? Int == hex.count / 2)
        let input = try #require((json["inputs"] as? [[String: Any]])?.first)
        #expect((input["outpoint"] as? [String: Any])?["index"] as? Int == 3)
        let unlock = try #require(input["unlock"] as? [String: Any])
        #expect(unlock["tag"] as? Int == 2 && unlock["kind"] as? String == "plasma")
        #expect(unlock["modeName"] as? String == "fraudProof" && unlock["firstOutput"] as? Int == 1 && unlock["maxSteps"] as? Int == 0)
        #expect(unlock["recipient"] as? String == String(repeating: "22", count: 32))
        #expect((json["reads"] as? [[String: Any]])?.first?["txid"] as? String == String(repeating: "33", count: 32))
        let outputs = try #require(json["outputs"] as? [[String: Any]])
        #expect(outputs[0]["amount"] as? String == "1000000000000000" && outputs[0]["lockTime"] as? Int == 9 && outputs[0]["data"] as? String == "ab")
        #expect((outputs[0]["lock"] as? [String: Any])?["pubKeyHash"] as? String == String(repeating: "44", count: 32))
        let escrow = try #require(outputs[1]["lock"] as? [String: Any])
        #expect(escrow["tag"] as? Int == 3 && escrow["kind"] as? String == "plasmaOperator")
        #expect(escrow["chainId"] as? String == String(repeating: "55", count: 32))
        #expect(escrow["operatorKey"] as? String == String(repeating: "66", count: 32))
        #expect(escrow["nextNumber"] as? Int == 12)
        #expect(escrow["hex"] as? String == "03" + String(repeating: "55", count: 32) + String(repeating: "66", count: 32) + "000000000000000c")
        let blob = try #require((json["blobs"] as? [[String: Any]])?.first)
        #expect(blob["size"] as? Int == 3 && blob["hex"] as? String == "010203")
        #expect(blob["hash"] as? String == Blake3.hash([1, 2, 3]).hex)
        #expect(json["witnesses"] as? [[String]] == [["cafe"]])
    }

    @Test("decode of garbage names the failing field and exits 1; a file of hex works like the argument")
    func decodeGarbage() throws {
        var bytes = Self.sample.encoded
        // The first output's lock tag (0) precedes its 32 bytes of 0x44: make it 99.
        let pattern = [UInt8(0)] + [UInt8](repeating: 0x44, count: 32)
        let at = try #require((0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern })
        bytes[at] = 99
        let bad = try EmberBinary.run(["tx", "decode", bytes.hexString])
        #expect(bad.status == 1)
        #expect(bad.standardError == "ember: the transaction does not decode: tag 99 is not defined at transaction.outputs[0].lock.tag\n")
        #expect(bad.standardOutput.isEmpty)
        let notHex = try EmberBinary.run(["tx", "decode", "xyz"])
        #expect(notHex.status == 1 && notHex.standardError.contains("neither a file nor hex"))

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ember-tx-\(UUID().uuidString).hex")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data((Self.sample.encoded.hexString + "\n").utf8).write(to: file)
        let fromFile = try EmberBinary.run(["tx", "decode", file.path])
        #expect(fromFile.status == 0)
        let fromFileJSON = try Self.json(fromFile)
        #expect(fromFileJSON["txid"] as? String == Self.sample.txid.hex)
    }

    @Test("build from a JSON description, signed by a keystore, decodes back to what was described")
    func buildDecodeRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-tx-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["EMBER_WALLET_PASSPHRASE": "a long and memorable passphrase"]
        let wallet = folder.appendingPathComponent("seed1.json").path
        let created = try EmberBinary.run(["wallet", "create", "--wallet", wallet, "--devnet-seed", "1"], environment: environment)
        try #require(created.status == 0, "\(created.standardError)")
        let payee = SigningKey.devnet(index: 5).publicKey.address(on: .devnet).string
        let description = """
            {"version": 2, "keystore": "\(wallet)",
             "inputs": [
               {"outpoint": {"txid": "\(String(repeating: "11", count: 32))", "index": 2}, "unlock": "keystore"},
               {"outpoint": {"txid": "\(String(repeating: "12", count: 32))", "index": 0},
                "unlock": {"truebit": {"mode": "reveal", "firstOutput": 1}}, "witness": ["00ff", ""]}
             ],
             "reads": [{"txid": "\(String(repeating: "13", count: 32))", "index": 4}],
             "outputs": [
               {"amount": "2000000000000000000", "lock": {"address": "\(payee)"}},
               {"amount": "0", "lock": "0b\(String(repeating: "aa", count: 32))\(String(repeating: "bb", count: 32))\(String(repeating: "cc", count: 32))", "data": "0102"}
             ],
             "blobs": ["c0ffee"]}
            """
        let path = folder.appendingPathComponent("tx.json").path
        try Data(description.utf8).write(to: URL(fileURLWithPath: path))
        let built = try EmberBinary.run(["tx", "build", "--json", path], environment: environment)
        #expect(built.status == 0, "\(built.standardError)")
        let lines = built.standardOutput.split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        let decoded = try EmberBinary.run(["tx", "decode", lines[0]])
        let json = try Self.json(decoded)
        #expect(json["txid"] as? String == lines[1])
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        let signer = SigningKey.devnet(index: 1).publicKey
        #expect((inputs[0]["unlock"] as? [String: Any])?["publicKey"] as? String == signer.bytes.hexString)
        #expect((inputs[1]["unlock"] as? [String: Any])?["modeName"] as? String == "reveal")
        #expect((inputs[1]["unlock"] as? [String: Any])?["firstOutput"] as? Int == 1)
        let witnesses = try #require(json["witnesses"] as? [[String]])
        #expect(witnesses[1] == ["00ff", ""])
        let signature = try Signature(bytes: try #require([UInt8](hexString: witnesses[0][0])))
        #expect(signer.isValidSignature(signature, txid: try #require(Hash32(hex: lines[1])), network: .devnet))
        let outputs = try #require(json["outputs"] as? [[String: Any]])
        #expect((outputs[0]["lock"] as? [String: Any])?["pubKeyHash"] as? String == SigningKey.devnet(index: 5).publicKey.publicKeyHash.hex)
        let result = try #require(outputs[1]["lock"] as? [String: Any])
        #expect(result["kind"] as? String == "truebitResult" && result["taskId"] as? String == String(repeating: "aa", count: 32))
        #expect((json["reads"] as? [[String: Any]])?.first?["index"] as? Int == 4)

        // A mistake names its field.
        try Data(description.replacingOccurrences(of: "\"reveal\"", with: "\"peek\"").utf8).write(to: URL(fileURLWithPath: path))
        let wrong = try EmberBinary.run(["tx", "build", "--json", path], environment: environment)
        #expect(wrong.status == 1)
        #expect(wrong.standardError.hasPrefix("ember: the description is invalid: inputs[1].unlock.truebit.mode: 'peek' is not a truebit mode"))
    }
}

extension NodeProcessSuites {
    @Suite("ember tx submit", .serialized)
    struct TxSubmitTests {
        @Test("submit a built v2 payment to a devnet node: the txid, the API key, the node's refusal")
        func submit() async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-tx-submit-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let node = try NodeProcess(
                folder: root.appendingPathComponent("node"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
                arguments: ["--network", "devnet", "--api-key", "sesame"])
            defer { node.process.terminate() }
            try #require(await node.waitForInfo(seconds: 60) != nil, "\(node.output.suffix(800))")
            let url = "http://127.0.0.1:\(node.apiPort)"
            let environment = ["EMBER_WALLET_PASSPHRASE": "a long and memorable passphrase"]
            let wallet = root.appendingPathComponent("seed1.json").path
            let created = try EmberBinary.run(["wallet", "create", "--wallet", wallet, "--devnet-seed", "1"], environment: environment)
            try #require(created.status == 0, "\(created.standardError)")
            let address = SigningKey.devnet(index: 1).publicKey.address(on: .devnet).string
            let (_, outputs) = try await node.get("/v1/addresses/\(address)/outputs")
            let seed = try #require((outputs["outputs"] as? [[String: Any]])?.first)
            let amountText = try #require(seed["amount"] as? String)
            let amount = try #require(UInt128(amountText))
            let coin: UInt128 = 1_000_000_000_000_000_000
            let description = """
                {"version": 2, "keystore": "\(wallet)",
                 "inputs": [{"outpoint": {"txid": "\(try #require(seed["txid"] as? String))", "index": \(try #require(seed["index"] as? Int))}, "unlock": "keystore"}],
                 "outputs": [
                   {"amount": "\(coin)", "lock": {"address": "\(SigningKey.devnet(index: 5).publicKey.address(on: .devnet).string)"}},
                   {"amount": "\(amount - coin - coin / 100)", "lock": {"address": "\(address)"}}
                 ]}
                """
            let built = try EmberBinary.run(["tx", "build"], environment: environment, standardInput: Data(description.utf8))
            let lines = built.standardOutput.split(separator: "\n").map(String.init)
            try #require(built.status == 0 && lines.count == 2, "\(built.standardError)")

            let withoutKey = try EmberBinary.run(["tx", "submit", lines[0], "--node", url])
            #expect(withoutKey.status == 1)
            #expect(withoutKey.standardError.hasPrefix("ember: the node refused /v1/transactions (HTTP 401)"), "\(withoutKey.standardError)")
            let submitted = try EmberBinary.run(["tx", "submit", lines[0], "--node", url, "--api-key", "sesame"])
            #expect(submitted.status == 0, "\(submitted.standardError)")
            #expect(submitted.standardOutput == lines[1] + "\n")
            let (status, mempool) = try await node.get("/v1/transactions/\(lines[1])")
            #expect(status == 200 && mempool["status"] as? String == "mempool")

            // A transaction spending an output that does not exist is the node's to refuse.
            var missing = try Transaction.decode(from: try #require([UInt8](hexString: lines[0])), limit: Transaction.maxSize)
            missing.inputs[0].outpoint.index = 999
            let refused = try EmberBinary.run(["tx", "submit", missing.encoded.hexString, "--node", url, "--api-key", "sesame"])
            #expect(refused.status == 1 && refused.standardError.hasPrefix("ember: the node refused /v1/transactions (HTTP 4"), "\(refused.standardError)")
            await node.stop()
        }
    }
}
