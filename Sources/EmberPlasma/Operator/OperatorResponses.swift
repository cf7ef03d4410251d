import EmberCore
import EmberCrypto

/// The JSON bodies the operator's HTTP API answers with (docs/plasma-operator.md, "HTTP API"). Hashes,
/// keys, transactions and proofs are lowercase hex; block numbers are JSON numbers.
enum OperatorResponses {
    /// `POST /v1/plasma/transactions`: a result per transaction, in the order sent.
    struct Submitted: Codable, Sendable {
        /// How many are stored (before this answer was sent; resends included) and how many refused.
        let accepted: Int
        let refused: Int
        /// For each transaction sent: "accepted", "alreadyAccepted" (the same bytes were stored earlier and
        /// wait for the next block), or the refusal's code (`AdmissionRejection.code`).
        let results: [String]
        /// The refused transactions, with why.
        let refusals: [Refusal]

        struct Refusal: Codable, Sendable {
            let index: Int
            let coinId: String
            let reason: String
            let message: String
            /// For `wrongParent`: the block of the coin's latest entry, the parent a move must name.
            let expectedParent: UInt64?
        }

        init(moves: [ChildTransaction], verdicts: [AdmissionVerdict]) {
            var results = [String]()
            results.reserveCapacity(verdicts.count)
            var refusals = [Refusal]()
            for (index, verdict) in verdicts.enumerated() {
                switch verdict {
                case .accepted:
                    results.append("accepted")
                case .alreadyAccepted:
                    results.append("alreadyAccepted")
                case .refused(let rejection):
                    results.append(rejection.code)
                    var expectedParent: UInt64?
                    if case .wrongParent(let expected, _) = rejection { expectedParent = expected }
                    refusals.append(Refusal(
                        index: index, coinId: moves[index].coinId.hex, reason: rejection.code, message: rejection.description,
                        expectedParent: expectedParent))
                }
            }
            accepted = verdicts.count - refusals.count
            refused = refusals.count
            self.results = results
            self.refusals = refusals
        }
    }

    /// `GET /v1/plasma/status`.
    struct Status: Codable, Sendable {
        let chainId: String
        let network: String
        /// 0 before the first block.
        let latestBlock: UInt64
        let latestRoot: String?
        let pending: Int
        let frozen: Bool

        init(_ status: OperatorStatus) {
            chainId = status.chainId.hex
            network = "\(status.network)"
            latestBlock = status.latestBlock?.number ?? 0
            latestRoot = status.latestBlock?.root.hex
            pending = status.pendingCount
            frozen = status.isFrozen
        }
    }

    /// `GET /v1/plasma/blocks/{n}`: the block and one page of its transactions, in coin-id order.
    struct Block: Codable, Sendable {
        let number: UInt64
        let root: String
        /// Milliseconds since 1970.
        let sealedAtMs: Int64
        let transactionCount: Int
        let commitTxid: String?
        let commitHeight: UInt64?
        /// The 136-byte encodings, hex.
        let transactions: [String]
        /// The `after` value of the next page; nil on the last page.
        let nextAfter: String?
        let maxTransactionsPerPage: Int
    }

    /// One block's evidence for a coin.
    struct Evidence: Codable, Sendable {
        let block: UInt64
        let root: String
        /// Whether the block moved the coin: `proof` is then of inclusion of `transaction`'s leaf, else
        /// of non-inclusion (the empty leaf).
        let included: Bool
        /// The compressed proof: bitmap and listed siblings.
        let proof: String
        let transaction: String?

        init(block: SealedBlock, proof: CoinProof) {
            self.block = block.number
            root = block.root.hex
            included = proof.move != nil
            self.proof = proof.proof.encoded.hexString
            transaction = proof.move?.encoded.hexString
        }
    }

    /// `GET /v1/plasma/blocks/{n}/proofs/{coinId}`.
    struct Proof: Codable, Sendable {
        let coinId: String
        let evidence: Evidence
    }

    /// `GET /v1/plasma/coins/{coinId}/history?from=N`: one page of blocks.
    struct History: Codable, Sendable {
        let coinId: String
        let from: UInt64
        let latestBlock: UInt64
        let maxBlocksPerRequest: Int
        /// The `from` of the next page; nil when this page reaches the latest block.
        let next: UInt64?
        let entries: [Evidence]
    }

    struct Failure: Codable, Sendable {
        let error: String
    }
}
