import ArgumentParser
import EmberChain
import EmberConsensus
import EmberNode
import Foundation

/// `ember bench explorer`: the explorer page's first render in headless chromium against a devnet
/// `ember node` process holding a generated chain, with the `/v1` requests the render made counted
/// by the node (`ember_api_requests_total` in `/metrics`).
struct ExplorerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explorer",
        abstract: "Time the explorer's first render in headless chromium on a devnet of generated blocks; count its API calls."
    )

    @Option(help: "Blocks in the generated devnet chain.")
    var blocks: Int = 10_000

    @Option(help: "Payments per generated block.")
    var transactions: Int = 1

    @Option(help: "Page loads timed (the median is reported).")
    var runs: Int = 5

    /// Virtual time the page gets: past every fetch of the first render, short of the first 2 s poll.
    static let virtualBudgetMs = 1_500

    func run() async throws {
        guard (1...100_000).contains(blocks), (0...1_000).contains(transactions), (1...50).contains(runs) else {
            throw commandFailure("--blocks must be 1…100000, --transactions 0…1000 and --runs 1…50")
        }
        let chromium = try HeadlessChromiumRun.executable()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-explorer-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("node").path
        try generateAndImport(into: data, work: work)

        let apiPort = try LoopbackPort.free()
        let node = try ChildRun.start(["node", "--network", "devnet", "--data-dir", data, "--api-port", "\(apiPort)", "--no-p2p"])
        defer { ChildRun.stop(node) }
        guard try await ChildRun.waitForHeight(apiPort: apiPort, atLeast: blocks, seconds: 120) != nil else {
            throw commandFailure("the devnet node did not come up at height \(blocks)")
        }
        let base = "http://127.0.0.1:\(apiPort)"
        // The first launch warms chromium's files and the node's caches; it is not counted.
        _ = try HeadlessChromiumRun.load(base + "/explorer", chromium: chromium, virtualMs: Self.virtualBudgetMs)

        var pages: [Double] = [], references: [Double] = [], inPage: [Double] = [], requests: [Int] = []
        for _ in 0..<runs {
            // The reference: the same browser fetching a static file from the same node and rendering it.
            references.append(try HeadlessChromiumRun.load(base + "/explorer/style.css", chromium: chromium, virtualMs: Self.virtualBudgetMs).seconds)
            let before = try await apiRequestCount(base)
            let page = try HeadlessChromiumRun.load(base + "/explorer", chromium: chromium, virtualMs: Self.virtualBudgetMs)
            requests.append(try await apiRequestCount(base) - before)
            guard page.dom.contains("<span id=\"tip-height\">\(blocks)</span>"), let rendered = Self.firstRenderMs(page.dom) else {
                throw commandFailure("the explorer did not render the tip \(blocks): \(page.dom.prefix(500))")
            }
            pages.append(page.seconds)
            inPage.append(rendered)
        }
        let page = median(pages), reference = median(references)
        let render = max(0, page - reference)
        say("explorer first render on a devnet of \(blocks) blocks (\(transactions) payments each), median of \(runs) headless chromium loads")
        say(String(format: "page load            %8.3f s  (chromium launch to exit, /explorer until its first render)", page))
        say(String(format: "reference            %8.3f s  (the same browser loading a static file from the same node)", reference))
        say(String(format: "first render         %8.3f s  (page − reference; the budget is 1 s: %@)", render, render < 1 ? "within it" : "OVER IT"))
        say(String(format: "in-page clock        %8.0f ms (performance.now() at the first render; chromium's virtual clock, which skips waits for answers)",
                   median(inPage)))
        say("API requests         \(requests.map(String.init).joined(separator: ", ")) per render (counted by the node: ember_api_requests_total)")
        say(String(format: "page / reference     %8.2f", page / reference))
    }

    /// A devnet chain of `blocks` generated blocks, imported into `folder` by `ember chain import`.
    private func generateAndImport(into folder: String, work: URL) throws {
        let params = try NetworkSettings().consensusParams()
        let file = work.appendingPathComponent("chain.blocks").path
        say("generating and importing \(blocks) devnet blocks…")
        var generator = SyntheticChain(params: params)
        let writer = try BlocksFileWriter(path: file, networkID: params.networkID, genesis: params.genesisBlock.hash)
        for _ in 0..<blocks { try writer.append(try generator.nextBlock(transactions: transactions)) }
        try writer.close()
        _ = try ChildRun.json(["chain", "import", "--data-dir", folder, "--network", "devnet", "--json", file])
    }

    /// `ember_api_requests_total` from the node's `/metrics`.
    private func apiRequestCount(_ base: String) async throws -> Int {
        let metrics = try await WalletHTTPTransport(timeout: 30, maxBodySize: 1 << 20).send("GET", URL(string: base + "/metrics")!)
        let line = String(decoding: metrics.body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("ember_api_requests_total ") }
        guard let count = line.flatMap({ Int($0.split(separator: " ").last ?? "") }) else {
            throw commandFailure("the node's /metrics has no ember_api_requests_total")
        }
        return count
    }

    /// The `data-first-render-ms` the page sets on `<body>` once its first view is on screen.
    private static func firstRenderMs(_ dom: String) -> Double? {
        guard let start = dom.range(of: "data-first-render-ms=\"") else { return nil }
        return Double(dom[start.upperBound...].prefix { $0 != "\"" })
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
