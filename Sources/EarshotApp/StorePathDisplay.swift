import Foundation

/// How store paths are named on screen: a path inside the current directory relative to it (`ExampleData`, not
/// `/home/me/earshot/ExampleData`); others as given.
public enum StorePathDisplay {
    /// The paths joined by spaces; `lastComponentOutside`: a path outside the current directory by its last component.
    public static func describe(_ paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath,
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
