import EventStore
import Dashboard
import Foundation

/// Writes the `e` export of the dashboard: the same screen as text, HTML and SVG next to each other.
public enum SlideFiles {
    /// `earshot-segments-20261120-143005` (UTC time of the export).
    public static func baseName(view: String, nowMs: Int64) -> String {
        let day = CivilTime.day(ofMs: nowMs)
        let date = CivilTime.civil(fromDays: day)
        let rest = (nowMs - day * CivilTime.msPerDay) / 1000
        func two<T: BinaryInteger>(_ v: T) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let (y, m, d) = (date.year, date.month, date.day)
        let slug = view.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return "earshot-\(String(slug))-\(y)\(two(m))\(two(d))-\(two(rest / 3600))\(two(rest / 60 % 60))\(two(rest % 60))"
    }

    /// Writes `<directory>/<baseName>.txt`, `.html` and `.svg` (creating the directory when missing; an existing
    /// file is never overwritten); returns the absolute paths written.
    /// Throws with a message for the status line when a file cannot be written.
    public static func write(_ buffer: ScreenBuffer, palette: ExportPalette, title: String, directory: String,
                             baseName: String) throws -> [String] {
        var written: [String] = []
        var directory = directory.isEmpty ? "." : directory
        if !directory.hasPrefix("/") {
            directory = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(directory)
        }
        directory = (directory as NSString).standardizingPath
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SlideWriteError(message: "cannot create the export directory \(directory)")
        }
        for format in ScreenExporter.Format.allCases {
            let path = (directory as NSString).appendingPathComponent(baseName + "." + format.fileExtension)
            let text = ScreenExporter.export(buffer, format: format, palette: palette, title: title)
            guard !FileManager.default.fileExists(atPath: path) else {
                throw SlideWriteError(message: "\(path) exists already; not overwritten")
            }
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
