import Dashboard

/// Writes a rendered dashboard screen as a file for slides: plain text, a self-contained HTML page, or an
/// SVG image, the last two in the theme's colors on a monospace grid. Pure (no ncurses, no I/O): the
/// caller writes the returned text. Cell text is already sanitized by the dashboard; markup characters
/// are escaped here, so the HTML is also well-formed XML (XHTML).
public enum ScreenExporter {
    /// The export formats.
    public enum Format: String, CaseIterable, Sendable {
        case txt, html, svg
        /// The file name extension.
        public var fileExtension: String { rawValue }
    }

    /// SVG cell size in pixels and the font size.
    public static let cellWidth = 10, cellHeight = 20, fontSize = 16
    /// Monospace fonts in order of preference (with fonts that have the block and box glyphs first).
    public static let fontFamily = "'DejaVu Sans Mono', 'Cascadia Mono', Menlo, Consolas, 'Liberation Mono', monospace"

    public static func export(_ buffer: ScreenBuffer, format: Format, palette: ExportPalette, title: String) -> String {
        switch format {
        case .txt: return text(buffer)
        case .html: return html(buffer, palette: palette, title: title)
        case .svg: return svg(buffer, palette: palette, title: title)
        }
    }

    /// The text layer, trailing blanks of each row removed, one `\n` after each row.
    public static func text(_ buffer: ScreenBuffer) -> String {
        buffer.textLines().map { line in
            String(line.reversed().drop(while: { $0 == " " }).reversed())
        }.joined(separator: "\n") + "\n"
    }

    /// A self-contained XHTML page: one `<pre>` of spans, one CSS class per role.
    public static func html(_ buffer: ScreenBuffer, palette: ExportPalette, title: String) -> String {
        var css = ""
        for role in StyleRole.allCases {
            let s = palette.style(role)
            css += "  .\(role.themeName) { color: \(s.foreground.hex); background: \(s.background.hex);"
            if s.bold { css += " font-weight: bold;" }
            if s.underline { css += " text-decoration: underline;" }
            if s.dim { css += " opacity: 0.65;" }
            css += " }\n"
        }
        var body = ""
        for (y, runs) in rows(buffer).enumerated() {
            if y > 0 { body += "\n" }
            for run in runs { body += "<span class=\"\(run.role.themeName)\">\(escape(run.text))</span>" }
        }
        let page = palette.page.hex
        return """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="generator" content="earshot" />
        <title>\(escape(title))</title>
        <style>
          body { margin: 0; padding: 24px; background: \(page); }
          pre { margin: 0; font-family: \(fontFamily); font-size: \(fontSize)px; line-height: \(cellHeight)px; }
          pre span { white-space: pre; }
        \(css)</style>
        </head>
        <body>
        <pre title="\(escape(title))">\(body)</pre>
        </body>
        </html>

        """
    }

    /// An SVG image of `width × cellWidth` by `height × cellHeight` pixels: a rectangle per run of one
    /// background color, a `<text>` per run of one role, each fitted to its cells with `textLength`.
    public static func svg(_ buffer: ScreenBuffer, palette: ExportPalette, title: String) -> String {
        let w = buffer.width * cellWidth, h = buffer.height * cellHeight
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" font-family="\(escape(fontFamily))" font-size="\(fontSize)">
        <title>\(escape(title))</title>
        <rect width="\(w)" height="\(h)" fill="\(palette.page.hex)"/>

        """
        for (y, runs) in rows(buffer).enumerated() {
            // Backgrounds: merge neighbouring runs of the same color.
            var x = 0
            var pending: (x: Int, width: Int, color: RGB)?
            func flush() {
                if let p = pending, p.color != palette.page {
                    out += "<rect x=\"\(p.x * cellWidth)\" y=\"\(y * cellHeight)\" width=\"\(p.width * cellWidth)\" height=\"\(cellHeight)\" fill=\"\(p.color.hex)\"/>\n"
                }
                pending = nil
            }
            for run in runs {
                let bg = palette.style(run.role).background
                if let p = pending, p.color == bg { pending = (p.x, p.width + run.columns, bg) } else {
                    flush(); pending = (x, run.columns, bg)
                }
                x += run.columns
            }
            flush()
            // Text.
            x = 0
            let baseline = y * cellHeight + cellHeight - 5
            for run in runs {
                defer { x += run.columns }
                guard run.text.contains(where: { $0 != " " }) else { continue }
                let s = palette.style(run.role)
                var attrs = "x=\"\(x * cellWidth)\" y=\"\(baseline)\" fill=\"\(s.foreground.hex)\""
                attrs += " textLength=\"\(run.columns * cellWidth)\" lengthAdjust=\"spacingAndGlyphs\""
                if s.bold { attrs += " font-weight=\"bold\"" }
                if s.underline { attrs += " text-decoration=\"underline\"" }
                if s.dim { attrs += " fill-opacity=\"0.65\"" }
                out += "<text \(attrs) xml:space=\"preserve\">\(escape(run.text))</text>\n"
            }
        }
        out += "</svg>\n"
        return out
    }

    /// A row split into runs of one role.
    struct Run { var role: StyleRole; var text: String; var columns: Int }

    static func rows(_ buffer: ScreenBuffer) -> [[Run]] {
        (0..<buffer.height).map { y in
            var runs: [Run] = []
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if cell.width == 0 { continue }
                if let last = runs.last, last.role == cell.role {
                    runs[runs.count - 1].text += cell.text
                    runs[runs.count - 1].columns += Int(cell.width)
                } else {
                    runs.append(Run(role: cell.role, text: cell.text, columns: Int(cell.width)))
                }
            }
            return runs
        }
    }

    /// Escapes text for XML and HTML: `&`, `<`, `>`, `"`, `'`; characters XML 1.0 forbids become `?`.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                let v = u.value
                let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
                    || v >= 0x10000
                out.unicodeScalars.append(allowed ? u : "?")
            }
        }
        return out
    }
}
