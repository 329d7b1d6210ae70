import CTally
import Foundation
import Tally

// The functions of tally.h, exported under their C names. Each one checks
// its arguments, looks its handles up in `Handles`, calls the Swift API and
// answers with a tally_status; ownership rules are documented in tally.h.

/// The library version reported by `tally_version`.
let tallyVersion: StaticString = "0.1.0"

public typealias HandleSlot = UnsafeMutablePointer<OpaquePointer?>
public typealias Length = UnsafeMutablePointer<Int>

// MARK: Argument helpers

/// Bytes from a (pointer, length) pair: NULL is allowed only with length 0;
/// a length that is negative as a signed value (size_t ≥ 2^63) is refused.
func bytes(_ p: UnsafePointer<CChar>?, _ len: Int) -> Result<[UInt8], CFailure> {
    guard len >= 0 else { return .failure(CFailure(.invalidArgument, "a length is larger than any buffer")) }
    guard len > 0 else { return .success([]) }
    guard let p else { return .failure(CFailure(.invalidArgument, "a NULL pointer was given with a length of \(len)")) }
    return .success(p.withMemoryRebound(to: UInt8.self, capacity: len) { Array(UnsafeBufferPointer(start: $0, count: len)) })
}

/// UTF-8 text without NUL bytes, for names, paths and expressions.
func text(_ p: UnsafePointer<CChar>?, _ len: Int, _ what: String) -> Result<String, CFailure> {
    bytes(p, len).flatMap { b in
        guard !b.contains(0), let s = String(validating: b, as: UTF8.self) else {
            return .failure(CFailure(.invalidUTF8, "\(what) is not valid UTF-8 text (or holds a NUL byte)"))
        }
        return .success(s)
    }
}

/// A failed call: its status and the error handle's content.
struct CFailure: Error {
    let box: ErrorBox
    init(_ status: Status, _ message: String) { box = ErrorBox(status, message) }
    init(_ error: TallyError) { box = ErrorBox(error) }
    init(_ status: Status, diagnostics: [Diagnostic]) { box = ErrorBox(status, diagnostics: diagnostics) }
    static func handle(_ what: String) -> CFailure {
        CFailure(.invalidHandle, "\(what) is not a live handle (NULL, already freed, or of another kind)")
    }
}

/// Runs one entry point: clears the out parameters, runs `body`, and stores
/// its handle or its error.
func call(_ out: HandleSlot?, _ outError: HandleSlot?, kind: HandleKind,
          _ body: () -> Result<AnyObject & Sendable, CFailure>) -> Int32 {
    outError?.pointee = nil
    guard let out else {
        return store(CFailure(.invalidArgument, "the output handle pointer is NULL"), outError)
    }
    out.pointee = nil
    switch body() {
    case .success(let object):
        out.pointee = Handles.shared.register(object, kind)
        return Status.ok.rawValue
    case .failure(let f):
        return store(f, outError)
    }
}

func store(_ f: CFailure, _ outError: HandleSlot?) -> Int32 {
    outError?.pointee = Handles.shared.register(f.box, .error)
    return f.box.status.rawValue
}

func evaluationOptions(_ p: UnsafePointer<tally_options>?) -> Result<EvaluationOptions, CFailure> {
    guard let p else { return .success(EvaluationOptions()) }
    // Read the size field alone first: a host built against a smaller struct
    // must not make us read past the end of its buffer.
    let size = UnsafeRawPointer(p).load(as: UInt32.self)
    guard Int(size) >= MemoryLayout<tally_options>.size else {
        return .failure(CFailure(.invalidArgument, "tally_options.size is \(size), expected \(MemoryLayout<tally_options>.size): initialise options with TALLY_OPTIONS_INIT"))
    }
    let o = p.pointee
    // Must be 0 so that a later version can give it a meaning.
    guard o.reserved == 0 else {
        return .failure(CFailure(.invalidArgument, "tally_options.reserved must be 0, not \(o.reserved)"))
    }
    guard o.max_steps >= 0, o.max_depth >= 0, o.max_collection_size >= 0 else {
        return .failure(CFailure(.invalidArgument, "tally_options limits must not be negative (0 means the default)"))
    }
    var options = EvaluationOptions()
    if o.max_steps > 0 { options.maximumSteps = Int(o.max_steps) }
    if o.max_depth > 0 { options.maximumDepth = Int(o.max_depth) }
    if o.max_collection_size > 0 { options.maximumCollectionSize = Int(o.max_collection_size) }
    if let poll = o.is_cancelled {
        let callback = CancelCallback(poll: poll, context: o.context)
        options.isCancelled = { callback.poll(callback.context) != 0 }
    }
    return .success(options)
}

