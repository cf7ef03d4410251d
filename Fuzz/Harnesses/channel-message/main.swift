// Fuzzes `ChannelMessage.decode(peerBytes:)`, which decodes every binary WebSocket message a channel
// peer sends (docs/channels.md, "Messages"): all thirteen tags, the batches of tags 11 and 12 among them,
// with the states, transactions, outputs and witnesses inside.
// Property: what decodes encodes back to the same bytes; a batch holds 1 to `maxBatch` entries.

import EmberChannels
import EmberCore
import EmberCrypto
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { messages().map(\.encoded) }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let message = try? ChannelMessage.decode(peerBytes: bytes) else { return false }
    Fuzz.expectRoundTrip(message.encoded, bytes, "channel message")
    switch message {
    case .updateBatch(let proposals):
        Fuzz.expect((1...ChannelMessage.maxBatch).contains(proposals.count), "an updateBatch of \(proposals.count) states")
    case .ackBatch(_, _, let signatures):
        Fuzz.expect((1...ChannelMessage.maxBatch).contains(signatures.count), "an ackBatch of \(signatures.count) signatures")
    default:
        break
    }
    return true
}

/// At least one message of every tag (0 to 12), built through the public API.
func messages() -> [ChannelMessage] {
    let params = Samples.channelParams
    let states = Samples.channelStates
    let transactions = Samples.transactions
    let signature = { (state: ChannelState) in Samples.channelSignatures(of: state, network: .devnet).0 }
    let coSigned = states.map { state in
        let (sigA, sigB) = Samples.channelSignatures(of: state, network: .devnet)
        return CoSignedState(state: state, sigA: sigA, sigB: sigB)
    }
    let batch = (0..<3).map { offset in
        var next = states[1]
        next.version += UInt64(offset)
        return ProposedState(state: next, signature: signature(next))
    }
    let contribution = FundingContribution(
        inputs: [
            FundingInput(outpoint: OutPoint(txid: Samples.hash(0x21), index: 0), amount: Amount(units: 5_000)),
            FundingInput(outpoint: OutPoint(txid: Samples.hash(0x22), index: 3), amount: Amount(units: 1)),
        ],
        change: Output(amount: Amount(units: 123), lock: .pubKeyHash(Samples.hash(0x23))))
    let channel = Samples.hash(0x30)
    return [
        .hello(network: .devnet, key: Samples.publicKey(0)),
        .hello(network: .mainnet, key: Samples.publicKey(1)),
        .openRequest(
            OpenRequest(
                proposal: Samples.hash(0x20), params: params[0], openerAmount: Amount(units: 10_000), responderAmount: .zero,
                app: "payments")),
        .openRequest(
            OpenRequest(
                proposal: Samples.hash(0x24), params: params[1], openerAmount: Amount(units: 500), responderAmount: Amount(units: 500),
                app: "tictactoe")),
        .openAccept(proposal: Samples.hash(0x20), contribution: .none),
        .openAccept(proposal: Samples.hash(0x24), contribution: contribution),
        .openFunding(proposal: Samples.hash(0x20), funding: transactions[0], refund: states[0], refundSignature: signature(states[0])),
        .openFunding(proposal: Samples.hash(0x24), funding: transactions[2], refund: states[2], refundSignature: signature(states[2])),
        .openSigned(proposal: Samples.hash(0x20), refundSignature: signature(states[0]), witnesses: []),
        .openSigned(
            proposal: Samples.hash(0x24), refundSignature: signature(states[2]),
            witnesses: [Witness(items: [signature(states[2]).bytes]), Witness(items: [[], [0xff, 0xfe]])]),
        .update(state: states[1], signature: signature(states[1])),
        .update(state: states[3], signature: signature(states[3])),
        .ack(channel: channel, version: 43, signature: signature(states[1])),
        .refuse(channel: channel, version: 44, reason: "version 44 proposed, 43 expected"),
        .refuse(channel: channel, version: 0, reason: ""),
        .closeRequest(channel: channel, transaction: transactions[3]),
        .closeSigned(channel: channel, signature: signature(states[4])),
        .sync(coSigned[1]),
        .sync(coSigned[2]),
        .updateBatch([batch[0]]),
        .updateBatch(batch),
        .ackBatch(channel: channel, firstVersion: 42, signatures: batch.map(\.signature)),
    ]
}
