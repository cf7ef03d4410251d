import EmberConsensus
import EmberCore
import EmberCrypto

/// A transaction as JSON for people (`ember tx decode`): every field named, in encoding order; locks
/// decoded field by field by their tag, unlocks with their mode's name. Amounts are decimal strings of
/// units, hashes, keys and bytes lowercase hex, integers exact.
public enum TransactionDescription {
    /// The description of `transaction`; `params` prices its weight (the declared VM steps).
    public static func describe(_ transaction: Transaction, params: ConsensusParams) -> JSONValue {
        let digests = transaction.digests
        var members: [(String, JSONValue)] = [
            ("version", .number(transaction.version)),
            ("txid", .string(digests.txid.hex)),
            ("fullHash", .string(digests.fullHash.hex)),
            ("size", .number(digests.size)),
            ("weight", .number(params.weight(of: transaction, size: digests.size))),
            ("inputs", .array(transaction.inputs.map(describe))),
        ]
        if transaction.version != Transaction.version1 { members.append(("reads", .array(transaction.reads.map(describe)))) }
        members.append(("outputs", .array(transaction.outputs.map(describe))))
        if transaction.version != Transaction.version1 {
            members.append(("blobs", .array(transaction.blobs.map { blob in
                .object([("hash", .string(Blake3.hash(blob).hex)), ("size", .number(blob.count)), ("hex", .string(blob.hexString))])
            })))
        }
        members.append(("witnesses", .array(transaction.witnesses.map { .array($0.items.map { .string($0.hexString) }) })))
        return .object(members)
    }

    static func describe(_ outpoint: OutPoint) -> JSONValue {
        .object([("txid", .string(outpoint.txid.hex)), ("index", .number(outpoint.index))])
    }

    static func describe(_ input: Input) -> JSONValue {
        .object([("outpoint", describe(input.outpoint)), ("unlock", describe(input.unlock))])
    }

    static func describe(_ output: Output) -> JSONValue {
        .object([
            ("amount", .string(output.amount.description)), ("lock", describe(output.lock)), ("lockTime", .number(output.lockTime)),
            ("data", .string(output.data.hexString)),
        ])
    }

    /// An unlock: its tag and kind, and for a covenant unlock the mode by number and name, firstOutput,
    /// maxSteps and recipient (null where absent).
    public static func describe(_ unlock: Unlock) -> JSONValue {
        let kind: String
        let modeName: String
        let body: CovenantUnlock
        switch unlock {
        case .publicKey(let key):
            return .object([("tag", .number(unlock.tag)), ("kind", .string("publicKey")), ("publicKey", .string(key.description))])
        case .channel(let covenant):
            (kind, body) = ("channel", covenant)
            modeName = CovenantUnlock.ChannelMode(rawValue: covenant.mode).map { "\($0)" } ?? "unknown"
        case .plasma(let covenant):
            (kind, body) = ("plasma", covenant)
            modeName = CovenantUnlock.PlasmaMode(rawValue: covenant.mode).map { "\($0)" } ?? "unknown"
        case .truebit(let covenant):
            (kind, body) = ("truebit", covenant)
            modeName = CovenantUnlock.TruebitMode(rawValue: covenant.mode).map { "\($0)" } ?? "unknown"
        }
        return .object([
            ("tag", .number(unlock.tag)), ("kind", .string(kind)), ("mode", .number(body.mode)), ("modeName", .string(modeName)),
            ("firstOutput", .number(body.firstOutput)), ("maxSteps", .number(body.maxSteps)),
            ("recipient", body.recipient.map { .string($0.hex) } ?? .null),
        ])
    }

    /// A lock: its tag, kind, canonical encoding and every body field by name.
    public static func describe(_ lock: Lock) -> JSONValue {
        let head: [(String, JSONValue)] = [("tag", .number(lock.tag)), ("kind", .string(kindName(lock))), ("hex", .string(lock.encoded.hexString))]
        return .object(head + fields(lock))
    }

    /// The Swift case name of each lock tag.
    public static func kindName(_ lock: Lock) -> String {
        switch lock {
        case .pubKeyHash: "pubKeyHash"
        case .channel: "channel"
        case .channelDispute: "channelDispute"
        case .plasmaOperator: "plasmaOperator"
        case .plasmaBlock: "plasmaBlock"
        case .plasmaCoin: "plasmaCoin"
        case .plasmaExit: "plasmaExit"
        case .truebitTask: "truebitTask"
        case .truebitSolution: "truebitSolution"
        case .truebitGame: "truebitGame"
        case .plasmaBond: "plasmaBond"
        case .truebitResult: "truebitResult"
        case .truebitRefuted: "truebitRefuted"
        case .plasmaChallenge: "plasmaChallenge"
        case .plasmaExitClosed: "plasmaExitClosed"
        case .truebitCommit: "truebitCommit"
        }
    }