/// The host's cancellation callback and its context, called on the
/// evaluating thread only (tally.h says what the host may do in it).
struct CancelCallback: @unchecked Sendable {
    let poll: @convention(c) (UnsafeMutableRawPointer?) -> Int32
    let context: UnsafeMutableRawPointer?
}

func lookup<T: AnyObject>(_ h: OpaquePointer?, _ kind: HandleKind, _ what: String) -> Result<T, CFailure> {
    guard let object: T = Handles.shared.lookup(h, kind) else { return .failure(.handle(what)) }
    return .success(object)
}

func planAndDataset(_ plan: OpaquePointer?, _ dataset: OpaquePointer?) -> Result<(PlanBox, DatasetBox), CFailure> {
    lookup(plan, .plan, "the plan").flatMap { (p: PlanBox) in
        lookup(dataset, .dataset, "the dataset").flatMap { (d: DatasetBox) in
            d.plan === p.plan ? .success((p, d))
                : .failure(CFailure(.invalidArgument, "the dataset was loaded for another plan"))
        }
    }
}

// MARK: Version

@_cdecl("tally_version")
public func tally_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(tallyVersion.utf8Start).assumingMemoryBound(to: CChar.self)
}

@_cdecl("tally_abi_version")
public func tally_abi_version() -> UInt32 { 1 }

// MARK: Plans

@_cdecl("tally_plan_compile")
public func tally_plan_compile(_ source: UnsafePointer<CChar>?, _ sourceLen: Int, _ name: UnsafePointer<CChar>?,
                               _ nameLen: Int, _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .plan) {
        bytes(source, sourceLen).flatMap { src in
            text(name, nameLen, "the plan name").flatMap { n in
                let c = CompiledPlan.compile(bytes: src, name: n.isEmpty ? "<plan>" : n)
                guard let plan = c.plan else { return .failure(CFailure(.compile, diagnostics: c.diagnostics)) }
                return .success(PlanBox(plan))
            }
        }
    }
}

@_cdecl("tally_plan_compile_file")
public func tally_plan_compile_file(_ path: UnsafePointer<CChar>?, _ pathLen: Int,
                                    _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .plan) {
        text(path, pathLen, "the path").flatMap { p in
            guard !p.isEmpty else { return .failure(CFailure(.invalidArgument, "the path is empty")) }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDirectory), !isDirectory.boolValue,
                  FileManager.default.isReadableFile(atPath: p) else {
                return .failure(CFailure(.io, "\(p): no such file, or not a readable file"))
            }
            let c = CompiledPlan.compile(contentsOfFile: p)
            guard let plan = c.plan else { return .failure(CFailure(.compile, diagnostics: c.diagnostics)) }
            return .success(PlanBox(plan))
        }
    }
}

@_cdecl("tally_plan_info_json")
public func tally_plan_info_json(_ plan: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(plan, .plan, as: PlanBox.self)?.info.give(len)
}

@_cdecl("tally_plan_free")
public func tally_plan_free(_ plan: HandleSlot?) { Handles.shared.free(plan, .plan) }

// MARK: Datasets

@_cdecl("tally_dataset_from_json")
public func tally_dataset_from_json(_ plan: OpaquePointer?, _ json: UnsafePointer<CChar>?, _ jsonLen: Int,
                                    _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .dataset) {
        lookup(plan, .plan, "the plan").flatMap { (p: PlanBox) in
            bytes(json, jsonLen).flatMap { b in load(p.plan, p.plan.dataset(json: b)) }
        }
    }
}

@_cdecl("tally_dataset_from_files")
public func tally_dataset_from_files(_ plan: OpaquePointer?, _ files: UnsafePointer<tally_file>?, _ count: Int,
                                     _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .dataset) {
        lookup(plan, .plan, "the plan").flatMap { (p: PlanBox) in
            guard count >= 0, count == 0 || files != nil else {
                return .failure(CFailure(.invalidArgument, "files is NULL but count is \(count)"))
            }
            var list: [(name: String, bytes: [UInt8])] = []
            for i in 0..<count {
                let f = files![i]
                switch text(f.name, f.name_len, "the name of file \(i)").flatMap({ n in bytes(f.bytes, f.bytes_len).map { (n, $0) } }) {
                case .success(let file): list.append(file)
                case .failure(let e): return .failure(e)
                }
            }
            return load(p.plan, p.plan.dataset(files: list))
        }
    }
}

