import Foundation

/// Reads files a person or another program may have put anywhere, never more than a limit allows.
public enum BoundedFile {
    /// At most `limit + 1` bytes from the start of the file at `path`: one byte more than allowed tells
    /// a file over the limit from one at it, without reading the whole of a huge file.
    public static func read(path: String, limit: Int) throws -> Data {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        return try handle.read(upToCount: limit + 1) ?? Data()
    }
}
