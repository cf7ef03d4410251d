import EmberCore

/// `count` copies of `byte`.
func bytes(_ byte: UInt8, count: Int) -> [UInt8] {
    [UInt8](repeating: byte, count: count)
}

/// The error decoding `bytes` as `type` throws, or nil when it decodes.
func decodingError<Value: CanonicalDecodable>(
    _ type: Value.Type,
    _ bytes: [UInt8],
    limit: Int = Int.max
) -> DecodingError? {
    do {
        _ = try Value.decode(from: bytes, limit: limit)
        return nil
    } catch {
        return error
    }
}
