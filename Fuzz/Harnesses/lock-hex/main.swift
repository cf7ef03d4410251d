// Fuzzes the `{lock}` path parameter of `GET /v1/locks/{lock}` (`PathParameters.lock.parse`): the
// declared pattern and length, the hex, then `Lock.decode`. The input is the path segment's text.
// Property: a lock parsed from hex encodes back to that hex (in lower case).

import EmberAPI
import EmberCore
import EmberCrypto
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.lockEncodings.map { Array($0.hexString.utf8) } + [Array("00".utf8), Array("0Ff".utf8)] }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let lock = try? PathParameters.lock.parse(text, network: .devnet) else { return false }
    Fuzz.expect(lock.encoded.hexString == text.lowercased(), "lock \(text) encodes to \(lock.encoded.hexString)")
    return true
}
