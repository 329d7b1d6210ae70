import CTally
import Foundation
import XCTest
@testable import Tally
@testable import TallyC

/// Calls the C ABI (tally.h) the way a C host does, through the exported
/// functions, with Swift strings as UTF-8 buffers and lengths.
enum CABI {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let message: String
        let file: String
        let line: UInt32
        let column: UInt32
        let json: String
        var description: String { "status \(status) at \(file):\(line):\(column): \(message)" }
    }

    static func string(_ get: (OpaquePointer?, UnsafeMutablePointer<Int>?) -> UnsafePointer<CChar>?, _ h: OpaquePointer?) -> String? {
        var len = 0
        guard let p = get(h, &len) else { return nil }
        XCTAssertEqual(strlen(p), len, "NUL-terminated, with the length given")
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }

    /// Runs an entry point with (&out, &error): the handle, or the error's content (freed).
    static func call(_ body: (UnsafeMutablePointer<OpaquePointer?>, UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws(Failure) -> OpaquePointer {
        var out: OpaquePointer?, error: OpaquePointer?
        let status = body(&out, &error)
        if status == 0 {
            XCTAssertNil(error)
            return out!
        }
        XCTAssertNil(out)
        let f = Failure(status: status, message: string(tally_error_message, error) ?? "", file: string(tally_error_file, error) ?? "",
                        line: tally_error_line(error), column: tally_error_column(error), json: string(tally_error_json, error) ?? "")
        XCTAssertEqual(tally_error_code(error), status)
        tally_error_free(&error)
        XCTAssertNil(error)
        throw f
    }

    static func withUTF8<R>(_ s: String, _ body: (UnsafePointer<CChar>, Int) -> R) -> R {
        var s = s
        return s.withUTF8 { b in b.withMemoryRebound(to: CChar.self) { body($0.baseAddress!, $0.count) } }
    }

    static func compilePlan(_ path: String = APIFixtures.planPath) throws(Failure) -> OpaquePointer {
        try call { out, err in withUTF8(path) { tally_plan_compile_file($0, $1, out, err) } }
    }

    static func loadData(_ plan: OpaquePointer, _ bytes: [UInt8] = APIFixtures.dataBytes) throws(Failure) -> OpaquePointer {
        try call { out, err in bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { tally_dataset_from_json(plan, $0.baseAddress, $0.count, out, err) }
        } }
    }

    static func evaluate(_ plan: OpaquePointer, _ data: OpaquePointer, _ expression: String,
                         options: UnsafePointer<tally_options>? = nil) throws(Failure) -> String {
        var value: OpaquePointer? = try call { out, err in
            withUTF8(expression) { tally_evaluate_expression(plan, data, $0, $1, options, out, err) }
        }
        defer { tally_value_free(&value) }
        return string(tally_value_text, value)!
    }

    static func session(_ plan: OpaquePointer, _ data: OpaquePointer) throws(Failure) -> OpaquePointer {
        try call { out, err in tally_session_create(plan, data, nil, out, err) }
    }

    static func evaluate(session: OpaquePointer, plan: OpaquePointer, _ expression: String) throws(Failure) -> String {
        var e: OpaquePointer? = try call { out, err in withUTF8(expression) { tally_expression_compile(plan, $0, $1, out, err) } }
        defer { tally_expression_free(&e) }
        var value: OpaquePointer? = try call { out, err in tally_session_evaluate(session, e, out, err) }
        defer { tally_value_free(&value) }
        return string(tally_value_text, value)!
    }

    static func free(_ h: OpaquePointer, _ f: (UnsafeMutablePointer<OpaquePointer?>?) -> Void) {
        var h: OpaquePointer? = h
        f(&h)
    }
}

final class APICABITests: XCTestCase {
    func status(_ body: () throws -> Any) -> Int32 {
        do { _ = try body(); return 0 } catch let e as CABI.Failure { return e.status } catch {
            XCTFail("\(error)")
            return -1
        }
    }

