import EmberChain
import EmberP2P
import Foundation
import Logging
import Testing
@testable import EmberNode

/// The node's settings reach the parts they configure.
@Suite("node settings")
struct NodeSettingsTests {
    @Test("maxForkDepth and the P2P limits reach the chain and the network")
    func settingsReachTheirParts() async throws {
        let folder = NodeStoreFailureTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var p2p = PeerNetworkSettings(port: 0)
        p2p.maxInboundPerAddress = 3
        p2p.maxInboundPerNetworkGroup = 5
        p2p.maxBufferedFrameBytes = 20 * 1_024 * 1_024
        p2p.maxDialsPerMinute = 7
        var configuration = NodeStoreFailureTests.configuration(folder: folder)
        configuration.p2p = p2p
        configuration.maxForkDepth = 25
        let node = try await Node(configuration: configuration, logger: Logger(label: "test")) { _ in }
        #expect(await node.chain.maxForkDepth == 25)
        let network = try #require(node.network).configuration
        #expect(network.maxInboundPerAddress == 3)
        #expect(network.maxInboundPerNetworkGroup == 5)
        #expect(network.maxBufferedFrameBytes == 20_971_520)
        #expect(network.maxDialsPerMinute == 7)
    }

}
