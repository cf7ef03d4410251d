import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// Round trips of random covenant locks and unlocks, and the hostile bytes their decoders must refuse,
/// each with the field that failed and why.
@Suite struct CovenantDecodingTests {
    typealias Layout = CovenantLayoutTests

    /// The known bytes of lock case `index` with `range` replaced by `replacement`.
    static func lockBytes(_ index: Int, replacing range: Range<Int>, with replacement: [UInt8]) -> [UInt8] {
        var bytes = Layout.lockCases[index].bytes
        bytes.replaceSubrange(range, with: replacement)
        return bytes
    }

    @Test func randomLocksRoundTrip() throws {
        var generator = SeededGenerator(seed: 11)
        for iteration in 0..<2_000 {
            let lock = CovenantRandomValues.lock(tag: UInt8(iteration % 16), using: &generator)
            let bytes = lock.encoded
            let decoded = try Lock.decode(from: bytes, limit: bytes.count)
            #expect(decoded == lock, "iteration \(iteration)")
            #expect(decoded.encoded == bytes, "iteration \(iteration)")
            #expect(bytes.first == lock.tag, "iteration \(iteration)")
        }
    }

    @Test func randomUnlocksRoundTrip() throws {
        var generator = SeededGenerator(seed: 12)
        for iteration in 0..<2_000 {
            let unlock = CovenantRandomValues.unlock(tag: UInt8(iteration % 4), using: &generator)
            let bytes = unlock.encoded
            let decoded = try Unlock.decode(from: bytes, limit: bytes.count)
            #expect(decoded == unlock, "iteration \(iteration)")
            #expect(decoded.encoded == bytes, "iteration \(iteration)")
        }
    }

    @Test func transactionsWithCovenantsRoundTrip() throws {
        var generator = SeededGenerator(seed: 13)
        for iteration in 0..<300 {
            var transaction = RandomValues.transaction(using: &generator)
            for index in transaction.inputs.indices {
                transaction.inputs[index].unlock = CovenantRandomValues.unlock(tag: .random(in: 0...3, using: &generator), using: &generator)
            }
            for index in transaction.outputs.indices {
                transaction.outputs[index].lock = CovenantRandomValues.lock(tag: .random(in: 0...15, using: &generator), using: &generator)
            }
            let bytes = transaction.encoded
            let decoded = try Transaction.decode(from: bytes, limit: Transaction.maxSize)
            #expect(decoded == transaction, "iteration \(iteration)")
        }
    }

    @Test func everyTruncationOfAKnownBodyFails() {
        for layout in Layout.lockCases {
            for length in 0..<layout.bytes.count {
                let error = decodingError(Lock.self, Array(layout.bytes[..<length]))
                #expect(error?.reason == .truncated, "\(layout.name), length \(length)")
            }
        }
        for layout in Layout.unlockCases {
            for length in 0..<layout.bytes.count {
                let error = decodingError(Unlock.self, Array(layout.bytes[..<length]))
                #expect(error?.reason == .truncated, "\(layout.name), length \(length)")
            }
        }
    }

    @Test func everyTruncationOfARandomBodyFails() {
        var generator = SeededGenerator(seed: 14)
        for iteration in 0..<160 {
            let bytes = CovenantRandomValues.lock(tag: UInt8(iteration % 16), using: &generator).encoded
            for length in 0..<bytes.count {
                let error = decodingError(Lock.self, Array(bytes[..<length]))
                #expect(error?.reason == .truncated, "lock \(iteration), length \(length)")
            }
        }
        for iteration in 0..<80 {
            let bytes = CovenantRandomValues.unlock(tag: UInt8(iteration % 4), using: &generator).encoded
            for length in 0..<bytes.count {
                let error = decodingError(Unlock.self, Array(bytes[..<length]))
                #expect(error?.reason == .truncated, "unlock \(iteration), length \(length)")
            }
        }
    }

    @Test func anyAppendedByteIsTrailing() {
        for layout in Layout.lockCases {
            #expect(decodingError(Lock.self, layout.bytes + [0x00])?.reason == .trailingBytes(count: 1), "\(layout.name)")
        }
        for layout in Layout.unlockCases {
            #expect(decodingError(Unlock.self, layout.bytes + [0x00])?.reason == .trailingBytes(count: 1), "\(layout.name)")
        }
    }

    static let lockCases: [(name: String, bytes: [UInt8], path: String, reason: DecodingError.Reason)] = [
        ("lock tag 16", [16] + bytes(0, count: 200), "lock.tag", .unknownTag(16)),
        ("lock tag 255", [255] + bytes(0, count: 200), "lock.tag", .unknownTag(255)),
        (
            "forced flag of 2",
            lockBytes(2, replacing: 181..<182, with: [0x02]),
            "lock.channelDispute.forced", .unknownTag(2)
        ),
        (
            "forced flag of 0xff",
            lockBytes(2, replacing: 181..<182, with: [0xff]),
            "lock.channelDispute.forced", .unknownTag(0xff)
        ),
        ("bond state of 3", lockBytes(10, replacing: 37..<38, with: [0x03]), "lock.plasmaBond.state", .unknownTag(3)),
        (
            "non-minimal exit bond",
            lockBytes(6, replacing: 229..<238, with: [0x80, 0x00]),
            "lock.plasmaExit.exitBond", .nonMinimalVarint
        ),
        (
            "exit bond of 2^128",
            lockBytes(6, replacing: 229..<238, with: bytes(0x80, count: 18) + [0x04]),
            "lock.plasmaExit.exitBond", .varintTooLarge(maxBits: 128)
        ),
        (
            "non-minimal solver deposit",
            lockBytes(7, replacing: 32 + 137..<32 + 139, with: [0xac, 0x82, 0x00]),
            "lock.truebitTask.solverDeposit", .nonMinimalVarint
        ),
        (
            "non-minimal challenger deposit inside a solution's task",
            lockBytes(8, replacing: 33 + 32 + 138..<33 + 32 + 147, with: [0x81, 0x00]),
            "lock.truebitSolution.task.challengerDeposit", .nonMinimalVarint
        ),
        (
            "non-minimal exit index of a challenge",
            lockBytes(13, replacing: 33..<35, with: [0xac, 0x82, 0x00]),
            "lock.plasmaChallenge.exit.index", .nonMinimalVarint
        ),
        (
            "closed exit index over 32 bits",
            lockBytes(14, replacing: 33..<35, with: [0x80, 0x80, 0x80, 0x80, 0x10]),
            "lock.plasmaExitClosed.exit.index", .varintTooLarge(maxBits: 32)
        ),
    ]

