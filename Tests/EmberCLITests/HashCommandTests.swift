import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

@Suite("ember hash")
struct HashCommandTests {
    static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ember-hash-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    static let input: [UInt8] = (0..<5_000).map { UInt8($0 % 251) }

    @Test("a file, standard input, and every kernel give the library's digest")
    func digestOfFile() throws {
        let file = try Self.temporaryFile(Self.input)
        defer { try? FileManager.default.removeItem(at: file) }
        let expected = Blake3.hash(Self.input).hex
        for kernel in Blake3Kernel.supported {
            let result = try EmberBinary.run(["hash", file.path], environment: [Blake3Kernel.environmentVariable: kernel.description])
            #expect(result.status == 0)
            #expect(result.standardOutput == expected + "\n", "kernel \(kernel)")
        }
        let piped = try EmberBinary.run(["hash"], standardInput: Data(Self.input))
        #expect(piped.standardOutput == expected + "\n")
    }

    @Test("--double, --keyed, --derive-key and --length")
    func modes() throws {
        let file = try Self.temporaryFile(Self.input)
        defer { try? FileManager.default.removeItem(at: file) }
        let key = Blake3.hash([1])
        #expect(try EmberBinary.run(["hash", "--double", file.path]).standardOutput == Blake3.doubleHash(Self.input).hex + "\n")
        #expect(try EmberBinary.run(["hash", "--keyed", key.hex, file.path]).standardOutput == Blake3.keyedHash(key: key, Self.input).hex + "\n")
        #expect(try EmberBinary.run(["hash", "--derive-key", "ctx", file.path]).standardOutput
            == Blake3.deriveKey(context: "ctx", material: Self.input).hex + "\n")
        #expect(try EmberBinary.run(["hash", "--length", "100", file.path]).standardOutput
            == Blake3.hash(Self.input, length: 100).hexString + "\n")
    }

    @Test("bad key, bad length or unreadable file: one line on stderr and exit status 1", arguments: [
        ["hash", "--keyed", "abcd"],
        ["hash", "--keyed", String(repeating: "zz", count: 32)],
        ["hash", "--length", "0"],
        ["hash", "--length", "ten"],
        ["hash", "/nonexistent/ember-file"],
        ["hash", "--length"],
    ])
    func badArguments(arguments: [String]) throws {
        let result = try EmberBinary.run(arguments, standardInput: Data())
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.split(separator: "\n").count == 1)
    }
}
