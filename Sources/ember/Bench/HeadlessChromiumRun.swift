import Foundation

/// One headless `chromium` page load for `ember bench explorer`: its wall time from launch to exit and
/// the DOM it dumped.
struct HeadlessChromiumRun {
    let seconds: Double
    let dom: String

    /// The `chromium` on PATH, or a failure saying how to install it.
    static func executable() throws -> URL {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        guard let found = folders.map({ URL(fileURLWithPath: String($0)).appendingPathComponent("chromium") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) })
        else { throw commandFailure("no chromium on PATH: apt-get install chromium (scripts/test installs it)") }
        return found
    }

    /// Loads `url` in a fresh profile and dumps the DOM after `virtualMs` of virtual time, which stands
    /// still while requests are pending: every fetch the page starts within it is answered.
    static func load(_ url: String, chromium: URL, virtualMs: Int) throws -> HeadlessChromiumRun {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = chromium
        // --no-sandbox: benchmarks may run as root, where chromium's sandbox refuses to start.
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)",
            "--virtual-time-budget=\(virtualMs)", "--dump-dom", url,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let elapsed = clock.now - start
        guard process.terminationStatus == 0 else { throw commandFailure("chromium exited \(process.terminationStatus) loading \(url)") }
        return HeadlessChromiumRun(seconds: elapsed.seconds, dom: dom)
    }
}
