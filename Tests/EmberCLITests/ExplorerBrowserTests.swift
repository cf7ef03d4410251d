import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

extension NodeProcessSuites {
    /// The explorer page in a real headless browser against a real `ember node` process on a devnet
    /// whose PoLW threshold is 1 H/s, so every block it mines burns and must be marked PoLW.
    @Suite("explorer in a headless browser", .serialized)
    struct ExplorerBrowserTests {
        static let devnetArguments = ["--network", "devnet", "--polw-threshold-hashrate", "1"]

        /// A node with three mined blocks, the second holding a payment from seed account 1 to account 5.
        static func startNode(folder: URL) async throws -> (node: NodeProcess, payment: Transaction) {
            let node = try NodeProcess(
                folder: folder.appendingPathComponent("chain"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
                arguments: devnetArguments)
            do {
                return (node, try await mineThreeBlocks(on: node))
            } catch {
                node.process.terminate()
                throw error
            }
        }

        private static func mineThreeBlocks(on node: NodeProcess) async throws -> Transaction {
            _ = try #require(await node.waitForInfo(seconds: 60), "the node never answered: \(node.output.suffix(2_000))")
            let builder = ChainBuilder(params: try ConsensusParams.devnet(polwThresholdHashRate: 1))
            let payment = builder.payment(
                from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Amount(coins: 12)!,
                fee: Amount(units: 10_000_000_000_000_000), to: .pubKeyHash(SigningKey.devnet(index: 5).publicKey.publicKeyHash))
            #expect(try await node.mineBlock().outcome == "connected")
            let submitted = try await node.send("POST", "/v1/transactions", json: ["hex": payment.encoded.hexString])
            #expect(submitted.status == 200 || submitted.status == 201, "\(submitted.json)")
            #expect(try await node.mineBlock().outcome == "connected")
            #expect(try await node.mineBlock().outcome == "connected")
            return payment
        }

        static func expectNoConsoleMessages(_ render: HeadlessChromium.Render, page: String) {
            #expect(render.consoleMessages.isEmpty, "\(page) logged to the console: \(render.consoleMessages.joined(separator: "\n"))")
            #expect(render.dom.contains("<ul id=\"errors\"></ul>"), "\(page) reported errors: \(render.dom.suffix(1_000))")
        }

        @Test("the chain page shows /v1/info's tip height, latest blocks marked PoLW, three charts, and no console errors")
        func chainPage() async throws {
            let chromium = try HeadlessChromium.onPath()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-explorer-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (node, _) = try await Self.startNode(folder: folder)
            defer { node.process.terminate() }
            let info = try await node.get("/v1/info").json
            let height = try #require(info["height"] as? Int)
            #expect(height == 3)

            let render = try chromium.render("http://127.0.0.1:\(node.apiPort)/explorer")
            #expect(render.dom.contains("<span id=\"tip-height\">\(height)</span>"), "\(render.dom.prefix(3_000))")
            #expect(render.dom.contains("data-view=\"chain\""))
            for blockHeight in 1...height {
                #expect(render.dom.contains("<tr class=\"polw\" data-height=\"\(blockHeight)\">"), "block \(blockHeight) is not marked PoLW")
            }
            for chart in ["chart-hashrate", "chart-difficulty", "chart-burn"] {
                #expect(render.dom.contains("<figure class=\"chart\" id=\"\(chart)\">"), "no \(chart)")
            }
            #expect(render.dom.contains("<circle class=\"polw\""), "the charts mark no PoLW block")
            Self.expectNoConsoleMessages(render, page: "/explorer")
            await node.stop()
        }

        @Test("the block page lists that block's transactions and marks it PoLW; the transaction and address pages render")
        func blockTransactionAndAddressPages() async throws {
            let chromium = try HeadlessChromium.onPath()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-explorer-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (node, payment) = try await Self.startNode(folder: folder)
            defer { node.process.terminate() }
            let block = try await node.get("/v1/blocks/height/2").json
            let hash = try #require(block["hash"] as? String)
            let transactions = try #require(block["transactions"] as? [String])
            #expect(transactions.count == 2 && transactions.contains(payment.txid.hex))

            let blockPage = try chromium.render("http://127.0.0.1:\(node.apiPort)/explorer#/block/\(hash)")
            #expect(blockPage.dom.contains("<span class=\"hash\" id=\"block-hash\">\(hash)</span>"), "\(blockPage.dom.prefix(3_000))")
            for txid in transactions {
                #expect(blockPage.dom.contains("<a href=\"#/tx/\(txid)\" class=\"hash\">\(txid)</a>"), "transaction \(txid) is not listed")
            }
            #expect(blockPage.dom.contains("<span id=\"block-work\"><span class=\"badge polw\""), "block 2 is not marked PoLW")
            Self.expectNoConsoleMessages(blockPage, page: "the block page")

            let transactionPage = try chromium.render("http://127.0.0.1:\(node.apiPort)/explorer#/tx/\(payment.txid.hex)")
            #expect(transactionPage.dom.contains("id=\"tx-id\">\(payment.txid.hex)</span>"))
            #expect(transactionPage.dom.contains("12 EMB"), "the payment's amount is not shown")
            let spent = try #require(payment.inputs.first).outpoint
            #expect(
                transactionPage.dom.contains("<a href=\"#/tx/\(spent.txid.hex)\" class=\"hash\">\(spent.txid.hex):\(spent.index)</a>"),
                "the payment's input is not listed")
            Self.expectNoConsoleMessages(transactionPage, page: "the transaction page")

            let address = SigningKey.devnet(index: 5).publicKey.address(on: .devnet).string
            let addressPage = try chromium.render("http://127.0.0.1:\(node.apiPort)/explorer#/address/\(address)")
            #expect(addressPage.dom.contains("<span id=\"address-balance\">1000012 EMB</span>"), "\(addressPage.dom.suffix(3_000))")
            #expect(addressPage.dom.contains("#/tx/\(payment.txid.hex)"), "the payment is not in the address's history")
            Self.expectNoConsoleMessages(addressPage, page: "the address page")

            let layer2 = try chromium.render("http://127.0.0.1:\(node.apiPort)/explorer#/covenants/1")
            #expect(layer2.dom.contains("Outputs created in active blocks 0…3"), "\(layer2.dom.suffix(3_000))")
            Self.expectNoConsoleMessages(layer2, page: "the layer-2 page")
            await node.stop()
        }

        @Test("a script error on the page fails the console check")
        func consoleErrorsAreSeen() async throws {
            let chromium = try HeadlessChromium.onPath()
            let render = try chromium.render("data:text/html,<script>undefinedFunction()</script>", virtualMs: 500)
            #expect(render.consoleMessages.contains { $0.contains("undefinedFunction") }, "chromium's console output was not read")
        }
    }
}
