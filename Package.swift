// swift-tools-version: 6.1
import PackageDescription

/// Hot kernels stay optimised in debug builds so `swift test` runs at a useful speed.
let optimisedC: [CSetting] = [.unsafeFlags(["-O3"])]
/// -O keeps bounds and overflow checks: these targets parse untrusted input. Whole-module needs the
/// last two flags in debug builds, whose index output otherwise mismatches the sources.
let optimisedSwift: [SwiftSetting] = [.unsafeFlags(["-O", "-wmo", "-num-threads", "2", "-disable-batch-mode"])]

let package = Package(
    name: "Ember",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ember", targets: ["ember"]),
        .library(name: "EmberCrypto", targets: ["EmberCrypto"]),
        .library(name: "EmberCore", targets: ["EmberCore"]),
        .library(name: "EmberVM", targets: ["EmberVM"]),
        .library(name: "EmberConsensus", targets: ["EmberConsensus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
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
        .target(name: "CEmberBlake3", cSettings: optimisedC),
        .target(
            name: "EmberCrypto",
            dependencies: ["CEmberBlake3", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: optimisedSwift
        ),
        .target(name: "EmberCore", dependencies: ["EmberCrypto"]),
        .target(
            name: "EmberVM",
            dependencies: ["EmberCrypto"],
            // The interpreter must be fast even in debug builds.
            swiftSettings: optimisedSwift
        ),
        .target(
            name: "EmberConsensus",
            dependencies: ["EmberCore", "EmberVM", .product(name: "BigInt", package: "BigInt")]
        ),
        .target(
            name: "EmberStore",
            dependencies: ["EmberCore", "EmberCrypto", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "EmberChain",
            dependencies: ["EmberConsensus", "EmberStore", .product(name: "BigInt", package: "BigInt")]
        ),
        .target(name: "EmberMiner", dependencies: ["EmberChain", "EmberConsensus"]),
        .target(
            name: "EmberAPI",
            dependencies: [
                "EmberChain", "EmberMiner", "EmberWire", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ]
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
            ]
        ),
        .target(
            name: "EmberWire",
            dependencies: ["EmberCore", "EmberCrypto", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "EmberP2P",
            dependencies: [
                "EmberWire", "EmberChain", "EmberConsensus", .product(name: "BigInt", package: "BigInt"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "EmberLayer2",
            dependencies: [
                "EmberConsensus", "EmberCore", "EmberCrypto", "EmberNode", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
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
            // Unoptimised builds of this target crashed at run time (a jump to a null resume function once
            // a payment's update was in flight); optimised ones run correctly. See docs/channels.md.
            swiftSettings: optimisedSwift
        ),
        .target(
            name: "EmberPlasma",
            dependencies: [
                "EmberLayer2", "EmberConsensus", "EmberNode", "EmberCore", "EmberCrypto", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "EmberTruebit",
            dependencies: [
                "EmberLayer2", "EmberConsensus", "EmberNode", "EmberCore", "EmberCrypto", "EmberVM",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
                .product(name: "BigInt", package: "BigInt"),
            ]
        ),
        .target(
            name: "EmberTestSupport",
            dependencies: [
                "EmberCore", "EmberConsensus", .product(name: "BigInt", package: "BigInt"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "ember",
            dependencies: [
                "EmberCrypto", "EmberCore", "EmberVM", "EmberConsensus", "EmberStore", "EmberChain", "EmberMiner", "EmberNode", "EmberP2P",
                "EmberWire", "EmberLayer2", "EmberChannels", "EmberPlasma", "EmberTruebit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "EmberCryptoTests", dependencies: ["EmberCrypto", "EmberTestSupport"]),
        .testTarget(name: "EmberCoreTests", dependencies: ["EmberCore", "EmberTestSupport"]),
        .testTarget(
            name: "EmberVMTests",
            dependencies: ["EmberVM", "EmberTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            // C sources and prebuilt ELF test programs, read through #filePath; not Swift sources.
            exclude: ["Programs"]
        ),
        .testTarget(
            name: "EmberConsensusTests",
            dependencies: ["EmberConsensus", "EmberVM", "EmberTestSupport", .product(name: "BigInt", package: "BigInt")]
        ),
        .testTarget(
            name: "EmberStoreTests",
            dependencies: ["EmberStore", "EmberTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EmberChainTests",
            dependencies: [
                "EmberChain", "EmberStore", "EmberVM", "EmberTestSupport", .product(name: "BigInt", package: "BigInt"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EmberMinerTests",
            dependencies: ["EmberMiner", "EmberTestSupport", .product(name: "BigInt", package: "BigInt")]
        ),
        .testTarget(
            name: "EmberAPITests",
            dependencies: [
                "EmberAPI", "EmberNode", "EmberStore", "EmberTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EmberWireTests",
            dependencies: [
                "EmberWire", "EmberTestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "EmberNodeTests", dependencies: ["EmberNode", "EmberTestSupport"]),
        .testTarget(
            name: "EmberPlasmaTests",
            dependencies: [
                "EmberPlasma", "EmberCore", "EmberCrypto", "EmberTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EmberTruebitTests",
            dependencies: [
                "EmberTruebit", "EmberConsensus", "EmberVM", "EmberCore", "EmberCrypto", "EmberTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EmberP2PTests",
            dependencies: [
                "EmberP2P", "EmberWire", "EmberChain", "EmberStore", "EmberVM", "EmberTestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EmberLayer2Tests",
            dependencies: [
                "EmberLayer2", "EmberConsensus", "EmberCore", "EmberCrypto", "EmberNode", "EmberTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EmberChannelsTests",
            dependencies: [
                "EmberChannels", "EmberLayer2", "EmberConsensus", "EmberCore", "EmberCrypto", "EmberVM", "EmberNode",
                "EmberTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EmberCLITests",
            dependencies: [
                "EmberTestSupport", "EmberConsensus", "EmberCore", "EmberNode", "EmberStore", "EmberLayer2",
                .product(name: "BigInt", package: "BigInt"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
