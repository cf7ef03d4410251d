import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

/// The Plasma ids and child transaction of `../shared/vectors/layer2.json` (DESIGN.md section 17), used as
/// they are.
@Suite struct PlasmaIdentifierTests {
    struct Vector: Decodable {
        struct CoinVector: Decodable {
            let outputIndex: UInt32
            let amount: String
            let coinId: String
        }
        struct ChildTransactionVector: Decodable {
            let coinId: String
            let parentBlock: UInt64
            let newOwnerKey: String
            let signedMessage: String
            let signatureByDepositor: String
            let encoding: String
            let leaf: String
        }
        let networkId: UInt8
        let registeringFirstInput: String
        let operatorKey: String
        let exitWindow: UInt32
        let chainId: String
        let depositingFirstInput: String
        let depositorKey: String
        let coinIds: [CoinVector]
        let childTx: ChildTransactionVector
    }

    static func vector() throws -> Vector {
        struct File: Decodable { let plasma: Vector }
        return try JSONDecoder().decode(File.self, from: SharedVectors.data(named: "layer2.json")).plasma
    }

    static func bytes(_ hex: String) throws -> [UInt8] { try #require([UInt8](hexString: hex)) }
    static func hash(_ hex: String) throws -> Hash32 { try #require(Hash32(hex: hex)) }
    static func key(_ hex: String) throws -> RawPublicKey { try #require(RawPublicKey(Self.bytes(hex))) }

    /// The vector's child transaction, built from its fields.
    static func childTransaction(_ vector: Vector) throws -> ChildTransaction {
        ChildTransaction(
            coinId: try hash(vector.childTx.coinId), parentBlock: vector.childTx.parentBlock,
            newOwnerKey: try key(vector.childTx.newOwnerKey),
            signature: try Signature(bytes: bytes(vector.childTx.signatureByDepositor)))
    }

    @Test func chainIdBindsNetworkRegistrationOperatorAndWindow() throws {
        let vector = try Self.vector()
        let network = try #require(NetworkID(rawValue: vector.networkId))
        let firstInput = try OutPoint.decode(from: Self.bytes(vector.registeringFirstInput), limit: 64)
        let operatorKey = try Self.key(vector.operatorKey)
        let window = vector.exitWindow
        let chainId = PlasmaChainId.derive(network: network, firstInput: firstInput, operatorKey: operatorKey, exitWindow: window)
        #expect(chainId == (try Self.hash(vector.chainId)))
        // Each input of the derivation changes the id.
        var otherInput = firstInput
        otherInput.index += 1
        let depositorKey = try Self.key(vector.depositorKey)
        let others = [
            PlasmaChainId.derive(network: .testnet, firstInput: firstInput, operatorKey: operatorKey, exitWindow: window),
            PlasmaChainId.derive(network: network, firstInput: otherInput, operatorKey: operatorKey, exitWindow: window),
            PlasmaChainId.derive(network: network, firstInput: firstInput, operatorKey: depositorKey, exitWindow: window),
            PlasmaChainId.derive(network: network, firstInput: firstInput, operatorKey: operatorKey, exitWindow: window + 1),
        ]
        #expect(!others.contains(chainId))
    }

    @Test func coinIdsOfEveryDepositOutput() throws {
        let vector = try Self.vector()
        let chainId = try Self.hash(vector.chainId)
        let firstInput = try OutPoint.decode(from: Self.bytes(vector.depositingFirstInput), limit: 64)
        let depositorKey = try Self.key(vector.depositorKey)
        #expect(vector.coinIds.count == 3)
        for coin in vector.coinIds {
            let amount = Amount(units: try #require(UInt128(coin.amount)))
            let coinId = PlasmaCoinId.derive(
                chainId: chainId, firstInput: firstInput, outputIndex: coin.outputIndex, amount: amount,
                depositorKey: depositorKey)
            #expect(coinId == (try Self.hash(coin.coinId)), "output \(coin.outputIndex)")
            let otherAmount = Amount(units: amount.units + 1)
            #expect(PlasmaCoinId.derive(
                chainId: chainId, firstInput: firstInput, outputIndex: coin.outputIndex, amount: otherAmount,
                depositorKey: depositorKey) != coinId)
        }
    }

    @Test func childTransactionEncodesHashesAndVerifies() throws {
        let vector = try Self.vector()
        let network = try #require(NetworkID(rawValue: vector.networkId))
        let transaction = try Self.childTransaction(vector)
        let encoding = try Self.bytes(vector.childTx.encoding)
        #expect(encoding.count == ChildTransaction.byteCount)
        #expect(transaction.encoded == encoding)
        #expect(try ChildTransaction.decode(from: encoding, limit: ChildTransaction.byteCount) == transaction)
        #expect(transaction.signedMessage(network: network) == (try Self.hash(vector.childTx.signedMessage)))
        #expect(transaction.leaf == (try Self.hash(vector.childTx.leaf)))
        #expect(transaction.leaf == Blake3.hash(encoding))
        // The child transaction moves the first coin of the deposit.
        #expect(transaction.coinId == (try Self.hash(vector.coinIds[0].coinId)))

        // The depositor signed it (parentBlock 0), over the Plasma domain on this network only.
        let depositorKey = try Self.key(vector.depositorKey)
        #expect(transaction.isSigned(by: depositorKey, network: network))
        #expect(!transaction.isSigned(by: try Self.key(vector.operatorKey), network: network))
        #expect(!transaction.isSigned(by: depositorKey, network: .testnet))
        let publicKey = try PublicKey(bytes: depositorKey.bytes)
        // What the domain digest covers: coinId ‖ parentBlock u64 (0) ‖ newOwnerKey.
        let message = try Self.bytes(vector.childTx.coinId) + [UInt8](repeating: 0, count: 8)
            + Self.bytes(vector.childTx.newOwnerKey)
        let digest = Layer2SignatureDomain.plasmaTransaction.digest(network: network, message: message)
        #expect(digest == transaction.signedMessage(network: network))
        let signature = transaction.signature
        #expect(publicKey.isValidSignature(signature, domain: .plasmaTransaction, network: network, message: message))
        #expect(!publicKey.isValidSignature(signature, domain: .channelState, network: network, message: message))
    }

    @Test func depositorIsDevnetKeyZeroAndSigningReproducesTheVector() throws {
        let vector = try Self.vector()
        let network = try #require(NetworkID(rawValue: vector.networkId))
        let depositor = SigningKey.devnet(index: 0)
        #expect(depositor.publicKey.bytes == (try Self.bytes(vector.depositorKey)))
        #expect(SigningKey.devnet(index: 1).publicKey.bytes == (try Self.bytes(vector.operatorKey)))
        let signed = try ChildTransaction(
            coinId: try Self.hash(vector.childTx.coinId), parentBlock: vector.childTx.parentBlock,
            newOwnerKey: try Self.key(vector.childTx.newOwnerKey), signedBy: depositor, network: network)
        #expect(signed.isSigned(by: try Self.key(vector.depositorKey), network: network))
        // Ed25519 signing is deterministic (RFC 8032), so signing again gives the vector's bytes.
        #expect(signed.encoded == (try Self.bytes(vector.childTx.encoding)))
    }

    @Test func changingAnySignedFieldBreaksTheSignature() throws {
        let vector = try Self.vector()
        let network = try #require(NetworkID(rawValue: vector.networkId))
        let depositorKey = try Self.key(vector.depositorKey)
        let original = try Self.childTransaction(vector)
        var laterParent = original
        laterParent.parentBlock = 1
        var otherOwner = original
        otherOwner.newOwnerKey = depositorKey
        var otherCoin = original
        otherCoin.coinId = try Self.hash(vector.coinIds[1].coinId)
        for forged in [laterParent, otherOwner, otherCoin] {
            #expect(!forged.isSigned(by: depositorKey, network: network))
            #expect(forged.leaf != original.leaf)
        }
        // The parent block is big-endian in the signed message and in the encoding.
        let encoded = laterParent.encoded
        #expect(Array(encoded[32..<40]) == [0, 0, 0, 0, 0, 0, 0, 1])
    }

    @Test func childTransactionDecoderRefusesWhatIsNotOne() throws {
        let vector = try Self.vector()
        let good = try Self.bytes(vector.childTx.encoding)
        let limit = ChildTransaction.byteCount
        func failure(_ bytes: [UInt8], limit: Int) -> DecodingError? {
            do {
                _ = try ChildTransaction.decode(from: bytes, limit: limit)
                return nil
            } catch {
                return error
            }
        }
        #expect(failure(Array(good.dropLast()), limit: limit)?.reason == .truncated)
        #expect(failure(Array(good.dropLast()), limit: limit)?.fieldPath == "childTransaction.signature")
        #expect(failure(Array(good.prefix(20)), limit: limit)?.fieldPath == "childTransaction.coinId")
        #expect(failure([], limit: limit)?.reason == .truncated)
        #expect(failure(good + [0], limit: limit + 1)?.reason == .trailingBytes(count: 1))
        #expect(failure(good + [0], limit: limit)?.reason == .sizeOverLimit(limit: limit))
        #expect(failure(good, limit: limit - 1)?.reason == .sizeOverLimit(limit: limit - 1))
    }

    @Test func randomChildTransactionsRoundTrip() throws {
        var random = SeededGenerator(seed: 16)
        for _ in 0..<200 {
            let transaction = ChildTransaction(
                coinId: RandomValues.hash32(using: &random), parentBlock: random.next() >> Int.random(in: 0..<64, using: &random),
                newOwnerKey: try #require(RawPublicKey(RandomValues.bytes(count: 32, using: &random))),
                signature: try Signature(bytes: RandomValues.bytes(count: 64, using: &random)))
            let encoded = transaction.encoded
            #expect(encoded.count == ChildTransaction.byteCount)
            #expect(try ChildTransaction.decode(from: encoded, limit: ChildTransaction.byteCount) == transaction)
        }
        // A fresh key's signature verifies under that key and no other.
        let owner = SigningKey()
        let next = SigningKey()
        let move = try ChildTransaction(
            coinId: RandomValues.hash32(using: &random), parentBlock: 7,
            newOwnerKey: try #require(RawPublicKey(next.publicKey.bytes)), signedBy: owner, network: .mainnet)
        #expect(move.isSigned(by: try #require(RawPublicKey(owner.publicKey.bytes)), network: .mainnet))
        #expect(!move.isSigned(by: try #require(RawPublicKey(next.publicKey.bytes)), network: .mainnet))
        #expect(!move.isSigned(by: try #require(RawPublicKey(owner.publicKey.bytes)), network: .devnet))
    }
}
