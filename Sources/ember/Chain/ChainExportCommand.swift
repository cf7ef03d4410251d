import ArgumentParser
import EmberChain
import EmberNode
import Foundation

/// `ember chain export`: the active chain as a blocks file.
struct ChainExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the active chain (from height 1) to a blocks file of length-prefixed blocks."
    )

    @Option(help: "The data folder of one network's chain.")
    var dataDir: String

    @Option(help: "The blocks file to write.")
    var out: String

    @OptionGroup var networkOptions: NetworkOptions

    func run() throws {
        let folder = try networkOptions.openDataFolder(dataDir)
        do {
            guard let tip = try folder.store.tip() else { throw commandFailure("the data folder holds no chain yet") }
            let writer = try BlocksFileWriter(path: out, networkID: folder.params.networkID, genesis: folder.params.genesisBlock.hash)
            var height: UInt64 = 1
            while height <= tip.height {
                let page = try folder.store.activeBlocks(from: height, limit: 64)
                guard !page.isEmpty else { break }
                for block in page { try writer.append(block) }
                height += UInt64(page.count)
            }
            try writer.close()
            print("exported \(tip.height) blocks to \(out); tip \(tip.height) \(tip.hash)")
        } catch let error as ExitCode {
            throw error
        } catch {
            throw commandFailure("export failed: \(error)")
        }
    }
}
