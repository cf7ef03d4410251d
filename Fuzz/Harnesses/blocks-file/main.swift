// Fuzzes `BlocksFileReader`, which `ember chain import` runs on a file from anywhere. The input is
// written to a temporary file and read block by block. The reader is told the network and genesis the
// file's own header names (when it has one), so inputs get past the chain check to the blocks.
// Property: a file read to its end without an error is written again, byte for byte, by
// `BlocksFileWriter` from the blocks read.

import EmberChain
import EmberCore
import EmberCrypto
import FuzzSamples
import FuzzSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

Fuzz.main(seeds: seeds, check: check)

func seeds() -> [[UInt8]] {
    let fixture = [0, 1, 2].compactMap { Samples.fixtureBlocksFilePrefix(blocks: $0) }
    let written = writtenFile([Samples.block(), Samples.block(height: 8, transactions: [])]) ?? []
    return fixture + [written, Array(written.prefix(60))]
}

/// A temporary path of this process's own, in memory where the system has /dev/shm. (A static constant:
/// a top-level one after `Fuzz.main` was never set, since the script's code never goes past that call,
/// and `check` wrote to ".in" in the working folder.)
enum Scratch {
    static let path: String = {
        let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(folder)/ember-fuzz-blocks-file-\(getpid())"
    }()
}

func check(_ bytes: [UInt8]) -> Bool {
    let path = Scratch.path + ".in"
    guard Fuzz.writeFile(path, bytes) else { fatalError("cannot write \(path)") }
    defer { unlink(path) }
    let network = bytes.count > 9 ? NetworkID(rawValue: bytes[9]) ?? .devnet : .devnet
    let genesis = bytes.count >= 42 ? Hash32(bytes[10..<42]) ?? .zero : .zero
    guard var reader = try? BlocksFileReader(path: path, networkID: network, genesis: genesis) else { return false }
    var blocks: [Block] = []
    do {
        while let block = try reader.next() { blocks.append(block) }
    } catch {
        return false
    }
    guard let rewritten = writtenFile(blocks, network: network, genesis: genesis) else { fatalError("cannot write \(Scratch.path)") }
    Fuzz.expectRoundTrip(rewritten, bytes, "blocks file")
    return true
}

/// The blocks file `BlocksFileWriter` writes for `blocks`.
func writtenFile(_ blocks: [Block], network: NetworkID = .devnet, genesis: Hash32 = Samples.hash(0x42)) -> [UInt8]? {
    let path = Scratch.path + ".out"
    defer { unlink(path) }
    do {
        let writer = try BlocksFileWriter(path: path, networkID: network, genesis: genesis)
        for block in blocks { try writer.append(block) }
        try writer.close()
    } catch {
        return nil
    }
    return Samples.file(path)
}
