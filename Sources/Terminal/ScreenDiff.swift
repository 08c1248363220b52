import EventStore
import Dashboard

/// Text to write at one position in one style: a run of changed cells on one row.
public struct DrawRun: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var role: StyleRole
    /// What to write, already safe for the terminal; its display width is `width`.
    public var text: String
    /// Columns covered.
    public var width: Int

    public init(x: Int, y: Int, role: StyleRole, text: String, width: Int) {
        self.x = x; self.y = y; self.role = role; self.text = text; self.width = width
    }
}

/// Computes what must be written to turn the screen showing `old` into `new`. Pure.
public enum ScreenDiff {
    /// The changed runs between two buffers, row by row, left to right. Each run is a maximal
    /// sequence of changed cells with one role. Without `old`, or when the size changed, everything
    /// is drawn. A changed wide character is always drawn with its right half.
    ///
    /// The text is the last gate before the terminal: control characters, escape sequences and bidi
    /// controls that slipped into a cell become `?`; with `asciiOnly` (no UTF-8 locale) every
    /// non-ASCII character becomes `?` per column it covers.
    public static func runs(from old: ScreenBuffer?, to new: ScreenBuffer, asciiOnly: Bool = false) -> [DrawRun] {
        let width = new.width
        let full = old == nil || old!.width != new.width || old!.height != new.height
        var runs: [DrawRun] = []
        var changed = [Bool](repeating: false, count: width)
        for y in 0..<new.height {
            let rowStart = y * width
            var any = false
            for x in 0..<width {
                let c = full || old!.cells[rowStart + x] != new.cells[rowStart + x]
                changed[x] = c
                any = any || c
            }
            if !any { continue }
            if !full { widenToWholeCharacters(&changed, row: new.cells[rowStart..<(rowStart + width)]) }

            var current: DrawRun?
            var x = 0
            while x < width {
                guard changed[x] else {
                    if let run = current { runs.append(run); current = nil }
                    x += 1
                    continue
                }
                let cell = new.cells[rowStart + x]
                let (text, columns) = drawable(cell, at: x, row: new.cells[rowStart..<(rowStart + width)],
                                               asciiOnly: asciiOnly)
                if var run = current, run.role == cell.role {
                    run.text += text
                    run.width += columns
                    current = run
                } else {
                    if let run = current { runs.append(run) }
                    current = DrawRun(x: x, y: y, role: cell.role, text: text, width: columns)
                }
                x += columns
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }

    /// Marks both halves of a wide character when either changed.
    static func widenToWholeCharacters(_ changed: inout [Bool], row: ArraySlice<Cell>) {
        let base = row.startIndex
        let width = row.count
        for x in 0..<width where changed[x] {
            let cell = row[base + x]
            if cell.width == 2, x + 1 < width { changed[x + 1] = true }
            if cell.width == 0 {
                var lead = x - 1
                while lead >= 0, row[base + lead].width == 0 { lead -= 1 }
                if lead >= 0 { changed[lead] = true }
            }
        }
    }

    /// The text for one cell and the columns it covers. A continuation cell whose lead is not
    /// a wide character, or a wide character without room or without its right half, is a space.
    static func drawable(_ cell: Cell, at x: Int, row: ArraySlice<Cell>, asciiOnly: Bool) -> (String, Int) {
        let base = row.startIndex
        switch cell.width {
        case 0:
            return (" ", 1)
        case 2:
            guard x + 1 < row.count, row[base + x + 1].width == 0 else { return (" ", 1) }
            return (safeText(cell.text, columns: 2, asciiOnly: asciiOnly), 2)
        default:
            return (safeText(cell.text, columns: 1, asciiOnly: asciiOnly), 1)
        }
    }

    /// One grapheme made safe: unsafe scalars → `?`, empty → spaces, non-ASCII → `?` per column
    /// when `asciiOnly`.
    public static func safeText(_ text: String, columns: Int, asciiOnly: Bool) -> String {
        guard let first = text.first else { return String(repeating: " ", count: columns) }
        if asciiOnly {
            if first.isASCII, let v = first.unicodeScalars.first?.value, v >= 0x20, v < 0x7f {
                return columns == 1 ? String(first) : String(first) + " "
            }
            return String(repeating: "?", count: columns)
        }
        let scalars = first.unicodeScalars
        if scalars.contains(where: { UnsafeText.isUnsafe($0) && $0.value != 0x200d && $0.value != 0x200c }) {
            return String(repeating: "?", count: columns)
        }
        return String(first)
    }
}
