import EmberCrypto

/// The identity of a Plasma chain (DESIGN.md section 17): the `chainId` of its operator, bond, blocks,
/// coins and exits.
///
/// `chainId = H("ember/plasma/v1" ‖ networkId ‖ first input outpoint ‖ operatorKey ‖ exitWindow u32)`, where the
/// outpoint is the first input of the registering transaction in its canonical encoding (txid, varint
/// index). An outpoint is spent once, so no two registrations share an id, on one network or across them.
public enum PlasmaChainId {
    /// The domain tag, ASCII, that starts the hashed bytes.
    public static let domainTag: [UInt8] = Array("ember/plasma/v1".utf8)

    /// The id of the chain registered on `network` by the transaction whose first input is `firstInput`.
    public static func derive(
        network: NetworkID, firstInput: OutPoint, operatorKey: RawPublicKey, exitWindow: UInt32
    ) -> Hash32 {
        var writer = ByteWriter()
        writer.writeRawBytes(domainTag)
        writer.writeUInt8(network.rawValue)
        writer.write(firstInput)
        writer.writeKey(operatorKey)
        writer.writeUInt32(exitWindow)
        return Blake3.hash(writer.bytes)
    }
}
