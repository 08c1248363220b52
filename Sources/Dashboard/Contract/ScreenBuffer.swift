/// What a cell means, never a raw color: the theme maps roles to colors and attributes.
public enum StyleRole: UInt8, CaseIterable, Sendable, Codable {
    case normal, header, title, tabActive, tabInactive, selected, good, warn, bad, muted
    case bar, barAlt, border, accent, status, input, help
    /// Heatmap intensities, low to high.
    case heat0, heat1, heat2, heat3, heat4

    /// The name used in theme files (`tab_active`, `heat3`, …).
    public var themeName: String {
        var out = ""
        for ch in "\(self)" {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

/// A rectangle of the screen, in cells.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
}

/// One terminal cell: what to show, how wide it is, and what it means.
public struct Cell: Equatable, Sendable {
    /// One grapheme, already sanitized; "" for the right half of a wide character.
    public var text: String
    /// 0 (continuation of a wide character), 1 or 2 columns.
    public var width: UInt8
    public var role: StyleRole

    public init(text: String = " ", width: UInt8 = 1, role: StyleRole = .normal) {
        self.text = text; self.width = width; self.role = role
    }
    public static let blank = Cell()
}

/// An in-memory grid of cells that views render into; the terminal backend draws it,
/// tests compare it with golden text.
public struct ScreenBuffer: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }
}
