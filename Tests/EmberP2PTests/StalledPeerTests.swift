import EmberChain
import EmberConsensus
import EmberCore
import EmberP2P
import EmberTestSupport
import EmberWire
import Foundation
import Testing

/// A peer that serves headers but never the blocks: its requests time out and go to an honest peer.
@Suite("peer network: stalled downloads")
struct StalledPeerTests {
    static let params = ChainBuilder.fastParams()

    @Test("blocks requested from a peer that never sends them are fetched from another, and the staller is scored")
    func switchesAwayFromStaller() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 40)
        let blocks = Array(builder.blocks.dropFirst())
        let node = try await TestPeer.start(params: Self.params) { $0.blockStallTimeoutMs = 1_000 }

        let staller = try RawSocket(connectingTo: node.port, from: "127.0.0.51")
        let version = WireMessage.version(VersionMessage(
            network: Self.params.networkID, genesisHash: Self.params.genesisBlock.hash, bestHeight: 40,
            cumulativeWork: [0x7F, 0xFF, 0xFF, 0xFF], nonce: 9, userAgent: Array("staller".utf8)))
        staller.send(Frame(network: Self.params.networkID, message: version).encoded + Frame(network: Self.params.networkID, message: .verack).encoded)
        let asked = await staller.awaitFrame(command: WireCommand.getHeaders.rawValue, seconds: 60)
        #expect(asked != nil, "the node never asked the staller for headers")
        staller.send(Frame(network: Self.params.networkID, message: .headers(HeadersMessage(headers: blocks.map(\.header)))).encoded)
        #expect(await staller.awaitFrame(command: WireCommand.getData.rawValue, seconds: 60) != nil)

        let honest = try await TestPeer.start(params: Self.params, blocks: blocks[...])
        await node.network.connect(to: honest.endpoint)
        #expect(try await TestPeer.eventually { await node.chain.tip.hash == blocks.last!.hash })
        // The staller was scored for each stall, and dropped after three; slowness alone is no ban.
        let stallerPeer = await node.network.snapshot().first { $0.address.hasPrefix("127.0.0.51") }
        #expect(stallerPeer == nil || stallerPeer!.score >= Misbehaviour.slow.points, "staller score \(stallerPeer?.score ?? 0)")
        #expect(await node.network.bans().isEmpty)
        await honest.stop()
        await node.stop()
    }
}
