import CEmberBlake3

/// A Blake3 compression kernel; the SIMD ones hash several equal-length inputs side by side.
public enum Blake3Kernel: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case scalar = 0
    case sse = 1
    case avx2 = 2

    /// The environment variable that forces a kernel, for tests and comparisons.
    public static let environmentVariable = "EMBER_BLAKE3_KERNEL"

    /// The fastest kernel this CPU can execute.
    public static var best: Blake3Kernel { Blake3Kernel(rawValue: ember_b3_best_kernel()) ?? .scalar }

    /// Every kernel this CPU can execute, slowest first.
    public static var supported: [Blake3Kernel] { allCases.filter { $0.rawValue <= best.rawValue } }

    /// The kernel every hash uses unless told otherwise: `EMBER_BLAKE3_KERNEL` when it names a kernel
    /// this CPU supports, else the best one. A kernel the CPU lacks is never chosen, because running
    /// it would kill the process with an illegal instruction.
    public static let active: Blake3Kernel = {
        guard let forced = forcedByEnvironment, forced.rawValue <= best.rawValue else { return best }
        return forced
    }()

    /// The kernel named in `EMBER_BLAKE3_KERNEL`, if any.
    public static var forcedByEnvironment: Blake3Kernel? {
        guard let value = getenv(environmentVariable) else { return nil }
        return Blake3Kernel(name: String(cString: value))
    }

    /// Parses `scalar`, `sse` or `avx2`.
    public init?(name: String) {
        guard let kernel = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = kernel
    }

    /// How many inputs the kernel hashes at once.
    public var lanes: Int { Int(ember_b3_kernel_lanes(rawValue)) }

    public var description: String {
        switch self {
        case .scalar: "scalar"
        case .sse: "sse"
        case .avx2: "avx2"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
