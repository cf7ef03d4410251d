import EmberCrypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The keystore file: JSON, read strictly (unknown fields, wrong lengths and upper-case hex are refused)
/// and written once, never overwritten.
///
/// ```json
/// {"format": "ember-keystore", "version": 1, "network": "devnet", "address": "emd1…",
///  "kdf": {"algorithm": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": "<hex>"},
///  "cipher": {"algorithm": "chacha20-poly1305", "nonce": "<hex>", "ciphertext": "<hex>", "tag": "<hex>"}}
/// ```
extension Keystore {
    /// The value of the `format` field, so another JSON file is reported as such.
    public static let formatName = "ember-keystore"

    /// The keystore's JSON text.
    public func encodedJSON() -> Data {
        let file = KeystoreFile(
            format: Self.formatName, version: Self.formatVersion, network: "\(network)", address: address.string,
            kdf: .init(algorithm: KeystoreKDFParameters.algorithm, n: kdf.n, r: kdf.r, p: kdf.p, salt: kdf.salt.hexString),
            cipher: .init(
                algorithm: Self.cipherAlgorithm, nonce: nonce.hexString, ciphertext: ciphertext.hexString, tag: tag.hexString))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and integers cannot fail.
        return (try? encoder.encode(file)) ?? Data()
    }

    /// Decodes keystore JSON from an untrusted source, refusing anything but the exact format.
    public static func decode(json data: Data) throws(KeystoreError) -> Keystore {
        guard data.count <= maxFileSize else { throw .malformed("\(data.count) bytes is too large for a keystore") }
        let file: KeystoreFile
        do {
            file = try JSONDecoder().decode(KeystoreFile.self, from: data)
        } catch let error as KeystoreError {
            throw error
        } catch {
            throw .malformed(describeJSONFailure(error))
        }
        guard file.format == formatName else { throw .malformed("the format is '\(file.format)', not '\(formatName)'") }
        guard file.version == formatVersion else { throw .unsupportedVersion(file.version) }
        guard let network = NetworkID.allCases.first(where: { "\($0)" == file.network }) else {
            throw .malformed("unknown network '\(file.network)'")
        }
        let address: Address
        do { address = try Address.parse(file.address, expecting: network) } catch { throw .malformed(error.description) }
        guard file.kdf.algorithm == KeystoreKDFParameters.algorithm else { throw .unsupportedAlgorithm(file.kdf.algorithm) }
        guard file.cipher.algorithm == cipherAlgorithm else { throw .unsupportedAlgorithm(file.cipher.algorithm) }
        let kdf = try KeystoreKDFParameters(n: file.kdf.n, r: file.kdf.r, p: file.kdf.p, salt: try hexField(file.kdf.salt, "kdf.salt"))
        return try Keystore(
            network: network, address: address, kdf: kdf, nonce: try hexField(file.cipher.nonce, "cipher.nonce"),
            ciphertext: try hexField(file.cipher.ciphertext, "cipher.ciphertext"), tag: try hexField(file.cipher.tag, "cipher.tag"))
    }

