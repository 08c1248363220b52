import EventStore
import CursesShim
import Dashboard

/// What `wget_wch` returned: a character, or an ncurses key code (`KEY_CODE_YES`).
public enum RawInput: Equatable, Sendable {
    /// A Unicode scalar value (including control characters such as 3 for Ctrl-C, 27 for Esc).
    case char(UInt32)
    /// An ncurses `KEY_*` code.
    case keyCode(Int32)
}

/// One decoded input: a key for the dashboard, or a resize notice.
public enum DecodedInput: Equatable, Sendable {
    case key(Key)
    case resize
}

/// The ncurses key codes the decoder needs (in C they are macros; the shim reports them).
public struct KeyCodes: Equatable, Sendable {
    public var up, down, left, right: Int32
    public var home, end, pageUp, pageDown: Int32
    public var enter, backspace, delete, insert, backTab: Int32
    /// `KEY_F0`; function key n is `f0 + n`.
    public var f0: Int32
    public var fMax: Int32
    public var resize, mouse: Int32
    public var keypadA1, keypadA3, keypadB2, keypadC1, keypadC3: Int32

    /// The codes of the linked ncurses.
    public static let ncurses: KeyCodes = {
        let k = earshot_get_key_codes()
        return KeyCodes(up: k.up, down: k.down, left: k.left, right: k.right,
                        home: k.home, end: k.end, pageUp: k.page_up, pageDown: k.page_down,
                        enter: k.enter, backspace: k.backspace, delete: k.delete_char, insert: k.insert,
                        backTab: k.back_tab, f0: k.f0, fMax: k.f_max, resize: k.resize, mouse: k.mouse,
                        keypadA1: k.keypad_a1, keypadA3: k.keypad_a3, keypadB2: k.keypad_b2,
                        keypadC1: k.keypad_c1, keypadC3: k.keypad_c3)
    }()
}

/// Turns `wget_wch` results into `Key`s. Pure: tests feed it tables of raw inputs.
///
/// Escape sequences that ncurses did not decode (Alt-x, unknown CSI/SS3 sequences, OSC strings)
/// are dropped whole, never inserted as text; so are control characters without a meaning.
public enum KeyDecoder {
    static let escape: UInt32 = 27

    /// Decodes one input on its own (an ESC here is the Esc key).
    public static func decode(_ raw: RawInput, codes: KeyCodes = .ncurses) -> DecodedInput? {
        switch raw {
        case .char(let value): return decodeChar(value).map(DecodedInput.key)
        case .keyCode(let code): return decodeKeyCode(code, codes: codes)
        }
    }

    /// Decodes everything read in one burst (the first key and whatever was already waiting).
    /// An ESC followed by more input in the same burst starts a sequence ncurses did not
    /// recognise; the sequence is dropped. An ESC at the end of a burst is the Esc key.
    public static func decode(burst: [RawInput], codes: KeyCodes = .ncurses) -> [DecodedInput] {
        var out: [DecodedInput] = []
        var i = 0
        while i < burst.count {
            let raw = burst[i]
            i += 1
            if case .char(let value) = raw, value == escape || value == 0x9b {
                // 8-bit CSI (U+009B) is ESC [ in one character.
                let isCSI = value == 0x9b
                if !isCSI {
                    guard i < burst.count, case .char(let next) = burst[i] else {
                        out.append(.key(.escape))
                        continue
                    }
                    if next == escape { out.append(.key(.escape)); continue }
                    i += 1
                    if next == UInt32(UInt8(ascii: "[")) {
                        i = skipCSI(burst, from: i)
                    } else if next == UInt32(UInt8(ascii: "]")) || next == UInt32(UInt8(ascii: "P"))
                                || next == UInt32(UInt8(ascii: "_")) || next == UInt32(UInt8(ascii: "^")) {
                        i = skipString(burst, from: i)
                    } else if next == UInt32(UInt8(ascii: "O")) {
                        if i < burst.count { i += 1 }
                    }
                    // Otherwise Alt plus one character: already skipped.
                } else {
                    i = skipCSI(burst, from: i)
                }
                continue
            }
            if let decoded = decode(raw, codes: codes) { out.append(decoded) }
        }
        return out
    }

    /// Skips CSI parameters and intermediates up to and including the final byte (0x40–0x7E).
    static func skipCSI(_ burst: [RawInput], from start: Int) -> Int {
        var i = start
        while i < burst.count {
            guard case .char(let c) = burst[i] else { return i }
            i += 1
            if (0x40...0x7e).contains(c) { return i }
            if !(0x20...0x3f).contains(c) { return i }
        }
        return i
    }

    /// Skips an OSC/DCS/APC/PM string up to BEL or ESC \.
    static func skipString(_ burst: [RawInput], from start: Int) -> Int {
        var i = start
        while i < burst.count {
            guard case .char(let c) = burst[i] else { return i }
            i += 1
            if c == 7 || c == 0x9c { return i }
            if c == escape {
                if i < burst.count, case .char(UInt32(UInt8(ascii: "\\"))) = burst[i] { i += 1 }
                return i
            }
        }
        return i
    }

    static func decodeChar(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26:
            return .ctrl(Character(Unicode.Scalar(UInt8(value) + UInt8(ascii: "a") - 1)))
        default:
            guard let scalar = Unicode.Scalar(value), !UnsafeText.isUnsafe(scalar) else { return nil }
            return .char(Character(scalar))
        }
    }

    static func decodeKeyCode(_ code: Int32, codes k: KeyCodes) -> DecodedInput? {
        switch code {
        case k.up: return .key(.up)
        case k.down: return .key(.down)
        case k.left: return .key(.left)
        case k.right: return .key(.right)
        case k.home, k.keypadA1: return .key(.home)
        case k.end, k.keypadC1: return .key(.end)
        case k.pageUp, k.keypadA3: return .key(.pageUp)
        case k.pageDown, k.keypadC3: return .key(.pageDown)
        case k.enter: return .key(.enter)
        case k.backspace: return .key(.backspace)
        case k.delete: return .key(.delete)
        case k.backTab: return .key(.backTab)
        case k.resize: return .resize
        case (k.f0 + 1)...(k.f0 + k.fMax): return .key(.function(Int(code - k.f0)))
        default: return nil
        }
    }
}
