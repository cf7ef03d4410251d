import Foundation

/// The OpenAPI 3 document of the API, written from `APIRoute.all`: every route with its parameters
/// (and their patterns), body, answers and protection, and every schema derived from the Swift type
/// the route answers or reads.
enum OpenAPIDocument {
    static let json: [UInt8] = {
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: try document(), options: [.sortedKeys, .prettyPrinted])
        } catch {
            preconditionFailure("the OpenAPI document cannot be written: \(error)")
        }
        return Array(data)
    }()

    static func document() throws -> [String: Any] {
        var schemas = SchemaRecorder()
        let error = try schemas.reference(to: ErrorView.self)
        var paths = [String: [String: Any]]()
        for route in APIRoute.all {
            var operation: [String: Any] = [
                "summary": route.summary,
                "operationId": route.method.rawValue.lowercased() + route.path.replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: ""),
                "responses": try responses(for: route, error: error, schemas: &schemas),
            ]
            let parameters = route.parameters.map(pathParameter) + (route.takesLimit ? [limitParameter] : [])
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = route.body {
                let schema = try schemas.reference(to: body.type)
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": schema.document]]]
            }
            if route.isProtected {
                operation["security"] = [[String: [String]](), ["apiKey": [String]()]]
            }
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        return [
            "openapi": "3.0.3",
            "info": ["title": "Ember node API", "version": "1.0.0",
                     "description": "Amounts are decimal strings of units (1 EMB = 10^18 units); hashes and encodings are lowercase hex. "
                        + "A method a path does not declare is answered 405 with an Allow header."],
            "paths": paths,
            "components": [
                "schemas": schemas.components.mapValues(\.document),
                "securitySchemes": ["apiKey": ["type": "apiKey", "in": "header", "name": "X-Ember-API-Key"]],
            ],
        ]
    }

    private static func pathParameter(_ syntax: PathParameterSyntax) -> [String: Any] {
        var schema: [String: Any] = ["type": "string", "pattern": syntax.pattern]
        if let maxLength = syntax.maxLength { schema["maxLength"] = maxLength }
        return ["name": syntax.name, "in": "path", "required": true, "description": syntax.expected, "schema": schema]
    }

    private static var limitParameter: [String: Any] {
        ["name": "limit", "in": "query", "required": false,
         "schema": ["type": "integer", "minimum": 1, "maximum": APIRequest.maxListLimit, "default": APIRequest.defaultListLimit]]
    }

    private static func responses(for route: APIRoute, error: JSONSchema, schemas: inout SchemaRecorder) throws -> [String: Any] {
        var success: [String: Any] = ["description": route.successStatus.reasonPhrase]
        switch route.answer {
        case .json(let view): success["content"] = ["application/json": ["schema": try schemas.reference(to: view).document]]
        case .text(let contentType): success["content"] = [contentType: ["schema": ["type": "string"]]]
        case .openAPI: success["content"] = ["application/json": ["schema": ["type": "object"]]]
        case .noContent: break
        }
        var responses: [String: Any] = [String(route.successStatus.code): success]
        let answer: [String: Any] = ["description": "Error", "content": ["application/json": ["schema": error.document]]]
        if !route.parameters.isEmpty || route.body != nil || route.takesLimit { responses["400"] = answer }
        if !route.parameters.isEmpty { responses["404"] = answer }
        if route.isProtected { responses["401"] = answer }
        if route.body != nil { responses["413"] = answer }
        // A submitted transaction or block may conflict with what the node already has.
        if let body = route.body, ObjectIdentifier(body.type) == ObjectIdentifier(HexBody.self) { responses["409"] = answer }
        if route.mayBeUnavailable { responses["503"] = answer }
        return responses
    }
}