    /// Reads the keystore at `path`.
    public static func read(path: String) throws(KeystoreError) -> Keystore {
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path: path) }
        let data: Data
        do {
            data = try BoundedFile.read(path: path, limit: maxFileSize)
        } catch {
            throw .unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        guard data.count <= maxFileSize else { throw .fileTooLarge(path: path, size: data.count) }
        return try decode(json: data)
    }

    /// Writes the keystore to `path`, creating its folder; refuses when anything exists at `path`.
    ///
    /// The file is written and synced under a temporary name and then hard-linked to `path`, which fails
    /// when `path` exists: a keystore is never replaced, and a crash never leaves half a keystore there.
    public func write(path: String) throws(KeystoreError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        guard !FileManager.default.fileExists(atPath: path) else { throw .alreadyExists(path: path) }
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        defer { unlink(temporary) }
        try Self.writeSynced(encodedJSON(), to: temporary, reportedPath: path)
        guard link(temporary, path) == 0 else {
            let code = errno
            if code == EEXIST { throw .alreadyExists(path: path) }
            throw .unwritable(path: path, reason: String(cString: strerror(code)))
        }
    }

    /// Writes `data` to a new file readable by its owner only, and syncs it to disk.
    private static func writeSynced(_ data: Data, to path: String, reportedPath: String) throws(KeystoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw .unwritable(path: reportedPath, reason: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            throw .unwritable(path: reportedPath, reason: error.localizedDescription)
        }
    }

    private static func hexField(_ text: String, _ field: String) throws(KeystoreError) -> [UInt8] {
        // Lower case only, as written: one spelling per keystore.
        guard text == text.lowercased(), let bytes = [UInt8](hexString: text) else {
            throw .malformed("\(field) is not lower-case hexadecimal")
        }
        return bytes
    }
}

/// The JSON shape of a keystore, before its values are checked.
private struct KeystoreFile: Codable {
    struct KDF: Codable {
        var algorithm: String
        var n: UInt64
        var r: UInt32
        var p: UInt32
        var salt: String

        init(algorithm: String, n: UInt64, r: UInt32, p: UInt32, salt: String) {
            (self.algorithm, self.n, self.r, self.p, self.salt) = (algorithm, n, r, p, salt)
        }

        init(from decoder: any Decoder) throws {
            try requireExactFields(["algorithm", "n", "r", "p", "salt"], of: "kdf", in: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            algorithm = try container.decode(String.self, forKey: .algorithm)
            n = try container.decode(UInt64.self, forKey: .n)
            r = try container.decode(UInt32.self, forKey: .r)
            p = try container.decode(UInt32.self, forKey: .p)
            salt = try container.decode(String.self, forKey: .salt)
        }
    }

    struct Cipher: Codable {
        var algorithm: String
        var nonce: String
        var ciphertext: String
        var tag: String

        init(algorithm: String, nonce: String, ciphertext: String, tag: String) {
            (self.algorithm, self.nonce, self.ciphertext, self.tag) = (algorithm, nonce, ciphertext, tag)
        }

        init(from decoder: any Decoder) throws {
            try requireExactFields(["algorithm", "nonce", "ciphertext", "tag"], of: "cipher", in: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            algorithm = try container.decode(String.self, forKey: .algorithm)
            nonce = try container.decode(String.self, forKey: .nonce)
            ciphertext = try container.decode(String.self, forKey: .ciphertext)
            tag = try container.decode(String.self, forKey: .tag)
        }
    }

    var format: String
    var version: Int
    var network: String
    var address: String
    var kdf: KDF
    var cipher: Cipher

    init(format: String, version: Int, network: String, address: String, kdf: KDF, cipher: Cipher) {
        (self.format, self.version, self.network, self.address, self.kdf, self.cipher) =
            (format, version, network, address, kdf, cipher)
    }

    init(from decoder: any Decoder) throws {
        try requireExactFields(["format", "version", "network", "address", "kdf", "cipher"], of: "keystore", in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        version = try container.decode(Int.self, forKey: .version)
        network = try container.decode(String.self, forKey: .network)
        address = try container.decode(String.self, forKey: .address)
        kdf = try container.decode(KDF.self, forKey: .kdf)
        cipher = try container.decode(Cipher.self, forKey: .cipher)
    }
}

/// Any JSON object key, so the keys present can be compared with the keys expected.
private struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Refuses an object with a field the format does not define, which a lenient decoder would ignore.
private func requireExactFields(_ expected: Set<String>, of object: String, in decoder: any Decoder) throws {
    let found = Set(try decoder.container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue))
    if let unexpected = found.subtracting(expected).sorted().first {
        throw KeystoreError.malformed("the \(object) has an unknown field '\(unexpected)'")
    }
}
