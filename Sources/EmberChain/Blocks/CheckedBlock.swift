import EmberConsensus
import EmberCore
import EmberCrypto

/// A block carrying the verdict of its tier-3 checks (structure, Merkle root, every signature), run
/// before it reaches the chain actor.
///
/// Tier 3 depends only on the block and the consensus parameters, so an importer can run it for the
/// next block on other threads while the actor connects the current one. The chain still runs tiers
/// 1, 2 and 4 itself, in order, and reports a tier-3 failure exactly as if it had found it.
///
/// Tier 3 is the costly one (every signature), so a caller runs it only once the header has passed
/// tiers 1 and 2 (DESIGN.md section 11); a block whose header could not be checked yet (its parent is
/// unknown) goes to the chain `unchecked`, and the chain runs tier 3 itself, after the header's tiers.
public struct CheckedBlock: Sendable {
    public let block: Block
    /// The header hash, computed once.
    public let hash: Hash32
    /// The parameters tier 3 ran under: a chain with other parameters checks the block again.
    let params: ConsensusParams
    /// Tier 3's verdict; nil when it has not run.
    let sanity: Result<CheckedBody, BlockRejection>?

    /// Runs tier 3 of `block` under `params` on the calling thread; the signature checks run where
    /// `signatures` says.
    public init(_ block: Block, params: ConsensusParams, signatures: SignatureThreads = .allCores) {
        self.block = block
        hash = block.hash
        self.params = params
        do {
            sanity = .success(try params.checkBlockSanity(block, signatures: signatures))
        } catch {
            sanity = .failure(error)
        }
    }

    /// `block` with the verdict it already has (or none), for the orphan pool to keep.
    init(_ block: Block, hash: Hash32, params: ConsensusParams, sanity: Result<CheckedBody, BlockRejection>?) {
        self.block = block
        self.hash = hash
        self.params = params
        self.sanity = sanity
    }

    /// `block` with tier 3 not run: the chain runs it after tiers 1 and 2, when the block gets that far.
    public init(unchecked block: Block, params: ConsensusParams) {
        self.block = block
        hash = block.hash
        self.params = params
        sanity = nil
    }

    /// Whether tier 3 has run (whatever its verdict).
    public var isChecked: Bool { sanity != nil }

    /// The size of the block's encoding: tier 3's count when it ran and passed, else measured now.
    public var encodedSize: Int {
        if case .success(let body)? = sanity { return body.size }
        return block.encoded.count
    }
}
