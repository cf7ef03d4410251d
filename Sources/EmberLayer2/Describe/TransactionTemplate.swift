import EmberCore
import EmberCrypto
import EmberNode
import Foundation

/// A transaction described in JSON (`ember tx build`; the format is in docs/tx-cli.md): inputs with
/// their outpoint, unlock and witness items, reads, outputs with a lock given as hex, a pubKeyHash or
/// an address, blobs, and optionally a keystore whose key signs the inputs marked `"unlock": "keystore"`.
public struct TransactionTemplate: Sendable {
    /// Bounds the description read: a 1 MiB transaction in hex with its JSON framing.
    public static let maxJSONSize = 3 * 1024 * 1024

    public let version: UInt8
    /// The keystore file named by the description, for the inputs it signs.
    public let keystore: String?
    let inputs: [TemplateInput]
    let reads: [OutPoint]
    let outputs: [Output]
    let blobs: [[UInt8]]

    /// Whether some input is to be signed by the keystore's key.
    public var needsSigningKey: Bool { inputs.contains { $0.unlock == nil } }

    /// Reads the JSON description; every mistake names its field.
    public static func parse(json data: Data) throws(TemplateError) -> TransactionTemplate {
        guard data.count <= maxJSONSize else { throw TemplateError("the description is over \(maxJSONSize) bytes") }
        let body: TemplateBody
        do {
            body = try JSONDecoder().decode(TemplateBody.self, from: data)
        } catch let error as TemplateError {
            throw error
        } catch {
            throw TemplateError(NodeAPIClient.describe(error))
        }
        let version = body.version ?? Transaction.version2
        guard version == Transaction.version1 || version == Transaction.version2 else {
            throw TemplateError("version: \(version) is not 1 or 2")
        }
        var inputs = [TemplateInput]()
        for (index, input) in body.inputs.enumerated() {
            inputs.append(try input.parsed(at: "inputs[\(index)]"))
        }
        let reads = try (body.reads ?? []).enumerated().map { index, read throws(TemplateError) in try read.parsed(at: "reads[\(index)]") }
        var outputs = [Output]()
        for (index, output) in body.outputs.enumerated() {
            outputs.append(try output.parsed(at: "outputs[\(index)]"))
        }
        var blobs = [[UInt8]]()
        for (index, blob) in (body.blobs ?? []).enumerated() {
            blobs.append(try hexBytes(blob, at: "blobs[\(index)]"))
        }
        if version == Transaction.version1, !reads.isEmpty || !blobs.isEmpty {
            throw TemplateError("version: a version-1 transaction has no reads and no blobs; use version 2")
        }
        return TransactionTemplate(version: version, keystore: body.keystore, inputs: inputs, reads: reads, outputs: outputs, blobs: blobs)
    }

    /// The transaction, with the keystore inputs signed by `signingKey` for `network`; checked to
    /// encode within its version's limits.
    public func transaction(signingKey: SigningKey?, network: NetworkID) throws(TemplateError) -> Transaction {
        if needsSigningKey, signingKey == nil { throw TemplateError("keystore: some input is signed by a keystore, and none was given") }
        let keystoreUnlock = signingKey.flatMap { RawPublicKey($0.publicKey.bytes) }.map(Unlock.publicKey)
        var transaction = Transaction(
            version: version,
            inputs: inputs.map { Input(outpoint: $0.outpoint, unlock: $0.unlock ?? keystoreUnlock!) },
            reads: reads, outputs: outputs, blobs: blobs,
            witnesses: inputs.map { Witness(items: $0.witness) })
        if let signingKey, needsSigningKey {
            let signature: Signature
            do {
                signature = try signingKey.sign(txid: transaction.txid, network: network)
            } catch {
                throw TemplateError("signing failed: \(error)")
            }
            for (index, input) in inputs.enumerated() where input.unlock == nil {
                transaction.witnesses[index] = Witness(items: [signature.bytes])
            }
        }
        do {
            _ = try Transaction.decode(from: transaction.encoded, limit: Transaction.maxSize)
        } catch {
            throw TemplateError("the transaction does not encode within its limits: \(error)")
        }
        return transaction
    }

