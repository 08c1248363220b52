#ifndef EARSHOT_CURSES_SHIM_H
#define EARSHOT_CURSES_SHIM_H

// The only door between Swift and ncurses.
//
// ncurses exposes much of its API as macros (COLOR_PAIR, KEY_*, A_*) and mutable C globals
// (stdscr, COLS, LINES, ESCDELAY). Swift 6 strict concurrency rejects direct use of mutable
// globals, so this header offers plain functions over plain C types instead; it deliberately
// does not include <ncurses.h>, so no ncurses symbol leaks into Swift.
//
// All screen functions must be called from one thread (the UI thread).

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Environment probes (safe before the screen starts)

/// 1 if the file descriptor is a terminal.
int earshot_isatty(int fd);

/// Calls setlocale(LC_ALL, "") and returns nl_langinfo(CODESET) ("UTF-8", "ANSI_X3.4-1968", …).
/// The returned string is owned by the C library; copy it at once.
const char *earshot_locale_codeset(void);

/// Number of colors the terminfo entry for `term` declares (tigetnum "colors"), -1 when the
/// entry has none, -2 when there is no terminfo entry for `term`. Does not start the screen.
int earshot_terminfo_colors(const char *term);

// MARK: - Screen lifecycle

/// Starts curses on stdin/stdout with newterm (never exits the process on failure, unlike initscr):
/// keypad, noecho, raw, nonl, invisible cursor, the given ESC delay, a `timeout_ms` read timeout.
/// Registers an atexit guard that restores the terminal, and a crash guard: on SIGSEGV, SIGBUS,
/// SIGILL, SIGABRT, SIGTRAP, SIGFPE and SIGQUIT an async-signal-safe handler writes the terminal's
/// sgr0/rmkx/cnorm/rmcup strings and the saved terminal modes, then lets the signal take its
/// previous action (SIGQUIT: the default, quit). Returns 0, or -1 when the terminal cannot be initialised.
int earshot_screen_start(int escdelay_ms, int timeout_ms);

/// Restores the terminal (endwin) and the signal actions the crash guard replaced, if the screen
/// is active. Idempotent, safe to call twice.
void earshot_screen_stop(void);

/// 1 while the screen is active (started and not stopped).
int earshot_screen_active(void);

/// Current size in cells (COLS, LINES).
int earshot_screen_width(void);
int earshot_screen_height(void);

/// Stops the process as Ctrl-Z would (restoring the terminal first) and returns after `fg`,
/// with the screen ready to be redrawn in full.
void earshot_suspend(void);

// MARK: - Colors

/// Starts colors. Returns the number of colors (COLORS), or 0 when the terminal has none.
/// `*default_colors` is set to 1 when -1 (the terminal's own color) may be used in pairs.
int earshot_start_colors(int *default_colors);

/// init_pair(pair, fg, bg); -1 is the terminal's default color. Returns 0 or -1.
int earshot_init_pair(int pair, int fg, int bg);

/// Number of color pairs available (COLOR_PAIRS), 0 before colors start.
int earshot_color_pairs(void);

// MARK: - Drawing

/// Attribute bits understood by earshot_draw_text.
enum {
    EARSHOT_ATTR_BOLD = 1,
    EARSHOT_ATTR_REVERSE = 2,
    EARSHOT_ATTR_UNDERLINE = 4,
    EARSHOT_ATTR_DIM = 8,
};

/// Sets the background used by erase/clear to the given pair and attributes.
void earshot_set_background(int attrs, int pair);

/// Writes `count` Unicode scalars at row y, column x with the given attributes and color pair
/// (0 = no pair). Writing the bottom-right cell is allowed.
void earshot_draw_text(int y, int x, const unsigned int *scalars, int count, int attrs, int pair);

/// Clears the whole screen on the next flush (after a resize or a suspend).
void earshot_clear(void);

/// Sends what was drawn to the terminal (wnoutrefresh + doupdate).
void earshot_flush(void);

// MARK: - Input

enum {
    EARSHOT_INPUT_NONE = 0,      ///< timeout, nothing read
    EARSHOT_INPUT_CHAR = 1,      ///< *code is a Unicode scalar
    EARSHOT_INPUT_KEYCODE = 2,   ///< *code is an ncurses KEY_* code
};

/// Waits up to the read timeout set with earshot_set_read_timeout (or earshot_screen_start)
/// and reads one key with wget_wch.
int earshot_read_key(int *code);

/// Changes the read timeout: -1 blocks, 0 polls, >0 waits that many milliseconds.
void earshot_set_read_timeout(int timeout_ms);

/// The ncurses key codes the decoder needs (they are macros in C).
typedef struct {
    int up, down, left, right;
    int home, end, page_up, page_down;
    int enter, backspace, delete_char, insert, back_tab;
    int f0;          ///< KEY_F0; KEY_F(n) == f0 + n
    int f_max;       ///< highest function key number (63)
    int resize, mouse;
    int keypad_a1, keypad_a3, keypad_b2, keypad_c1, keypad_c3;
} earshot_key_codes;

earshot_key_codes earshot_get_key_codes(void);

// MARK: - Signals

/// Installs SIGINT, SIGTERM and SIGHUP handlers that only record the signal
/// (async-signal-safe); the UI loop polls earshot_pending_signal and exits through endwin.
void earshot_install_signal_handlers(void);

/// Puts back the handlers that were in place before earshot_install_signal_handlers.
void earshot_restore_signal_handlers(void);

/// The first termination signal received since installation, or 0.
int earshot_pending_signal(void);

#ifdef __cplusplus
}
#endif

#endif
