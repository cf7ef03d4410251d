import EmberCore
import EmberCrypto

extension TruebitGameLock {
    /// The message a move signature signs under the `truebitMove` domain (docs/truebit.md, moveMessage): the
    /// spent game outpoint (txid 32 ‖ varint index) then this body, the game the move pins (216 bytes, without
    /// the tag byte). Public so that clients sign exactly what the bisect and choose rules verify.
    public func moveMessage(spending outpoint: OutPoint) -> [UInt8] {
        var writer = ByteWriter()
        writer.write(outpoint)
        writer.write(self)
        return writer.bytes
    }
}
