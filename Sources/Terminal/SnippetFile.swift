import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Journeys view's snippet file: segment rules made from journey paths (`w`), appended to
/// `earshot-snippets.segments` in the current directory (where a rules file is usually edited), ready to copy
/// into a rules file.
enum SnippetFile {
    /// The file name in the current directory.
    static let name = "earshot-snippets.segments"

    /// Appends `text` (after a blank line when the file is not empty); returns the note for the status line.
    /// The file is opened with `O_APPEND | O_CREAT | O_NOFOLLOW` (never through a symbolic link) and mode 0644.
    static func append(_ text: String, directory: String) -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return "could not write \(name): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        var st = stat()
        let nonEmpty = fstat(fd, &st) == 0 && st.st_size > 0
        let bytes = Array(((nonEmpty ? "\n" : "") + text).utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return "could not write \(name): \(String(cString: strerror(errno)))"
            }
            written += n
        }
        return "segment rule appended to " + name
    }
}
