import Dashboard
import Foundation
@testable import Terminal
import XCTest

final class ThemeTests: XCTestCase {
    let shipped = ["default", "light", "high-contrast", "mono", "presentation"]

    func testEveryShippedThemeLoadsAndSetsEveryRole() throws {
        XCTAssertEqual(Set(Theme.availableThemes(in: themesDirectory)), Set(shipped))
        for name in shipped {
            let theme = try Theme.load(nameOrPath: name, themesDirectory: themesDirectory)
            XCTAssertEqual(theme.name, name)
            XCTAssertEqual(theme.explicitRoles, Set(StyleRole.allCases), "\(name) must set every role")
            XCTAssertEqual(theme.roles.count, StyleRole.allCases.count)
        }
    }

    func testBuiltinCopiesMatchTheFiles() throws {
        for (name, text) in [("default", Theme.builtinDefaultText), ("mono", Theme.builtinMonoText)] {
            let file = try String(contentsOfFile: themesDirectory + "/\(name).theme", encoding: .utf8)
            XCTAssertEqual(text + "\n", file, "BuiltinThemes.swift is out of date for \(name)")
        }
        XCTAssertEqual(Theme.builtinDefault.explicitRoles.count, StyleRole.allCases.count)
        XCTAssertEqual(Theme.builtinMono.explicitRoles.count, StyleRole.allCases.count)
        XCTAssertEqual(Theme.builtinDefault.source, "built-in:default")
    }

    func testDefaultThemeValues() {
        let t = Theme.builtinDefault
        XCTAssertEqual(t.palette["accent"], .rgb(RGB(0x5f, 0xaf, 0xff)))
        XCTAssertEqual(t.style(.tabActive), RoleStyle(foreground: .ansi(0), background: .rgb(RGB(0x5f, 0xaf, 0xff)),
                                                       attributes: .bold))
        XCTAssertEqual(t.style(.normal), RoleStyle())
        XCTAssertEqual(t.glyphs, .unicode)
    }

    func testPresentationIsLightHeavyAndNeverDim() throws {
        let t = try Theme.load(nameOrPath: "presentation", themesDirectory: themesDirectory)
        XCTAssertEqual(t.glyphs, .heavy)
        XCTAssertEqual(t.style(.normal).background, .rgb(RGB(255, 255, 255)))
        XCTAssertEqual(t.style(.normal).foreground, .rgb(RGB(0, 0, 0)))
        for role in StyleRole.allCases { XCTAssertFalse(t.style(role).attributes.contains(.dim), "\(role)") }
    }

    func testMonoUsesNoColors() {
        for (role, style) in Theme.builtinMono.roles {
            XCTAssertEqual(style.foreground, .terminalDefault, "\(role)")
            XCTAssertEqual(style.background, .terminalDefault, "\(role)")
        }
        XCTAssertEqual(Theme.builtinMono.style(.selected).attributes, .reverse)
    }

    func testParsesFormatDetails() throws {
        let text = """
        # comment line
           name = mine   # trailing comment
        glyphs = ASCII
        palette.brand = #AbCdEf
        palette.deep = 17
        role.header = fg:brand bg:deep bold underline
        role.selected = fg:bright_white bg:4 reverse\r
        role.muted = fg:grey dim
        role.bar = fg:default
        """
        let t = try Theme.parse(text, file: "mine.theme", defaultName: "x", base: .builtinDefault)
        XCTAssertEqual(t.name, "mine")
        XCTAssertEqual(t.glyphs, .ascii)
        XCTAssertEqual(t.style(.header), RoleStyle(foreground: .rgb(RGB(0xab, 0xcd, 0xef)), background: .indexed(17),
                                                   attributes: [.bold, .underline]))
        XCTAssertEqual(t.style(.selected), RoleStyle(foreground: .ansi(15), background: .ansi(4), attributes: .reverse))
        XCTAssertEqual(t.style(.muted), RoleStyle(foreground: .ansi(8), attributes: .dim))
        XCTAssertEqual(t.style(.bar), RoleStyle())
        // Unset roles keep the base theme's style.
        XCTAssertEqual(t.style(.tabActive), Theme.builtinDefault.style(.tabActive))
        XCTAssertEqual(t.explicitRoles, [.header, .selected, .muted, .bar])
    }

    func testPaletteMayBeDefinedAfterUse() throws {
        let t = try Theme.parse("role.accent = fg:late\npalette.late = 200\n", file: "f", defaultName: "f")
        XCTAssertEqual(t.style(.accent).foreground, .indexed(200))
    }

