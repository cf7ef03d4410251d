import CEmberBlake3

/// An incremental Blake3 hasher: feed it bytes in any pieces, then read a digest or extended output.
///
/// Large inputs are hashed many chunks at a time through the SIMD kernel, so one `update` with a big
/// buffer is much faster than many small ones.
public struct Blake3Hasher: Sendable {
    private var state = ember_b3_hasher()

    /// A hasher for the plain hash.
    public init(kernel: Blake3Kernel = .active) {
        self.init(keyBytes: nil, flags: 0, kernel: kernel)
    }

    /// A hasher for the keyed hash; the key is exactly 32 bytes.
    public init(key: Hash32, kernel: Blake3Kernel = .active) {
        self.init(keyBytes: key.bytes, flags: UInt8(EMBER_B3_KEYED_HASH.rawValue), kernel: kernel)
    }

    /// A hasher for key material under the derive-key mode with `context`.
    public init(derivingKeyFrom context: String, kernel: Blake3Kernel = .active) {
        var contextHasher = Blake3Hasher(keyBytes: nil, flags: UInt8(EMBER_B3_DERIVE_KEY_CONTEXT.rawValue), kernel: kernel)
        contextHasher.update(Array(context.utf8))
        let contextKey = contextHasher.finalize()
        self.init(keyBytes: contextKey.bytes, flags: UInt8(EMBER_B3_DERIVE_KEY_MATERIAL.rawValue), kernel: kernel)
    }

    private init(keyBytes: [UInt8]?, flags: UInt8, kernel: Blake3Kernel) {
        var words = [UInt32](repeating: 0, count: 8)
        if let keyBytes {
            for index in 0..<8 {
                words[index] = (0..<4).reduce(UInt32(0)) { $0 | UInt32(keyBytes[4 * index + $1]) << (8 * $1) }
            }
        } else {
            words = withUnsafeBytes(of: ember_b3_iv) { Array($0.bindMemory(to: UInt32.self)) }
        }
        ember_b3_hasher_init(&state, words, flags, kernel.rawValue)
    }

    /// Absorbs `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        ember_b3_hasher_update(&state, base, bytes.count)
    }

    /// Absorbs `bytes`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Absorbs `bytes`.
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest of everything absorbed so far; the hasher can keep absorbing.
    public func finalize() -> Hash32 {
        var digest = [UInt8](repeating: 0, count: Hash32.byteCount)
        finalize(into: &digest, seek: 0)
        // Exactly 32 bytes were written, so the conversion cannot fail.
        return Hash32(digest) ?? .zero
    }

    /// `length` bytes of extended output, starting `seek` bytes into the output stream.
    public func finalize(length: Int, seek: UInt64 = 0) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(0, length))
        finalize(into: &output, seek: seek)
        return output
    }

    private func finalize(into output: inout [UInt8], seek: UInt64) {
        withUnsafePointer(to: state) { statePointer in
            output.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                ember_b3_hasher_finalize(statePointer, seek, base, buffer.count)
            }
        }
    }
}
