/// Fits colors to the xterm palettes: the 256-color cube and gray ramp, and the 16 ANSI colors.
///
/// The 16 ANSI colors use xterm's default values; terminals let users change them, which is why
/// a hex color is never mapped to 0–15 in the 256-color tier (only to the fixed cube and ramp).
public enum ColorMatching {
    /// xterm's default RGB values for ANSI colors 0–15.
    public static let ansiRGB: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// The six channel levels of the 6×6×6 color cube (indices 16–231).
    public static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of an xterm-256 palette index.
    public static func rgb(ofIndex index: Int) -> RGB {
        switch index {
        case 0..<16:
            return ansiRGB[index]
        case 16..<232:
            let i = index - 16
            return RGB(UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[i / 6 % 6]), UInt8(cubeLevels[i % 6]))
        default:
            let v = UInt8(8 + 10 * (min(max(index, 232), 255) - 232))
            return RGB(v, v, v)
        }
    }

    /// The nearest xterm-256 index among the cube (16–231) and the gray ramp (232–255).
    public static func nearest256(_ color: RGB) -> Int {
        func cubeIndex(_ v: UInt8) -> Int {
            // Midpoints between levels: 0 |48| 95 |115| 135 |155| 175 |195| 215 |235| 255
            let v = Int(v)
            if v < 48 { return 0 }
            if v < 115 { return 1 }
            return min(5, (v - 35) / 40)
        }
        let cube = 16 + 36 * cubeIndex(color.r) + 6 * cubeIndex(color.g) + cubeIndex(color.b)
        let average = (Int(color.r) + Int(color.g) + Int(color.b)) / 3
        let grayStep = average > 238 ? 23 : max(0, (average - 3) / 10)
        let gray = 232 + grayStep
        let cubeDistance = color.distanceSquared(to: rgb(ofIndex: cube))
        let grayDistance = color.distanceSquared(to: rgb(ofIndex: gray))
        return grayDistance < cubeDistance ? gray : cube
    }

    /// The nearest of the first `count` ANSI colors (8 or 16); ties go to the lower index.
    public static func nearestANSI(_ color: RGB, count: Int = 16) -> Int {
        var best = 0
        var bestDistance = Int.max
        for i in 0..<min(max(count, 1), 16) {
            let d = color.distanceSquared(to: ansiRGB[i])
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }
}