    /// Each malformed line gives one exact message with file and line.
    func testGoldenErrors() {
        let cases: [(String, String)] = [
            ("name = x\nrole.headr = bold", "t.theme:2: unknown role 'headr'; did you mean 'header'?"),
            ("role.zzzzzz = bold", "t.theme:1: unknown role 'zzzzzz'; roles are normal, header, title, tab_active, "
                + "tab_inactive, selected, good, warn, bad, muted, bar, bar_alt, border, accent, status, input, help, "
                + "heat0, heat1, heat2, heat3, heat4"),
            ("\n\npalette.x = #12345", "t.theme:3: bad hex color '#12345'; expected # and six hex digits, like #5fafff"),
            ("palette.x = #12345g", "t.theme:1: bad hex color '#12345g'; expected # and six hex digits, like #5fafff"),
            ("role.normal = fg:blu", "t.theme:1: unknown color 'blu'; did you mean 'blue'?"),
            ("role.normal = fg:chartreuse", "t.theme:1: unknown color 'chartreuse'; use a palette name, an ANSI name "
                + "(red, bright_blue…), 0-255, #RRGGBB or default"),
            ("role.normal = bg:300", "t.theme:1: color index 300 is out of range 0-255"),
            ("role.normal = blink", "t.theme:1: unknown attribute 'blink'; attributes are bold, reverse, underline and dim"),
            ("role.normal = bolt", "t.theme:1: unknown attribute 'bolt'; did you mean 'bold'?"),
            ("role.normal = color:red", "t.theme:1: unknown style part 'color:red'; expected fg:COLOR, bg:COLOR, bold, "
                + "reverse, underline or dim"),
            ("role.bad = fg:red fg:blue", "t.theme:1: 'fg' is given twice"),
            ("just some words", "t.theme:1: expected 'key = value', found 'just some words'"),
            ("colour = red", "t.theme:1: unknown setting 'colour'; settings are name, glyphs, palette.NAME and role.ROLE"),
            ("glyphs = fancy", "t.theme:1: glyphs must be unicode, ascii or heavy, not 'fancy'"),
            ("role.bar =", "t.theme:1: 'role.bar' has no value"),
            ("palette.red = #ff0000", "t.theme:1: bad palette name 'red'; use letters, digits, '_' or '-', not a color name"),
            ("role.bar = bold\n# x\nrole.bar = dim", "t.theme:3: role 'bar' is already set on line 1"),
            ("palette.a = 1\npalette.a = 2", "t.theme:2: palette color 'a' is already set on line 1"),
            ("name = a\nname = b", "t.theme:2: 'name' is already set on line 1"),
            ("role.\u{1b}[2J = bold", "t.theme:1: unknown role '\\u{1b}[2J'; roles are normal, header, title, tab_active, "
                + "tab_inactive, selected, good, warn, bad, muted, bar, bar_alt, border, accent, status, input, help, "
                + "heat0, heat1, heat2, heat3, heat4"),
        ]
        for (text, expected) in cases {
            do {
                _ = try Theme.parse(text, file: "t.theme", defaultName: "t")
                XCTFail("expected an error for \(text.debugDescription)")
            } catch {
                XCTAssertEqual(error.description, expected)
            }
        }
    }

    func testErrorCarriesLineAndProblem() {
        XCTAssertThrowsError(try Theme.parse("\nrole.normal = fg:#zzzzzz", file: "a.theme", defaultName: "a")) { error in
            XCTAssertEqual(error as? ThemeError, .malformed(file: "a.theme", line: 2, problem: .badHex("#zzzzzz")))
        }
    }

    func testLoadByPathAndMissingThemes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("brand.theme").path
        try "role.accent = fg:#ff8700 bold\n".write(toFile: path, atomically: true, encoding: .utf8)

        let byPath = try Theme.load(nameOrPath: path, themesDirectory: nil)
        XCTAssertEqual(byPath.name, "brand")
        XCTAssertEqual(byPath.style(.accent), RoleStyle(foreground: .rgb(RGB(255, 0x87, 0)), attributes: .bold))
        let byName = try Theme.load(nameOrPath: "brand", themesDirectory: dir.path)
        XCTAssertEqual(byName, byPath)

        // Built-in themes work without any directory.
        XCTAssertEqual(try Theme.load(nameOrPath: "default", themesDirectory: nil), .builtinDefault)
        XCTAssertEqual(try Theme.load(nameOrPath: "mono", themesDirectory: "/nonexistent"), .builtinMono)

        XCTAssertThrowsError(try Theme.load(nameOrPath: "neon", themesDirectory: dir.path)) { error in
            XCTAssertEqual("\(error)", "no theme named 'neon' in \(dir.path); available: brand, default, mono")
        }
        XCTAssertThrowsError(try Theme.load(nameOrPath: dir.path + "/nope.theme", themesDirectory: nil)) { error in
            XCTAssertEqual("\(error)", "cannot read theme file \(dir.path)/nope.theme: no such file")
        }
        let bad = dir.appendingPathComponent("bad.theme").path
        try "role.normal = fg:nope\n".write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Theme.load(nameOrPath: "bad", themesDirectory: dir.path)) { error in
            XCTAssertEqual("\(error)", "\(bad):1: unknown color 'nope'; use a palette name, an ANSI name "
                + "(red, bright_blue…), 0-255, #RRGGBB or default")
        }
    }

    func testLocateThemesDirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-loc-\(UUID().uuidString)")
        let exeDir = root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug")
        try FileManager.default.createDirectory(at: exeDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Themes"), withIntermediateDirectories: true)
        let other = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other.appendingPathComponent("Themes"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let exe = exeDir.appendingPathComponent("earshot").path

        XCTAssertEqual(Theme.locateThemesDirectory(environment: [:], executablePath: exe, currentDirectory: nil),
                       root.appendingPathComponent("Themes").path)
        XCTAssertEqual(Theme.locateThemesDirectory(environment: ["EARSHOT_THEMES_DIR": other.appendingPathComponent("Themes").path],
                                                   executablePath: exe, currentDirectory: nil),
                       other.appendingPathComponent("Themes").path)
        XCTAssertEqual(Theme.locateThemesDirectory(environment: [:], executablePath: "/usr/bin/nothing-here",
                                                   currentDirectory: other.path),
                       other.appendingPathComponent("Themes").path)
        XCTAssertNil(Theme.locateThemesDirectory(environment: [:], executablePath: nil, currentDirectory: "/nonexistent"))
    }
}
