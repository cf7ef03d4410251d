/// Why a keystore cannot be created, read or unlocked, phrased for the wallet's owner.
public enum KeystoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Authentication failed: the passphrase is wrong or a byte of the file changed.
    case wrongPassphraseOrDamaged
    /// The file is not a keystore this software can read; the reason says which field.
    case malformed(String)
    case unsupportedVersion(Int)
    case unsupportedAlgorithm(String)
    /// KDF parameters outside the bounds: a damaged or hostile file.
    case kdfParametersRefused(String)
    case keyDerivationFailed(String)
    case emptyPassphrase
    case passphraseTooLong(bytes: Int)
    case notFound(path: String)
    case fileTooLarge(path: String, size: Int)
    case unreadable(path: String, reason: String)
    case alreadyExists(path: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .wrongPassphraseOrDamaged:
            "wrong passphrase or damaged keystore"
        case .malformed(let reason):
            "the keystore is damaged or not an Ember keystore: \(reason)"
        case .unsupportedVersion(let version):
            "keystore version \(version) is not supported (this software reads version \(Keystore.formatVersion))"
        case .unsupportedAlgorithm(let name):
            "the keystore uses \(name), which this software does not support"
        case .kdfParametersRefused(let reason):
            "the keystore's key-derivation parameters are refused (damaged or hostile file): \(reason)"
        case .keyDerivationFailed(let reason):
            "the key could not be derived from the passphrase: \(reason)"
        case .emptyPassphrase:
            "the passphrase is empty"
        case .passphraseTooLong(let bytes):
            "the passphrase is \(bytes) bytes long; at most \(Keystore.maxPassphraseBytes) are accepted"
        case .notFound(let path):
            "no wallet at \(path); create one with `ember wallet create` or choose one with --wallet"
        case .fileTooLarge(let path, let size):
            "\(path) is \(size) bytes, too large to be an Ember keystore (at most \(Keystore.maxFileSize))"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .alreadyExists(let path):
            "\(path) already exists; a keystore is never overwritten (choose another file with --wallet)"
        case .unwritable(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
