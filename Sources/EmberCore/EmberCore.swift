// EmberCore: Ember's value types and their canonical binary codec (DESIGN.md sections 2, 4 and 5).
//
// Every type here encodes to exactly one byte string and decodes only from that string: integers are
// big-endian, varints minimal LEB128, and every decoder takes an explicit size limit and rejects
// trailing bytes, so untrusted input can be handed to it as it arrives.
//
// Entry points: `value.encoded` and `Type.decode(from: bytes, limit:)` on every `CanonicalCodable` type
// (`Transaction`, `BlockHeader`, `Block`, `Output`, ...). A failure is a `DecodingError` naming the field
// and the reason. `ByteWriter` and `ByteReader` are the building blocks for other wire formats (P2P
// messages). Byte layouts and limits: docs/encoding.md. Consensus rules live in EmberConsensus, not here.
