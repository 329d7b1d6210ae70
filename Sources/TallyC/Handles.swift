import Synchronization
import Tally

/// The kinds of handle the C ABI hands out (tally.h).
enum HandleKind: UInt8, Sendable {
    case plan, dataset, expression, session, result, value, error
}

/// The table of live handles.
///
/// A handle given to C is a token (`id << 4`, never an address): every entry
/// point looks it up here, under a lock, and gets back a strong reference of
/// the expected kind, or nil for NULL, a freed handle, a forged value or a
/// handle of another kind. So a double free, a use after free or a wrong
/// handle is an error answer, never undefined behaviour, and an object freed
/// by one thread while another is using it stays alive until that call ends.
/// Ids are never reused.
final class Handles: Sendable {
    static let shared = Handles()

    private struct State: ~Copyable {
        var next: UInt = 1
        var live: [UInt: Entry] = [:]
    }

    private struct Entry {
        let kind: HandleKind
        let object: AnyObject
    }

    private let state = Mutex(State())

    func register(_ object: AnyObject & Sendable, _ kind: HandleKind) -> OpaquePointer {
        let id = state.withLock { s -> UInt in
            let id = s.next
            s.next += 1
            s.live[id] = Entry(kind: kind, object: object)
            return id
        }
        return OpaquePointer(bitPattern: id << 4)!
    }

    /// The live object behind `handle`, when it is of `kind` and type `T`.
    func lookup<T: AnyObject>(_ handle: OpaquePointer?, _ kind: HandleKind, as: T.Type = T.self) -> T? {
        guard let id = Self.id(handle) else { return nil }
        return state.withLock { s -> T? in
            guard let e = s.live[id], e.kind == kind else { return nil }
            return e.object as? T
        }
    }

    /// Removes the handle stored at `slot` (when it is live and of `kind`)
    /// and sets `*slot` to NULL. The object is released after the lock.
    func free(_ slot: UnsafeMutablePointer<OpaquePointer?>?, _ kind: HandleKind) {
        guard let slot else { return }
        let handle = slot.pointee
        guard let id = Self.id(handle) else { return }
        let removed: AnyObject? = state.withLock { s -> AnyObject? in
            guard let e = s.live[id], e.kind == kind else { return nil }
            s.live[id] = nil
            return e.object
        }
        // A handle of another kind is left alone, and so is the caller's variable.
        if removed != nil || lookupKind(id) == nil { slot.pointee = nil }
        _ = removed
    }

    private func lookupKind(_ id: UInt) -> HandleKind? {
        state.withLock { s in s.live[id]?.kind }
    }

    /// The number of live handles (tests check that nothing leaks).
    var count: Int { state.withLock { s in s.live.count } }

    private static func id(_ handle: OpaquePointer?) -> UInt? {
        guard let handle else { return nil }
        let bits = UInt(bitPattern: handle)
        guard bits & 0xF == 0 else { return nil }
        return bits >> 4
    }
}

/// An immutable NUL-terminated UTF-8 copy of a string, owned by a handle:
/// what the C accessors point into.
final class CText: Sendable {
    nonisolated(unsafe) let pointer: UnsafeMutablePointer<CChar>
    let count: Int

    init(_ text: String) {
        var text = text
        let count = text.utf8.count
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: count + 1)
        text.withUTF8 { b in
            if let base = b.baseAddress { UnsafeMutableRawPointer(pointer).copyMemory(from: base, byteCount: b.count) }
        }
        pointer[count] = 0
        self.pointer = pointer
        self.count = count
    }

    deinit { pointer.deallocate() }

    /// The pointer for C, storing the length through `len` when given.
    func give(_ len: UnsafeMutablePointer<Int>?) -> UnsafePointer<CChar> {
        len?.pointee = count
        return UnsafePointer(pointer)
    }
}
