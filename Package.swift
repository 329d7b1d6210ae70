// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Tally",
    products: [
        .library(name: "Tally", targets: ["Tally"]),
        .executable(name: "tally", targets: ["tally"]),
        // The C ABI as a shared library, libTallyC.so: one header,
        // Sources/CTally/include/tally.h. See docs/embedding.md.
        .library(name: "TallyC", type: .dynamic, targets: ["TallyC"]),
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
        // The C ABI: the header (and its module map) in a C target, and the
        // Swift functions exported under the header's names with @_cdecl.
        .target(name: "CTally"),
        .target(name: "TallyC", dependencies: ["Tally", "CTally"]),
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
        .executableTarget(name: "tally-bench", dependencies: ["Tally", "TallyC", "CTally"]),
        .testTarget(
            name: "TallyTests",
            dependencies: ["Tally", "TallyC", "CTally"],
            resources: [.copy("Fixtures")]
        ),
    ]
)

// Documentation: `TALLY_DOCC=1 swift package generate-documentation --target Tally`
// (docs/embedding.md). The DocC plugin is added only when asked for, so that
// ordinary builds and CI do not depend on it.
if Context.environment["TALLY_DOCC"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