    static func hexBytes(_ text: String, at field: String) throws(TemplateError) -> [UInt8] {
        guard let bytes = [UInt8](hexString: text) else { throw TemplateError("\(field): not hex (an even number of hex digits)") }
        return bytes
    }

    static func hash(_ text: String, at field: String) throws(TemplateError) -> Hash32 {
        guard let hash = Hash32(hex: text) else { throw TemplateError("\(field): not 64 hex digits") }
        return hash
    }
}

/// Why a JSON description does not make a transaction, naming the field.
public struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

struct TemplateInput: Sendable {
    let outpoint: OutPoint
    /// Nil: the keystore's public key, whose signature is the witness.
    let unlock: Unlock?
    let witness: [[UInt8]]
}

// MARK: - JSON shapes

private struct TemplateBody: Decodable {
    let version: UInt8?
    let keystore: String?
    let inputs: [InputBody]
    let reads: [OutPointBody]?
    let outputs: [OutputBody]
    let blobs: [String]?
}

private struct OutPointBody: Decodable {
    let txid: String
    let index: UInt32

    func parsed(at field: String) throws(TemplateError) -> OutPoint {
        OutPoint(txid: try TransactionTemplate.hash(txid, at: "\(field).txid"), index: index)
    }
}

private struct InputBody: Decodable {
    let outpoint: OutPointBody
    let unlock: UnlockBody
    let witness: [String]?

    func parsed(at field: String) throws(TemplateError) -> TemplateInput {
        let outpoint = try outpoint.parsed(at: "\(field).outpoint")
        var items = [[UInt8]]()
        for (index, item) in (witness ?? []).enumerated() {
            items.append(try TransactionTemplate.hexBytes(item, at: "\(field).witness[\(index)]"))
        }
        let unlock = try unlock.parsed(at: "\(field).unlock")
        if unlock == nil, !items.isEmpty { throw TemplateError("\(field).witness: a keystore input's witness is its signature; give none") }
        return TemplateInput(outpoint: outpoint, unlock: unlock, witness: items)
    }
}

/// `"keystore"`, an unlock's encoding in hex, `{"publicKey": hex}`, or `{"channel"|"plasma"|"truebit":
/// {"mode": name or number, "firstOutput": n, "maxSteps": n, "recipient": hex}}`.
private enum UnlockBody: Decodable {
    case text(String)
    case publicKey(String)
    case covenant(family: String, CovenantBody)

    struct CovenantBody: Decodable {
        let mode: ModeBody
        let firstOutput: UInt32?
        let maxSteps: UInt32?
        let recipient: String?
    }

