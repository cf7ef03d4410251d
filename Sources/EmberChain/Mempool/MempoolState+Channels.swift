import EmberConsensus
import EmberCore
import EmberCrypto

/// The pool's policy for spends of channel outputs (lock tags 1 and 2, DESIGN.md section 16;
/// docs/mempool.md, "Spends of channel outputs"): light, with one child that a better-paying sibling
/// may replace, and replaced among themselves only by a spend that ranks at least as high. Together
/// they bound what an honest party must outbid to answer a dispute (docs/channel-attacks.md, 2 and 4).
extension MempoolState {
    /// Lock tags of channels (§16): outputs whose spends are kept light.
    static let channelTags: Set<UInt8> = [Lock.Tag.channel, Lock.Tag.channelDispute]

    /// The most `transaction` may weigh when it spends a channel output, or nil when it spends none.
    ///
    /// `maxChannelSpendWeight`, plus for each force-move the weight of its run and the bytes of its app
    /// program (both parties agreed the app at opening, and a force-move cannot do without them). A spend
    /// of an unconfirmed channel output gets no allowance, so only a miner chains a force-move to the
    /// dispute it answers (docs/channel-attacks.md, 24).
    func channelSpendWeightLimit(_ transaction: Transaction, view: some UTXOView) -> Int? {
        let lookup = poolView(view)
        var spendsChannel = false, spendsUnconfirmed = false
        var allowance = 0
        var blobHashes: [Hash32]?
        for input in transaction.inputs {
            guard let output = lookup.output(at: input.outpoint), Self.channelTags.contains(output.lock.tag) else { continue }
            spendsChannel = true
            if entries[input.outpoint.txid] != nil { spendsUnconfirmed = true }
            guard let unlock = input.unlock.covenant, unlock.mode == CovenantUnlock.ChannelMode.forceMove.rawValue,
                  unlock.maxSteps > 0
            else { continue }
            let layer2 = params.layer2
            allowance += Int((UInt64(unlock.maxSteps) + layer2.stepsPerWeightUnit - 1) / layer2.stepsPerWeightUnit) + layer2.runWeight
            let app: Hash32 = switch output.lock {
            case .channel(let channel): channel.app
            case .channelDispute(let dispute): dispute.params.app
            default: .zero
            }
            guard app != .zero else { continue }
            let hashes = blobHashes ?? transaction.blobHashes
            blobHashes = hashes
            if let index = hashes.firstIndex(of: app) {
                let blob = transaction.blobs[index]
                allowance += Varint.encodedSize(of: UInt128(blob.count)) + blob.count
            }
        }
        guard spendsChannel else { return nil }
        guard !spendsUnconfirmed else { return policy.maxChannelSpendWeight }
        // Saturating: a policy may lift the limit to `Int.max`.
        let (limit, overflow) = policy.maxChannelSpendWeight.addingReportingOverflow(allowance)
        return overflow ? .max : limit
    }

    /// The one child of each channel, Plasma or Truebit spend `transaction` spends from, which `transaction` evicts by
    /// taking its place (sibling eviction, as Bitcoin's TRUC rules; the caller checks that it pays
    /// for them), with their descendants.
    ///
    /// - Throws: `layer2SpendChildTooHeavy` when `transaction` would be such a spend's child and
    ///   weighs more than `maxChannelSpendWeight`.
    func evictedSiblings(of transaction: Transaction, weight: Int, displaced: Set<Hash32>) throws(MempoolRejection) -> Set<Hash32> {
        let parents = Set((transaction.inputs.map(\.outpoint.txid) + transaction.reads.map(\.txid)).filter {
            entries[$0] != nil && !displaced.contains($0)
        })
        let layer2Spends = parents.filter { entries[$0]?.isLayer2Spend == true }
        guard !layer2Spends.isEmpty else { return [] }
        if weight > policy.maxChannelSpendWeight, let parent = layer2Spends.sorted().first {
            throw .layer2SpendChildTooHeavy(spend: parent, weight: weight, limit: policy.maxChannelSpendWeight)
        }
        // A transaction spending the child itself is a grandchild, which no sibling eviction lets in.
        let ancestors = ancestorSet(of: parents)
        var siblings = Set<Hash32>()
        for parent in layer2Spends {
            for child in entries[parent]?.children ?? [] where !displaced.contains(child) && !ancestors.contains(child) {
                siblings.insert(child)
            }
        }
        return siblings.union(descendantSet(of: siblings))
    }

    /// Refuses `transaction` as a replacement of `other`'s spend of the channel output at `outpoint`
    /// when it ranks lower (`ChannelSpendRank`): a stale state cannot outbid a newer one by fee.
    func checkChannelRank(of transaction: Transaction, replacing other: MempoolEntry, at outpoint: OutPoint) throws(MempoolRejection) {
        guard let mine = transaction.inputs.firstIndex(where: { $0.outpoint == outpoint }),
              let theirs = other.transaction.inputs.firstIndex(where: { $0.outpoint == outpoint })
        else { return }
        let rank = ChannelSpendRank(input: mine, of: transaction)
        let replacedRank = ChannelSpendRank(input: theirs, of: other.transaction)
        guard rank >= replacedRank else {
            throw .staleChannelReplacement(replacing: other.txid, outpoint: outpoint, rank: rank.description, replacedRank: replacedRank.description)
        }
    }
}

/// Where a spend of a channel output stands among the spends of the same output (docs/mempool.md;
/// docs/channel-attacks.md, 4): a close (cooperative, conclude, settle) above everything, then by the
/// version of the dispute it pins, a co-signed state (dispute, override) above a forced move of the
/// same version. A replacement must rank at least as high as what it replaces; equal ranks compete by fee.
struct ChannelSpendRank: Comparable, CustomStringConvertible {
    /// Whether the spend ends the channel.
    let closes: Bool
    /// The version of the dispute it pins (0 for a close).
    let version: UInt64
    /// Whether that dispute holds a co-signed state rather than a forced move.
    let coSigned: Bool

    /// The rank of `transaction`'s spend at input `input`, read from its mode and the dispute output
    /// at its firstOutput (the rule made sure that output is the dispute it pins; a transaction not yet
    /// checked that has none there ranks lowest).
    init(input: Int, of transaction: Transaction) {
        let unlock = transaction.inputs[input].unlock.covenant
        switch unlock.flatMap({ CovenantUnlock.ChannelMode(rawValue: $0.mode) }) {
        case .cooperative, .conclude, .settle:
            (closes, version, coSigned) = (true, 0, false)
        case .dispute, .override, .forceMove, nil:
            let first = unlock?.firstOutput ?? 0
            if first < UInt64(transaction.outputs.count), case .channelDispute(let dispute) = transaction.outputs[Int(first)].lock {
                (closes, version, coSigned) = (false, dispute.version, !dispute.forced)
            } else {
                (closes, version, coSigned) = (false, 0, false)
            }
        }
    }

    static func < (lhs: ChannelSpendRank, rhs: ChannelSpendRank) -> Bool {
        (lhs.closes ? 1 : 0, lhs.version, lhs.coSigned ? 1 : 0) < (rhs.closes ? 1 : 0, rhs.version, rhs.coSigned ? 1 : 0)
    }

    var description: String {
        closes ? "a close" : "version \(version) \(coSigned ? "co-signed" : "forced")"
    }
}
