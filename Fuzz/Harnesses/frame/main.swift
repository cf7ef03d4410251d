// Fuzzes the frame layer: `Frame.decode(from:network:)` and the NIO `FrameDecoder.decodeMessage(from:)`
// the peer pipeline runs, over a stream of frames as a peer sends it. The network is the one the
// input's fourth byte names (devnet otherwise), so the magic can match.
//
// Properties: a frame re-encodes to the bytes it took; the two decoders agree frame by frame, on the
// message or on the error; a decoded message re-framed gives the same bytes. Each input runs twice:
// as it is, and with every frame's checksum made right, since the fuzzer cannot forge a Blake3
// checksum and would otherwise never reach the payload decoders.

import EmberCrypto
import EmberWire
import FuzzSamples
import FuzzSupport
import NIOCore

Fuzz.main(seeds: seeds) { bytes in
    let network = bytes.count > 3 ? NetworkID(rawValue: bytes[3]) ?? .devnet : .devnet
    let patched = withChecksumsMadeRight(bytes)
    let accepted = check(bytes, network: network)
    return patched == bytes ? accepted : check(patched, network: network) || accepted
}

func seeds() -> [[UInt8]] {
    let frames = Samples.wireMessages.map { Frame(network: .devnet, message: $0).encoded }
    let mainnetPing = Frame(network: .mainnet, message: .ping(PingMessage(nonce: 3))).encoded
    return frames + [frames.flatMap { $0 }, mainnetPing, Array(frames[2].prefix(20))]
}

/// What one decoding step gave: a message, an error, or a wait for more bytes.
enum Step: Equatable {
    case message(WireMessage, byteCount: Int)
    case failed(WireError)
    case needMoreBytes
}

func check(_ bytes: [UInt8], network: NetworkID) -> Bool {
    var offset = 0
    var buffer = ByteBuffer(bytes: bytes)
    let decoder = FrameDecoder(network: network)
    var accepted = false
    while true {
        let rest = bytes[offset...]
        let viaFrame = frameStep(rest, network: network)
        let viaNIO = nioStep(decoder, &buffer)
        Fuzz.expect(viaFrame == viaNIO, "Frame.decode gave \(viaFrame), FrameDecoder gave \(viaNIO) at offset \(offset)")
        guard case .message(_, let byteCount) = viaFrame else { return accepted }
        accepted = true
        Fuzz.expect(byteCount >= FrameHeader.size && byteCount <= rest.count, "a frame of \(byteCount) bytes in \(rest.count)")
        offset += byteCount
    }
}

func frameStep(_ bytes: ArraySlice<UInt8>, network: NetworkID) -> Step {
    let frame: Frame
    let byteCount: Int
    do {
        switch try Frame.decode(from: bytes, network: network) {
        case .needMoreBytes: return .needMoreBytes
        case .frame(let decoded, let count): (frame, byteCount) = (decoded, count)
        }
    } catch {
        return .failed(error)
    }
    Fuzz.expectRoundTrip(frame.encoded, Array(bytes.prefix(byteCount)), "frame")
    do {
        let message = try frame.message()
        Fuzz.expectRoundTrip(Frame(network: network, message: message).encoded, frame.encoded, "re-framed message")
        return .message(message, byteCount: byteCount)
    } catch {
        return .failed(error)
    }
}

func nioStep(_ decoder: FrameDecoder, _ buffer: inout ByteBuffer) -> Step {
    let before = buffer.readerIndex
    do {
        guard let message = try decoder.decodeMessage(from: &buffer) else {
            Fuzz.expect(buffer.readerIndex == before, "FrameDecoder read bytes of an incomplete frame")
            return .needMoreBytes
        }
        return .message(message, byteCount: buffer.readerIndex - before)
    } catch {
        return .failed(error)
    }
}

/// `bytes` with the checksum of every complete frame (as far as headers parse) replaced by the right one.
func withChecksumsMadeRight(_ bytes: [UInt8]) -> [UInt8] {
    var patched = bytes
    var offset = 0
    while offset + FrameHeader.size <= patched.count {
        let length = patched[offset + 5..<offset + 9].reduce(0) { $0 << 8 | Int($1) }
        let payloadStart = offset + FrameHeader.size
        guard length <= Frame.maxPayloadSize, payloadStart + length <= patched.count else { break }
        let checksum = FrameHeader.checksum(of: Array(patched[payloadStart..<payloadStart + length]))
        patched.replaceSubrange(offset + 9..<offset + 13, with: checksum)
        offset = payloadStart + length
    }
    return patched
}
