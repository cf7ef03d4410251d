import Foundation
import EmberNode

/// Copies of this executable run by a benchmark, so each figure comes from the command a person
/// would run.
enum ChildRun {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func executable() throws -> URL {
        guard let url = OwnExecutable.url() else { throw Failure(description: "cannot find the ember executable") }
        return url
    }

    /// Starts `ember ARGUMENTS` with its output discarded.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// SIGTERM and wait; nothing when it has already exited.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Runs `ember ARGUMENTS` to the end and parses the last line it printed as a JSON object.
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard process.terminationStatus == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any]
        else {
            throw Failure(description: "`ember \(arguments.joined(separator: " "))` failed (status \(process.terminationStatus))")
        }
        return object
    }

    /// Polls a node's `/v1/info` until its height reaches `height`; the height, or nil on time-out.
    static func waitForHeight(apiPort: Int, atLeast height: Int, seconds: Double) async throws -> Int? {
        let url = URL(string: "http://127.0.0.1:\(apiPort)/v1/info")!
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let response = try? await WalletHTTPTransport(timeout: 10, maxBodySize: 1 << 20).send("GET", url),
               let info = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
               let current = info["height"] as? Int, current >= height {
                return current
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
