// Fuzzes `TowerEntry.decode(body:)`, which decodes the body of the watchtower's public intake
// `POST /v1/tower/channels` (anyone may send one): network, channel parameters, funding outpoint and a
// co-signed state, under `TowerEntry.maxEncodedSize`. Then, as `Watchtower.watch` does before it
// stores an entry, the channel id and the balances' sum, and the signatures once the state names the
// entry's channel.
// Property: what decodes encodes back to the same bytes, within the size limit.

import EmberChannels
import EmberCore
import EmberCrypto
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { entries().map(\.encoded) }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let entry = try? TowerEntry.decode(body: bytes) else { return false }
    Fuzz.expectRoundTrip(entry.encoded, bytes, "tower entry")
    Fuzz.expect(bytes.count <= TowerEntry.maxEncodedSize, "a tower entry of \(bytes.count) bytes decoded")
    _ = entry.latest.state.balances.map(\.amount).checkedSum()
    if entry.latest.state.channelId == entry.channelId { _ = entry.latest.isValid(for: entry.params, network: entry.network) }
    return true
}

/// Entries of every network and both kinds of channel, their states named for their channel and signed by
/// both keys, so that they pass every check of the tower; one with its signatures swapped.
func entries() -> [TowerEntry] {
    var all: [TowerEntry] = []
    for network in NetworkID.allCases {
        for (index, params) in Samples.channelParams.enumerated() {
            for (offset, template) in Samples.channelStates.enumerated() {
                let funding = OutPoint(txid: Samples.hash(UInt8(0x40 + offset)), index: UInt32(index))
                var state = template
                state.channelId = params.channelId(network: network, funding: funding)
                let (sigA, sigB) = Samples.channelSignatures(of: state, network: network, a: UInt32(index), b: UInt32(index + 1))
                let entry = TowerEntry(
                    network: network, params: params, funding: funding, latest: CoSignedState(state: state, sigA: sigA, sigB: sigB))
                guard entry.encoded.count <= TowerEntry.maxEncodedSize else { continue }
                all.append(entry)
            }
        }
    }
    if var swapped = all.first {
        (swapped.latest.sigA, swapped.latest.sigB) = (swapped.latest.sigB, swapped.latest.sigA)
        all.append(swapped)
    }
    return all
}
