import Foundation
import Testing

/// Debian's `chromium`, headless, as the explorer tests drive it: load a page, let its scripts run
/// for a budget of virtual time, and return the rendered DOM with every console message the page
/// logged (chromium prints them to standard error under `--enable-logging=stderr`).
struct HeadlessChromium {
    /// What one page load produced.
    struct Render {
        let dom: String
        /// Console lines (`…:CONSOLE…] "message", source: …`): errors, warnings and logs alike.
        let consoleMessages: [String]
    }

    let executable: URL

    /// The `chromium` on PATH; a test without one fails saying how to get it (scripts/test installs it).
    static func onPath() throws -> HeadlessChromium {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        let found = folders.map { URL(fileURLWithPath: String($0)).appendingPathComponent("chromium") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        let executable = try #require(
            found, "the explorer tests need Debian's chromium on PATH: run scripts/test (it installs it) or apt-get install chromium")
        return HeadlessChromium(executable: executable)
    }

    /// Loads `url` and dumps its DOM once `virtualMs` of virtual time has passed; virtual time stands
    /// still while requests are pending, so every fetch the page starts in that budget is answered.
    func render(_ url: String, virtualMs: Int = 5_000) throws -> Render {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("ember-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let errorLog = profile.appendingPathExtension("stderr")
        defer { try? FileManager.default.removeItem(at: errorLog) }
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)",
            "--enable-logging=stderr", "--v=0", "--virtual-time-budget=\(virtualMs)", "--dump-dom", url,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try process.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "chromium exited \(process.terminationStatus): \(errors.suffix(2_000))")
        return Render(dom: dom, consoleMessages: errors.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") })
    }
}
