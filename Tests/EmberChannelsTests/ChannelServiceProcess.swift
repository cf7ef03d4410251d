import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation

/// One `ember channel serve` process for end-to-end tests: its own folder, peer and control ports, a
/// devnet seed key, its output in a log file; and the `ember channel` commands run against it.
final class ChannelServiceProcess: @unchecked Sendable {
    let folder: URL
    let keyIndex: UInt32
    let nodePort: Int
    private(set) var peerPort: Int
    private(set) var controlPort: Int
    let log: URL
    private(set) var process = Process()

    init(folder: URL, keyIndex: UInt32, nodePort: Int, window: UInt32 = 12) throws {
        self.folder = folder
        self.keyIndex = keyIndex
        self.nodePort = nodePort
        peerPort = try PortAllocator.freePort()
        controlPort = try PortAllocator.freePort()
        log = folder.appendingPathComponent("service.log")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.window = window
        try start()
    }

    let window: UInt32

    /// Starts (or starts again, after a kill) the service on the same folder and ports.
    func start() throws {
        process = Process()
        process.executableURL = try EmberBinary.url()
        process.arguments = [
            "channel", "serve", "--devnet-key", "\(keyIndex)", "--node", "http://127.0.0.1:\(nodePort)", "--data", folder.path,
            "--port", "\(peerPort)", "--control-port", "\(controlPort)", "--window", "\(window)",
        ]
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var peerURL: String { "ws://127.0.0.1:\(peerPort)/v1/peer" }
    var towerURL: String { "http://127.0.0.1:\(peerPort)" }
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Runs `ember channel ARGUMENTS --service …` to completion.
    func cli(_ arguments: [String]) throws -> EmberBinary.Output {
        try EmberBinary.run(["channel"] + arguments + ["--service", "http://127.0.0.1:\(controlPort)"])
    }

    /// The JSON object a successful command printed.
    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try cli(arguments)
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] else {
            throw Failure(message: "ember channel \(arguments.joined(separator: " ")) exited \(result.status): \(result.standardError)\(result.standardOutput)")
        }
        return object
    }

    /// Waits until the control API answers. A service that could not bind its ports (another test's
    /// process took one between `freePort` and the bind) starts again on new ones, up to three times.
    func waitUntilServing(seconds: Double = 60) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var restarts = 0
        while Date() < deadline {
            if !process.isRunning {
                guard restarts < 3, output.contains("in use"), let peer = try? PortAllocator.freePort(),
                      let control = try? PortAllocator.freePort()
                else { return false }
                restarts += 1
                (peerPort, controlPort) = (peer, control)
                guard (try? start()) != nil else { return false }
            }
            if let result = try? cli(["status"]), result.status == 0 { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
