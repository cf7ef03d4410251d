import EmberCrypto

/// The identity of one deposited Plasma coin (DESIGN.md section 17): its key in every child block's
/// sparse Merkle tree.
///
/// `coinId = H("ember/plasma-coin/v1" ‖ chainId ‖ first input outpoint ‖ output index varint ‖ amount varint ‖
/// depositorKey)`, with the depositing transaction's first input. A reorganisation that replaces the deposit
/// changes that input or the output, so the coin it makes cannot inherit the old coin's history.
public enum PlasmaCoinId {
    /// The domain tag, ASCII, that starts the hashed bytes.
    public static let domainTag: [UInt8] = Array("ember/plasma-coin/v1".utf8)

    /// The id of the coin that output `outputIndex` of the deposit whose first input is `firstInput` creates.
    public static func derive(
        chainId: Hash32, firstInput: OutPoint, outputIndex: UInt32, amount: Amount, depositorKey: RawPublicKey
    ) -> Hash32 {
        var writer = ByteWriter()
        writer.writeRawBytes(domainTag)
        writer.writeHash(chainId)
        writer.write(firstInput)
        writer.writeVarint(UInt128(outputIndex))
        writer.writeAmount(amount)
        writer.writeKey(depositorKey)
        return Blake3.hash(writer.bytes)
    }
}
