import Crypto
import Foundation
import _CryptoExtras

/// The scrypt parameters and salt that turn a passphrase into a keystore's encryption key.
///
/// They are read from a file that anyone may have written, so `validate` bounds the memory and time a
/// derivation may take before any derivation runs.
public struct KeystoreKDFParameters: Hashable, Sendable {
    /// The one algorithm of keystore version 1.
    public static let algorithm = "scrypt"
    /// 2^15 × 8 × 128 bytes = 32 MiB and a fraction of a second per unlock: a guess costs an attacker as much.
    public static let standard = (n: UInt64(1) << 15, r: UInt32(8), p: UInt32(1))
    /// Bytes of fresh salt per keystore, so equal passphrases give unrelated keys.
    public static let saltByteCount = 32
    /// Salt lengths accepted when reading: enough to be unique, small enough to bound the file.
    public static let saltByteCountRange = 16...64
    /// Bounds the memory a hostile file can make a derivation allocate (128 × n × r bytes).
    public static let maxMemoryBytes: UInt64 = 256 * 1024 * 1024
    /// Bounds the time a hostile file can make a derivation take (proportional to n × r × p): 16 times
    /// the standard cost.
    public static let maxWork: UInt64 = 1 << 22
    /// Bounds each factor so the products above cannot overflow.
    public static let maxLog2N = 24
    public static let maxR: UInt32 = 32
    public static let maxP: UInt32 = 16

    /// The CPU/memory cost, a power of two.
    public let n: UInt64
    /// The block size factor.
    public let r: UInt32
    /// The parallelism factor.
    public let p: UInt32
    public let salt: [UInt8]

    /// Parameters with a fresh random salt; `n` defaults to the standard cost (tests pass a smaller one).
    public init(
        n: UInt64 = standard.n, r: UInt32 = standard.r, p: UInt32 = standard.p
    ) throws(KeystoreError) {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<Self.saltByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try self.init(n: n, r: r, p: p, salt: salt)
    }

    /// Parameters as read from a file, refused when outside the bounds.
    public init(n: UInt64, r: UInt32, p: UInt32, salt: [UInt8]) throws(KeystoreError) {
        self.n = n
        self.r = r
        self.p = p
        self.salt = salt
        try validate()
    }

    /// Refuses parameters that are not scrypt's or that would exhaust memory or time.
    private func validate() throws(KeystoreError) {
        let described = "n=\(n) r=\(r) p=\(p)"
        guard n >= 2, n.nonzeroBitCount == 1, n.trailingZeroBitCount <= Self.maxLog2N else {
            throw .kdfParametersRefused("\(described): n must be a power of two from 2 to 2^\(Self.maxLog2N)")
        }
        guard (1...Self.maxR).contains(r), (1...Self.maxP).contains(p) else {
            throw .kdfParametersRefused("\(described): r must be 1 to \(Self.maxR) and p 1 to \(Self.maxP)")
        }
        let memory = 128 * n * UInt64(r)
        guard memory <= Self.maxMemoryBytes else {
            throw .kdfParametersRefused(
                "\(described) need \(memory / (1024 * 1024)) MiB of memory; at most \(Self.maxMemoryBytes / (1024 * 1024)) MiB is allowed")
        }
        guard n * UInt64(r) * UInt64(p) <= Self.maxWork else {
            throw .kdfParametersRefused("\(described) ask for more than \(Self.maxWork) scrypt block operations")
        }
        guard Self.saltByteCountRange.contains(salt.count) else {
            throw .kdfParametersRefused(
                "the salt is \(salt.count) bytes; \(Self.saltByteCountRange.lowerBound) to \(Self.saltByteCountRange.upperBound) are accepted")
        }
    }

    /// The 256-bit key that `passphrase` gives under these parameters.
    func deriveKey(passphrase: [UInt8]) throws(KeystoreError) -> SymmetricKey {
        do {
            return try KDF.Scrypt.deriveKey(
                from: passphrase, salt: salt, outputByteCount: 32, rounds: Int(n), blockSize: Int(r), parallelism: Int(p))
        } catch {
            throw .keyDerivationFailed("\(error)")
        }
    }
}
