import Foundation

/// One `ember node` process for multi-node tests: its own data folder, API port and P2P port, its
/// output in a log file, and JSON helpers for its REST API.
public final class NodeProcess: @unchecked Sendable {
    public let process = Process()
    public let apiPort: Int
    public let p2pPort: Int
    public let log: URL

    /// Starts `ember node --data-dir FOLDER --api-port … --p2p-port …` followed by `arguments`.
    public init(folder: URL, apiPort: Int, p2pPort: Int, arguments: [String]) throws {
        self.apiPort = apiPort
        self.p2pPort = p2pPort
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        log = folder.deletingLastPathComponent().appendingPathComponent("\(folder.lastPathComponent)-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = try EmberBinary.url()
        process.arguments = ["node", "--data-dir", folder.path, "--api-port", "\(apiPort)", "--p2p-port", "\(p2pPort)"] + arguments
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// `127.0.0.1:P2P-PORT`, for another node's `--peer`.
    public var p2pAddress: String { "127.0.0.1:\(p2pPort)" }

    public func get(_ path: String) async throws -> (status: Int, json: [String: Any]) {
        try await LocalHTTP.getJSON("http://127.0.0.1:\(apiPort)" + path)
    }

    public func send(_ method: String, _ path: String, json: [String: Any]) async throws -> (status: Int, json: [String: Any]) {
        let (status, data) = try await LocalHTTP.send(
            method, "http://127.0.0.1:\(apiPort)" + path, headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: json))
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    /// `/v1/info` once `condition` holds, polling for at most `seconds`; nil when it never did.
    public func waitForInfo(seconds: Double, _ condition: ([String: Any]) -> Bool = { _ in true }) async -> [String: Any]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, process.isRunning {
            if let (status, info) = try? await get("/v1/info"), status == 200, condition(info) { return info }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    /// The hash of the active block at `height`, or nil.
    public func hash(atHeight height: Int) async -> String? {
        guard let (status, block) = try? await get("/v1/blocks/height/\(height)"), status == 200 else { return nil }
        return block["hash"] as? String
    }

    /// SIGTERM, then waits up to ten seconds for the exit.
    public func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    public static func height(_ info: [String: Any]) -> Int { (info["height"] as? Int) ?? 0 }
}
