// What every libFuzzer harness shares (docs/fuzzing.md): the bytes of one input, the properties a
// decoder must keep, and the seed corpus each harness writes for itself.
//
// A harness is an executable whose `main.swift` calls `Fuzz.main` with its seeds and its check; the
// check runs once per input. A decoder may refuse any input with an error; it must never trap, hang or
// allocate without bound, and what it accepts must encode back to what it read.

import CLibFuzzer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Fuzz {
    /// The environment variable naming the folder a harness writes its seeds into, then exits.
    public static let seedsVariable = "EMBER_FUZZ_SEEDS"

    /// Runs a harness: writes its seeds and exits when `$EMBER_FUZZ_SEEDS` names a folder, and otherwise
    /// hands the command line (libFuzzer's flags and corpus folders) to libFuzzer's driver, which calls
    /// `check` with each input it tries. `check` traps when a property breaks and says whether the
    /// decoder accepted the input.
    public static func main(seeds: () -> [[UInt8]], check: @escaping ([UInt8]) -> Bool) -> Never {
        writeSeedsIfAsked(seeds, check: check)
        harnessCheck = check
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            _ = harnessCheck?(Fuzz.bytes(data, size))
            return 0
        })
    }

    /// The input libFuzzer passes, as an array.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Traps, so libFuzzer saves the input, unless `condition` holds: a property the decoder broke.
    public static func expect(
        _ condition: Bool,
        _ message: @autoclosure () -> String,
        file: StaticString = #fileID,
        line: UInt = #line
    ) {
        if !condition { fatalError("fuzz property broken: \(message())", file: file, line: line) }
    }

    /// Traps unless decoding then encoding gave back the bytes that were decoded.
    public static func expectRoundTrip(
        _ reencoded: [UInt8],
        _ original: [UInt8],
        _ what: String,
        file: StaticString = #fileID,
        line: UInt = #line
    ) {
        expect(
            reencoded == original,
            "\(what) decoded from \(hex(original)) encodes to \(hex(reencoded))",
            file: file, line: line
        )
    }

    /// Writes `seeds()` as files `seed-NNN` into the folder `$EMBER_FUZZ_SEEDS` names, says how many
    /// `check` accepts, and exits, when that variable is set; does nothing otherwise.
    static func writeSeedsIfAsked(_ seeds: () -> [[UInt8]], check: ([UInt8]) -> Bool) {
        guard let folder = getenv(seedsVariable).map({ String(cString: $0) }), !folder.isEmpty else { return }
        mkdir(folder, 0o755)
        let all = seeds()
        for (index, seed) in all.enumerated() {
            let path = folder + "/seed-" + String(index + 1000).dropFirst()
            guard writeFile(path, seed) else {
                print("cannot write seed \(path)")
                exit(1)
            }
        }
        print("wrote \(all.count) seeds to \(folder), \(all.filter(check).count) of them valid")
        exit(0)
    }

    /// Writes `bytes` to a new or truncated file at `path`; false on any failure.
    @discardableResult
    public static func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        return fclose(file) == 0 && written == bytes.count
    }

    /// The shortest `prefix` followed by zero bytes that `accepts` takes, trying bodies up to `maxBody`
    /// bytes: a valid seed for each tag of a tagged encoding without building every body by hand.
    public static func shortestZeroFilled(
        prefix: [UInt8],
        maxBody: Int = 1_024,
        accepts: ([UInt8]) -> Bool
    ) -> [UInt8]? {
        for length in 0...maxBody {
            let candidate = prefix + [UInt8](repeating: 0, count: length)
            if accepts(candidate) { return candidate }
        }
        return nil
    }

    /// Lower-case hex of at most the first 64 bytes, for messages.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        let shown = bytes.prefix(64).map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined()
        return bytes.count > 64 ? shown + "…(\(bytes.count) bytes)" : shown
    }
}

/// The harness's check, set once by `Fuzz.main` before libFuzzer's driver starts and only read after,
/// on the driver's one thread.
nonisolated(unsafe) private var harnessCheck: (([UInt8]) -> Bool)?

/// libFuzzer's runtime archive brings its own `main`, which references this entry point even though
/// SwiftPM's `main` (the harness's `main.swift`, which calls `Fuzz.main`) is the one that runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func unusedTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fatalError("libFuzzer's own main ran; a harness starts in Fuzz.main")
}
