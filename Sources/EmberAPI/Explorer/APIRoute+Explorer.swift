extension APIRoute {
    /// The bulk reads the explorer page makes instead of one request per block; each is bounded by
    /// `limit` (at most `APIRequest.maxListLimit`) and, for the covenant scan, by the blocks it reads.
    static let explorerRoutes: [APIRoute] = [
        .json(
            .get, "/v1/blocks/height/{height}/summaries",
            "Summaries of up to `limit` consecutive active blocks from a height down, newest first (difficulty, hash rate, PoLW)",
            takesLimit: true
        ) { request in
            let height = try request.parameter(PathParameters.height)
            guard let summaries = try await BlockSummaries.read(from: height, count: try request.limit(), backend: request.backend) else {
                throw APIError.notFound("no active block at height \(height)")
            }
            return BlockSummariesView(summaries: summaries)
        },
        .json(
            .get, "/v1/covenants/{tag}/outputs",
            "Outputs under covenant locks of one tag in the newest \(CovenantOutputScan.maxScannedBlocks) active blocks, newest first",
            takesLimit: true
        ) { request in
            let tag = try request.parameter(PathParameters.tag)
            let limit = try request.limit()
            return try await CovenantOutputScan.scan(tag: tag, limit: limit, tipHeight: try await request.backend.info().height, backend: request.backend)
        },
    ]
}
