#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if os(Linux)
/// glibc's and musl's, declared only under _GNU_SOURCE, so not imported.
@_silgen_name("pthread_getattr_np")
private func pthread_getattr_np(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

/// Whether the evaluating thread has stack to spare. Evaluation recurses
/// through nested expressions and through every named value read inside
/// another; `maximumDepth` and the parser's nesting limit bound that, but a
/// host's thread may have far less stack than those bounds can use (a 512 KB
/// worker, a 1 MB JVM thread, a 128 KB musl thread). Evaluation checks the
/// stack pointer against `limit` as it goes and stops with a limit error
/// instead of overflowing.
struct StackGuard {
    private var thread: pthread_t?
    /// Below this address the evaluation stops (0: no check).
    private(set) var limit: UInt = 0

    /// Records the current thread's stack bounds (once per thread change):
    /// call on entry to an evaluation from a host thread.
    mutating func refresh() {
        let me = pthread_self()
        if let thread, pthread_equal(thread, me) != 0 { return }
        thread = me
        let (low, size) = Self.bounds()
        // Keep a reserve for the deepest stretch between two checks: half
        // the stack, at most 256 KB.
        limit = low == 0 ? 0 : low &+ min(256 * 1024, size / 2)
    }

    /// True when the stack is nearly used up.
    @inline(__always)
    func isLow() -> Bool {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } < limit
    }

    /// Bytes of stack left on the current thread, or nil when unknown.
    static func remaining() -> UInt? {
        let (low, _) = bounds()
        guard low != 0 else { return nil }
        var marker: UInt8 = 0
        let sp = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return sp > low ? sp - low : 0
    }

    static func bounds() -> (low: UInt, size: UInt) {
        #if os(Linux)
        var attr = pthread_attr_t()
        guard pthread_getattr_np(pthread_self(), &attr) == 0 else { return (0, 0) }
        defer { pthread_attr_destroy(&attr) }
        var address: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attr, &address, &size) == 0, let address else { return (0, 0) }
        return (UInt(bitPattern: address), UInt(size))
        #elseif canImport(Darwin)
        let me = pthread_self()
        let size = UInt(pthread_get_stacksize_np(me))
        return (UInt(bitPattern: pthread_get_stackaddr_np(me)) &- size, size)
        #else
        return (0, 0)
        #endif
    }
}
