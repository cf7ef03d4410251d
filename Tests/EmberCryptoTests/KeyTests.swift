import EmberCrypto
import EmberTestSupport
import Testing

@Suite struct KeyTests {
    /// RFC 8032 section 7.1, tests 1 to 3: secret key (our seed) and public key.
    static let rfc8032Keys = [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"),
        ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"),
    ]

    /// The Ed25519 group order L, little-endian, as the s half of a signature is encoded.
    static let groupOrderLittleEndian: [UInt8] = [UInt8](
        hexString: "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")!

    static func txid(_ byte: UInt8) -> Hash32 {
        Hash32([UInt8](repeating: byte, count: 32))!
    }

    @Test(arguments: rfc8032Keys)
    func seedGivesTheRFC8032PublicKey(seedHex: String, publicKeyHex: String) throws {
        let seed = try #require([UInt8](hexString: seedHex))
        let key = try SigningKey(seed: seed)
        #expect(key.publicKey.bytes.hexString == publicKeyHex)
        #expect(key.seed == seed)
    }

    @Test func signaturesVerifyOnlyForTheirNetworkTxidAndKey() throws {
        let key = try SigningKey(seed: [UInt8](repeating: 7, count: 32))
        let otherKey = try SigningKey(seed: [UInt8](repeating: 8, count: 32))
        for network in NetworkID.allCases {
            let signature = try key.sign(txid: Self.txid(1), network: network)
            #expect(key.publicKey.isValidSignature(signature, txid: Self.txid(1), network: network))
            #expect(!key.publicKey.isValidSignature(signature, txid: Self.txid(2), network: network))
            #expect(!otherKey.publicKey.isValidSignature(signature, txid: Self.txid(1), network: network))
            for otherNetwork in NetworkID.allCases where otherNetwork != network {
                #expect(!key.publicKey.isValidSignature(signature, txid: Self.txid(1), network: otherNetwork))
            }
        }
    }

    @Test func everyFlippedSignatureBitIsRejected() throws {
        let key = SigningKey.devnet(index: 1)
        let signature = try key.sign(txid: Self.txid(3), network: .devnet)
        for bit in 0..<(Signature.byteCount * 8) {
            var bytes = signature.bytes
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            let tampered = try Signature(bytes: bytes)
            #expect(!key.publicKey.isValidSignature(tampered, txid: Self.txid(3), network: .devnet), "bit \(bit)")
        }
    }

    /// Without the s < L check, s + L would verify too (s is used mod L): a second encoding of one signature.
    @Test func nonCanonicalSIsRejected() throws {
        let key = SigningKey.devnet(index: 2)
        let signature = try key.sign(txid: Self.txid(4), network: .mainnet)
        var bytes = signature.bytes
        var carry = 0
        for index in 0..<32 {
            let sum = Int(bytes[32 + index]) + Int(Self.groupOrderLittleEndian[index]) + carry
            bytes[32 + index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        #expect(carry == 0)
        let malleated = try Signature(bytes: bytes)
        #expect(key.publicKey.isValidSignature(signature, txid: Self.txid(4), network: .mainnet))
        #expect(!key.publicKey.isValidSignature(malleated, txid: Self.txid(4), network: .mainnet))
    }

    @Test(arguments: [0, 1, 63, 65, 128])
    func signatureOfWrongLengthIsRefused(length: Int) {
        #expect(throws: KeyError.wrongSignatureLength(found: length)) {
            try Signature(bytes: [UInt8](repeating: 0, count: length))
        }
    }

    @Test(arguments: [0, 31, 33, 64])
    func keyMaterialOfWrongLengthIsRefused(length: Int) {
        let bytes = [UInt8](repeating: 1, count: length)
        #expect(throws: KeyError.wrongPublicKeyLength(found: length)) { try PublicKey(bytes: bytes) }
        #expect(throws: KeyError.wrongSeedLength(found: length)) { try SigningKey(seed: bytes) }
    }

    @Test func publicKeysThatAreNotCurvePointsVerifyNothing() throws {
        let signature = try SigningKey.devnet(index: 0).sign(txid: Self.txid(5), network: .devnet)
        var random = SeededGenerator(seed: 0xC0FFEE)
        for _ in 0..<200 {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
            let key = try PublicKey(bytes: bytes)
            #expect(!key.isValidSignature(signature, txid: Self.txid(5), network: .devnet))
        }
    }

    @Test func signatureMessageIsTagNetworkTxid() {
        let txid = Self.txid(0xab)
        let message = SignatureMessage(network: .testnet, txid: txid)
        let expected: [UInt8] = [0x65, 0x6d, 0x62, 0x65, 0x72, 0x2f, 0x73, 0x69, 0x67, 0x2f, 0x76, 0x31]  // "ember/sig/v1"
            + [0x01] + txid.bytes
        #expect(message.bytes == expected)
        #expect(message.bytes.count == SignatureMessage.byteCount)
    }

    @Test func devnetKeysComeFromTheirPublishedSeeds() throws {
        var publicKeys = Set<PublicKey>()
        for index: UInt32 in [0, 1, 2, 255, 256, 65_537, .max] {
            let bigEndianIndex = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: index >> $0) }
            let expectedSeed = Blake3.hash(Array("ember/devnet/seed".utf8) + bigEndianIndex)
            #expect(SigningKey.devnetSeed(index: index) == expectedSeed)
            let key = SigningKey.devnet(index: index)
            #expect(key.seed == expectedSeed.bytes)
            #expect(key.publicKey == (try SigningKey(seed: expectedSeed.bytes)).publicKey)
            publicKeys.insert(key.publicKey)
        }
        #expect(publicKeys.count == 7)
    }

    @Test func seededKeysAreDeterministicAndRandomKeysDiffer() throws {
        let seed = Blake3.hash(Array("some wallet seed".utf8))
        #expect(SigningKey(seed: seed).publicKey == SigningKey(seed: seed).publicKey)
        #expect(SigningKey().publicKey != SigningKey().publicKey)
    }

    @Test func publicKeyHashIsBlake3OfTheKey() {
        let publicKey = SigningKey.devnet(index: 4).publicKey
        #expect(publicKey.publicKeyHash == Blake3.hash(publicKey.bytes))
    }

    @Test func signingKeyDescriptionHidesTheSeed() {
        let key = SigningKey.devnet(index: 5)
        #expect(!key.description.contains(key.seed.hexString))
        #expect(key.description.contains(key.publicKey.bytes.hexString))
    }

    @Test func errorMessagesGiveBothLengths() {
        #expect(KeyError.wrongSignatureLength(found: 63).description == "signature is 63 bytes; an Ed25519 signature is 64 bytes")
        #expect(KeyError.wrongPublicKeyLength(found: 33).description.contains("33 bytes"))
    }
}
