// EmberWire: the peer-to-peer wire protocol (DESIGN.md section 13), pure and free of sockets.
//
// Every message travels in a `Frame`: magic (`"EMB"` ‖ network id), a one-byte `WireCommand`, the payload
// length (u32 big-endian), the first 4 bytes of Blake3(payload), then the payload. Payloads use EmberCore's
// canonical codec, one message type per file, each with named limits that bound what a peer can make us
// allocate. `FrameDecoder` and `MessageEncoder` plug the format into a swift-nio pipeline; the decoder
// refuses an oversize length before waiting for its payload. Failures are `WireError`s carrying how badly
// the peer misbehaved; an unknown command is not an error but a `.unknown` message, scored lightly.
// Command codes and layouts: docs/wire.md.
