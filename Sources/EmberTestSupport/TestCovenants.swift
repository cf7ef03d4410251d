import EmberConsensus
import EmberCore
import EmberCrypto

/// Lock rules for testing the covenant framework of DESIGN.md section 15 on its own, before any
/// layer-2 protocol is active. They reuse real lock bodies with simple, made-up rules:
///
/// - tag 3 (plasmaOperator), an escrow: created only with nextNumber 1 and at least dust; spent by
///   `commit` (pins the next operator, same amount, and a plasmaBlock whose root is H(blob 0)),
///   `exit` (burns half the amount, pins nothing) or `finalize` (pins the amount to H(operatorKey)).
/// - tag 4 (plasmaBlock): a readable commitment; only a commit pins one.
/// - tag 10 (plasmaBond): readable; created unfrozen with at least dust by anyone; spent by `close`.
/// - Every rule reports each of the transaction's reads as used, so a test may read what it likes.
/// - tag 1 (channel): created with a window inside the network's bounds; spent by `settle` (witness
///   item 0 is a chosen deadline D, u64, for the lock's window) or `forceMove` (runs blob 0 with
///   witness item 0 as input under the declared maxSteps).
public enum TestCovenants {
    public static let rules = CovenantRules(
        identity: "framework-test", rules: [EscrowRule(), CommitmentRule(), BondRule(), ProgramRule()])

    /// Devnet fast parameters running these rules.
    public static func params() -> ConsensusParams {
        ChainBuilder.fastParams().withCovenantRules(rules)
    }

    static func broken(_ tag: UInt8, _ rule: String, _ detail: String) -> CovenantRejection {
        .ruleBroken(lockTag: tag, rule: rule, detail: detail)
    }

    struct EscrowRule: CovenantRule {
        var lockTag: UInt8 { Lock.Tag.plasmaOperator }

        func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
            var spend = try spendUsingNoRead(context)
            spend.usedReads = Set(context.transaction.reads.indices)
            return spend
        }

        private func spendUsingNoRead(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
            guard case .plasmaOperator(let escrow) = context.spent.output.lock else { throw broken(lockTag, "lock", "not an escrow") }
            let amount = context.spent.output.amount
            switch CovenantUnlock.PlasmaMode(rawValue: context.unlock.mode) {
            case .commit:
                guard let blob = context.transaction.blobs.first else { throw broken(lockTag, "commit", "no blob 0") }
                var next = escrow
                next.nextNumber += 1
                let block = PlasmaBlockLock(chainId: escrow.chainId, number: escrow.nextNumber, root: Blake3.hash(blob))
                return CovenantSpend(
                    pinned: [PinnedOutput(amount: amount, lock: .plasmaOperator(next)), PinnedOutput(amount: .zero, lock: .plasmaBlock(block))],
                    namedBlobs: [0])
            case .exit:
                return CovenantSpend(burnt: Amount(units: amount.units / 2))
            case .finalize:
                return CovenantSpend(pinned: [PinnedOutput(amount: amount, lock: .pubKeyHash(Blake3.hash(escrow.operatorKey.bytes)))])
            default:
                throw broken(lockTag, "mode", "mode \(context.unlock.mode) is not an escrow mode")
            }
        }

        func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
            guard case .plasmaOperator(let escrow) = context.output.lock, escrow.nextNumber == 1 else {
                throw broken(lockTag, "creation", "an escrow starts at number 1")
            }
            guard context.output.amount >= context.params.dust else { throw broken(lockTag, "creation", "below dust") }
            return CovenantCreation(usedReads: Set(context.transaction.reads.indices))
        }
    }

    struct CommitmentRule: CovenantRule {
        var lockTag: UInt8 { Lock.Tag.plasmaBlock }

        func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
            throw broken(lockTag, "spend", "a commitment is never spent")
        }

        func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
            throw broken(lockTag, "creation", "only a commit pins a block commitment")
        }
    }

    struct BondRule: CovenantRule {
        var lockTag: UInt8 { Lock.Tag.plasmaBond }

        func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
            guard context.unlock.mode == CovenantUnlock.PlasmaMode.close.rawValue else { throw broken(lockTag, "mode", "only close") }
            return CovenantSpend(usedReads: Set(context.transaction.reads.indices))
        }

        func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
            guard case .plasmaBond(let bond) = context.output.lock, !bond.frozen, context.output.amount >= context.params.dust else {
                throw broken(lockTag, "creation", "a bond is created unfrozen with at least dust")
            }
            return CovenantCreation(usedReads: Set(context.transaction.reads.indices))
        }
    }

    struct ProgramRule: CovenantRule {
        var lockTag: UInt8 { Lock.Tag.channel }

        func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
            var spend = try spendUsingNoRead(context)
            spend.usedReads = Set(context.transaction.reads.indices)
            return spend
        }

        private func spendUsingNoRead(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
            guard case .channel(let channel) = context.spent.output.lock else { throw broken(lockTag, "lock", "not a channel") }
            switch CovenantUnlock.ChannelMode(rawValue: context.unlock.mode) {
            case .settle:
                guard let item = context.witness.items.first, item.count == 8 else { throw broken(lockTag, "settle", "no deadline") }
                let deadline = item.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                return CovenantSpend(
                    heights: try context.params.layer2.checkChosenDeadline(deadline, window: UInt64(channel.window), height: context.height))
            case .forceMove:
                guard let program = context.transaction.blobs.first, let input = context.witness.items.first else {
                    throw broken(lockTag, "forceMove", "needs blob 0 and witness item 0")
                }
                try context.params.runCovenantProgram(
                    program, input: input, maxSteps: context.unlock.maxSteps, inputIndex: context.inputIndex)
                return CovenantSpend(namedBlobs: [0])
            default:
                throw broken(lockTag, "mode", "mode \(context.unlock.mode) is not a test channel mode")
            }
        }

        func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
            guard case .channel(let channel) = context.output.lock else { throw broken(lockTag, "creation", "not a channel") }
            try context.params.layer2.checkWindow(UInt64(channel.window))
            return CovenantCreation(usedReads: Set(context.transaction.reads.indices))
        }
    }
}

extension ChainBuilder {
    /// A version-2 transaction: `covenant` inputs first (each with its unlock and witness), then `plain`
    /// inputs signed by their keys, with `reads`, `outputs` and `blobs`.
    public func covenantTransaction(
        covenant: [(OutPoint, Unlock, Witness)], plain: [(OutPoint, SigningKey)] = [], reads: [OutPoint] = [],
        outputs: [Output], blobs: [[UInt8]] = []
    ) -> Transaction {
        let inputs = covenant.map { Input(outpoint: $0.0, unlock: $0.1) }
            + plain.map { Input(outpoint: $0.0, unlock: .publicKey(RawPublicKey($0.1.publicKey.bytes)!)) }
        var transaction = Transaction(version: Transaction.version2, inputs: inputs, reads: reads, outputs: outputs, blobs: blobs, witnesses: [])
        let txid = transaction.txid
        transaction.witnesses = covenant.map(\.2)
            + plain.map { Witness(items: [try! $0.1.sign(txid: txid, network: params.networkID).bytes]) }
        return transaction
    }
}
