import Foundation
import XCTest
@testable import Tally

/// Fixture loading and small helpers for the dataset tests.
enum DataFixtures {
    static func url(_ path: String) -> URL {
        if let base = Bundle.module.resourceURL {
            let u = base.appendingPathComponent("Fixtures/data/" + path)
            if FileManager.default.fileExists(atPath: u.path) { return u }
        }
        // Fall back to the source tree (e.g. when resources are not bundled).
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/data/" + path)
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(path)))
    }
}

extension Array where Element == UInt8 {
    /// UTF-8 bytes of a string literal, for test inputs.
    static func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }
}

/// `file:line:col: message` for each diagnostic (no source lines), for compact assertions.
func dataMessages(_ diags: [Diagnostic]) -> [String] {
    diags.map { d in
        (d.location.map { "\($0): " } ?? "") + (d.severity == .error ? "" : "\(d.severity.rawValue): ") + d.message
    }
}

func parseJSON(_ text: String, file: String = "t.json") -> Result<JSONNode, Diagnostic> {
    JSONReader.parse(Array(text.utf8), file: file)
}

/// The single diagnostic of a JSON text that must fail, as `line:col: message`.
func jsonError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    jsonError(bytes: Array(text.utf8), file: file, line: line)
}

func jsonError(bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> String {
    switch JSONReader.parse(bytes, file: "t.json") {
    case .success:
        XCTFail("expected a JSON error", file: file, line: line)
        return ""
    case .failure(let d):
        return "\(d.location!.line):\(d.location!.column): \(d.message)"
    }
}

func csvRead(_ text: String, scope: ScopeKind = .person, file: String = "people.csv") -> (RawDataset, [Diagnostic]) {
    DatasetReader.readCSV(Array(text.utf8), file: file, scope: scope)
}
