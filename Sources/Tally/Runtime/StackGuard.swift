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

/// Whether the evaluating thread has stack to spare. Evaluation recurses once
/// per named value read inside another (several frames, about 10 KB a level
/// in debug builds); `maximumDepth` bounds that, but a host's thread may have
/// far less stack than the default depth needs (a 512 KB worker thread, a
/// 1 MB JVM thread). Past `reserve` bytes from the end of the stack the
/// evaluation stops with a limit error instead of overflowing.
struct StackGuard {
    /// Stack kept free for what one level below the check may still use.
    static let reserve: UInt = 256 * 1024

    private var thread: pthread_t?
    private var low: UInt = 0

    /// False when less than `reserve` bytes of the current thread's stack
    /// are left (true when the stack's bounds cannot be found).
    mutating func hasRoom() -> Bool {
        let me = pthread_self()
        if thread == nil || pthread_equal(thread!, me) == 0 {
            thread = me
            low = Self.lowestAddress()
        }
        guard low != 0 else { return true }
        var marker: UInt8 = 0
        let sp = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return sp > low &+ Self.reserve
    }

    /// The lowest address of the current thread's stack, or 0 when unknown.
    static func lowestAddress() -> UInt {
        #if os(Linux)
        var attr = pthread_attr_t()
        guard pthread_getattr_np(pthread_self(), &attr) == 0 else { return 0 }
        defer { pthread_attr_destroy(&attr) }
        var address: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attr, &address, &size) == 0, let address else { return 0 }
        return UInt(bitPattern: address)
        #elseif canImport(Darwin)
        let me = pthread_self()
        return UInt(bitPattern: pthread_get_stackaddr_np(me)) &- UInt(pthread_get_stacksize_np(me))
        #else
        return 0
        #endif
    }
}
