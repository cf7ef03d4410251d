import ArgumentParser
import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import EmberWire
import Foundation

/// `ember bench p2p`: the network's three figures, each beside its reference from the same run —
/// sync from a peer against a local import of the same blocks, the time a block takes to reach the
/// third node of a line of three, and the memory 64 idle peers cost a node.
struct P2PBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2p",
        abstract: "Sync from a peer vs local import, block propagation over three nodes, memory with idle peers."
    )

    @Option(help: "Blocks in the generated chain.")
    var blocks: Int = 200

    @Option(help: "Payments per block (the first blocks hold fewer while outputs multiply).")
    var transactions: Int = 1_000

    @Option(help: "Blocks timed on their way to the third node.")
    var propagationBlocks: Int = 20

    @Option(help: "Idle peers connected for the memory figure (0 skips it).")
    var idlePeers: Int = 64

    func run() async throws {
        guard (2...100_000).contains(blocks), (1...19_999).contains(transactions), (1...1_000).contains(propagationBlocks),
              (0...1_024).contains(idlePeers)
        else {
            throw commandFailure("--blocks 2…100000, --transactions 1…19999, --propagation-blocks 1…1000, --idle-peers 0…1024")
        }
        let settings = NetworkSettings()
        let params = try settings.consensusParams()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-p2p-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        say("generating \(blocks + 2 * propagationBlocks) blocks of up to \(transactions) payments…")
        var generator = SyntheticChain(params: params)
        let file = work.appendingPathComponent("chain.blocks").path
        let writer = try BlocksFileWriter(path: file, networkID: params.networkID, genesis: params.genesisBlock.hash)
        for _ in 0..<blocks { try writer.append(try generator.nextBlock(transactions: transactions)) }
        try writer.close()
        // Propagation is timed for blocks with only a coinbase (the network's own latency) and for
        // full blocks (validation at each hop included).
        var emptyBlocks = [Block]()
        for _ in 0..<propagationBlocks { emptyBlocks.append(try generator.nextBlock(transactions: 0)) }
        var fullBlocks = [Block]()
        for _ in 0..<propagationBlocks { fullBlocks.append(try generator.nextBlock(transactions: transactions)) }

        // Reference: `ember chain import` of the file into an empty folder, in a child process.
        let sourceFolder = work.appendingPathComponent("source").path
        let imported = try ChildRun.json(["chain", "import", "--data-dir", sourceFolder, "--json", file])
        guard let importSeconds = imported["seconds"] as? Double, let importedTransactions = imported["transactions"] as? Int else {
            throw commandFailure("chain import printed no summary")
        }
        say(String(format: "local import    %8.0f tx/s  (%d blocks, %d transactions, %.1f s; `ember chain import`)",
                   Double(importedTransactions) / importSeconds, blocks, importedTransactions, importSeconds))

        // Sync: a second node process fetches the chain from a node process serving the imported folder.
        let sourcePorts = (p2p: try LoopbackPort.free(), api: try LoopbackPort.free())
        let source = try ChildRun.start(["node", "--data-dir", sourceFolder, "--p2p-port", "\(sourcePorts.p2p)", "--api-port", "\(sourcePorts.api)"])
        defer { ChildRun.stop(source) }
        guard try await ChildRun.waitForHeight(apiPort: sourcePorts.api, atLeast: blocks, seconds: 60) != nil else {
            throw commandFailure("the source node did not start")
        }
        let sinkPorts = (p2p: try LoopbackPort.free(), api: try LoopbackPort.free())
        let clock = ContinuousClock()
        let syncStart = clock.now
        let sink = try ChildRun.start([
            "node", "--data-dir", work.appendingPathComponent("sink").path, "--network", "devnet", "--p2p-port", "\(sinkPorts.p2p)",
            "--api-port", "\(sinkPorts.api)", "--peer", "127.0.0.1:\(sourcePorts.p2p)",
        ])
        defer { ChildRun.stop(sink) }
        guard try await ChildRun.waitForHeight(apiPort: sinkPorts.api, atLeast: blocks, seconds: 3_600) != nil else {
            throw commandFailure("sync did not finish within an hour")
        }
        let syncSeconds = (clock.now - syncStart).seconds
        let ratio = importSeconds / syncSeconds
        say(String(format: "sync from peer  %8.0f tx/s  %.1f blocks/s (%.1f s, from starting the process)",
                   Double(importedTransactions) / syncSeconds, Double(blocks) / syncSeconds, syncSeconds))
        say(String(format: "sync / import   %8.2f     (target ≥ 0.80)", ratio))
        ChildRun.stop(sink)
        ChildRun.stop(source)

        // Propagation: source → sink → third, in this process, each block submitted at the source.
        let sourceNode = try await BenchNode.open(folder: sourceFolder, settings: settings)
        try await sourceNode.startNetwork(peers: [])
        let sinkNode = try await BenchNode.open(folder: work.appendingPathComponent("sink").path, settings: settings)
        try await sinkNode.startNetwork(peers: [await sourceNode.endpoint], maxOutbound: 1)
        let target = await sourceNode.tip
        let third = try await BenchNode.open(folder: work.appendingPathComponent("third").path, settings: settings)
        try await third.startNetwork(peers: [await sinkNode.endpoint], maxOutbound: 1)
        while await third.tip.hash != target.hash { try await Task.sleep(for: .milliseconds(5)) }
        for (label, batch) in [("empty blocks", emptyBlocks), ("full blocks", fullBlocks)] {
            var times = [Double]()
            for block in batch {
                let start = clock.now
                try await sourceNode.submit(block)
                while await third.tip.hash != block.hash {
                    guard clock.now - start < .seconds(120) else { throw commandFailure("block \(block.header.height) did not reach the third node") }
                    try await Task.sleep(for: .microseconds(200))
                }
                times.append((clock.now - start).seconds * 1_000)
            }
            times.sort()
            let payments = batch.map { $0.transactions.count - 1 }.reduce(0, +) / batch.count
            say(String(format: "propagation     median %.1f ms, max %.1f ms to the third node", times[times.count / 2], times.last ?? 0)
                + " (\(times.count) \(label) of ~\(payments) payments)")
        }
        let hops = await [sourceNode, sinkNode, third].asyncMap { await $0.peerCount }
        say("peers per node  \(hops.map(String.init).joined(separator: ", ")) (a line of three)")
        for node in [third, sinkNode, sourceNode] { await node.stop() }

        if idlePeers > 0 { try await measureIdlePeers(settings: settings, folder: work.appendingPathComponent("idle").path) }
    }

    /// Memory of a node process before and after `idlePeers` peers connect, shake hands and idle.
    private func measureIdlePeers(settings: NetworkSettings, folder: String) async throws {
        let params = try settings.consensusParams()
        let p2pPort = try LoopbackPort.free()
        let apiPort = try LoopbackPort.free()
        let process = Process()
        guard let executable = OwnExecutable.url() else { throw commandFailure("cannot find the ember executable to start a node") }
        process.executableURL = executable
        process.arguments = [
            "node", "--data-dir", folder, "--network", "devnet", "--p2p-port", "\(p2pPort)", "--api-port", "\(apiPort)",
            "--max-inbound", "\(idlePeers + 8)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let clock = ContinuousClock()
        var connections = [IdlePeerSocket]()
        let start = clock.now
        while true {
            if let socket = try? IdlePeerSocket(port: p2pPort) { connections.append(socket); break }
            guard clock.now - start < .seconds(30) else { throw commandFailure("the node did not start listening") }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(2))
        let before = residentBytes(of: process.processIdentifier)
        let version = Frame(network: params.networkID, message: .version(VersionMessage(
            network: params.networkID, genesisHash: params.genesisBlock.hash, bestHeight: 0, cumulativeWork: [1], nonce: 1,
            userAgent: Array("bench".utf8)))).encoded + Frame(network: params.networkID, message: .verack).encoded
        connections[0].send(version)
        for _ in 1..<idlePeers {
            let socket = try IdlePeerSocket(port: p2pPort)
            socket.send(version)
            connections.append(socket)
        }
        try await Task.sleep(for: .seconds(3))
        let after = residentBytes(of: process.processIdentifier)
        let alive = connections.filter(\.isOpen).count
        say(String(format: "idle peers      %d connected: node RSS %.1f MiB with 1 peer, %.1f MiB with %d (%.0f KiB per peer)",
                   alive, Double(before) / 1_048_576, Double(after) / 1_048_576, alive,
                   Double(max(0, after - before)) / 1_024 / Double(max(1, alive - 1))))
        process.terminate()
        process.waitUntilExit()
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results = [T]()
        for element in self { results.append(await transform(element)) }
        return results
    }
}
