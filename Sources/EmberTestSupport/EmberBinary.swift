import Foundation

/// Finds and runs the built `ember` executable, so tests can drive the command line as a user does.
public enum EmberBinary {
    /// What a finished run printed and how it exited.
    public struct Output: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
    }

    public struct NotFound: Error, CustomStringConvertible {
        public let searched: [String]
        public var description: String {
            "no built ember executable; run `swift build` first (looked in: \(searched.joined(separator: ", ")))"
        }
    }

    /// The `ember` executable: `$EMBER_BINARY` when set, else the one beside the running test bundle
    /// (SwiftPM puts every product of a build in one folder), else `.build/debug/ember` in the package.
    public static func url() throws -> URL {
        let candidates = candidatePaths()
        guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw NotFound(searched: candidates)
        }
        return URL(fileURLWithPath: found)
    }

    /// Runs `ember` with `arguments` to completion, with extra environment variables and bytes on its
    /// standard input (none when nil).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], standardInput: Data? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let inputPipe = Pipe()
        process.standardInput = standardInput == nil ? FileHandle.nullDevice : inputPipe
        let standardOutput = Pipe()
        // Standard error goes to a file, so a chatty error stream cannot fill a pipe that nobody reads
        // while standard output is being drained.
        let errorURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("ember-stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errorURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: errorURL.path])
        }
        defer { try? FileManager.default.removeItem(at: errorURL) }
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        process.standardOutput = standardOutput
        process.standardError = errorHandle
        try process.run()
        if let standardInput {
            try inputPipe.fileHandleForWriting.write(contentsOf: standardInput)
            try inputPipe.fileHandleForWriting.close()
        }
        let outputData = standardOutput.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        return Output(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    private static func candidatePaths() -> [String] {
        var paths: [String] = []
        if let override = ProcessInfo.processInfo.environment["EMBER_BINARY"], !override.isEmpty {
            paths.append(override)
        }
        // Linux runs the test bundle as an executable (arguments[0]); macOS passes the .xctest bundle
        // to xctest as an argument. Either way the products folder is the bundle's parent.
        let arguments = CommandLine.arguments
        let bundles = arguments.prefix(1) + arguments.dropFirst().filter { $0.hasSuffix(".xctest") }
        for argument in bundles {
            let bundle = URL(fileURLWithPath: argument).resolvingSymlinksInPath()
            paths.append(bundle.deletingLastPathComponent().appendingPathComponent("ember").path)
        }
        for configuration in ["debug", "release"] {
            paths.append(SharedVectors.packageRoot.appendingPathComponent(".build/\(configuration)/ember").path)
        }
        return paths
    }
}
