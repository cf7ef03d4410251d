import EmberCore
import EmberCrypto

extension ChannelMessage: CanonicalCodable {
    public static let codecName = "channelMessage"

    /// Decodes one message from a peer, within `maxSize`.
    public static func decode(peerBytes bytes: [UInt8]) throws(DecodingError) -> ChannelMessage {
        try decode(from: bytes, limit: maxSize)
    }

    public func encode(to writer: inout ByteWriter) {
        switch self {
        case .hello(let network, let key):
            writer.writeUInt8(Tag.hello.rawValue)
            writer.writeUInt8(network.rawValue)
            writer.writeRawBytes(key.bytes)
        case .openRequest(let request):
            writer.writeUInt8(Tag.openRequest.rawValue)
            writer.writeHash(request.proposal)
            request.params.encode(to: &writer)
            writer.writeVarint(request.openerAmount.units)
            writer.writeVarint(request.responderAmount.units)
            writer.writeByteString(Array(request.app.utf8))
        case .openAccept(let proposal, let contribution):
            writer.writeUInt8(Tag.openAccept.rawValue)
            writer.writeHash(proposal)
            writer.writeCount(contribution.inputs.count)
            for input in contribution.inputs {
                input.outpoint.encode(to: &writer)
                writer.writeVarint(input.amount.units)
            }
            writer.writeUInt8(contribution.change == nil ? 0 : 1)
            if let change = contribution.change { change.encode(to: &writer) }
        case .openFunding(let proposal, let funding, let refund, let signature):
            writer.writeUInt8(Tag.openFunding.rawValue)
            writer.writeHash(proposal)
            writer.writeByteString(funding.encoded)
            writer.writeByteString(refund.encoded)
            writer.writeRawBytes(signature.bytes)
        case .openSigned(let proposal, let signature, let witnesses):
            writer.writeUInt8(Tag.openSigned.rawValue)
            writer.writeHash(proposal)
            writer.writeRawBytes(signature.bytes)
            writer.writeList(witnesses)
        case .update(let state, let signature):
            writer.writeUInt8(Tag.update.rawValue)
            writer.writeByteString(state.encoded)
            writer.writeRawBytes(signature.bytes)
        case .updateBatch(let proposals):
            writer.writeUInt8(Tag.updateBatch.rawValue)
            writer.writeCount(proposals.count)
            for proposal in proposals {
                writer.writeByteString(proposal.state.encoded)
                writer.writeRawBytes(proposal.signature.bytes)
            }
        case .ackBatch(let channel, let firstVersion, let signatures):
            writer.writeUInt8(Tag.ackBatch.rawValue)
            writer.writeHash(channel)
            writer.writeUInt64(firstVersion)
            writer.writeCount(signatures.count)
            for signature in signatures { writer.writeRawBytes(signature.bytes) }
        case .ack(let channel, let version, let signature):
            writer.writeUInt8(Tag.ack.rawValue)
            writer.writeHash(channel)
            writer.writeUInt64(version)
            writer.writeRawBytes(signature.bytes)
        case .refuse(let channel, let version, let reason):
            writer.writeUInt8(Tag.refuse.rawValue)
            writer.writeHash(channel)
            writer.writeUInt64(version)
            writer.writeByteString(Self.reasonBytes(reason))
        case .closeRequest(let channel, let transaction):
            writer.writeUInt8(Tag.closeRequest.rawValue)
            writer.writeHash(channel)
            writer.writeByteString(transaction.encoded)
        case .closeSigned(let channel, let signature):
            writer.writeUInt8(Tag.closeSigned.rawValue)
            writer.writeHash(channel)
            writer.writeRawBytes(signature.bytes)
        case .sync(let coSigned):
            writer.writeUInt8(Tag.sync.rawValue)
            coSigned.encode(to: &writer)
        }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> ChannelMessage {
        let tagByte = try reader.readUInt8(field: "tag")
        guard let tag = Tag(rawValue: tagByte) else { throw DecodingError(.unknownTag(tagByte), at: "tag") }
        switch tag {
        case .hello:
            let networkByte = try reader.readUInt8(field: "network")
            guard let network = NetworkID(rawValue: networkByte) else { throw DecodingError(.unknownTag(networkByte), at: "network") }
            return .hello(network: network, key: try readKey(&reader, field: "key"))
        case .openRequest:
            let proposal = try reader.readHash(field: "proposal")
            let params = try reader.read(ChannelParams.self, field: "params")
            let opener = Amount(units: try reader.readVarint(field: "openerAmount"))
            let responder = Amount(units: try reader.readVarint(field: "responderAmount"))
            let app = try readText(&reader, limit: 32, field: "app")
            return .openRequest(OpenRequest(proposal: proposal, params: params, openerAmount: opener, responderAmount: responder, app: app))
        case .openAccept:
            let proposal = try reader.readHash(field: "proposal")
            let inputs = try reader.readList(limit: FundingContribution.maxInputs, field: "inputs") { reader throws(DecodingError) in
                FundingInput(outpoint: try reader.read(OutPoint.self, field: "outpoint"), amount: Amount(units: try reader.readVarint(field: "amount")))
            }
            let hasChange = try reader.readUInt8(field: "hasChange")
            guard hasChange <= 1 else { throw DecodingError(.unknownTag(hasChange), at: "hasChange") }
            let change = hasChange == 1 ? try reader.read(Output.self, field: "change") : nil
            return .openAccept(proposal: proposal, contribution: FundingContribution(inputs: inputs, change: change))
        case .openFunding:
            let proposal = try reader.readHash(field: "proposal")
            let funding = try Transaction.decode(from: try reader.readByteString(limit: maxSize, field: "funding"), limit: maxSize)
            let refund = try ChannelState.decode(from: try reader.readByteString(limit: Witness.maxItemSize, field: "refund"), limit: Witness.maxItemSize)
            return .openFunding(proposal: proposal, funding: funding, refund: refund, refundSignature: try reader.readSignature(field: "refundSignature"))
        case .openSigned:
            let proposal = try reader.readHash(field: "proposal")
            let signature = try reader.readSignature(field: "refundSignature")
            let witnesses = try reader.readList(of: Witness.self, limit: FundingContribution.maxInputs, field: "witnesses")
            return .openSigned(proposal: proposal, refundSignature: signature, witnesses: witnesses)
        case .update:
            let state = try ChannelState.decode(from: try reader.readByteString(limit: Witness.maxItemSize, field: "state"), limit: Witness.maxItemSize)
            return .update(state: state, signature: try reader.readSignature(field: "signature"))
        case .updateBatch:
            let proposals = try reader.readList(limit: maxBatch, field: "states") { reader throws(DecodingError) in
                let state = try ChannelState.decode(
                    from: try reader.readByteString(limit: Witness.maxItemSize, field: "state"), limit: Witness.maxItemSize)
                return ProposedState(state: state, signature: try reader.readSignature(field: "signature"))
            }
            guard !proposals.isEmpty else { throw DecodingError(.emptyList, at: "states") }
            return .updateBatch(proposals)
        case .ackBatch:
            let channel = try reader.readHash(field: "channel")
            let firstVersion = try reader.readUInt64(field: "firstVersion")
            let signatures = try reader.readList(limit: maxBatch, field: "signatures") { reader throws(DecodingError) in
                try reader.readSignature(field: "signature")
            }
            guard !signatures.isEmpty else { throw DecodingError(.emptyList, at: "signatures") }
            return .ackBatch(channel: channel, firstVersion: firstVersion, signatures: signatures)
        case .ack:
            return .ack(channel: try reader.readHash(field: "channel"), version: try reader.readUInt64(field: "version"), signature: try reader.readSignature(field: "signature"))
        case .refuse:
            let channel = try reader.readHash(field: "channel")
            let version = try reader.readUInt64(field: "version")
            let reason = try readText(&reader, limit: maxReasonSize, field: "reason")
            return .refuse(channel: channel, version: version, reason: reason)
        case .closeRequest:
            let channel = try reader.readHash(field: "channel")
            let transaction = try Transaction.decode(from: try reader.readByteString(limit: maxSize, field: "transaction"), limit: maxSize)
            return .closeRequest(channel: channel, transaction: transaction)
        case .closeSigned:
            return .closeSigned(channel: try reader.readHash(field: "channel"), signature: try reader.readSignature(field: "signature"))
        case .sync:
            return .sync(try reader.read(CoSignedState.self, field: "sync"))
        }
    }

    private static func readKey(_ reader: inout ByteReader, field: String) throws(DecodingError) -> RawPublicKey {
        // 32 bytes always make a raw key.
        RawPublicKey(try reader.readRawBytes(count: 32, field: field))!
    }

    /// Reads a byte string of at most `limit` bytes that must be UTF-8: a string decoded with replacement
    /// characters would encode to other bytes than the peer sent (found by the `channel-message` fuzz
    /// harness). EmberCore's `DecodingError` has no reason for text, so the first byte of the first
    /// invalid sequence is reported as an undefined tag at `field`.
    private static func readText(_ reader: inout ByteReader, limit: Int, field: String) throws(DecodingError) -> String {
        let bytes = try reader.readByteString(limit: limit, field: field)
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
        throw DecodingError(.unknownTag(bytes[min(offset, bytes.count - 1)]), at: field)
    }

    /// A refusal's reason as sent: its UTF-8, cut to `maxReasonSize` bytes at a character boundary, so
    /// that the peer's `readText` accepts it.
    private static func reasonBytes(_ reason: String) -> [UInt8] {
        let bytes = Array(reason.utf8)
        guard bytes.count > maxReasonSize else { return bytes }
        var end = maxReasonSize
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(bytes[..<end])
    }
}
