import Dashboard
import Foundation

/// Writes the `e` export of the dashboard: the same screen as text, HTML and SVG next to each other.
public enum SlideFiles {
    /// `earshot-segments-20261120-143005` (UTC time of the export).
    public static func baseName(view: String, nowMs: Int64) -> String {
        let seconds = nowMs / 1000
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        // Civil date from days since 1970 (Howard Hinnant).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let slug = view.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return "earshot-\(String(slug))-\(y)\(two(m))\(two(d))-\(two(rest / 3600))\(two(rest / 60 % 60))\(two(rest % 60))"
    }

    /// Writes `<directory>/<baseName>.txt`, `.html` and `.svg`; returns the paths written.
    /// Throws with a message for the status line when a file cannot be written.
    public static func write(_ buffer: ScreenBuffer, palette: ExportPalette, title: String, directory: String,
                             baseName: String) throws -> [String] {
        var written: [String] = []
        for format in ScreenExporter.Format.allCases {
            let path = (directory as NSString).appendingPathComponent(baseName + "." + format.fileExtension)
            let text = ScreenExporter.export(buffer, format: format, palette: palette, title: title)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw SlideWriteError(message: "cannot write \(path)")
            }
            written.append(path)
        }
        return written
    }
}

/// Why an export could not be written (shown in the status line).
public struct SlideWriteError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