    func testWanjiangThroughTheCABIMatchesTheSwiftAPI() throws {
        let before = Handles.shared.count
        var plan: OpaquePointer? = try CABI.compilePlan()
        var data: OpaquePointer? = try CABI.loadData(plan!)
        for id in ["E0001", "E0002", "E0003"] {
            let e = #"people["\#(id)"].quarterly_bonus"#
            XCTAssertEqual(try CABI.evaluate(plan!, data!, e), try APIFixtures.plan.evaluate(e, in: APIFixtures.dataset).text)
        }
        XCTAssertEqual(try CABI.evaluate(plan!, data!, #"people["E0001"]"#), #""E0001""#, "as tally eval --print prints it")
        var value: OpaquePointer? = try CABI.call { out, err in CABI.withUTF8(#"people["E0001"].quarterly_bonus"#) {
            tally_evaluate_expression(plan, data, $0, $1, nil, out, err) } }
        XCTAssertEqual(CABI.string(tally_value_json, value), #"{"amount":2649.48,"currency":"CNY"}"#)
        XCTAssertEqual(CABI.string(tally_value_type, value), "money (CNY)")
        tally_value_free(&value)

        var result: OpaquePointer? = try CABI.call { out, err in tally_evaluate(plan, data, nil, out, err) }
        XCTAssertEqual(CABI.string(tally_result_json, result), APIFixtures.plan.evaluate(APIFixtures.dataset).jsonText())
        tally_result_free(&result)
        XCTAssertTrue(CABI.string(tally_plan_info_json, plan)!.hasPrefix(#"{"title":"皖江精密 2026 Q3 OKR 与季度奖金","period":{"start":"2026-07-01","end":"2026-09-30","days":92},"currency":"CNY""#))
        XCTAssertEqual(tally_dataset_person_count(data), 300)
        XCTAssertEqual(CABI.string(tally_dataset_warnings_json, data), "[]")

        // Freeing a plan leaves what was made from it usable.
        tally_plan_free(&plan)
        XCTAssertNil(plan)
        XCTAssertEqual(tally_dataset_person_count(data), 300)
        tally_dataset_free(&data)
        XCTAssertEqual(Handles.shared.count, before, "every handle was released")
    }

    func testNullFreedForgedAndWrongKindHandlesAreErrors() throws {
        var plan: OpaquePointer? = try CABI.compilePlan()
        let data = try CABI.loadData(plan!)
        let kept = plan
        XCTAssertEqual(status { try CABI.evaluate(data, data, "1") }, 2, "a dataset is not a plan")
        XCTAssertEqual(status { try CABI.evaluate(OpaquePointer(bitPattern: 0xDEAD0)!, data, "1") }, 2, "forged")
        XCTAssertEqual(status { try CABI.evaluate(OpaquePointer(bitPattern: 0x1234567)!, data, "1") }, 2, "misaligned")
        XCTAssertEqual(tally_plan_compile(nil, 0, nil, 0, nil, nil), 1, "no output pointer")
        tally_plan_free(&plan)
        tally_plan_free(&plan) // NULL now: ignored
        var stale = kept
        tally_plan_free(&stale) // already freed: ignored
        XCTAssertEqual(status { try CABI.evaluate(kept!, data, "1") }, 2, "use after free")
        XCTAssertNil(tally_plan_info_json(kept, nil))
        var len = 99
        XCTAssertNil(tally_error_message(nil, &len))
        XCTAssertEqual(len, 0)
        XCTAssertEqual(tally_error_code(nil), 2)
        tally_plan_free(nil)
        var wrong: OpaquePointer? = data
        tally_plan_free(&wrong) // a dataset given to the plan's free: left alone
        XCTAssertEqual(wrong, data)
        XCTAssertEqual(tally_dataset_person_count(data), 300)
        CABI.free(data, tally_dataset_free)
    }

    func testArgumentsUTF8AndJSONProblems() throws {
        let plan = try CABI.compilePlan()
        let data = try CABI.loadData(plan)
        defer { CABI.free(plan, tally_plan_free); CABI.free(data, tally_dataset_free) }
        // NULL with a length, invalid UTF-8 in an expression or a name.
        XCTAssertEqual(status { try CABI.call { out, err in tally_evaluate_expression(plan, data, nil, 3, nil, out, err) } }, 1)
        let invalid: [CChar] = [0x31, CChar(bitPattern: 0xFF)]
        XCTAssertEqual(status { try CABI.call { out, err in tally_evaluate_expression(plan, data, invalid, 2, nil, out, err) } }, 3)
        XCTAssertEqual(status { try CABI.call { out, err in tally_plan_compile("x", 1, invalid, 2, out, err) } }, 3)
        XCTAssertEqual(status { try CABI.call { out, err in tally_evaluate_expression(plan, data, nil, -1, nil, out, err) } }, 1)
        // Malformed JSON: a data error with its line and column.
        do throws(CABI.Failure) {
            _ = try CABI.loadData(plan, Array("{\n  \"people\": [1,]\n}".utf8))
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.status, 5)
            XCTAssertEqual(error.line, 2)
            XCTAssertGreaterThan(error.column, 1)
            XCTAssertTrue(error.json.hasPrefix(#"[{"severity":"error","phase":"data""#), error.json)
        }
        // Invalid UTF-8 inside plan text is a compile diagnostic, not a crash.
        var source = Array(APIFixtures.smallSource.utf8)
        source.insert(0xC3, at: 10)
        XCTAssertEqual(status { try CABI.call { out, err in source.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { tally_plan_compile($0.baseAddress, $0.count, nil, 0, out, err) } } } }, 4)
        // Compile and evaluation errors carry a location.
        do throws(CABI.Failure) {
            _ = try CABI.evaluate(plan, data, "people[\"E0001\"].quartely_bonus")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.status, 4)
            XCTAssertEqual(error.file, "<expr>")
            XCTAssertEqual(error.line, 1)
            XCTAssertEqual(error.column, 17)
        }
        XCTAssertEqual(status { try CABI.compilePlan("/nonexistent.tally") }, 9)
    }

    func testOptionsLimitsAndCancellation() throws {
        let plan = try CABI.compilePlan()
        let data = try CABI.loadData(plan)
        defer { CABI.free(plan, tally_plan_free); CABI.free(data, tally_dataset_free) }
        let heavy = "sum(count([q for q in people]) for p in people)"
        var options = tally_options(size: UInt32(MemoryLayout<tally_options>.size), reserved: 0, max_steps: 1000,
                                    max_depth: 0, max_collection_size: 0, is_cancelled: nil, context: nil)
        XCTAssertEqual(status { try CABI.evaluate(plan, data, heavy, options: &options) }, 7)
        options.max_steps = 0
        options.max_collection_size = 10
        XCTAssertEqual(status { try CABI.evaluate(plan, data, heavy, options: &options) }, 7)
        options.max_collection_size = 0
        options.is_cancelled = { _ in 1 }
        XCTAssertEqual(status { try CABI.evaluate(plan, data, heavy, options: &options) }, 8)
        options.is_cancelled = nil
        XCTAssertEqual(try CABI.evaluate(plan, data, heavy, options: &options), "90000")
        options.size = 8
        XCTAssertEqual(status { try CABI.evaluate(plan, data, heavy, options: &options) }, 1, "unknown options size")
        options.size = UInt32(MemoryLayout<tally_options>.size)
        options.max_depth = -1
        XCTAssertEqual(status { try CABI.evaluate(plan, data, heavy, options: &options) }, 1)
        options.max_depth = 0
        options.reserved = 7
        XCTAssertEqual(status { try CABI.evaluate(plan, data, heavy, options: &options) }, 1, "reserved must be 0")
    }

    func testOverridesAndMismatchedHandles() throws {
        let plan = try CABI.compilePlan()
        let data = try CABI.loadData(plan)
        defer { CABI.free(plan, tally_plan_free); CABI.free(data, tally_dataset_free) }
        let json = #"[{"scope": "person", "id": "E0001", "field": "revenue", "value": 2500000}]"#
        let changed = try CABI.call { out, err in CABI.withUTF8(json) { tally_dataset_with_overrides(plan, data, $0, $1, out, err) } }
        XCTAssertEqual(try CABI.evaluate(plan, changed, #"people["E0001"].quarterly_bonus"#), "3600.09 CNY")
        XCTAssertEqual(try CABI.evaluate(plan, data, #"people["E0001"].quarterly_bonus"#), "2649.48 CNY")
        CABI.free(changed, tally_dataset_free)
        let bad = #"[{"scope": "person", "id": "E9999", "field": "revenue", "value": 1}]"#
        XCTAssertEqual(status { try CABI.call { out, err in CABI.withUTF8(bad) { tally_dataset_with_overrides(plan, data, $0, $1, out, err) } } }, 5)
        // The same input twice in one call: which value counts would depend on the order.
        let twice = #"[{"scope": "person", "id": "E0001", "field": "revenue", "value": 1}, {"scope": "person", "id": "E0001", "field": "revenue", "value": 2}]"#
        XCTAssertEqual(status { try CABI.call { out, err in CABI.withUTF8(twice) { tally_dataset_with_overrides(plan, data, $0, $1, out, err) } } }, 5)

        // A dataset or expression of another plan is refused, not misread.
        let small = try CABI.call { out, err in CABI.withUTF8(APIFixtures.smallSource) { tally_plan_compile($0, $1, nil, 0, out, err) } }
        defer { CABI.free(small, tally_plan_free) }
        XCTAssertEqual(status { try CABI.evaluate(small, data, "1") }, 1)
        let session = try CABI.session(plan, data)
        defer { CABI.free(session, tally_session_free) }
        XCTAssertEqual(status { try CABI.evaluate(session: session, plan: small, "total") }, 1)
        XCTAssertEqual(try CABI.evaluate(session: session, plan: plan, "count(people)"), "300")
    }

    func testVersion() {
        XCTAssertEqual(String(cString: tally_version()), "0.1.0")
        XCTAssertEqual(TallyC.tally_abi_version(), 1)
    }
}