func load(_ plan: CompiledPlan, _ load: DatasetLoad) -> Result<AnyObject & Sendable, CFailure> {
    guard let d = load.dataset else { return .failure(CFailure(.data, diagnostics: load.diagnostics)) }
    return .success(DatasetBox(plan: plan, dataset: d, diagnostics: load.diagnostics))
}

@_cdecl("tally_dataset_with_overrides")
public func tally_dataset_with_overrides(_ plan: OpaquePointer?, _ dataset: OpaquePointer?,
                                         _ json: UnsafePointer<CChar>?, _ jsonLen: Int,
                                         _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .dataset) {
        planAndDataset(plan, dataset).flatMap { p, d in
            bytes(json, jsonLen).flatMap { b in
                let (overrides, problems) = Override.read(json: b, plan: p.plan)
                guard let overrides else { return .failure(CFailure(.data, diagnostics: problems)) }
                let (changed, diagnostics) = d.dataset.overriding(overrides)
                guard let changed else { return .failure(CFailure(.data, diagnostics: diagnostics)) }
                return .success(DatasetBox(plan: p.plan, dataset: changed, diagnostics: []))
            }
        }
    }
}

@_cdecl("tally_dataset_warnings_json")
public func tally_dataset_warnings_json(_ dataset: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(dataset, .dataset, as: DatasetBox.self)?.warnings.give(len)
}

@_cdecl("tally_dataset_person_count")
public func tally_dataset_person_count(_ dataset: OpaquePointer?) -> Int {
    Handles.shared.lookup(dataset, .dataset, as: DatasetBox.self)?.dataset.personCount ?? 0
}

@_cdecl("tally_dataset_free")
public func tally_dataset_free(_ dataset: HandleSlot?) { Handles.shared.free(dataset, .dataset) }

// MARK: Evaluating

@_cdecl("tally_evaluate")
public func tally_evaluate(_ plan: OpaquePointer?, _ dataset: OpaquePointer?, _ options: UnsafePointer<tally_options>?,
                           _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .result) {
        planAndDataset(plan, dataset).flatMap { p, d in
            evaluationOptions(options).flatMap { o in
                do throws(TallyError) {
                    let result = try p.plan.evaluate(d.dataset, overrides: [], options: o)
                    // As `tally eval` exits 2: a value that failed fails the call.
                    if result.hasErrors { return .failure(CFailure(.evaluation, diagnostics: result.diagnostics)) }
                    return .success(ResultBox(result))
                } catch {
                    return .failure(CFailure(error))
                }
            }
        }
    }
}

@_cdecl("tally_result_json")
public func tally_result_json(_ result: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(result, .result, as: ResultBox.self)?.json.give(len)
}

@_cdecl("tally_result_free")
public func tally_result_free(_ result: HandleSlot?) { Handles.shared.free(result, .result) }

@_cdecl("tally_evaluate_expression")
public func tally_evaluate_expression(_ plan: OpaquePointer?, _ dataset: OpaquePointer?,
                                      _ expression: UnsafePointer<CChar>?, _ expressionLen: Int,
                                      _ options: UnsafePointer<tally_options>?,
                                      _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .value) {
        planAndDataset(plan, dataset).flatMap { p, d in
            text(expression, expressionLen, "the expression").flatMap { e in
                evaluationOptions(options).flatMap { o in
                    let c = p.plan.expression(e)
                    guard let compiled = c.expression else { return .failure(CFailure(.compile, diagnostics: c.diagnostics)) }
                    let session = Session(plan: p.plan, dataset: d.dataset, options: o)
                    do throws(EvaluationFailure) {
                        let v = try session.evaluate(compiled)
                        return .success(ValueBox(text: session.render(v), value: session.exported(v)))
                    } catch {
                        return .failure(CFailure(TallyError(error)))
                    }
                }
            }
        }
    }
}

