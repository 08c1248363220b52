#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Child processes started in their own process group (`spark-submit` and the JVM it starts), ended with that group
/// when earshot ends: on SIGINT, SIGTERM and SIGHUP (when no other handler is installed: the dashboard's own
/// handlers end it through `exit`) and at `exit`. Without this, killing earshot left `spark-submit` and its driver
/// JVM running.
public enum ChildProcessGroups {
    /// Slots of the registered groups (0: free). Read by the signal handler, so a fixed array of plain integers.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<pid_t> = {
        let p = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    static let capacity = 16
    static let lock = NSLock()
    nonisolated(unsafe) static var installed = false

    /// Starts ending `group` (a process group id) when earshot ends; returns false when all slots are taken.
    @discardableResult
    public static func register(_ group: pid_t) -> Bool {
        lock.lock(); defer { lock.unlock() }
        installOnce()
        for i in 0 ..< capacity where slots[i] == 0 { slots[i] = group; return true }
        return false
    }

    /// Forgets `group` (it has ended).
    public static func unregister(_ group: pid_t) {
        lock.lock(); defer { lock.unlock() }
        for i in 0 ..< capacity where slots[i] == group { slots[i] = 0 }
    }

    /// Sends SIGTERM to every registered group (async-signal-safe: `kill` only).
    public static func terminateAll() {
        for i in 0 ..< capacity {
            let g = slots[i]
            if g > 0 { kill(-g, SIGTERM) }
        }
    }

    private static func installOnce() {
        guard !installed else { return }
        installed = true
        atexit { ChildProcessGroups.terminateAll() }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var old = sigaction()
            sigaction(sig, nil, &old)
            // Only where the default action (ending earshot) is in place: another handler (the dashboard's) ends
            // earshot through exit, where the atexit hook above runs.
            guard Self.isDefault(old) else { continue }
            var action = sigaction()
            Self.setHandler(&action) { signo in
                ChildProcessGroups.terminateAll()
                signal(signo, SIG_DFL)
                raise(signo)
            }
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
    }

    private static func isDefault(_ a: sigaction) -> Bool {
        #if canImport(Glibc)
        return a.__sigaction_handler.sa_handler == nil
        #else
        return a.__sigaction_u.__sa_handler == nil
        #endif
    }

    private static func setHandler(_ a: inout sigaction, _ h: @escaping @convention(c) (Int32) -> Void) {
        #if canImport(Glibc)
        a.__sigaction_handler.sa_handler = h
        #else
        a.__sigaction_u.__sa_handler = h
        #endif
    }
}
