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
    ],
    targets: [
        .target(name: "CEmberBlake3", cSettings: optimisedC),
        .target(
            name: "EmberCrypto",
            dependencies: ["CEmberBlake3", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "EmberCore", dependencies: ["EmberCrypto"]),
        .target(
            name: "EmberVM",
            dependencies: ["EmberCrypto"],
            // The interpreter must be fast even in debug builds; -O keeps bounds and overflow checks,
            // since the assembler, ELF loader and proof decoders take untrusted input.
            swiftSettings: [.unsafeFlags(["-O", "-wmo", "-num-threads", "2", "-disable-batch-mode"])]
        ),
        .target(
            name: "EmberConsensus",
            dependencies: ["EmberCore", "EmberVM", .product(name: "BigInt", package: "BigInt")]
        ),
        .target(name: "EmberTestSupport", dependencies: ["EmberCore", "EmberConsensus"]),
        .executableTarget(
            name: "ember",
            dependencies: [
                "EmberCrypto", "EmberCore", "EmberVM", "EmberConsensus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
        .testTarget(name: "EmberConsensusTests", dependencies: ["EmberConsensus", "EmberTestSupport"]),
        .testTarget(name: "EmberCLITests", dependencies: ["EmberTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
