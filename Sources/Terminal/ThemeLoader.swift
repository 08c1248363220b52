import Foundation
import Dashboard

extension Theme {
    /// The default theme, parsed from the built-in copy of Themes/default.theme.
    public static let builtinDefault: Theme = builtin(text: builtinDefaultText, name: "default", base: nil)

    /// The mono theme (attributes only), parsed from the built-in copy of Themes/mono.theme.
    public static let builtinMono: Theme = builtin(text: builtinMonoText, name: "mono", base: builtinDefault)

    /// Names of the themes earshot always has, even without a Themes directory.
    public static let builtinNames = ["default", "mono"]

    private static func builtin(text: String, name: String, base: Theme?) -> Theme {
        do {
            return try parse(text, file: "built-in:\(name)", defaultName: name, base: base)
        } catch {
            // Unreachable while TerminalTests pass (they parse both built-in texts); a plain theme
            // still keeps startup working.
            var roles: [StyleRole: RoleStyle] = [:]
            for role in StyleRole.allCases { roles[role] = RoleStyle() }
            return Theme(name: name, source: "built-in:\(name)", palette: [:], roles: roles,
                         explicitRoles: [], glyphs: .unicode)
        }
    }

    /// Loads a theme by name or path.
    ///
    /// - A value containing `/` or ending in `.theme` is a path to a theme file.
    /// - Otherwise it is a name: `<themesDirectory>/<name>.theme`, else the built-in `default` or `mono`.
    ///
    /// Roles a file does not set keep the built-in default theme's styles.
    public static func load(nameOrPath: String, themesDirectory: String?) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return try load(path: nameOrPath)
        }
        let name = nameOrPath.lowercased()
        if let directory = themesDirectory {
            let path = (directory as NSString).appendingPathComponent(name + ".theme")
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        switch name {
        case "default": return builtinDefault
        case "mono": return builtinMono
        default:
            let available = Set(builtinNames + (themesDirectory.map(availableThemes(in:)) ?? []))
            throw ThemeError.notFound(name: nameOrPath, searched: themesDirectory.map { [$0] } ?? [],
                                      available: available.sorted())
        }
    }

    /// Loads the theme for the command line: `--theme` if given, else `EARSHOT_THEME`, else `default`,
    /// resolving names in the directory found by `locateThemesDirectory`.
    public static func load(nameOrPath: String?, environment: [String: String]) throws(ThemeError) -> Theme {
        let chosen = nameOrPath ?? environment["EARSHOT_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let directory = locateThemesDirectory(environment: environment,
                                              executablePath: currentExecutablePath(),
                                              currentDirectory: FileManager.default.currentDirectoryPath)
        return try load(nameOrPath: chosen, themesDirectory: directory)
    }

    /// Reads and parses one theme file.
    public static func load(path: String) throws(ThemeError) -> Theme {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ThemeError.unreadable(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw ThemeError.unreadable(path: path, reason: "it is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ThemeError.unreadable(path: path, reason: "permission denied or unreadable")
        }
        if data.count > 1 << 20 { throw ThemeError.unreadable(path: path, reason: "larger than 1 MiB") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError.unreadable(path: path, reason: "not UTF-8 text")
        }
        var name = url.lastPathComponent
        if name.hasSuffix(".theme") { name.removeLast(".theme".count) }
        return try parse(text, file: path, defaultName: name, base: builtinDefault)
    }

    /// Theme names (files `NAME.theme`) in a directory, sorted.
    public static func availableThemes(in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(".theme".count)) }.sorted()
    }

    /// Finds the Themes directory, first match wins:
    /// 1. `EARSHOT_THEMES_DIR`;
    /// 2. next to the executable or up to four directories above it (`…/.build/debug/earshot` → the
    ///    repository's `Themes/`), or `<prefix>/share/earshot/Themes` for `<prefix>/bin/earshot`;
    /// 3. `Themes/` in the current directory.
    public static func locateThemesDirectory(environment: [String: String], executablePath: String?,
                                             currentDirectory: String?,
                                             fileManager: FileManager = .default) -> String? {
        func isDirectory(_ path: String) -> Bool {
            var flag: ObjCBool = false
            return fileManager.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
        }
        if let explicit = environment["EARSHOT_THEMES_DIR"], !explicit.isEmpty, isDirectory(explicit) {
            return explicit
        }
        if let executablePath, !executablePath.isEmpty {
            var directory = URL(fileURLWithPath: executablePath).deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = directory.appendingPathComponent("Themes").path
                if isDirectory(candidate) { return candidate }
                let shared = directory.appendingPathComponent("share/earshot/Themes").path
                if isDirectory(shared) { return shared }
                if directory.path == "/" { break }
                directory = directory.deletingLastPathComponent()
            }
        }
        if let currentDirectory {
            let candidate = URL(fileURLWithPath: currentDirectory).appendingPathComponent("Themes").path
            if isDirectory(candidate) { return candidate }
        }
        return nil
    }

    /// The running executable, symlinks resolved.
    static func currentExecutablePath() -> String? {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        #endif
        return Bundle.main.executablePath.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }
}
