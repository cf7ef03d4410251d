// Fuzzes the Plasma client's decoding of its operator's answers (`OperatorClient`, docs/plasma-operator.md,
// "HTTP API"): the JSON of the status, of a coin's proof in a block and of a page of its history, and the
// verdicts on submitted moves, with the hex proofs and transactions inside. A transport answers the
// client's one request with the input's status and body.
// Input: `request u8 ‖ number u64 ‖ status u16 ‖ body`, big-endian: the request (status, proof, history
// or submit, by the byte mod 4), the block asked for, the history's first block or the number of moves
// submitted (mod 8), the HTTP status and the body. Shorter inputs are skipped.
// Properties: the client answers or throws `refused` (a status outside 2xx) or `badAnswer`, never
// `unreachable` (the transport always answers); a proof or history entry is of the coin asked for and of
// the block due (history pages hold at most `maxEntriesPerPage` entries, block after block from the one
// asked for, and name the block after them as the next page); a missing block (404) is nil; as many
// verdicts as moves sent.

import EmberCore
import EmberCrypto
import EmberLayer2
import EmberPlasma
import Foundation
import FuzzSamples
import FuzzSupport

/// The coin every request asks about (the seeds' evidence is of it) and the size of the input's header.
/// Static constants: top-level ones would be set by the script's code, which never goes past
/// `Fuzz.main`, and the compiler would warn that `check`, which reads them, never runs.
enum Harness {
    static let coin = Blake3.hash(Array("operator-answer coin".utf8))
    static let headerSize = 11
    /// What a submit request sends (signed once: signing on every input would be most of the run).
    static let moves = Samples.childTransactions
}

enum Request: UInt8 {
    case status, proof, history, submit
}

/// What the client made of an answer.
enum Answer: Sendable {
    case status(OperatorClient.Status)
    case proof(CoinProof?)
    case history(entries: [(UInt64, CoinProof)], next: UInt64?)
    case submitted([String])
}

/// Answers every request with the same status and body.
struct FixedAnswer: NodeAPITransport {
    let status: Int
    let body: Data

    func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
        NodeAPIResponse(status: status, body: body)
    }
}

