// swift-tools-version: 6.1
import PackageDescription

// Coverage-guided fuzzing of every decoder of untrusted bytes (docs/fuzzing.md). Run it with
// `scripts/fuzz SECONDS`, not from here by hand.
//
// The libraries the harnesses call are compiled again here, from the same sources, through the
// symbolic links in `Mirror/`: most of them are not products of the main package, so a path
// dependency could not reach them, and libFuzzer needs their code instrumented for coverage anyway.
// Keep the target list and dependencies below in step with ../Package.swift.

/// Instruments a library for libFuzzer's coverage feedback (no libFuzzer `main` in a library).
let instrumented: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer"])]
/// The main package keeps these targets optimised in every build; so does this one (-O keeps bounds and
/// overflow checks, which is what the fuzzer looks for).
let optimisedInstrumented: [SwiftSetting] = [
    .unsafeFlags(["-sanitize=fuzzer", "-O", "-wmo", "-num-threads", "2", "-disable-batch-mode"])
]

let package = Package(
    name: "EmberFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // The main package's libraries, from ../Sources through Mirror/.
        .target(name: "CEmberBlake3", path: "Mirror/CEmberBlake3", cSettings: [.unsafeFlags(["-O3"])]),
        .target(
            name: "EmberCrypto",
            dependencies: ["CEmberBlake3", .product(name: "Crypto", package: "swift-crypto")],
            path: "Mirror/EmberCrypto",
            swiftSettings: optimisedInstrumented
        ),
        .target(name: "EmberCore", dependencies: ["EmberCrypto"], path: "Mirror/EmberCore", swiftSettings: instrumented),
        .target(name: "EmberVM", dependencies: ["EmberCrypto"], path: "Mirror/EmberVM", swiftSettings: optimisedInstrumented),
        .target(
            name: "EmberConsensus",
            dependencies: ["EmberCore", "EmberVM", .product(name: "BigInt", package: "BigInt")],
            path: "Mirror/EmberConsensus",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberStore",
            dependencies: ["EmberCore", "EmberCrypto", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Mirror/EmberStore",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberChain",
            dependencies: ["EmberConsensus", "EmberStore", .product(name: "BigInt", package: "BigInt")],
            path: "Mirror/EmberChain",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberMiner",
            dependencies: ["EmberChain", "EmberConsensus"],
            path: "Mirror/EmberMiner",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberAPI",
            dependencies: [
                "EmberChain", "EmberMiner", "EmberWire", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Mirror/EmberAPI",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberNode",
            dependencies: [
                "EmberChain", "EmberMiner", "EmberStore", "EmberAPI", "EmberP2P", "EmberWire", .product(name: "BigInt", package: "BigInt"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Mirror/EmberNode",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberWire",
            dependencies: ["EmberCore", "EmberCrypto", .product(name: "NIOCore", package: "swift-nio")],
            path: "Mirror/EmberWire",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberP2P",
            dependencies: [
                "EmberWire", "EmberChain", "EmberConsensus", .product(name: "BigInt", package: "BigInt"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Mirror/EmberP2P",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberPlasma",
            dependencies: ["EmberCore", "EmberCrypto", "EmberLayer2"],
            path: "Mirror/EmberPlasma",
            // Mirror/EmberPlasma links only the block and proof decoders, the operator's batch decoder and
            // the client's decoding of the operator's answers (over EmberLayer2's transport): the rest of the
            // operator and the client (server, store, wallet, watcher) and the layer-1 builders stay out, and
            // with them Hummingbird, GRDB and the files added there later.
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberLayer2",
            dependencies: [
                "EmberConsensus", "EmberCore", "EmberCrypto", "EmberNode", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Mirror/EmberLayer2",
            swiftSettings: instrumented
        ),
        .target(
            name: "EmberChannels",
            dependencies: [
                "EmberLayer2", "EmberConsensus", "EmberCore", "EmberCrypto", "EmberVM", "EmberNode",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Mirror/EmberChannels",
            // Optimised like the main package's (unoptimised builds of this target crashed at run time).
            swiftSettings: optimisedInstrumented
        ),
        .target(
            name: "EmberTruebit",
            dependencies: [
                "EmberLayer2", "EmberConsensus", "EmberNode", "EmberCore", "EmberCrypto", "EmberVM",
                .product(name: "BigInt", package: "BigInt"),
            ],
            path: "Mirror/EmberTruebit",
            // Mirror/EmberTruebit links only the SPV folder (the program's result), the Chain folder (the
            // bisect's points) and the daemon's block scan with the two record types it fills: the run, the
            // giver's plan, the rest of the daemon and its store (GRDB) stay out.
            swiftSettings: instrumented
        ),

        // What every harness shares: property checks and seed writing.
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], swiftSettings: instrumented),
        .target(
            name: "FuzzSamples", dependencies: ["FuzzSupport", "EmberCore", "EmberCrypto", "EmberVM", "EmberWire"], swiftSettings: instrumented
        ),

        // One libFuzzer executable per decoder; `scripts/fuzz` lists them.
        harness("frame", ["EmberWire", "EmberCrypto", .product(name: "NIOCore", package: "swift-nio")]),
        harness("wire-message", ["EmberWire", "EmberCore", "EmberCrypto"]),
        harness("transaction", ["EmberCore", "EmberCrypto"]),
        harness("block", ["EmberCore"]),
        harness("blocks-file", ["EmberChain", "EmberCore", "EmberCrypto"]),
        harness("lock", ["EmberCore", "EmberCrypto"]),
        harness("unlock", ["EmberCore", "EmberCrypto"]),
        harness("lock-hex", ["EmberAPI", "EmberCore", "EmberCrypto"]),
        harness("keystore", ["EmberNode", "EmberCrypto"]),
        harness("elf", ["EmberVM"]),
        harness("consensus-elf", ["EmberVM"]),
        harness("step-proof", ["EmberVM", "EmberCrypto"]),
        harness("step-proof-json", ["EmberVM", "EmberCrypto"]),
        harness("channel-message", ["EmberChannels", "EmberCore", "EmberCrypto"]),
        harness("tower-entry", ["EmberChannels", "EmberCore", "EmberCrypto"]),
        harness("smt-proof", ["EmberCrypto"]),
        harness("child-transaction", ["EmberCore", "EmberCrypto"]),
        harness("child-batch", ["EmberPlasma", "EmberCore", "EmberCrypto"]),
        harness("operator-answer", ["EmberPlasma", "EmberLayer2", "EmberCore", "EmberCrypto"]),
        harness("spv-output", ["EmberTruebit", "EmberCrypto"]),
        harness("truebit-points", ["EmberTruebit", "EmberConsensus", "EmberCore", "EmberCrypto"]),
        harness("truebit-block-scan", ["EmberTruebit", "EmberCore", "EmberCrypto"]),
    ],
    swiftLanguageModes: [.v6]
)

/// An executable `fuzz-NAME` from `Harnesses/NAME/main.swift`, linked with libFuzzer, whose driver its
/// `main` runs (`Fuzz.main`).
func harness(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["FuzzSupport", "FuzzSamples"] + dependencies,
        path: "Harnesses/\(name)",
        swiftSettings: instrumented,
        linkerSettings: [.unsafeFlags(["-sanitize=fuzzer"])]
    )
}
