// Fuzzes `WireMessage.decode(commandCode:payload:)`, which decodes the payload of every frame a peer
// sends, for every command. The first byte of an input is the command code, the rest the payload.
// Property: a decoded message has that command code and encodes back to the same payload.

import EmberWire
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.wireMessages.map { [$0.commandCode] + $0.encodedPayload } }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let command = bytes.first else { return false }
    let payload = Array(bytes.dropFirst())
    guard let message = try? WireMessage.decode(commandCode: command, payload: payload) else { return false }
    Fuzz.expect(message.commandCode == command, "command \(command) decoded as a message of command \(message.commandCode)")
    Fuzz.expectRoundTrip(message.encodedPayload, payload, "payload of command \(command)")
    return true
}
