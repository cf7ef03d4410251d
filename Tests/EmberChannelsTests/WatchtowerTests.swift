import EmberChannels
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Testing

/// The watchtower's intake: one entry per channel, replaced only by a newer co-signed state, kept across a restart.
@Suite("watchtower entries")
struct WatchtowerTests {
    typealias Fixture = ChannelChainFixture

    struct Tower {
        let folder: URL
        let fixture: Fixture

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-tower-\(UUID().uuidString)")
            fixture = try Fixture()
        }

        func open() throws -> Watchtower {
            let store = try ChannelStore(path: folder.appendingPathComponent("tower.sqlite").path)
            return try Watchtower(
                store: store, params: fixture.builder.params, client: NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:9")!),
                fundingKey: .devnet(index: 5))
        }

        func entry(version: UInt64, toA: Amount = Amount(coins: 4)!) -> TowerEntry {
            TowerEntry(
                network: fixture.network, params: fixture.record.params, funding: fixture.record.funding,
                latest: fixture.coSigned(fixture.state(version: version, toA: toA)))
        }
    }

    @Test("an entry survives its encoding; a body over the limit or with a byte too many is refused before use")
    func encoding() throws {
        let tower = try Tower()
        let entry = tower.entry(version: 3)
        #expect(try TowerEntry.decode(body: entry.encoded) == entry)
        let trailing = #expect(throws: TowerError.self) { try TowerEntry.decode(body: entry.encoded + [0]) }
        guard case .malformed = trailing else {
            Issue.record("a trailing byte gave \(String(describing: trailing))")
            return
        }
        let huge = [UInt8](repeating: 0, count: TowerEntry.maxEncodedSize + 1)
        #expect(throws: TowerError.bodyTooLarge(size: huge.count, limit: TowerEntry.maxEncodedSize)) { try TowerEntry.decode(body: huge) }
    }

    @Test("a newer state replaces the entry; an older one, another of the same version, or a forged one is refused; the store keeps the newest")
    func replaceAndRefuse() async throws {
        let tower = try Tower()
        defer { try? FileManager.default.removeItem(at: tower.folder) }
        let watchtower = try tower.open()
        let id = tower.fixture.record.id
        try await watchtower.watch(tower.entry(version: 1))
        try await watchtower.watch(tower.entry(version: 3))
        try await watchtower.watch(tower.entry(version: 3))
        await #expect(throws: TowerError.olderVersion(channel: id, held: 3, given: 2)) { try await watchtower.watch(tower.entry(version: 2)) }
        await #expect(throws: TowerError.conflictingState(channel: id, version: 3)) {
            try await watchtower.watch(tower.entry(version: 3, toA: Amount(coins: 1)!))
        }
        var forged = tower.entry(version: 4)
        forged.latest.sigB = forged.latest.sigA
        await #expect(throws: TowerError.badSignatures(channel: id, version: 4)) { try await watchtower.watch(forged) }
        var otherNetwork = tower.entry(version: 5)
        otherNetwork.network = .testnet
        await #expect(throws: TowerError.wrongNetwork(entry: .testnet, tower: tower.fixture.network)) { try await watchtower.watch(otherNetwork) }
        var otherChannel = tower.entry(version: 5)
        otherChannel.funding.index = 1
        await #expect(throws: TowerError.wrongChannel(state: id, channel: otherChannel.channelId)) { try await watchtower.watch(otherChannel) }
        #expect(await watchtower.entries() == [tower.entry(version: 3)])

        let reopened = try tower.open()
        #expect(await reopened.entries() == [tower.entry(version: 3)])
        await #expect(throws: TowerError.olderVersion(channel: id, held: 3, given: 1)) { try await reopened.watch(tower.entry(version: 1)) }
    }
}
