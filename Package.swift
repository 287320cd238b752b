// swift-tools-version: 6.0
import PackageDescription

// Layers import only downward:
// CairnDomain <- CairnStore <- CairnExchange <- CairnApp <- CairnTerminal <- cairn
let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cairn", targets: ["cairn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
    ],
    targets: [
        .target(name: "CairnDomain"),
        .target(
            name: "CairnStore",
            dependencies: [
                "CairnDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The audit chain walk reads columns straight from SQLite's C API.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CairnExchange",
            dependencies: [
                "CairnDomain", "CairnStore",
                .product(name: "CSV", package: "CSV.swift"),
                // DfE Common Transfer Files.
                .product(name: "XMLCoder", package: "XMLCoder"),
                // SSH key fingerprints; transfer bundles (AES-GCM, SHA-256, and scrypt from _CryptoExtras).
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CairnApp",
            dependencies: [
                "CairnDomain", "CairnStore", "CairnExchange",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .systemLibrary(name: "CCurses", path: "Sources/CCurses"),
        .target(name: "CairnTerminal", dependencies: ["CairnApp", "CCurses"]),
        .executableTarget(
            name: "cairn",
            dependencies: [
                "CairnDomain", "CairnStore", "CairnExchange", "CairnApp", "CairnTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CairnDomainTests", dependencies: ["CairnDomain"]),
        .testTarget(
            name: "CairnStoreTests",
            // GRDB only so that tests can tamper with the file the way an attacker would.
            dependencies: ["CairnStore", "CairnDomain", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "CairnExchangeTests",
            // GRDB only so that transfer tests can write what other parts build (disputes, paper originals)
            // and check that a refused bundle left every table as it was.
            dependencies: ["CairnExchange", "CairnStore", "CairnDomain", .product(name: "GRDB", package: "GRDB.swift")],
            // Read by path, as the binary's end-to-end tests read them too.
            exclude: ["Samples"]
        ),
        .testTarget(
            name: "CairnAppTests",
            // GRDB only so that a test can tamper with the audit log as an attacker would.
            dependencies: ["CairnApp", "CairnStore", "CairnDomain", "CairnExchange",
                           .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "CairnTerminalTests",
            dependencies: ["CairnTerminal", "CairnApp", "CairnDomain", "CairnStore"]
        ),
    ]
)
