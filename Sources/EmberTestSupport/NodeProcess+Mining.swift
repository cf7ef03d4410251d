import EmberCore
import EmberCrypto
import Foundation

extension NodeProcess {
    public struct MiningFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Mines one block on the node: its template, solved here, submitted back. Returns the block's
    /// height and the node's verdict ("connected" when it joined the chain). Tests that must not wait
    /// on a clock mine this way instead of running the node's own miner, whose rate falls with load.
    public func mineBlock() async throws -> (height: UInt64, outcome: String?) {
        let template = try await get("/v1/mining/template")
        guard let hex = template.json["block"] as? String, let bytes = [UInt8](hexString: hex) else {
            throw MiningFailure(description: "no template: \(template)")
        }
        let block = try Block.decode(from: bytes, limit: Block.maxSize)
        let answer = try await send("POST", "/v1/mining/submit", json: ["hex": ChainBuilder.mined(block).encoded.hexString])
        return (block.header.height, answer.json["outcome"] as? String)
    }
}
