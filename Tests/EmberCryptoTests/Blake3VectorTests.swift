import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

/// The official BLAKE3 vector file, loaded as it is.
struct Blake3VectorFile: Decodable {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let inputLength: Int
        let hash: String
        let keyedHash: String
        let deriveKey: String

        enum CodingKeys: String, CodingKey {
            case inputLength = "input_len"
            case hash
            case keyedHash = "keyed_hash"
            case deriveKey = "derive_key"
        }

        /// Byte i of the input is i mod 251, as the vector file's README says.
        var input: [UInt8] { (0..<inputLength).map { UInt8($0 % 251) } }

        var testDescription: String { "input_len \(inputLength)" }
    }

    let key: String
    let contextString: String
    let cases: [Case]

    enum CodingKeys: String, CodingKey {
        case key
        case contextString = "context_string"
        case cases
    }

    static func load() throws -> Blake3VectorFile {
        try JSONDecoder().decode(Blake3VectorFile.self, from: SharedVectors.data(named: "blake3-test-vectors.json"))
    }

    static let all: [Case] = (try? load().cases) ?? []
}

/// Every kernel the CPU can execute, so each path meets the vectors.
let executableKernels = Blake3Kernel.supported

enum Mode: CaseIterable, Sendable {
    case hash, keyed, deriveKey
}

func makeHasher(_ mode: Mode, file: Blake3VectorFile, kernel: Blake3Kernel) throws -> Blake3Hasher {
    switch mode {
    case .hash:
        return Blake3Hasher(kernel: kernel)
    case .keyed:
        let key = try #require(Hash32(Array(file.key.utf8)))
        return Blake3Hasher(key: key, kernel: kernel)
    case .deriveKey:
        return Blake3Hasher(derivingKeyFrom: file.contextString, kernel: kernel)
    }
}

func expected(_ mode: Mode, _ vector: Blake3VectorFile.Case) -> String {
    switch mode {
    case .hash: vector.hash
    case .keyed: vector.keyedHash
    case .deriveKey: vector.deriveKey
    }
}

@Suite("Blake3 official vectors")
struct Blake3VectorTests {
    @Test("the vector file loads with all its cases")
    func fileLoads() throws {
        let file = try Blake3VectorFile.load()
        #expect(file.cases.count == 35)
    }

    @Test("one-shot: every mode, full extended output and the 32-byte digest", arguments: Blake3VectorFile.all, executableKernels)
    func oneShot(vector: Blake3VectorFile.Case, kernel: Blake3Kernel) throws {
        let file = try Blake3VectorFile.load()
        for mode in Mode.allCases {
            var hasher = try makeHasher(mode, file: file, kernel: kernel)
            hasher.update(vector.input)
            let want = expected(mode, vector)
            #expect(hasher.finalize(length: want.count / 2).hexString == want, "\(mode)")
            #expect(hasher.finalize().hex == String(want.prefix(64)), "\(mode)")
            for length in [0, 1, 31, 33, 64, 65, 100] {
                #expect(hasher.finalize(length: length).hexString == String(want.prefix(2 * length)))
            }
        }
    }

    @Test("the convenience functions agree with the vectors", arguments: Blake3VectorFile.all)
    func convenience(vector: Blake3VectorFile.Case) throws {
        let file = try Blake3VectorFile.load()
        let key = try #require(Hash32(Array(file.key.utf8)))
        #expect(Blake3.hash(vector.input).hex == String(vector.hash.prefix(64)))
        #expect(Blake3.hash(vector.input, length: 131).hexString == vector.hash)
        #expect(Blake3.keyedHash(key: key, vector.input).hex == String(vector.keyedHash.prefix(64)))
        #expect(Blake3.deriveKey(context: file.contextString, material: vector.input).hex == String(vector.deriveKey.prefix(64)))
    }

    @Test("streaming in uneven pieces gives the same output", arguments: Blake3VectorFile.all, executableKernels)
    func streaming(vector: Blake3VectorFile.Case, kernel: Blake3Kernel) throws {
        let file = try Blake3VectorFile.load()
        let input = vector.input
        let pieceSizes = [1, 7, 63, 64, 65, 1023, 1024, 1025, 4096, 8191]
        for mode in Mode.allCases {
            for firstPiece in pieceSizes {
                var hasher = try makeHasher(mode, file: file, kernel: kernel)
                var offset = 0
                var sizeIndex = pieceSizes.firstIndex(of: firstPiece) ?? 0
                while offset < input.count {
                    let end = min(input.count, offset + pieceSizes[sizeIndex % pieceSizes.count])
                    hasher.update(input[offset..<end])
                    offset = end
                    sizeIndex += 3
                }
                let want = expected(mode, vector)
                #expect(hasher.finalize(length: want.count / 2).hexString == want, "\(mode) first piece \(firstPiece)")
            }
        }
    }

    @Test("seeking into the extended output matches the vectors", arguments: Blake3VectorFile.all)
    func seek(vector: Blake3VectorFile.Case) {
        var hasher = Blake3Hasher()
        hasher.update(vector.input)
        let whole = [UInt8](hexString: vector.hash) ?? []
        for start in [0, 1, 63, 64, 65, 100] {
            #expect(hasher.finalize(length: whole.count - start, seek: UInt64(start)) == Array(whole[start...]))
        }
    }
}
