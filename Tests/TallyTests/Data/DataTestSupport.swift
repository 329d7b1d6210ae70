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

/// `file:line:col: message` for each diagnostic (no source lines), for compact assertions.
func dataMessages(_ diags: [Diagnostic]) -> [String] {
    diags.map { d in
        (d.location.map { "\($0): " } ?? "") + (d.severity == .error ? "" : "\(d.severity.rawValue): ") + d.message
    }
}

func dataParseJSON(_ text: String, file: String = "t.json") -> Result<JSONNode, Diagnostic> {
    JSONReader.parse(Array(text.utf8), file: file)
}

/// The single diagnostic of a JSON text that must fail, as `line:col: message`.
func dataJSONError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    dataJSONError(bytes: Array(text.utf8), file: file, line: line)
}

func dataJSONError(bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> String {
    switch JSONReader.parse(bytes, file: "t.json") {
    case .success:
        XCTFail("expected a JSON error", file: file, line: line)
        return ""
    case .failure(let d):
        return "\(d.location!.line):\(d.location!.column): \(d.message)"
    }
}

func dataCSVRead(_ text: String, scope: ScopeKind = .person, file: String = "people.csv") -> (RawDataset, [Diagnostic]) {
    DatasetReader.readCSV(Array(text.utf8), file: file, scope: scope)
}
