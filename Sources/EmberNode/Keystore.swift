import Crypto
import EmberCore
import EmberCrypto
import Foundation

/// A wallet's key at rest: the 32-byte Ed25519 seed sealed with ChaCha20-Poly1305 under a key that
/// scrypt derives from a passphrase.
///
/// The network, address and KDF parameters are in the clear so a wallet can show its address without
/// the passphrase, and they are the AEAD's authenticated data: changing any of them makes unlocking
/// fail instead of silently showing another address. The file format is in `Keystore+File.swift`.
public struct Keystore: Hashable, Sendable {
    /// The keystore format this software writes and reads.
    public static let formatVersion = 1
    /// Bounds what reading an untrusted file allocates; a real keystore is under 1 KiB.
    public static let maxFileSize = 16 * 1024
    /// Bounds the bytes handed to scrypt.
    public static let maxPassphraseBytes = 1024
    /// The one cipher of keystore version 1.
    public static let cipherAlgorithm = "chacha20-poly1305"
    static let nonceByteCount = 12
    static let tagByteCount = 16
    /// Domain tag of the authenticated data, so the sealed seed cannot be mistaken for another use.
    static let authenticatedDataTag = Array("ember/keystore/v1".utf8)

    public let network: NetworkID
    /// The address of the sealed key, shown without the passphrase and checked when unlocking.
    public let address: Address
    public let kdf: KeystoreKDFParameters
    public let nonce: [UInt8]
    /// The sealed seed, `SigningKey.seedByteCount` bytes.
    public let ciphertext: [UInt8]
    public let tag: [UInt8]

    /// A keystore as read from a file; its fields are checked for form, not yet authenticated.
    init(
        network: NetworkID, address: Address, kdf: KeystoreKDFParameters, nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) throws(KeystoreError) {
        guard address.network == network else {
            throw .malformed("the address \(address) is not a \(network) address")
        }
        guard nonce.count == Self.nonceByteCount else { throw .malformed("the nonce is \(nonce.count) bytes, not \(Self.nonceByteCount)") }
        guard ciphertext.count == SigningKey.seedByteCount else {
            throw .malformed("the ciphertext is \(ciphertext.count) bytes, not \(SigningKey.seedByteCount)")
        }
        guard tag.count == Self.tagByteCount else { throw .malformed("the tag is \(tag.count) bytes, not \(Self.tagByteCount)") }
        self.network = network
        self.address = address
        self.kdf = kdf
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.tag = tag
    }

    /// Seals `key` for `network` under `passphrase` (UTF-8 bytes), with fresh salt and nonce.
    public static func create(
        key: SigningKey, network: NetworkID, passphrase: [UInt8], kdf: KeystoreKDFParameters
    ) throws(KeystoreError) -> Keystore {
        try checkPassphrase(passphrase)
        let address = key.publicKey.address(on: network)
        let symmetricKey = try kdf.deriveKey(passphrase: passphrase)
        let nonce = ChaChaPoly.Nonce()
        let aad = authenticatedData(network: network, address: address, kdf: kdf)
        let box: ChaChaPoly.SealedBox
        do {
            box = try ChaChaPoly.seal(key.seed, using: symmetricKey, nonce: nonce, authenticating: aad)
        } catch {
            throw .keyDerivationFailed("sealing failed: \(error)")
        }
        return try Keystore(
            network: network, address: address, kdf: kdf, nonce: Array(nonce), ciphertext: Array(box.ciphertext),
            tag: Array(box.tag))
    }

    /// The key, when `passphrase` is right and no byte of the keystore changed.
    public func unlock(passphrase: [UInt8]) throws(KeystoreError) -> SigningKey {
        try Self.checkPassphrase(passphrase)
        let symmetricKey = try kdf.deriveKey(passphrase: passphrase)
        let aad = Self.authenticatedData(network: network, address: address, kdf: kdf)
        let seed: Data
        do {
            let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
            seed = try ChaChaPoly.open(box, using: symmetricKey, authenticating: aad)
        } catch {
            throw .wrongPassphraseOrDamaged
        }
        guard let key = try? SigningKey(seed: seed), key.publicKey.address(on: network) == address else {
            // Authenticated yet inconsistent: written by faulty software, not by this one.
            throw .malformed("the sealed key does not belong to the address \(address)")
        }
        return key
    }

    static func checkPassphrase(_ passphrase: [UInt8]) throws(KeystoreError) {
        guard !passphrase.isEmpty else { throw .emptyPassphrase }
        guard passphrase.count <= maxPassphraseBytes else { throw .passphraseTooLong(bytes: passphrase.count) }
    }

    /// The header fields in a fixed binary form: the JSON text may be re-spaced, these bytes may not change.
    static func authenticatedData(network: NetworkID, address: Address, kdf: KeystoreKDFParameters) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeRawBytes(authenticatedDataTag)
        writer.writeUInt8(UInt8(formatVersion))
        writer.writeUInt8(network.rawValue)
        writer.writeByteString(Array(address.string.utf8))
        writer.writeByteString(Array(KeystoreKDFParameters.algorithm.utf8))
        writer.writeUInt64(kdf.n)
        writer.writeUInt32(kdf.r)
        writer.writeUInt32(kdf.p)
        writer.writeByteString(kdf.salt)
        writer.writeByteString(Array(cipherAlgorithm.utf8))
        return writer.bytes
    }
}
