import EmberChannels
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// What a side checks before it co-signs the other side's proposal (docs/channels.md, "Updates"): each
/// rule broken once on an otherwise good payment, seen from B receiving A's proposal.
@Suite("UpdateCheck: a bad update is refused with its reason")
struct UpdateCheckTests {
    static let keyA = SigningKey.devnet(index: 3)
    static let keyB = SigningKey.devnet(index: 4)
    static let params = try! ConsensusParams.devnet()
    static let coin = Amount(coins: 1)!

    static let record: ChannelRecord = {
        let channel = ChannelParams(
            keyA: RawPublicKey(keyA.publicKey.bytes)!, keyB: RawPublicKey(keyB.publicKey.bytes)!, window: 30, app: .zero)
        let funding = OutPoint(txid: Blake3.hash([7]), index: 0)
        return ChannelRecord(
            id: channel.channelId(network: .devnet, funding: funding), network: .devnet, params: channel, funding: funding,
            amount: Amount(coins: 10)!, side: .b, peerURL: nil, app: "payments", status: .open)
    }()

    /// A state of the record's channel giving A `toA` coins and B the rest of ten.
    static func state(version: UInt64, toA: UInt128, isFinal: Bool = false) -> ChannelState {
        ChannelState(channelId: record.id, version: version, isFinal: isFinal, balances: [
            Output(amount: Amount(coins: toA)!, lock: .pubKeyHash(keyA.publicKey.publicKeyHash)),
            Output(amount: Amount(coins: 10 - toA)!, lock: .pubKeyHash(keyB.publicKey.publicKeyHash)),
        ])
    }

    static func signedByA(_ state: ChannelState) -> Signature {
        try! keyA.sign(domain: .channelState, network: .devnet, message: state.hash(network: .devnet).bytes)
    }

    func refusal(_ proposed: ChannelState, signature: Signature? = nil, current: ChannelState = state(version: 4, toA: 6)) -> ChannelRefusal? {
        do {
            try UpdateCheck(params: Self.params, record: Self.record).check(proposed, signature: signature ?? Self.signedByA(proposed), current: current)
            return nil
        } catch {
            return error
        }
    }

    @Test("A paying B one coin at the next version is co-signed, and the hash B signs is the state's")
    func goodPayment() throws {
        let next = Self.state(version: 5, toA: 5)
        let hash = try UpdateCheck(params: Self.params, record: Self.record).check(next, signature: Self.signedByA(next), current: Self.state(version: 4, toA: 6))
        #expect(hash == Layer2SignatureDomain.channelState.digest(network: .devnet, message: next.encoded))
    }

    @Test("each broken rule is refused with its own reason")
    func brokenRules() {
        #expect(refusal(Self.state(version: 6, toA: 5)) == .wrongVersion(found: 6, expected: 5))
        #expect(refusal(Self.state(version: 4, toA: 5)) == .wrongVersion(found: 4, expected: 5))
        #expect(refusal(Self.state(version: 5, toA: 5), current: Self.state(version: 4, toA: 6, isFinal: true)) == .channelFinal)
        // Signed by B itself, or over another state: not A's proposal.
        let next = Self.state(version: 5, toA: 5)
        let byB = try! Self.keyB.sign(domain: .channelState, network: .devnet, message: next.hash(network: .devnet).bytes)
        #expect(refusal(next, signature: byB) == .badSignature)
        #expect(refusal(next, signature: Self.signedByA(Self.state(version: 5, toA: 4))) == .badSignature)
        // A pays itself: B's balance would fall from 4 to 3.
        #expect(refusal(Self.state(version: 5, toA: 7)) == .takesFromReceiver(before: Amount(coins: 4)!, after: Amount(coins: 3)!))
        // Balances that do not add up to the channel, and app data in a payment channel.
        var short = next
        short.balances[0].amount = Amount(coins: 4)!
        guard case .malformed = refusal(short) else { Issue.record("a state holding 9 of 10 coins was co-signed"); return }
        var withData = next
        withData.appData = [1]
        guard case .malformed = refusal(withData) else { Issue.record("a payment state with app data was co-signed"); return }
        var otherChannel = next
        otherChannel.channelId = Blake3.hash([8])
        guard case .malformed = refusal(otherChannel) else { Issue.record("a state of another channel was co-signed"); return }
    }
}
