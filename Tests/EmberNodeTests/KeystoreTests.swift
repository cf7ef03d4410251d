import EmberCrypto
import EmberNode
import Foundation
import Testing

@Suite("keystore")
struct KeystoreTests {
    /// n = 2^10 keeps each derivation to milliseconds; the format and checks are the same at any cost.
    static func cheapKDF() throws -> KeystoreKDFParameters { try KeystoreKDFParameters(n: 1 << 10) }
    static let passphrase = Array("correct horse battery staple".utf8)

    static func sealedDevnetKey() throws -> (SigningKey, Keystore) {
        let key = SigningKey.devnet(index: 3)
        return (key, try Keystore.create(key: key, network: .devnet, passphrase: passphrase, kdf: try cheapKDF()))
    }

    /// The keystore's JSON as an editable object.
    static func jsonObject(_ keystore: Keystore) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: keystore.encodedJSON()) as? [String: Any])
    }

    static func decodeEdited(_ keystore: Keystore, _ edit: (inout [String: Any]) -> Void) throws -> Keystore {
        var object = try jsonObject(keystore)
        edit(&object)
        return try Keystore.decode(json: try JSONSerialization.data(withJSONObject: object))
    }

    /// An edit that sets `key` at the top level, or inside the object `section`.
    static func setting(_ key: String, in section: String? = nil, to value: Any) -> (inout [String: Any]) -> Void {
        { object in
            guard let section else {
                object[key] = value
                return
            }
            var inner = object[section] as? [String: Any] ?? [:]
            inner[key] = value
            object[section] = inner
        }
    }

    @Test("create, encode, decode and unlock give the same key and address")
    func roundTrip() throws {
        let (key, keystore) = try Self.sealedDevnetKey()
        #expect(keystore.address == key.publicKey.address(on: .devnet))
        let decoded = try Keystore.decode(json: keystore.encodedJSON())
        #expect(decoded == keystore)
        let unlocked = try decoded.unlock(passphrase: Self.passphrase)
        #expect(unlocked.seed == key.seed)
        #expect(!String(decoding: keystore.encodedJSON(), as: UTF8.self).contains(key.seed.hexString))
    }

    @Test("a file written once is read back, and never overwritten")
    func fileRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-keystore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("nested/wallet.json").path
        let (key, keystore) = try Self.sealedDevnetKey()
        try keystore.write(path: path)
        #expect(try Keystore.read(path: path).unlock(passphrase: Self.passphrase).seed == key.seed)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        let other = try Keystore.create(key: SigningKey(), network: .devnet, passphrase: Self.passphrase, kdf: try Self.cheapKDF())
        #expect(throws: KeystoreError.alreadyExists(path: path)) { try other.write(path: path) }
        #expect(try Keystore.read(path: path) == keystore)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("nested").path) == ["wallet.json"])
    }

    @Test("a wrong passphrase is refused with a clear message")
    func wrongPassphrase() throws {
        let (_, keystore) = try Self.sealedDevnetKey()
        let error = #expect(throws: KeystoreError.self) { try keystore.unlock(passphrase: Array("correct horse battery stapler".utf8)) }
        #expect(error?.description == "wrong passphrase or damaged keystore")
        #expect(throws: KeystoreError.emptyPassphrase) { try keystore.unlock(passphrase: []) }
        #expect(throws: KeystoreError.passphraseTooLong(bytes: 1_025)) {
            try keystore.unlock(passphrase: [UInt8](repeating: 0x61, count: 1_025))
        }
    }

    @Test("a changed byte of the sealed seed, the tag or the nonce fails authentication", arguments: ["ciphertext", "tag", "nonce"])
    func tamperedCipher(field: String) throws {
        let (_, keystore) = try Self.sealedDevnetKey()
        let hex = try #require(Self.jsonObject(keystore)["cipher"] as? [String: Any])[field] as? String ?? ""
        // Flip the lowest bit of the first byte.
        let flipped = [(UInt8(hex.prefix(2), radix: 16) ?? 0) ^ 1].hexString + hex.dropFirst(2)
        let tampered = try Self.decodeEdited(keystore, Self.setting(field, in: "cipher", to: flipped))
        #expect(throws: KeystoreError.wrongPassphraseOrDamaged) { try tampered.unlock(passphrase: Self.passphrase) }
    }

    @Test("a changed header field (address, salt, cost) fails authentication")
    func tamperedHeader() throws {
        let (_, keystore) = try Self.sealedDevnetKey()
        let otherAddress = SigningKey.devnet(index: 4).publicKey.address(on: .devnet).string
        let edits = [
            Self.setting("address", to: otherAddress),
            Self.setting("salt", in: "kdf", to: String(repeating: "ab", count: 32)),
            Self.setting("n", in: "kdf", to: 1 << 11),
        ]
        for edit in edits {
            let tampered = try Self.decodeEdited(keystore, edit)
            #expect(tampered != keystore)
            #expect(throws: KeystoreError.wrongPassphraseOrDamaged) { try tampered.unlock(passphrase: Self.passphrase) }
        }
    }

    static let absurdSettings: [(n: UInt64, r: UInt32, p: UInt32)] = [
        (1 << 40, 8, 1),
        (1 << 20, 8, 1),
        (1 << 18, 32, 1),
        (1 << 20, 1, 16),
        (1 << 20, 2, 4),
        (3_000, 8, 1),
        (0, 8, 1),
        (1, 8, 1),
        (1 << 15, 0, 1),
        (1 << 15, 8, 0),
        (1 << 15, 33, 1),
        (.max, .max, .max),
    ]

    @Test("absurd KDF parameters are refused before any derivation runs", arguments: absurdSettings)
    func absurdParameters(n: UInt64, r: UInt32, p: UInt32) throws {
        let error = #expect(throws: KeystoreError.self) { try KeystoreKDFParameters(n: n, r: r, p: p, salt: [UInt8](repeating: 7, count: 32)) }
        guard case .kdfParametersRefused = error else {
            Issue.record("expected kdfParametersRefused, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("damaged or hostile file") == true)
    }

    @Test("a file with absurd parameters is refused when read")
    func absurdParametersInFile() throws {
        let (_, keystore) = try Self.sealedDevnetKey()
        let error = #expect(throws: KeystoreError.self) {
            try Self.decodeEdited(keystore, Self.setting("n", in: "kdf", to: 1 << 30))
        }
        #expect(error?.description.hasPrefix("the keystore's key-derivation parameters are refused") == true)
    }

    @Test("truncated, garbage, oversized and non-keystore files give a clear error")
    func malformedFiles() throws {
        let (_, keystore) = try Self.sealedDevnetKey()
        let json = keystore.encodedJSON()
        let cases: [(Data, String)] = [
            (json.prefix(json.count / 2), "the keystore is damaged or not an Ember keystore: not JSON"),
            (Data(), "the keystore is damaged or not an Ember keystore: not JSON"),
            (Data([0xff, 0x00, 0x13, 0x37]), "the keystore is damaged or not an Ember keystore: not JSON"),
            (Data("[1,2,3]".utf8), "the keystore is damaged or not an Ember keystore: not a JSON object"),
            (Data(#"{"network":"devnet"}"#.utf8), "the keystore is damaged or not an Ember keystore: the field format is missing"),
            (Data(repeating: 0x20, count: Keystore.maxFileSize + 1),
             "the keystore is damaged or not an Ember keystore: 16385 bytes is too large for a keystore"),
        ]
        for (data, message) in cases {
            let error = #expect(throws: KeystoreError.self) { try Keystore.decode(json: data) }
            #expect(error?.description == message)
        }
    }

    @Test("fields that are present but wrong are each reported")
    func wrongFields() throws {
        let (_, keystore) = try Self.sealedDevnetKey()
        let mainnetAddress = SigningKey.devnet(index: 3).publicKey.address(on: .mainnet).string
        let nonce = try #require(Self.jsonObject(keystore)["cipher"] as? [String: Any])["nonce"] as? String ?? ""
        let cases: [((inout [String: Any]) -> Void, KeystoreError)] = [
            (Self.setting("version", to: 2), .unsupportedVersion(2)),
            (Self.setting("format", to: "other-wallet"), .malformed("the format is 'other-wallet', not 'ember-keystore'")),
            (Self.setting("network", to: "moonnet"), .malformed("unknown network 'moonnet'")),
            (Self.setting("address", to: mainnetAddress),
             .malformed(AddressError.wrongNetwork(expected: .devnet, found: .mainnet).description)),
            (Self.setting("extra", to: true), .malformed("the keystore has an unknown field 'extra'")),
            (Self.setting("algorithm", in: "cipher", to: "aes-128-ecb"), .unsupportedAlgorithm("aes-128-ecb")),
            (Self.setting("nonce", in: "cipher", to: nonce.uppercased()), .malformed("cipher.nonce is not lower-case hexadecimal")),
            (Self.setting("tag", in: "cipher", to: "00"), .malformed("the tag is 1 bytes, not 16")),
            (Self.setting("salt", in: "kdf", to: "00"), .kdfParametersRefused("the salt is 1 bytes; 16 to 64 are accepted")),
            (Self.setting("memory", in: "kdf", to: 1), .malformed("the kdf has an unknown field 'memory'")),
        ]
        for (edit, expected) in cases {
            #expect(throws: expected) { try Self.decodeEdited(keystore, edit) }
        }
    }

    @Test("a missing file says how to create one")
    func missingFile() {
        let path = "/nonexistent/ember/wallet.json"
        let error = #expect(throws: KeystoreError.self) { try Keystore.read(path: path) }
        #expect(error?.description == "no wallet at \(path); create one with `ember wallet create` or choose one with --wallet")
    }

    @Test("an oversized file is refused without reading it all")
    func oversizedFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ember-big-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x20, count: 1_000_000).write(to: URL(fileURLWithPath: path))
        #expect(throws: KeystoreError.fileTooLarge(path: path, size: Keystore.maxFileSize + 1)) { try Keystore.read(path: path) }
    }
}
