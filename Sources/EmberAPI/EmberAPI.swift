// EmberAPI: the node's REST API under /v1 (Hummingbird), its OpenAPI document and the Prometheus
// metrics. It declares what it needs from a node as the `NodeBackend` protocol; EmberNode provides it.
// Handlers only translate between HTTP and that protocol: no rule lives here.
