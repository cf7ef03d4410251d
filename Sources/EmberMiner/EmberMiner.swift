// EmberMiner: block templates and the nonce search, on dedicated OS threads so mining never starves the
// Swift concurrency pool that serves the network and the API.
