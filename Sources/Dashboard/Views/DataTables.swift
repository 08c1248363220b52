import Analytics
import EventStore

/// The Data view's three lists: malformed lines, files read (with the read's warnings), unknown event names.
enum DataTables {
    /// One malformed line, sanitized.
    struct Malformed { var file: String; var line: Int; var reason: String; var location: String { file + ":" + String(line) } }

    static var malformedColumns: [TableColumn<Malformed>] { [
        // Sorted by file, then line as a number (zero-padded so that line 9 comes before line 10).
        TableColumn("FILE:LINE", width: 24, align: .left, cell: { .tail($0.location, .warn) },
                    key: { .folded($0.file + ":" + String(repeating: "0", count: max(0, 12 - String($0.line).count)) + String($0.line)) }),
        TableColumn("REASON", width: 20, flex: true, align: .left, cell: { .text($0.reason, .normal) }, key: { .folded($0.reason) }),
    ] }

    static func malformed(_ lines: [MalformedLineReport], sanitizer san: Sanitizer) -> TableModel {
        TableModel(title: "Malformed lines", columns: malformedColumns,
                   rows: lines.map { Malformed(file: san.clean($0.file), line: $0.line, reason: san.clean($0.reason)) },
                   emptyMessage: "No malformed lines", search: { ($0.location + " " + $0.reason).lowercased() })
    }

    /// A row of the files list: a file read, or one of the read's warnings (`! …`, unsorted, last).
    enum FileRow { case file(FileInfo), warning(String) }

    static var fileColumns: [TableColumn<FileRow>] {
        func number(_ title: String, _ width: Int, _ value: @escaping (FileStats) -> Int,
                    role: @escaping (Int) -> StyleRole = { _ in .normal }) -> TableColumn<FileRow> {
            TableColumn(title, width: width, cell: {
                if case .file(let f) = $0 { .text(Format.int(value(f.stats)), role(value(f.stats))) } else { .text("", .normal) }
            }, key: { if case .file(let f) = $0 { CellText.key(value(f.stats)) } else { .missing } })
        }
        return [
            TableColumn("FILE", width: 12, flex: true, align: .left, cell: {
                switch $0 { case .file(let f): .tail(f.path, .normal); case .warning(let w): .text("! " + w, .warn) }
            }, key: { if case .file(let f) = $0 { .folded(f.path) } else { .missing } }),
            number("LINES", 9, \.lines),
            number("EVENTS", 9, \.events),
            number("BAD", 5, \.malformed, role: { $0 > 0 ? .warn : .muted }),
        ]
    }

    /// The files read (lines, events, malformed per file), then the read's warnings as `! …` rows.
    static func files(_ files: [FileInfo], warnings: [String]) -> TableModel {
        TableModel(title: "Files", columns: fileColumns, rows: files.map(FileRow.file) + warnings.map(FileRow.warning),
                   emptyMessage: "No files read", search: {
                       switch $0 { case .file(let f): f.path.lowercased(); case .warning(let w): w.lowercased() }
                   })
    }

    static var unknownEventColumns: [TableColumn<(name: String, count: Int)>] { [
        TableColumn("NAME", width: 8, flex: true, align: .left, cell: { .text($0.name, .warn) }, key: { .folded($0.name) }),
        TableColumn("COUNT", width: 6, cell: { .text(Format.int($0.count), .normal) }, key: { CellText.key($0.count) }),
    ] }

    /// Track event names earshot does not know, most frequent first.
    static func unknownEvents(_ events: [(name: String, count: Int)]) -> TableModel {
        TableModel(title: "Unknown event names", columns: unknownEventColumns, rows: events,
                   emptyMessage: "All event names are known", search: { $0.name.lowercased() })
    }
}
