import Foundation

// tally-bench: a small dispatcher for Tally's benchmarks.
//
//     swift run -c release tally-bench              # list benchmarks
//     swift run -c release tally-bench decimal      # run one
//     swift run -c release tally-bench all          # run all
//
// To add a benchmark, write a function `() -> Void` in its own file and
// register it below with a name and a one-line summary.

let benchmarks: [(name: String, summary: String, run: () -> Void)] = [
    ("decimal", "ExactDecimal vs Double vs Foundation.Decimal on an OKR scoring kernel, plus per-operation costs",
     DecimalBenchmark.run),
    ("decimal-kernel", "only the ExactDecimal scoring kernel, 200 passes (for profilers: perf record/stat)",
     DecimalBenchmark.runKernelOnly),
    ("plan", "whole pipeline on a plan and dataset (default: the Wanjiang example): read, compile, bind, evaluate, JSON",
     PlanBenchmark.run),
    ("whatif", "one input changed against an evaluated baseline, then the diff (the REPL's :set + :diff)",
     WhatIfBenchmark.run),
    ("embedding", "ns per evaluation of a small compiled expression: Swift API and C ABI round trip",
     EmbeddingBenchmark.run),
]

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
    print("usage: tally-bench <benchmark>... | all")
    for b in benchmarks { print("  \(b.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(b.summary)") }
} else {
    for name in arguments.prefix(1) {
        let selected = name == "all" ? benchmarks : benchmarks.filter { $0.name == name }
        if selected.isEmpty {
            print("tally-bench: unknown benchmark '\(name)'")
            exit(64)
        }
        for b in selected { b.run() }
    }
}