    enum ModeBody: Decodable {
        case name(String)
        case number(UInt8)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(UInt8.self) { self = .number(number) } else { self = .name(try container.decode(String.self)) }
        }
    }

    private struct Keys: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .text(text)
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw TemplateError("an unlock object has exactly one of publicKey, channel, plasma, truebit")
        }
        switch key.stringValue {
        case "publicKey": self = .publicKey(try container.decode(String.self, forKey: key))
        case "channel", "plasma", "truebit": self = .covenant(family: key.stringValue, try container.decode(CovenantBody.self, forKey: key))
        default: throw TemplateError("unknown unlock kind '\(key.stringValue)'; use publicKey, channel, plasma or truebit")
        }
    }

    func parsed(at field: String) throws(TemplateError) -> Unlock? {
        switch self {
        case .text("keystore"):
            return nil
        case .text(let hex):
            let bytes = try TransactionTemplate.hexBytes(hex, at: field)
            do {
                return try Unlock.decode(from: bytes, limit: 4_096)
            } catch {
                throw TemplateError("\(field): \(error)")
            }
        case .publicKey(let hex):
            guard let key = RawPublicKey(try TransactionTemplate.hexBytes(hex, at: "\(field).publicKey")) else {
                throw TemplateError("\(field).publicKey: a public key is 32 bytes")
            }
            return .publicKey(key)
        case .covenant(let family, let body):
            let path = "\(field).\(family)"
            let mode = try Self.mode(body.mode, family: family, at: "\(path).mode")
            let recipient = try body.recipient.map { text throws(TemplateError) in try TransactionTemplate.hash(text, at: "\(path).recipient") }
            let covenant = CovenantUnlock(
                mode: mode, firstOutput: UInt64(body.firstOutput ?? 0), maxSteps: body.maxSteps ?? 0, recipient: recipient)
            if family != "channel", covenant.maxSteps != 0 { throw TemplateError("\(path).maxSteps: only a channel unlock carries maxSteps") }
            let unlock: Unlock = family == "channel" ? .channel(covenant) : family == "plasma" ? .plasma(covenant) : .truebit(covenant)
            // A recipient must be exactly where the mode pays a bounty: the encoding must decode back to itself.
            guard (try? Unlock.decode(from: unlock.encoded, limit: 4_096)) == unlock else {
                throw TemplateError("\(path).recipient: give a recipient exactly in the bounty mode (fraudProof)")
            }
            return unlock
        }
    }

    private static func mode(_ mode: ModeBody, family: String, at field: String) throws(TemplateError) -> UInt8 {
        let names: [String]
        switch family {
        case "channel": names = CovenantUnlock.ChannelMode.allCases.map { "\($0)" }
        case "plasma": names = CovenantUnlock.PlasmaMode.allCases.map { "\($0)" }
        default: names = CovenantUnlock.TruebitMode.allCases.map { "\($0)" }
        }
        switch mode {
        case .number(let number):
            guard Int(number) < names.count else { throw TemplateError("\(field): mode \(number) is not a \(family) mode") }
            return number
        case .name(let name):
            guard let index = names.firstIndex(of: name) else {
                throw TemplateError("\(field): '\(name)' is not a \(family) mode; one of \(names.joined(separator: ", "))")
            }
            return UInt8(index)
        }
    }
}

private struct OutputBody: Decodable {
    let amount: String
    let lock: LockBody
    let lockTime: UInt64?
    let data: String?

    func parsed(at field: String) throws(TemplateError) -> Output {
        guard let amount = CoinAmount.parseUnits(amount) else { throw TemplateError("\(field).amount: not a whole number of units") }
        let data = try data.map { text throws(TemplateError) in try TransactionTemplate.hexBytes(text, at: "\(field).data") } ?? []
        return Output(amount: amount, lock: try lock.parsed(at: "\(field).lock"), lockTime: lockTime ?? 0, data: data)
    }
}

/// A lock's encoding in hex, `{"pubKeyHash": hex}` or `{"address": "em..."}`.
private enum LockBody: Decodable {
    case hex(String)
    case pubKeyHash(String)
    case address(String)

    private enum Keys: String, CodingKey { case pubKeyHash, address }

    init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .hex(text)
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        if let hash = try container.decodeIfPresent(String.self, forKey: .pubKeyHash) {
            self = .pubKeyHash(hash)
        } else if let address = try container.decodeIfPresent(String.self, forKey: .address) {
            self = .address(address)
        } else {
            throw TemplateError("a lock is hex, {\"pubKeyHash\": hex} or {\"address\": \"em...\"}")
        }
    }

    func parsed(at field: String) throws(TemplateError) -> Lock {
        switch self {
        case .hex(let text):
            do {
                return try Lock.decode(from: try TransactionTemplate.hexBytes(text, at: field), limit: 4_096)
            } catch let error as TemplateError {
                throw error
            } catch {
                throw TemplateError("\(field): \(error)")
            }
        case .pubKeyHash(let text):
            return .pubKeyHash(try TransactionTemplate.hash(text, at: "\(field).pubKeyHash"))
        case .address(let text):
            do {
                return .pubKeyHash(try Address.parse(text).publicKeyHash)
            } catch {
                throw TemplateError("\(field).address: \(error)")
            }
        }
    }
}
