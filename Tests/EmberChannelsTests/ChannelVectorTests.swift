import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

/// The channel section of `../shared/vectors/layer2.json` (DESIGN.md section 16), used as it is.
@Suite struct ChannelVectorTests {
    struct Vector: Decodable {
        struct StateVector: Decodable {
            let version: UInt64
            let isFinal: UInt8
            let balances: [String]
            let appData: String
            let encoding: String
        }
        let networkId: UInt8
        let keyA: String
        let keyB: String
        let window: UInt32
        let app: String
        let channelParams: String
        let fundingOutpoint: String
        let channelId: String
        let state: StateVector
        let stateHash: String
        let sigA: String
        let sigB: String
    }

    static func vector() throws -> Vector {
        struct File: Decodable { let channel: Vector }
        return try JSONDecoder().decode(File.self, from: SharedVectors.data(named: "layer2.json")).channel
    }

    static func bytes(_ hex: String) throws -> [UInt8] { try #require([UInt8](hexString: hex)) }

    @Test func paramsEncodeAndIdBindsTheFundingOutpoint() throws {
        let vector = try Self.vector()
        let params = ChannelParams(
            keyA: try #require(RawPublicKey(Self.bytes(vector.keyA))), keyB: try #require(RawPublicKey(Self.bytes(vector.keyB))),
            window: vector.window, app: try #require(Hash32(Self.bytes(vector.app))))
        #expect(params.encoded == (try Self.bytes(vector.channelParams)))
        let network = try #require(NetworkID(rawValue: vector.networkId))
        let funding = try OutPoint.decode(from: Self.bytes(vector.fundingOutpoint), limit: 64)
        #expect(params.channelId(network: network, funding: funding).bytes == (try Self.bytes(vector.channelId)))
    }

    @Test func stateEncodesHashesAndVerifiesBothSignatures() throws {
        let vector = try Self.vector()
        let network = try #require(NetworkID(rawValue: vector.networkId))
        let balances = try vector.state.balances.map { try Output.decode(from: Self.bytes($0), limit: 1_000) }
        let state = ChannelState(
            channelId: try #require(Hash32(Self.bytes(vector.channelId))), version: vector.state.version,
            isFinal: vector.state.isFinal == 1, balances: balances, appData: try Self.bytes(vector.state.appData))
        #expect(state.encoded == (try Self.bytes(vector.state.encoding)))
        #expect(try ChannelState.decode(from: Self.bytes(vector.state.encoding), limit: 100_000) == state)
        let hash = state.hash(network: network)
        #expect(hash.bytes == (try Self.bytes(vector.stateHash)))
        for (key, signature) in [(vector.keyA, vector.sigA), (vector.keyB, vector.sigB)] {
            let publicKey = try PublicKey(bytes: Self.bytes(key))
            let sig = try Signature(bytes: Self.bytes(signature))
            #expect(publicKey.isValidSignature(sig, domain: .channelState, network: network, message: state.encoded))
            #expect(!publicKey.isValidSignature(sig, domain: .channelCoop, network: network, message: state.encoded))
        }
    }

    @Test func stateDecoderRefusesWhatIsNotAState() throws {
        let vector = try Self.vector()
        let good = try Self.bytes(vector.state.encoding)
        var badFlag = good
        badFlag[40] = 2
        #expect(throws: DecodingError.self) { try ChannelState.decode(from: badFlag, limit: 100_000) }
        var noBalances = Array(good[0..<41])
        noBalances += [0, 0]
        #expect(throws: DecodingError.self) { try ChannelState.decode(from: noBalances, limit: 100_000) }
        #expect(throws: DecodingError.self) { try ChannelState.decode(from: good + [0], limit: 100_000) }
        var tooMuchAppData = ChannelState.decode(unchecked: good)
        tooMuchAppData.appData = [UInt8](repeating: 1, count: ChannelState.maxAppDataSize + 1)
        #expect(throws: DecodingError.self) { try ChannelState.decode(from: tooMuchAppData.encoded, limit: 100_000) }
    }
}

extension ChannelState {
    fileprivate static func decode(unchecked bytes: [UInt8]) -> ChannelState {
        try! ChannelState.decode(from: bytes, limit: .max)
    }
}
