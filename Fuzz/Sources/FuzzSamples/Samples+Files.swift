#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Samples {
    /// The repository's root, found from this file's place in it.
    public static var repositoryRoot: String {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(4)  // Fuzz/Sources/FuzzSamples/Samples+Files.swift
        return components.joined(separator: "/")
    }

    /// The bytes of a file under the repository's root, or nil when it cannot be read.
    public static func repositoryFile(_ relativePath: String) -> [UInt8]? {
        file(repositoryRoot + "/" + relativePath)
    }

    /// The bytes of the file at `path`, or nil when it cannot be read.
    public static func file(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }

    /// The committed v1 devnet blocks file (Tests/Fixtures/README.md).
    public static var fixtureBlocksFile: [UInt8]? { repositoryFile("Tests/Fixtures/v1-devnet-30.blocks") }

    /// The 42-byte header and the first `count` length-prefixed block records of the fixture.
    public static func fixtureBlocksFilePrefix(blocks count: Int) -> [UInt8]? {
        guard let file = fixtureBlocksFile else { return nil }
        var end = 42
        for _ in 0..<count where end + 4 <= file.count {
            end += 4 + file[end..<end + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        return Array(file.prefix(end))
    }

    /// The encodings of the fixture's first `count` blocks, without their length prefixes.
    public static func fixtureBlocks(_ count: Int) -> [[UInt8]] {
        guard let file = fixtureBlocksFile else { return [] }
        var blocks: [[UInt8]] = []
        var offset = 42
        while blocks.count < count, offset + 4 <= file.count {
            let length = file[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard offset + 4 + length <= file.count else { break }
            blocks.append(Array(file[offset + 4..<offset + 4 + length]))
            offset += 4 + length
        }
        return blocks
    }
}
