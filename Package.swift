// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Tally",
    products: [
        .library(name: "Tally", targets: ["Tally"]),
        .executable(name: "tally", targets: ["tally"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The embeddable core: lexer, parser, checker, compiler, evaluator,
        // exact decimals and dataset loading. No readline, no process I/O.
        .target(
            name: "Tally",
            dependencies: []
        ),
        // GNU readline (GPL) for `tally repl`: linked into the `tally`
        // executable only, never into the `Tally` library.
        .systemLibrary(
            name: "CReadline",
            path: "Sources/CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),
        // The command-line tool: a thin layer over the library.
        .executableTarget(
            name: "tally",
            dependencies: [
                "Tally",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: `swift run -c release tally-bench <name>` (see its main.swift).
        .executableTarget(name: "tally-bench", dependencies: ["Tally"]),
        .testTarget(
            name: "TallyTests",
            dependencies: ["Tally"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