    @Test func hostileLocksFailAtTheirField() {
        for (name, bytes, path, reason) in Self.lockCases {
            let error = decodingError(Lock.self, bytes)
            #expect(error?.fieldPath == path, "\(name)")
            #expect(error?.reason == reason, "\(name)")
        }
    }

    static let unlockCases: [(name: String, bytes: [UInt8], path: String, reason: DecodingError.Reason)] = [
        ("unlock tag 4", [4, 0, 0, 0, 0, 0, 0], "unlock.tag", .unknownTag(4)),
        ("unlock tag 255", [255] + bytes(0, count: 40), "unlock.tag", .unknownTag(255)),
        ("channel mode 6", [1, 6, 0x00, 0, 0, 0, 0], "unlock.channel.mode", .unknownTag(6)),
        ("plasma mode 13", [2, 13, 0x00] + bytes(0, count: 32), "unlock.plasma.mode", .unknownTag(13)),
        ("truebit mode 12", [3, 12, 0x00], "unlock.truebit.mode", .unknownTag(12)),
        ("truebit mode 255", [3, 255, 0x00], "unlock.truebit.mode", .unknownTag(255)),
        (
            "firstOutput of 2^32",
            [1, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0, 0],
            "unlock.channel.firstOutput", .varintTooLarge(maxBits: 32)
        ),
        ("firstOutput of 2^32 in plasma", [2, 1, 0x80, 0x80, 0x80, 0x80, 0x10], "unlock.plasma.firstOutput", .varintTooLarge(maxBits: 32)),
        ("firstOutput of 2^64", [3, 0] + bytes(0x80, count: 9) + [0x02], "unlock.truebit.firstOutput", .varintTooLarge(maxBits: 32)),
        ("non-minimal firstOutput", [3, 0, 0x80, 0x00], "unlock.truebit.firstOutput", .nonMinimalVarint),
        ("non-minimal firstOutput in channel", [1, 0, 0xff, 0x00, 0, 0, 0, 0], "unlock.channel.firstOutput", .nonMinimalVarint),
        ("bounty mode without its recipient", [2, 8, 0x00] + bytes(0x5a, count: 31), "unlock.plasma.recipient", .truncated),
        ("channel without maxSteps", [1, 4, 0x00, 0, 0, 0], "unlock.channel.maxSteps", .truncated),
    ]

    @Test func hostileUnlocksFailAtTheirField() {
        for (name, bytes, path, reason) in Self.unlockCases {
            let error = decodingError(Unlock.self, bytes)
            #expect(error?.fieldPath == path, "\(name)")
            #expect(error?.reason == reason, "\(name)")
        }
    }

    @Test func onlyBountyModesCarryARecipient() {
        for mode in CovenantUnlock.PlasmaMode.allCases where !mode.paysBounty {
            let error = decodingError(Unlock.self, [2, mode.rawValue, 0x00] + bytes(0x5a, count: 32))
            #expect(error?.reason == .trailingBytes(count: 32), "\(mode)")
        }
        for mode in CovenantUnlock.TruebitMode.allCases {
            let error = decodingError(Unlock.self, [3, mode.rawValue, 0x00] + bytes(0x5a, count: 32))
            #expect(error?.reason == .trailingBytes(count: 32), "\(mode)")
        }
    }

    @Test func everyListedModeDecodesAndNoOtherDoes() {
        for mode in UInt8.min...UInt8.max {
            let channel = decodingError(Unlock.self, [1, mode, 0x00, 0, 0, 0, 0])
            #expect((channel == nil) == (CovenantUnlock.ChannelMode(rawValue: mode) != nil), "channel mode \(mode)")
            let plasmaBytes: [UInt8] = CovenantUnlock.PlasmaMode(rawValue: mode)?.paysBounty == true
                ? [2, mode, 0x00] + bytes(0x5a, count: 32) : [2, mode, 0x00]
            let plasma = decodingError(Unlock.self, plasmaBytes)
            #expect((plasma == nil) == (CovenantUnlock.PlasmaMode(rawValue: mode) != nil), "plasma mode \(mode)")
            let truebit = decodingError(Unlock.self, [3, mode, 0x00])
            #expect((truebit == nil) == (CovenantUnlock.TruebitMode(rawValue: mode) != nil), "truebit mode \(mode)")
        }
    }

    @Test func everyTagByteOutsideTheListFails() {
        for tag in UInt8(16)...UInt8.max {
            #expect(decodingError(Lock.self, [tag] + bytes(0, count: 400))?.reason == .unknownTag(tag))
        }
        for tag in UInt8(4)...UInt8.max {
            #expect(decodingError(Unlock.self, [tag] + bytes(0, count: 40))?.reason == .unknownTag(tag))
        }
    }
}
