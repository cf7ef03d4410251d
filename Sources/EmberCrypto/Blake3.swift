import CEmberBlake3

/// Blake3-256, Ember's only hash function (DESIGN.md section 3): `H(x)` in the protocol.
public enum Blake3 {
    /// The hash of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, kernel: Blake3Kernel = .active) -> Hash32 {
        var hasher = Blake3Hasher(kernel: kernel)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The hash of `bytes`.
    public static func hash(_ bytes: [UInt8], kernel: Blake3Kernel = .active) -> Hash32 {
        bytes.withUnsafeBytes { hash($0, kernel: kernel) }
    }

    /// The hash of `bytes`.
    public static func hash(_ bytes: ArraySlice<UInt8>, kernel: Blake3Kernel = .active) -> Hash32 {
        bytes.withUnsafeBytes { hash($0, kernel: kernel) }
    }

    /// `length` bytes of extended output for `bytes`.
    public static func hash(_ bytes: [UInt8], length: Int, kernel: Blake3Kernel = .active) -> [UInt8] {
        var hasher = Blake3Hasher(kernel: kernel)
        hasher.update(bytes)
        return hasher.finalize(length: length)
    }

    /// `H(H(bytes))`: the block hash of a header.
    public static func doubleHash(_ bytes: [UInt8], kernel: Blake3Kernel = .active) -> Hash32 {
        hash(hash(bytes, kernel: kernel).bytes, kernel: kernel)
    }

    /// The keyed hash of `bytes` under a 32-byte key.
    public static func keyedHash(key: Hash32, _ bytes: [UInt8], kernel: Blake3Kernel = .active) -> Hash32 {
        var hasher = Blake3Hasher(key: key, kernel: kernel)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// A 32-byte key derived from `material` for the purpose named by `context`.
    public static func deriveKey(context: String, material: [UInt8], kernel: Blake3Kernel = .active) -> Hash32 {
        var hasher = Blake3Hasher(derivingKeyFrom: context, kernel: kernel)
        hasher.update(material)
        return hasher.finalize()
    }
}