    private static func fields(_ lock: Lock) -> [(String, JSONValue)] {
        switch lock {
        case .pubKeyHash(let hash): return [("pubKeyHash", hex(hash))]
        case .channel(let params): return channel(params)
        case .channelDispute(let body):
            return [("channelId", hex(body.channelId)), ("params", .object(channel(body.params))), ("version", .number(body.version)),
                    ("stateHash", hex(body.stateHash)), ("deadline", .number(body.deadline)), ("forced", .bool(body.forced))]
        case .plasmaOperator(let body):
            return [("chainId", hex(body.chainId)), ("operatorKey", key(body.operatorKey)), ("nextNumber", .number(body.nextNumber))]
        case .plasmaBlock(let body):
            return [("chainId", hex(body.chainId)), ("number", .number(body.number)), ("root", hex(body.root))]
        case .plasmaCoin(let body):
            return [("chainId", hex(body.chainId)), ("coinId", hex(body.coinId)), ("depositorKey", key(body.depositorKey)),
                    ("exitWindow", .number(body.exitWindow)), ("firstBlock", .number(body.firstBlock))]
        case .plasmaExit(let body):
            return [("chainId", hex(body.chainId)), ("coinId", hex(body.coinId)), ("depositorKey", key(body.depositorKey)),
                    ("exitWindow", .number(body.exitWindow)), ("firstBlock", .number(body.firstBlock)), ("ownerKey", key(body.ownerKey)), ("exitTxHash", hex(body.exitTxHash)),
                    ("exitBlock", .number(body.exitBlock)), ("parentBlock", .number(body.parentBlock)),
                    ("parentOwnerKey", key(body.parentOwnerKey)), ("deadline", .number(body.deadline)),
                    ("exitBond", .string(body.exitBond.description))]
        case .truebitTask(let body): return task(body)
        case .truebitSolution(let body):
            return [("solutionId", hex(body.solutionId)), ("task", .object(task(body.task))), ("solverKey", key(body.solverKey)),
                    ("finalState", hex(body.finalState)), ("steps", .number(body.steps)), ("outputHash", hex(body.outputHash)),
                    ("deadline", .number(body.deadline))]
        case .truebitGame(let body):
            return [("solutionId", hex(body.solutionId)), ("solverKey", key(body.solverKey)), ("challengerKey", key(body.challengerKey)),
                    ("lo", .number(body.lo)), ("loHash", hex(body.loHash)), ("hi", .number(body.hi)), ("hiHash", hex(body.hiHash)),
                    ("pointsHash", hex(body.pointsHash)), ("solverClock", .number(body.solverClock)),
                    ("challengerClock", .number(body.challengerClock))]
        case .plasmaBond(let body):
            return [("chainId", hex(body.chainId)), ("exitWindow", .number(body.exitWindow)), ("state", .string("\(body.state)"))]
        case .truebitResult(let body):
            return [("taskId", hex(body.taskId)), ("solutionId", hex(body.solutionId)), ("outputHash", hex(body.outputHash))]
        case .truebitRefuted(let body):
            return [("solutionId", hex(body.solutionId)), ("challengerKey", key(body.challengerKey))]
        case .plasmaChallenge(let body):
            return [("exit", describe(body.exit)), ("chainId", hex(body.chainId)), ("coinId", hex(body.coinId)),
                    ("childBlock", .number(body.childBlock)), ("childOwnerKey", key(body.childOwnerKey)),
                    ("limitBlock", .number(body.limitBlock)), ("challengerKey", key(body.challengerKey)), ("ownerKey", key(body.ownerKey)),
                    ("respondBy", .number(body.respondBy))]
        case .plasmaExitClosed(let body): return [("exit", describe(body.exit)), ("sweepFrom", .number(body.sweepFrom))]
        case .truebitCommit(let body):
            return [("task", .object(task(body.task))), ("solverKey", key(body.solverKey)), ("commitment", hex(body.commitment)),
                    ("revealBy", .number(body.revealBy))]
        }
    }

    private static func channel(_ params: ChannelParams) -> [(String, JSONValue)] {
        [("keyA", key(params.keyA)), ("keyB", key(params.keyB)), ("window", .number(params.window)), ("app", hex(params.app))]
    }

    private static func task(_ task: TruebitTaskLock) -> [(String, JSONValue)] {
        [("taskId", hex(task.taskId)), ("giverKey", key(task.giverKey)), ("programHash", hex(task.programHash)), ("inputHash", hex(task.inputHash)),
         ("initialState", hex(task.initialState)), ("maxSteps", .number(task.maxSteps)),
         ("solverDeposit", .string(task.solverDeposit.description)), ("challengerDeposit", .string(task.challengerDeposit.description)),
         ("solveDeadline", .number(task.solveDeadline)), ("challengeWindow", .number(task.challengeWindow)), ("clock", .number(task.clock))]
    }

    private static func hex(_ hash: Hash32) -> JSONValue { .string(hash.hex) }
    private static func key(_ key: RawPublicKey) -> JSONValue { .string(key.description) }
}