Fuzz.main(seeds: seeds, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= Harness.headerSize else { return false }
    let request = Request(rawValue: bytes[0] % 4)!
    let number = bytes[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    let status = Int(bytes[9]) << 8 | Int(bytes[10])
    let client = OperatorClient(transport: FixedAnswer(status: status, body: Data(bytes[Harness.headerSize...])), description: "fuzz")
    let moves = Array(Harness.moves.prefix(Int(number % 8)))
    let outcome = Fuzz.wait { () async -> Result<Answer, OperatorClientError> in
        do throws(OperatorClientError) {
            switch request {
            case .status: return .success(.status(try await client.status()))
            case .proof: return .success(.proof(try await client.proof(of: Harness.coin, inBlock: number)))
            case .history:
                let page = try await client.history(of: Harness.coin, from: number)
                return .success(.history(entries: page.entries, next: page.next))
            case .submit: return .success(.submitted(try await client.submit(moves)))
            }
        } catch {
            return .failure(error)
        }
    }

    let successful = (200..<300).contains(status)
    switch outcome {
    case .failure(.unreachable):
        Fuzz.expect(false, "the client says an operator that answered \(status) is unreachable")
    case .failure(.refused(_, let refusedStatus, let message)):
        Fuzz.expect(!successful && refusedStatus == status, "status \(status) reported as a refusal with \(refusedStatus)")
        let scalars = message?.unicodeScalars.count ?? 0
        Fuzz.expect(scalars <= 300, "a refusal's message of \(scalars) Unicode scalars")
    case .failure(.badAnswer):
        Fuzz.expect(successful || (request == .proof && status == 404), "status \(status) reported as a bad answer, not a refusal")
    case .success(let answer):
        Fuzz.expect(successful || (request == .proof && status == 404), "an answer accepted with status \(status)")
        checkAccepted(answer, request: request, number: number, status: status, movesSent: moves.count)
    }
    if case .success = outcome { return true }
    return false
}

func checkAccepted(_ answer: Answer, request: Request, number: UInt64, status: Int, movesSent: Int) {
    switch answer {
    case .status:
        Fuzz.expect(request == .status, "a status answer to a \(request) request")
    case .proof(let proof):
        Fuzz.expect((proof == nil) == (status == 404), "status \(status) gave \(proof == nil ? "no" : "a") proof")
        if let proof { checkEvidence(proof) }
    case .history(let entries, let next):
        Fuzz.expect(entries.count <= OperatorClient.maxEntriesPerPage, "a history page of \(entries.count) entries")
        for (offset, (block, proof)) in entries.enumerated() {
            Fuzz.expect(UInt64(offset) <= UInt64.max - number && block == number + UInt64(offset), "entry \(offset) is for block \(block), from \(number)")
            checkEvidence(proof)
        }
        if let next {
            Fuzz.expect(UInt64(entries.count) <= UInt64.max - number && next == number + UInt64(entries.count), "next page at \(next)")
        }
    case .submitted(let results):
        Fuzz.expect(results.count == movesSent, "\(results.count) verdicts for \(movesSent) moves")
        Fuzz.expect(results.allSatisfy { $0.utf8.count <= 64 }, "a verdict over 64 bytes")
    }
}

/// A proof accepted from the operator is of a move of the coin asked for, or of its empty leaf, and
/// within the proof's size limit.
func checkEvidence(_ evidence: CoinProof) {
    if let move = evidence.move { Fuzz.expect(move.coinId == Harness.coin, "a move of another coin accepted") }
    Fuzz.expect(evidence.proof.encoded.count <= SparseMerkleTree.Proof.maxByteCount, "a proof over its size limit")
}

// MARK: - Seeds

/// The answers of an operator whose child blocks 1 to 3 hold the coin's deposit move, nothing of it, and
/// its next move (as `OperatorRoutes` writes them): each request answered, refused with an error body,
/// missing (404), and answered with evidence of another coin or block; a page at the highest blocks.
func seeds() -> [[UInt8]] {
    let signer = SigningKey.devnet(index: 0)
    let first = try! ChildTransaction(coinId: Harness.coin, parentBlock: 0, newOwnerKey: Samples.publicKey(1), signedBy: signer, network: .devnet)
    let second = try! ChildTransaction(coinId: Harness.coin, parentBlock: 1, newOwnerKey: Samples.publicKey(2), signedBy: signer, network: .devnet)
    let others = Harness.moves
    let blocks: [(number: UInt64, moves: [ChildTransaction])] = [(1, [first] + others.prefix(3)), (2, Array(others.suffix(4))), (3, [second])]
    let evidence = blocks.map { block -> String in
        let tree = SparseMerkleTree(leaves: Dictionary(uniqueKeysWithValues: block.moves.map { ($0.coinId, $0.leaf) }))
        let move = block.moves.first { $0.coinId == Harness.coin }
        let transaction = move.map { "\"\($0.encoded.hexString)\"" } ?? "null"
        return """
            {"block":\(block.number),"root":"\(tree.root.hex)","included":\(move != nil),"proof":"\(tree.proof(for: Harness.coin).encoded.hexString)","transaction":\(transaction)}
            """
    }
    func input(_ request: Request, _ number: UInt64, status: Int = 200, _ body: String) -> [UInt8] {
        [request.rawValue] + (0..<8).map { UInt8(truncatingIfNeeded: number >> (56 - 8 * $0)) } + [UInt8(status >> 8), UInt8(status & 0xff)] + Array(body.utf8)
    }
    let chainId = Samples.hash(0x42).hex
    let otherCoin = evidence[0].replacingOccurrences(of: first.encoded.hexString, with: others[0].encoded.hexString)
    return [
        input(.status, 0, #"{"chainId":"\#(chainId)","network":"devnet","latestBlock":3,"latestRoot":null,"pending":0,"frozen":false}"#),
        input(.status, 0, status: 503, #"{"error":"the operator is starting"}"#),
        input(.proof, 1, #"{"coinId":"\#(Harness.coin.hex)","evidence":\#(evidence[0])}"#),
        input(.proof, 2, #"{"coinId":"\#(Harness.coin.hex)","evidence":\#(evidence[1])}"#),
        input(.proof, 3, #"{"coinId":"\#(Harness.coin.hex)","evidence":\#(evidence[2])}"#),
        input(.proof, 1, #"{"coinId":"\#(Harness.coin.hex)","evidence":\#(otherCoin)}"#),
        input(.proof, 9, status: 404, #"{"error":"there is no block 9"}"#),
        input(.history, 1, """
            {"coinId":"\(Harness.coin.hex)","from":1,"latestBlock":3,"maxBlocksPerRequest":1000,"next":null,"entries":[\(evidence.joined(separator: ","))]}
            """),
        input(.history, 1, """
            {"coinId":"\(Harness.coin.hex)","from":1,"latestBlock":3,"maxBlocksPerRequest":2,"next":3,"entries":[\(evidence.prefix(2).joined(separator: ","))]}
            """),
        input(.history, 4, #"{"coinId":"\#(Harness.coin.hex)","from":4,"latestBlock":3,"maxBlocksPerRequest":1000,"next":null,"entries":[]}"#),
        // The highest block numbers: the page ends at UInt64.max, which no block follows.
        input(.history, .max - 1, """
            {"coinId":"\(Harness.coin.hex)","entries":[\(evidence[1].replacingOccurrences(of: #""block":2"#, with: #""block":\#(UInt64.max - 1)"#)),\
            \(evidence[1].replacingOccurrences(of: #""block":2"#, with: #""block":\#(UInt64.max)"#))]}
            """),
        input(.history, 1, status: 404, #"{"error":"the operator knows no deposit of coin \#(Harness.coin.hex)"}"#),
        input(.submit, 1, #"{"accepted":1,"refused":0,"results":["accepted"],"refusals":[]}"#),
        input(.submit, 3, """
            {"accepted":1,"refused":2,"results":["alreadyAccepted","wrongParent","badSignature"],"refusals":[\
            {"index":1,"coinId":"\(others[1].coinId.hex)","reason":"wrongParent","message":"m","expectedParent":4},\
            {"index":2,"coinId":"\(others[2].coinId.hex)","reason":"badSignature","message":"m","expectedParent":null}]}
            """),
        input(.submit, 2, status: 400, #"{"error":"the body is empty"}"#),
    ]
}
