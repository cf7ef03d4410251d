import EmberCore
import EmberCrypto

extension Samples {
    /// The parameters of a payment channel (no app) and of an app channel.
    public static var channelParams: [ChannelParams] {
        [
            ChannelParams(keyA: publicKey(0), keyB: publicKey(1), window: 144, app: .zero),
            ChannelParams(keyA: publicKey(1), keyB: publicKey(2), window: 6, app: hash(0x77)),
        ]
    }

    /// Channel states at the decoder's edges: one balance, the most balances (with lock times, data and
    /// covenant locks), app data up to its limit, a final state, the highest version.
    public static var channelStates: [ChannelState] {
        let payee = { (index: UInt32) in Lock.pubKeyHash(SigningKey.devnet(index: index).publicKey.publicKeyHash) }
        let balances = (0..<ChannelState.maxBalances).map { index in
            Output(
                amount: Amount(units: UInt128(index + 1) * 1_000), lock: index < locks.count ? locks[index] : payee(UInt32(index)),
                lockTime: UInt64(index), data: [UInt8](repeating: UInt8(index), count: index))
        }
        return [
            ChannelState(channelId: hash(0x10), version: 0, isFinal: false, balances: [Output(amount: Amount(units: 1), lock: payee(0))]),
            ChannelState(
                channelId: hash(0x11), version: 42, isFinal: false,
                balances: [Output(amount: Amount(units: 600), lock: payee(0)), Output(amount: Amount(units: 400), lock: payee(1))]),
            ChannelState(channelId: hash(0x12), version: 7, isFinal: true, balances: balances),
            ChannelState(
                channelId: hash(0x13), version: .max, isFinal: false, balances: [Output(amount: Amount(units: 5), lock: payee(2))],
                appData: [UInt8](repeating: 0x0f, count: ChannelState.maxAppDataSize)),
            ChannelState(
                channelId: hash(0x14), version: 3, isFinal: false, balances: Array(balances.prefix(2)), appData: [1, 0, 2, 0, 1, 0, 0, 0, 0]),
        ]
    }

    /// Both channel keys' signature of `state` on `network` (devnet keys `a` and `b`), so a seed holds a
    /// co-signed state a tower would accept, not only one that decodes.
    public static func channelSignatures(of state: ChannelState, network: NetworkID, a: UInt32 = 0, b: UInt32 = 1) -> (Signature, Signature) {
        let hash = state.hash(network: network).bytes
        let sign = { (index: UInt32) -> Signature in
            (try? SigningKey.devnet(index: index).sign(domain: .channelState, network: network, message: hash))
                ?? (try! Signature(bytes: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: Signature.byteCount)))
        }
        return (sign(a), sign(b))
    }
}
