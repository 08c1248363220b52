import ArgumentParser
import Foundation
import Terminal

/// Where and how `e` writes its exports from the dashboard (declared once, used by `dashboard` and `demo`).
struct ExportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory for the `e` exports (created when missing).", valueName: "dir"))
    var exportDir: String = TerminalOptions.defaultExportDirectory

    @Flag(name: .long, help: "`e` exports leave out key hints and the load time (pictures for slides).")
    var slideExports = false

    /// Applies the flags to the terminal options (`slideByDefault`: `earshot demo`, where exports are for slides).
    func apply(to options: inout TerminalOptions, slideByDefault: Bool = false) {
        options.exportDirectory = exportDir
        options.slideExports = slideExports || slideByDefault
    }
}

/// How store paths are named on screen: a path inside the current directory relative to it (`ExampleData`, not
/// `/home/me/earshot/ExampleData`); others as given.
enum StorePathDisplay {
    static func describe(_ paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath,
                         lastComponentOutside: Bool = false) -> String {
        let cwd = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
        return paths.map { p in
            let standard = (p as NSString).standardizingPath
            if standard.hasPrefix(cwd) && standard.count > cwd.count { return String(standard.dropFirst(cwd.count)) }
            if lastComponentOutside && standard.hasPrefix("/") { return (standard as NSString).lastPathComponent }
            return p
        }.joined(separator: " ")
    }
}
