import EmberCore
import EmberCrypto
import EmberLayer2

extension SPVTaskInput {
    /// The input for the active chain's headers at `heights`, asked of a node block by block.
    ///
    /// The node is not trusted for the headers' validity (that is the program's task), but its answers
    /// must form one chain: a block missing, or one that is not the child of the block fetched before it
    /// (the node reorganised during the fetch), stops the fetch, since the program would only reject it.
    public static func fetch(
        heights: ClosedRange<UInt64>, from client: NodeAPIClient, maximumTarget: CompactTarget
    ) async throws(SPVFetchError) -> SPVTaskInput {
        // The span, not `heights.count`, which traps for a range wider than Int.max.
        let span = heights.upperBound - heights.lowerBound
        guard span < UInt64(maxHeaders) else {
            throw .input(.tooManyHeaders(limit: maxHeaders, found: span >= UInt64(Int.max) ? Int.max : Int(span) + 1))
        }
        var headers = [BlockHeader]()
        headers.reserveCapacity(Int(span) + 1)
        var previousHash: Hash32? = nil
        for height in heights {
            let observed: ObservedBlock?
            do {
                observed = try await client.block(atHeight: height)
            } catch {
                throw .node(error)
            }
            guard let observed else { throw .missingBlock(height: height) }
            if let previousHash, observed.parent != previousHash {
                throw .chainChanged(height: height, expectedParent: previousHash, found: observed.parent)
            }
            headers.append(observed.block.header)
            previousHash = observed.hash
        }
        do {
            return try SPVTaskInput(headers: headers, maximumTarget: maximumTarget)
        } catch {
            throw .input(error)
        }
    }

    /// The input for the last `count` headers of the node's active chain, its tip included.
    public static func fetchLatest(
        count: Int, from client: NodeAPIClient, maximumTarget: CompactTarget
    ) async throws(SPVFetchError) -> SPVTaskInput {
        guard count > 0 else { throw .input(.noHeaders) }
        guard count <= maxHeaders else { throw .input(.tooManyHeaders(limit: maxHeaders, found: count)) }
        let tip: ChainTip
        do {
            tip = try await client.tip()
        } catch {
            throw .node(error)
        }
        // Heights tip − (count − 1) … tip; written so that no node's tip height can overflow it.
        guard UInt64(count - 1) <= tip.height else { throw .chainTooShort(tipHeight: tip.height, requested: count) }
        return try await fetch(heights: tip.height - UInt64(count - 1)...tip.height, from: client, maximumTarget: maximumTarget)
    }
}
