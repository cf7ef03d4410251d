import Foundation

/// The OpenAPI 3 document of the API, written from `APIRoute.all` so every route is described.
enum OpenAPIDocument {
    static let json: [UInt8] = {
        var paths = [String: [String: Any]]()
        for route in APIRoute.all {
            var operation: [String: Any] = [
                "summary": route.summary,
                "operationId": route.method.rawValue.lowercased() + route.path.replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: ""),
                "responses": responses(for: route),
            ]
            if !route.parameters.isEmpty {
                operation["parameters"] = route.parameters.map { name in
                    ["name": name, "in": "path", "required": true, "schema": pathParameterSchemas[name] ?? ["type": "string"]] as [String: Any]
                }
            }
            if route.path.hasSuffix("/outputs") || route.path.hasSuffix("/history") {
                var parameters = operation["parameters"] as? [[String: Any]] ?? []
                parameters.append(["name": "limit", "in": "query", "required": false,
                                   "schema": ["type": "integer", "minimum": 1, "maximum": APIRouter.maxListLimit]])
                operation["parameters"] = parameters
            }
            if let body = route.requestBody {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]]]
            }
            if route.isProtected {
                operation["security"] = [[String: [String]](), ["apiKey": [String]()]]
            }
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        let document: [String: Any] = [
            "openapi": "3.0.3",
            "info": ["title": "Ember node API", "version": "1.0.0",
                     "description": "Amounts are decimal strings of units (1 EMB = 10^18 units); hashes and encodings are lowercase hex."],
            "paths": paths,
            "components": [
                "schemas": schemas,
                "securitySchemes": ["apiKey": ["type": "apiKey", "in": "header", "name": "X-Ember-API-Key"]],
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
        return Array(data)
    }()

    /// Hashes are 64 hex digits, either case, as the router parses them.
    static let hashPattern = "^[0-9a-fA-F]{64}$"

    /// The path parameters with a stricter form than any string; a value outside it is answered 400.
    private static var pathParameterSchemas: [String: [String: Any]] {
        [
            "hash": ["type": "string", "pattern": hashPattern],
            "txid": ["type": "string", "pattern": hashPattern],
            "height": ["type": "string", "pattern": "^[0-9]+$"],
            "lock": ["type": "string", "pattern": "^([0-9a-fA-F]{2}){1,\(APIRouter.maxLockSize)}$",
                     "description": "a lock's canonical encoding (tag byte, then body) in hex, as `lockHex` in a transaction's outputs"],
        ]
    }

    private static func responses(for route: APIRoute) -> [String: Any] {
        let content: [String: Any]?
        switch route.response {
        case "Metrics": content = ["text/plain": ["schema": ["type": "string"]]]
        case "OpenAPI": content = ["application/json": ["schema": ["type": "object"]]]
        case "NoContent": content = nil
        default: content = ["application/json": ["schema": ["$ref": "#/components/schemas/\(route.response)"]]]
        }
        var success: [String: Any] = ["description": route.successStatus.reasonPhrase]
        if let content { success["content"] = content }
        var responses: [String: Any] = [String(route.successStatus.code): success]
        let error: [String: Any] = ["description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
        if !route.parameters.isEmpty || route.requestBody != nil { responses["400"] = error }
        if !route.parameters.isEmpty { responses["404"] = error }
        if route.isProtected { responses["401"] = error }
        if route.requestBody == "HexBody" { responses["409"] = error }
        if route.path == "/v1/mining/template" || route.administersPeers { responses["503"] = error }
        return responses
    }

    private static func object(_ properties: [String: String]) -> [String: Any] {
        ["type": "object", "properties": properties.mapValues { type -> [String: Any] in
            type.hasPrefix("[") ? ["type": "array", "items": ["type": String(type.dropFirst().dropLast())]] : ["type": type]
        }]
    }

    private static func arrayOf(_ schema: String) -> [String: Any] {
        ["type": "array", "items": ["$ref": "#/components/schemas/\(schema)"]]
    }

    /// `object(properties)` with some properties replaced by fuller schemas (references, nullable).
    private static func object(_ properties: [String: String], with fuller: [String: [String: Any]]) -> [String: Any] {
        var schema = object(properties)
        var merged = schema["properties"] as? [String: Any] ?? [:]
        for (name, property) in fuller { merged[name] = property }
        schema["properties"] = merged
        return schema
    }

    private static var schemas: [String: Any] {
        [
        "Error": object(["error": "string", "detail": "string"]),
        "HexBody": object(["hex": "string"]),
        "NodeInfo": object(["network": "string", "networkID": "integer", "genesis": "string", "height": "integer", "tip": "string",
                            "tipTimestamp": "integer", "target": "string", "difficulty": "string", "estimatedHashRate": "string",
                            "polwActive": "boolean", "polwThresholdHashRate": "string", "minted": "string", "burnt": "string",
                            "mempoolTransactions": "integer", "mining": "boolean", "minerHashRate": "number"]),
        "Block": object(["hash": "string", "height": "integer", "parent": "string", "timestamp": "integer", "target": "string",
                         "nonce": "string", "txRoot": "string", "size": "integer", "active": "boolean", "reward": "string",
                         "burnt": "string", "transactions": "[string]", "hex": "string"]),
        "Transaction": object(
            ["txid": "string", "status": "string", "height": "integer", "blockHash": "string", "size": "integer", "hex": "string",
             "version": "integer", "blobHashes": "[string]"],
            with: ["reads": arrayOf("OutPoint"), "outputs": arrayOf("TransactionOutput")]),
        "OutPoint": object(["txid": "string", "index": "integer"]),
        "TransactionOutput": object(
            ["amount": "string", "lockTime": "integer", "lockTag": "integer", "lockHex": "string"],
            with: ["address": ["type": "string", "nullable": true,
                               "description": "the address of a pubKeyHash lock; absent for other locks"]]),
        "Output": object(["txid": "string", "index": "integer", "amount": "string", "lockTime": "integer", "height": "integer",
                          "coinbase": "boolean"]),
        "LockOutputs": object(
            ["lock": "string", "lockTag": "integer"],
            with: ["address": ["type": "string", "nullable": true], "outputs": arrayOf("Output")]),
        "Blob": object(["hash": "string", "txid": "string", "blockHash": "string", "height": "integer", "size": "integer",
                        "hex": "string"]),
        "SubmittedTransaction": object(["txid": "string"]),
        "Balance": object(["address": "string", "balance": "string", "spendable": "string", "outputCount": "integer"]),
        "Outputs": object(["address": "string"], with: ["outputs": arrayOf("Output")]),
        "History": object(["address": "string", "entries": "[object]"]),
        "Mempool": object(["count": "integer", "bytes": "integer", "transactions": "[object]"]),
        "MiningTemplate": object(["height": "integer", "header": "string", "target": "string", "targetValue": "string", "block": "string",
                                  "reward": "string", "burnt": "string", "fees": "string"]),
        "BlockSubmission": object(["hash": "string", "outcome": "string", "height": "integer"]),
        "Peers": ["type": "object", "properties": [
            "peers": ["type": "array", "items": ["$ref": "#/components/schemas/Peer"]],
            "bans": ["type": "array", "items": ["$ref": "#/components/schemas/BanInForce"]],
        ]],
        "Peer": object(["id": "integer", "address": "string", "direction": "string", "handshakeComplete": "boolean",
                        "userAgent": "string", "bestHeight": "integer", "score": "integer", "blocksInFlight": "integer",
                        "pingMs": "number", "connectedAtMs": "integer"]),
        "BanInForce": object(["host": "string", "untilMs": "integer", "reason": "string"]),
        "PeerConnection": object(["address": "string"]),
        "Ban": object(["host": "string", "seconds": "integer", "reason": "string"]),
        ]
    }
}