@_cdecl("tally_expression_compile")
public func tally_expression_compile(_ plan: OpaquePointer?, _ expression: UnsafePointer<CChar>?, _ expressionLen: Int,
                                     _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .expression) {
        lookup(plan, .plan, "the plan").flatMap { (p: PlanBox) in
            text(expression, expressionLen, "the expression").flatMap { e in
                let c = p.plan.expression(e)
                guard let compiled = c.expression else { return .failure(CFailure(.compile, diagnostics: c.diagnostics)) }
                return .success(ExpressionBox(plan: p.plan, expression: compiled))
            }
        }
    }
}

@_cdecl("tally_expression_free")
public func tally_expression_free(_ expression: HandleSlot?) { Handles.shared.free(expression, .expression) }

@_cdecl("tally_session_create")
public func tally_session_create(_ plan: OpaquePointer?, _ dataset: OpaquePointer?, _ options: UnsafePointer<tally_options>?,
                                 _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .session) {
        planAndDataset(plan, dataset).flatMap { p, d in
            evaluationOptions(options).map { o in
                SessionBox(plan: p.plan, session: Session(plan: p.plan, dataset: d.dataset, options: o))
            }
        }
    }
}

@_cdecl("tally_session_evaluate")
public func tally_session_evaluate(_ session: OpaquePointer?, _ expression: OpaquePointer?,
                                   _ out: HandleSlot?, _ outError: HandleSlot?) -> Int32 {
    call(out, outError, kind: .value) {
        lookup(session, .session, "the session").flatMap { (s: SessionBox) in
            lookup(expression, .expression, "the expression").flatMap { (e: ExpressionBox) in
                guard e.plan === s.plan else {
                    return .failure(CFailure(.invalidArgument, "the expression was compiled against another plan"))
                }
                return s.evaluate(e.expression).map { $0 as AnyObject & Sendable }
            }
        }
    }
}

@_cdecl("tally_session_free")
public func tally_session_free(_ session: HandleSlot?) { Handles.shared.free(session, .session) }

// MARK: Values

@_cdecl("tally_value_text")
public func tally_value_text(_ value: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(value, .value, as: ValueBox.self)?.text.give(len)
}

@_cdecl("tally_value_json")
public func tally_value_json(_ value: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(value, .value, as: ValueBox.self)?.json.give(len)
}

@_cdecl("tally_value_type")
public func tally_value_type(_ value: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(value, .value, as: ValueBox.self)?.type.give(len)
}

@_cdecl("tally_value_free")
public func tally_value_free(_ value: HandleSlot?) { Handles.shared.free(value, .value) }

// MARK: Errors

@_cdecl("tally_error_code")
public func tally_error_code(_ error: OpaquePointer?) -> Int32 {
    Handles.shared.lookup(error, .error, as: ErrorBox.self)?.status.rawValue ?? Status.invalidHandle.rawValue
}

@_cdecl("tally_error_message")
public func tally_error_message(_ error: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(error, .error, as: ErrorBox.self)?.message.give(len)
}

@_cdecl("tally_error_file")
public func tally_error_file(_ error: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(error, .error, as: ErrorBox.self)?.file.give(len)
}

@_cdecl("tally_error_line")
public func tally_error_line(_ error: OpaquePointer?) -> UInt32 {
    Handles.shared.lookup(error, .error, as: ErrorBox.self)?.line ?? 0
}

@_cdecl("tally_error_column")
public func tally_error_column(_ error: OpaquePointer?) -> UInt32 {
    Handles.shared.lookup(error, .error, as: ErrorBox.self)?.column ?? 0
}

@_cdecl("tally_error_count")
public func tally_error_count(_ error: OpaquePointer?) -> Int {
    Handles.shared.lookup(error, .error, as: ErrorBox.self)?.count ?? 0
}

@_cdecl("tally_error_json")
public func tally_error_json(_ error: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(error, .error, as: ErrorBox.self)?.json.give(len)
}

@_cdecl("tally_error_rendered")
public func tally_error_rendered(_ error: OpaquePointer?, _ len: Length?) -> UnsafePointer<CChar>? {
    len?.pointee = 0
    return Handles.shared.lookup(error, .error, as: ErrorBox.self)?.rendered.give(len)
}

@_cdecl("tally_error_free")
public func tally_error_free(_ error: HandleSlot?) { Handles.shared.free(error, .error) }
