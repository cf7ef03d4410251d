import Foundation

/// Locates the project's official reference files in `../shared/vectors`, beside the package root.
///
/// The root is found from this file's own path, not the working directory, so tests run the same
/// from any folder.
public enum SharedVectors {
    /// The package root: two folders above `Sources/EmberTestSupport`.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    public static let folder: URL = packageRoot
        .deletingLastPathComponent()
        .appendingPathComponent("shared")
        .appendingPathComponent("vectors")

    /// The bytes of one vector file, such as `difficulty.json`.
    public static func data(named name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }
}
