import EmberChain
import EmberNode
import EmberP2P
import EmberWire
import Foundation
import Logging

/// A node inside a benchmark's process: a SQLite folder, its chain and mempool, and a peer network on
/// an ephemeral port of 127.0.0.1 once started.
final class BenchNode: Sendable {
    let chain: Chain
    let mempool: Mempool
    private let state = BenchNodeState()

    private init(chain: Chain, mempool: Mempool) {
        self.chain = chain
        self.mempool = mempool
    }

    static func open(folder: String, settings: NetworkSettings) async throws -> BenchNode {
        let opened = try DataFolder.open(path: folder, requested: settings)
        let chain = try await Chain(params: opened.params, store: opened.store)
        return BenchNode(chain: chain, mempool: Mempool(params: opened.params))
    }

    static var nowMs: UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000) }

    func startNetwork(peers: [PeerEndpoint], maxOutbound: Int = 8) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let network = try PeerNetwork(
            configuration: PeerNetworkConfiguration(port: 0, peers: peers, maxOutbound: maxOutbound), chain: chain, mempool: mempool,
            logger: logger)
        let task = Task { try await network.run() }
        while await network.boundPort == nil { try await Task.sleep(for: .milliseconds(5)) }
        await state.set(network: network, task: task, port: await network.boundPort ?? 0)
    }

    var endpoint: PeerEndpoint {
        get async { PeerEndpoint(host: "127.0.0.1", port: await state.port) }
    }

    var peerCount: Int {
        get async { await state.network?.snapshot().filter(\.handshakeComplete).count ?? 0 }
    }

    func stop() async {
        guard let task = await state.task else { return }
        task.cancel()
        _ = try? await task.value
    }

    /// A free TCP port on 127.0.0.1, found by binding port 0.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw commandFailure("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The resident memory of process `pid`, from /proc (0 when it cannot be read).
    static func residentBytes(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1_024
    }
}

/// What a `BenchNode` learns once its network starts.
private actor BenchNodeState {
    var network: PeerNetwork?
    var task: Task<Void, any Error>?
    var port = 0

    func set(network: PeerNetwork, task: Task<Void, any Error>, port: Int) {
        self.network = network
        self.task = task
        self.port = port
    }
}

/// A peer that connects, says version and verack, and then only listens: the cheapest peer a node can
/// have, for measuring what each connection costs it.
final class IdlePeerSocket {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ConnectionRefused(port: port)
        }
    }

    struct ConnectionRefused: Error, CustomStringConvertible {
        let port: Int
        var description: String { "cannot connect to 127.0.0.1:\(port)" }
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Whether the node still keeps the connection (reading without blocking, and discarding).
    var isOpen: Bool {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { continue }
            return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }
    }
}
