/// The Prometheus text exposition format of the node's metrics.
enum PrometheusText {
    static let contentType = "text/plain; version=0.0.4"

    static func render(_ metrics: NodeMetrics, apiRequests: Int) -> String {
        let gauges: [(String, String, Double)] = [
            ("ember_chain_height", "Height of the active chain's tip.", Double(metrics.height)),
            ("ember_chain_difficulty", "Difficulty of the tip's target.", metrics.difficulty),
            ("ember_network_hashrate_estimate", "Hash rate the tip's target implies, in hashes per second.", metrics.estimatedHashRate),
            ("ember_supply_minted_units", "Coin minted by the active chain, in units.", metrics.mintedUnits),
            ("ember_supply_burnt_units", "Coin burnt by the active chain (PoLW and fees), in units.", metrics.burntUnits),
            ("ember_mempool_transactions", "Transactions in the mempool.", Double(metrics.mempoolTransactions)),
            ("ember_mempool_bytes", "Bytes of transactions in the mempool.", Double(metrics.mempoolBytes)),
            ("ember_miner_hashrate", "This node's measured mining hash rate, in hashes per second.", metrics.minerHashRate),
            ("ember_orphan_blocks", "Blocks waiting for their parent.", Double(metrics.orphanBlocks)),
        ]
        var text = ""
        for (name, help, value) in gauges {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(format(value))\n"
        }
        text += "# HELP ember_blocks_mined_total Blocks this node has mined.\n# TYPE ember_blocks_mined_total counter\n"
        text += "ember_blocks_mined_total \(metrics.blocksMined)\n"
        text += "# HELP ember_api_requests_total Requests under /v1 the API has served.\n# TYPE ember_api_requests_total counter\n"
        text += "ember_api_requests_total \(apiRequests)\n"
        return text
    }

    private static func format(_ value: Double) -> String {
        value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)) : "NaN"
    }
}
