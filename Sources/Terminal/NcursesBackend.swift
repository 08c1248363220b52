import CursesShim
import Dashboard
import Dispatch

/// Why the ncurses screen could not start.
public enum TerminalStartError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotInitialize(term: String)

    public var description: String {
        switch self {
        case .cannotInitialize(let term):
            return "cannot start the terminal screen for TERM=\(quoted(term)); use `earshot report` instead"
        }
    }
}

/// The real terminal, through the C shim: color pairs from the theme, diff drawing, keys.
/// Use from one thread only (the UI thread).
public final class NcursesBackend: TerminalBackend {
    /// The color tier in use.
    public let tier: ColorTier
    /// Every role's style in that tier.
    public let styles: ResolvedStyles
    private let asciiOnly: Bool
    private let keyCodes = KeyCodes.ncurses
    private var previous: ScreenBuffer?
    private var readTimeout: Int
    private var pairs: [StyleRole: Int32] = [:]
    private var isOpen = true
    /// Consecutive reads that returned nothing long before their timeout: the terminal is gone
    /// (EOF on stdin without a SIGHUP), and the loop must not spin.
    private var earlyEmptyReads = 0

    private init(tier: ColorTier, styles: ResolvedStyles, asciiOnly: Bool, readTimeout: Int) {
        self.tier = tier; self.styles = styles; self.asciiOnly = asciiOnly; self.readTimeout = readTimeout
    }

    /// Starts curses (newterm, raw, noecho, keypad, invisible cursor, short ESC delay), installs the
    /// signal handlers, picks the color tier and sets up one color pair per role.
    public static func start(theme: Theme, capabilities: TerminalCapabilities, tierOverride: ColorTier?,
                             noColor: Bool, environment: [String: String], escapeDelayMs: Int = 25,
                             readTimeoutMs: Int = 100) throws(TerminalStartError) -> NcursesBackend {
        earshot_install_signal_handlers()
        guard earshot_screen_start(Int32(escapeDelayMs), Int32(readTimeoutMs)) == 0 else {
            earshot_restore_signal_handlers()
            throw .cannotInitialize(term: capabilities.term)
        }
        let colorsWanted = !noColor && (environment["NO_COLOR"] ?? "").isEmpty && tierOverride != ColorTier.none
        var defaultColors: Int32 = 0
        let colorCount = colorsWanted ? Int(earshot_start_colors(&defaultColors)) : 0
        var tier = ColorTier.select(environment: environment, terminalColors: colorCount,
                                    override: tierOverride, noColorFlag: noColor)
        if tier != .none && Int(earshot_color_pairs()) <= StyleRole.allCases.count { tier = .none }
        let styles = ResolvedStyles(theme: theme, tier: tier)
        let backend = NcursesBackend(tier: tier, styles: styles, asciiOnly: !capabilities.utf8,
                                     readTimeout: readTimeoutMs)
        if tier != .none {
            for role in StyleRole.allCases {
                let pair = Int32(role.rawValue) + 1
                var style = styles[role]
                if defaultColors == 0 {
                    // Without use_default_colors, -1 is not allowed: assume white on black.
                    if style.foreground < 0 { style.foreground = 7 }
                    if style.background < 0 { style.background = 0 }
                }
                if earshot_init_pair(pair, Int32(style.foreground), Int32(style.background)) == 0 {
                    backend.pairs[role] = pair
                }
            }
        }
        let normal = styles[.normal]
        earshot_set_background(attributeBits(normal.attributes), backend.pairs[.normal] ?? 0)
        earshot_clear()
        return backend
    }

    public var size: TerminalSize {
        TerminalSize(width: Int(earshot_screen_width()), height: Int(earshot_screen_height()))
    }

    public var pendingSignal: Int32? {
        let signal = earshot_pending_signal()
        if signal != 0 { return signal }
        return earlyEmptyReads >= 50 ? 1 : nil  // as SIGHUP
    }

    public func draw(_ buffer: ScreenBuffer) {
        guard isOpen else { return }
        if let old = previous, old.width != buffer.width || old.height != buffer.height {
            previous = nil
        }
        if previous == nil { earshot_clear() }
        for run in ScreenDiff.runs(from: previous, to: buffer, asciiOnly: asciiOnly) {
            let scalars = run.text.unicodeScalars.map { UInt32($0.value) }
            scalars.withUnsafeBufferPointer { pointer in
                earshot_draw_text(Int32(run.y), Int32(run.x), pointer.baseAddress, Int32(pointer.count),
                                  Self.attributeBits(styles[run.role].attributes), pairs[run.role] ?? 0)
            }
        }
        earshot_flush()
        previous = buffer
    }

    public func readEvents(timeoutMs: Int) -> [TerminalEvent] {
        guard isOpen else { return [] }
        setTimeout(timeoutMs)
        var burst: [RawInput] = []
        var code: Int32 = 0
        let started = DispatchTime.now().uptimeNanoseconds
        var kind = earshot_read_key(&code)
        if kind == Int32(EARSHOT_INPUT_NONE) && timeoutMs >= 20 {
            let elapsedMs = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
            earlyEmptyReads = elapsedMs < UInt64(timeoutMs / 4) ? earlyEmptyReads + 1 : 0
        } else {
            earlyEmptyReads = 0
        }
        if kind != Int32(EARSHOT_INPUT_NONE) {
            // Take whatever else is already waiting, so an escape sequence arrives whole.
            setTimeout(0)
            while kind != Int32(EARSHOT_INPUT_NONE), burst.count < 512 {
                burst.append(kind == Int32(EARSHOT_INPUT_KEYCODE) ? .keyCode(code) : .char(UInt32(bitPattern: code)))
                kind = earshot_read_key(&code)
            }
        }
        return KeyDecoder.decode(burst: burst, codes: keyCodes).map { decoded in
            switch decoded {
            case .key(let key): return .key(key)
            case .resize:
                previous = nil
                return .resize(size)
            }
        }
    }

    public func suspend() {
        guard isOpen else { return }
        earshot_suspend()
        previous = nil
    }

    public func close() {
        guard isOpen else { return }
        isOpen = false
        earshot_screen_stop()
        earshot_restore_signal_handlers()
    }

    private func setTimeout(_ ms: Int) {
        if ms != readTimeout {
            earshot_set_read_timeout(Int32(ms))
            readTimeout = ms
        }
    }

    static func attributeBits(_ attributes: TextAttributes) -> Int32 {
        var bits: Int32 = 0
        if attributes.contains(.bold) { bits |= Int32(EARSHOT_ATTR_BOLD) }
        if attributes.contains(.reverse) { bits |= Int32(EARSHOT_ATTR_REVERSE) }
        if attributes.contains(.underline) { bits |= Int32(EARSHOT_ATTR_UNDERLINE) }
        if attributes.contains(.dim) { bits |= Int32(EARSHOT_ATTR_DIM) }
        return bits
    }
}
