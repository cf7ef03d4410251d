import Foundation

/// The running `ember` executable, for commands that start copies of themselves.
enum OwnExecutable {
    /// `/proc/self/exe` where Linux offers it, which holds however `ember` was started; else the
    /// resolved first argument; else `ember` on the PATH.
    static func url() -> URL? {
        let candidates = [
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? executableInPath("ember")
    }
}
