// swift-tools-version: 6.1
import PackageDescription

/// Hot kernels stay optimised in debug builds so `swift test` runs at a useful speed.
let optimisedC: [CSetting] = [.unsafeFlags(["-O3"])]
let optimisedSwift: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"])]

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
    ],
    targets: [
        .target(name: "CEmberBlake3", cSettings: optimisedC),
        .target(
            name: "EmberCrypto",
            dependencies: ["CEmberBlake3", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "EmberCore", dependencies: ["EmberCrypto"]),
        .target(name: "EmberVM", dependencies: ["EmberCrypto"]),
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
            name: "EmberNode",
            dependencies: [
                "EmberChain", "EmberMiner", "EmberStore", .product(name: "BigInt", package: "BigInt"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "EmberTestSupport",
            dependencies: ["EmberCore", "EmberConsensus", .product(name: "BigInt", package: "BigInt")]
        ),
        .executableTarget(
            name: "ember",
            dependencies: [
                "EmberCrypto", "EmberCore", "EmberVM", "EmberConsensus", "EmberChain", "EmberMiner", "EmberNode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "EmberCryptoTests", dependencies: ["EmberCrypto", "EmberTestSupport"]),
        .testTarget(name: "EmberCoreTests", dependencies: ["EmberCore", "EmberTestSupport"]),
        .testTarget(name: "EmberVMTests", dependencies: ["EmberVM", "EmberTestSupport"]),
        .testTarget(
            name: "EmberConsensusTests",
            dependencies: ["EmberConsensus", "EmberTestSupport", .product(name: "BigInt", package: "BigInt")]
        ),
        .testTarget(
            name: "EmberStoreTests",
            dependencies: ["EmberStore", "EmberTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "EmberChainTests", dependencies: ["EmberChain", "EmberStore", "EmberTestSupport"]),
        .testTarget(name: "EmberMinerTests", dependencies: ["EmberMiner", "EmberTestSupport"]),
        .testTarget(name: "EmberNodeTests", dependencies: ["EmberNode", "EmberTestSupport"]),
        .testTarget(
            name: "EmberCLITests",
            dependencies: [
                "EmberTestSupport", "EmberConsensus", "EmberCore", "EmberNode", "EmberStore",
                .product(name: "BigInt", package: "BigInt"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
