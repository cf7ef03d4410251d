import EmberCore
import EmberCrypto
import Foundation

/// The blocks file of `ember chain export` and `import`: a header naming the chain, then
/// length-prefixed blocks in height order from height 1.
///
/// ```
/// magic "EMBRBLKS" | version u8 (=1) | networkID u8 | genesis hash 32 | { length u32 | block }*
/// ```
public enum BlocksFile {
    public static let magic: [UInt8] = Array("EMBRBLKS".utf8)
    public static let version: UInt8 = 1
    static let headerSize = magic.count + 2 + Hash32.byteCount

    /// Why a blocks file cannot be read; the file is untrusted input.
    public enum ReadError: Error, Sendable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case notABlocksFile(path: String)
        case unsupportedVersion(UInt8)
        case otherChain(networkID: UInt8, genesis: Hash32)
        case blockTooLarge(index: Int, length: Int, limit: Int)
        case truncated(index: Int)
        case malformedBlock(index: Int, DecodingError)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .notABlocksFile(let path): "\(path) is not an Ember blocks file (wrong magic bytes)"
            case .unsupportedVersion(let version): "blocks file version \(version) is not supported (this Ember reads version 1)"
            case .otherChain(let networkID, let genesis):
                "the blocks file belongs to another chain (network \(networkID), genesis \(genesis))"
            case .blockTooLarge(let index, let length, let limit):
                "the file's block \(index + 1) claims \(length) bytes, over the limit of \(limit)"
            case .truncated(let index):
                "the file ends inside its block \(index + 1), after \(index) complete blocks: it was cut short"
            case .malformedBlock(let index, let error): "the file's block \(index + 1) is malformed: \(error)"
            }
        }
    }

    /// The file's header bytes for a chain.
    static func header(networkID: NetworkID, genesis: Hash32) -> [UInt8] {
        magic + [version, networkID.rawValue] + genesis.bytes
    }
}

/// Writes a blocks file, one block at a time, so exporting never holds the chain in memory.
public struct BlocksFileWriter {
    private let handle: FileHandle

    public init(path: String, networkID: NetworkID, genesis: Hash32) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw BlocksFile.ReadError.unreadable(path: path, reason: "cannot create the file")
        }
        self.handle = handle
        try handle.write(contentsOf: BlocksFile.header(networkID: networkID, genesis: genesis))
    }

    public func append(_ block: Block) throws {
        let bytes = block.encoded
        var record = [UInt8](repeating: 0, count: 4)
        for shift in 0..<4 { record[3 - shift] = UInt8(truncatingIfNeeded: bytes.count >> (8 * shift)) }
        try handle.write(contentsOf: record + bytes)
    }

    public func close() throws { try handle.close() }
}

/// Reads a blocks file block by block with explicit limits: a damaged or hostile file gives a clear
/// error, never a crash or an unbounded allocation.
public struct BlocksFileReader {
    private let handle: FileHandle
    private let path: String
    private var index = 0

    /// Opens `path` and checks that it holds blocks of the chain with this network and genesis.
    public init(path: String, networkID: NetworkID, genesis: Hash32) throws(BlocksFile.ReadError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "no such file or permission denied")
        }
        self.handle = handle
        self.path = path
        let header = try Self.read(handle, count: BlocksFile.headerSize, path: path)
        guard header.count == BlocksFile.headerSize, Array(header.prefix(BlocksFile.magic.count)) == BlocksFile.magic else {
            throw .notABlocksFile(path: path)
        }
        let version = header[BlocksFile.magic.count]
        guard version == BlocksFile.version else { throw .unsupportedVersion(version) }
        let fileNetwork = header[BlocksFile.magic.count + 1]
        let fileGenesis = Hash32(header.suffix(Hash32.byteCount)) ?? .zero
        guard fileNetwork == networkID.rawValue, fileGenesis == genesis else {
            throw .otherChain(networkID: fileNetwork, genesis: fileGenesis)
        }
    }

    /// The next block, or nil at the end of the file.
    public mutating func next() throws(BlocksFile.ReadError) -> Block? {
        let prefix = try Self.read(handle, count: 4, path: path)
        if prefix.isEmpty { return nil }
        guard prefix.count == 4 else { throw .truncated(index: index) }
        let length = prefix.reduce(0) { $0 << 8 | Int($1) }
        guard length <= Block.maxSize else { throw .blockTooLarge(index: index, length: length, limit: Block.maxSize) }
        let bytes = try Self.read(handle, count: length, path: path)
        guard bytes.count == length else { throw .truncated(index: index) }
        defer { index += 1 }
        do {
            return try Block.decode(from: bytes, limit: Block.maxSize)
        } catch {
            throw .malformedBlock(index: index, error)
        }
    }

    private static func read(_ handle: FileHandle, count: Int, path: String) throws(BlocksFile.ReadError) -> [UInt8] {
        do {
            var bytes = [UInt8]()
            while bytes.count < count {
                guard let piece = try handle.read(upToCount: count - bytes.count), !piece.isEmpty else { break }
                bytes += piece
            }
            return bytes
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
    }
}
