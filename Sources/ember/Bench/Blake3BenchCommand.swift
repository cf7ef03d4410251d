import ArgumentParser
import EmberCrypto
import EmberMiner
import Foundation

/// `ember bench blake3`: large-input throughput and mining-shaped double hashing, beside the official
/// Rust implementation (`b3sum`, single-threaded) on the same file in the same run.
struct Blake3BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blake3",
        abstract: "Blake3 throughput on a large input and mining hashes per second, single-threaded."
    )

    /// Every attempt at a nonce costs two compressions for the 109-byte header and one for the
    /// 32-byte digest hashed again.
    static let compressionsPerMiningHash = 3.0
    static let bytesPerCompression = 64.0

    @Option(help: "Size of the large input in bytes (default 1 GiB; smaller when the disk is short).")
    var bytes: String = "1073741824"

    @Option(help: "Seconds to spend on each mining measurement.")
    var seconds: Double = 3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        guard let size = Int(bytes), size > 0 else {
            throw commandFailure("--bytes must be a positive whole number; got \(bytes)")
        }
        guard seconds > 0, seconds <= 600 else { throw commandFailure("--seconds must be between 0 and 600") }
        let kernel = Blake3Kernel.active
        if !json { print("kernel \(kernel) (\(kernel.lanes) lanes); writing a \(size)-byte input file…") }

        let file = try writeInputFile(size: size)
        defer { try? FileManager.default.removeItem(at: file) }

        let (ourDigest, largeInputRate) = try hashFile(file)
        let scalarRate = miningRate(kernel: .scalar)
        let lanesRate = miningRate(kernel: kernel)
        let reference = measureReference(file: file, size: size)

        let referenceCompressions = reference.map { $0.bytesPerSecond / Self.bytesPerCompression }
        let ratio = referenceCompressions.map { lanesRate * Self.compressionsPerMiningHash / $0 }
        let digestsAgree = reference.map { $0.digest == ourDigest.hex }

        if json {
            let fields: [(String, String)] = [
                ("kernel", "\"\(kernel)\""),
                ("largeInputBytesPerSec", jsonNumber(largeInputRate)),
                ("miningHashesPerSecScalar", jsonNumber(scalarRate)),
                ("miningHashesPerSecLanes", jsonNumber(lanesRate)),
                ("referenceBytesPerSec", reference.map { jsonNumber($0.bytesPerSecond) } ?? "null"),
                ("ratio", ratio.map { jsonNumber($0) } ?? "null"),
                ("referenceDigestMatches", digestsAgree.map { String($0) } ?? "null"),
            ]
            print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
            return
        }
        print(String(format: "large input       %10.1f MB/s   (%.1f M compressions/s)", largeInputRate / 1e6,
                     largeInputRate / Self.bytesPerCompression / 1e6))
        print(String(format: "mining, scalar    %10.2f M double hashes/s", scalarRate / 1e6))
        print(String(format: "mining, %d lanes   %10.2f M double hashes/s   (%.1f M compressions/s)",
                     kernel.lanes, lanesRate / 1e6, lanesRate * Self.compressionsPerMiningHash / 1e6))
        if let reference, let referenceCompressions, let ratio {
            print(String(format: "b3sum, 1 thread   %10.1f MB/s   (%.1f M compressions/s)", reference.bytesPerSecond / 1e6,
                         referenceCompressions / 1e6))
            print(String(format: "ratio (mining compressions / b3sum compressions): %.2f", ratio))
            print("b3sum digest \(digestsAgree == true ? "matches" : "DIFFERS FROM") ours")
        } else {
            print("b3sum not installed (apt-get install b3sum): no reference, no ratio")
        }
    }

    private func writeInputFile(size: Int) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-blake3-\(getpid()).bin")
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            throw commandFailure("cannot create \(url.path)")
        }
        defer { try? handle.close() }
        // The content does not change Blake3's speed; a counting pattern like the official vectors'.
        let piece = Data((0..<(1 << 22)).map { UInt8($0 % 251) })
        var written = 0
        do {
            while written < size {
                let count = min(piece.count, size - written)
                try handle.write(contentsOf: piece.prefix(count))
                written += count
            }
        } catch {
            throw commandFailure("cannot write the \(size)-byte input (disk full?); try a smaller --bytes")
        }
        return url
    }

    private func hashFile(_ file: URL) throws -> (Hash32, Double) {
        let data = try Data(contentsOf: file, options: .alwaysMapped)
        var hasher = Blake3Hasher()
        let clock = ContinuousClock()
        let start = clock.now
        data.withUnsafeBytes { hasher.update($0) }
        let digest = hasher.finalize()
        let elapsed = clock.now - start
        return (digest, Double(data.count) / elapsed.seconds)
    }

    private func miningRate(kernel: Blake3Kernel) -> Double {
        MiningKernelRate.measure(kernel: kernel, duration: .milliseconds(Int(seconds * 1000)))
    }

    private struct Reference {
        let bytesPerSecond: Double
        let digest: String
    }

    private func measureReference(file: URL, size: Int) -> Reference? {
        guard let b3sum = executableInPath("b3sum") else { return nil }
        let process = Process()
        process.executableURL = b3sum
        process.arguments = ["--num-threads", "1", "--no-names", file.path]
        let output = Pipe()
        process.standardOutput = output
        let clock = ContinuousClock()
        let start = clock.now
        do { try process.run() } catch { return nil }
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = clock.now - start
        guard process.terminationStatus == 0 else { return nil }
        let digest = String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Reference(bytesPerSecond: Double(size) / elapsed.seconds, digest: digest)
    }
}


func executableInPath(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}

func jsonNumber(_ value: Double) -> String {
    value.isFinite ? String(format: "%.6g", value) : "null"
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
