import ArgumentParser
import EmberCrypto
import Foundation

/// `ember hash`: the Blake3 digest of a file or of standard input.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the Blake3 digest of FILE (standard input when absent) in lowercase hex."
    )

    /// Reads files in pieces this large so memory stays flat for inputs of any size.
    static let readSize = 1 << 22

    @Flag(help: "Hash twice, H(H(x)), as block hashes are computed.")
    var double = false

    @Option(name: .customLong("keyed"), help: "Keyed hash with this 32-byte key (64 hex digits).")
    var keyHex: String?

    @Option(name: .customLong("derive-key"), help: "Derive a key from the input under this context string.")
    var context: String?

    @Option(help: "Output length in bytes (extended output).")
    var length: String?

    @Argument(help: "The file to hash; standard input when absent.")
    var file: String?

    func run() throws {
        var hasher = try makeHasher()
        let outputLength = try parsedLength()
        let handle: FileHandle
        if let file {
            guard let opened = FileHandle(forReadingAtPath: file) else {
                throw commandFailure("cannot read \(file): no such file or permission denied")
            }
            handle = opened
        } else {
            handle = FileHandle.standardInput
        }
        do {
            while let piece = try handle.read(upToCount: Self.readSize), !piece.isEmpty {
                piece.withUnsafeBytes { hasher.update($0) }
            }
        } catch {
            throw commandFailure("cannot read \(file ?? "standard input"): \(error.localizedDescription)")
        }
        if double {
            print(Blake3.hash(hasher.finalize().bytes).hex)
        } else {
            print(hasher.finalize(length: outputLength).hexString)
        }
    }

    private func makeHasher() throws -> Blake3Hasher {
        let modes = [keyHex != nil, context != nil, double].filter { $0 }.count
        guard modes <= 1 else { throw commandFailure("--keyed, --derive-key and --double exclude each other; pick one") }
        if let keyHex {
            guard let key = Hash32(hex: keyHex) else {
                throw commandFailure("--keyed needs exactly 64 hex digits (a 32-byte key); got \(keyHex.count) characters")
            }
            return Blake3Hasher(key: key)
        }
        if let context { return Blake3Hasher(derivingKeyFrom: context) }
        return Blake3Hasher()
    }

    private func parsedLength() throws -> Int {
        guard let length else { return Hash32.byteCount }
        guard !double else { throw commandFailure("--length does not apply to --double, whose output is 32 bytes") }
        guard let value = Int(length), value >= 1, value <= 1 << 20 else {
            throw commandFailure("--length must be a whole number of bytes from 1 to 1048576; got \(length)")
        }
        return value
    }
}
