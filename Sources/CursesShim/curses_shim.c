// The C side of the Terminal module: everything that touches ncurses macros and globals.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1

#include "curses_shim.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

static SCREEN *earshot_screen = NULL;
static int earshot_active = 0;
static int earshot_atexit_registered = 0;
static volatile sig_atomic_t earshot_signal = 0;
static struct sigaction earshot_saved_actions[3];
static const int earshot_handled_signals[3] = {SIGINT, SIGTERM, SIGHUP};
static int earshot_handlers_installed = 0;

// The crash guard (see earshot_crash_guard_install): what the terminal must get back if the process
// dies while the screen is up, prepared in advance so that the handler only calls write(2),
// tcsetattr(3), sigaction(2) and raise(3), which are async-signal-safe.
static volatile sig_atomic_t earshot_crash_armed = 0;
static struct termios earshot_saved_termios;
static int earshot_termios_fd = -1;
static char earshot_restore_sequence[512];
static size_t earshot_restore_length = 0;
#define EARSHOT_CRASH_SIGNALS 7
static const int earshot_crash_signals[EARSHOT_CRASH_SIGNALS] = {SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGTRAP, SIGFPE, SIGQUIT};
static struct sigaction earshot_saved_crash_actions[EARSHOT_CRASH_SIGNALS];
static int earshot_crash_installed = 0;
static void earshot_crash_guard_install(void);
static void earshot_crash_guard_remove(void);

// MARK: - Environment probes

int earshot_isatty(int fd) { return isatty(fd) ? 1 : 0; }

const char *earshot_locale_codeset(void) {
    setlocale(LC_ALL, "");
    const char *codeset = nl_langinfo(CODESET);
    return codeset ? codeset : "";
}

// MARK: - Screen lifecycle

static void earshot_atexit_restore(void) { earshot_screen_stop(); }

int earshot_screen_start(int escdelay_ms, int timeout_ms) {
    if (earshot_active) return 0;
    // The terminal modes as the shell left them: what a crash handler puts back.
    earshot_termios_fd = -1;
    if (tcgetattr(STDOUT_FILENO, &earshot_saved_termios) == 0) earshot_termios_fd = STDOUT_FILENO;
    else if (tcgetattr(STDIN_FILENO, &earshot_saved_termios) == 0) earshot_termios_fd = STDIN_FILENO;
    earshot_screen = newterm(NULL, stdout, stdin);
    if (earshot_screen == NULL) return -1;
    set_term(earshot_screen);
    earshot_active = 1;
    if (!earshot_atexit_registered) {
        atexit(earshot_atexit_restore);
        earshot_atexit_registered = 1;
    }
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    meta(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    scrollok(stdscr, FALSE);
    curs_set(0);
    set_escdelay(escdelay_ms);
    wtimeout(stdscr, timeout_ms);
    earshot_crash_guard_install();
    return 0;
}

void earshot_screen_stop(void) {
    if (!earshot_active) return;
    earshot_crash_guard_remove();
    earshot_active = 0;
    curs_set(1);
    if (!isendwin()) endwin();
    fflush(stdout);
}

int earshot_screen_active(void) { return earshot_active; }

int earshot_screen_width(void) { return earshot_active ? COLS : 0; }
int earshot_screen_height(void) { return earshot_active ? LINES : 0; }

void earshot_suspend(void) {
    if (!earshot_active) return;
    earshot_crash_armed = 0;  // the terminal is the shell's while stopped
    curs_set(1);
    endwin();
    fflush(stdout);
    // SIGSTOP cannot be caught: the shell sees a stopped job, `fg` sends SIGCONT and we return here.
    kill(getpid(), SIGSTOP);
    earshot_crash_armed = 1;
    reset_prog_mode();
    curs_set(0);
    clearok(curscr, TRUE);
}

// MARK: - Colors

int earshot_start_colors(int *default_colors) {
    if (default_colors) *default_colors = 0;
    if (!earshot_active || !has_colors()) return 0;
    if (start_color() != OK) return 0;
    if (use_default_colors() == OK && default_colors) *default_colors = 1;
    return COLORS;
}

int earshot_init_pair(int pair, int fg, int bg) {
    if (!earshot_active) return -1;
    return init_pair((short)pair, (short)fg, (short)bg) == OK ? 0 : -1;
}

int earshot_color_pairs(void) { return earshot_active ? COLOR_PAIRS : 0; }

// MARK: - Drawing

static attr_t earshot_attrs(int attrs) {
    attr_t out = A_NORMAL;
    if (attrs & EARSHOT_ATTR_BOLD) out |= A_BOLD;
    if (attrs & EARSHOT_ATTR_REVERSE) out |= A_REVERSE;
    if (attrs & EARSHOT_ATTR_UNDERLINE) out |= A_UNDERLINE;
    if (attrs & EARSHOT_ATTR_DIM) out |= A_DIM;
    return out;
}

void earshot_set_background(int attrs, int pair) {
    if (!earshot_active) return;
    cchar_t blank;
    wchar_t space[2] = {L' ', 0};
    setcchar(&blank, space, earshot_attrs(attrs), (short)pair, NULL);
    wbkgrndset(stdscr, &blank);
}

void earshot_draw_text(int y, int x, const unsigned int *scalars, int count, int attrs, int pair) {
    if (!earshot_active || count <= 0) return;
    wchar_t stackbuf[256];
    wchar_t *buf = count < 256 ? stackbuf : malloc(sizeof(wchar_t) * (size_t)(count + 1));
    if (buf == NULL) return;
    for (int i = 0; i < count; i++) buf[i] = (wchar_t)scalars[i];
    buf[count] = 0;
    wattr_set(stdscr, earshot_attrs(attrs), (short)pair, NULL);
    // At the bottom-right cell the cursor cannot advance and ncurses reports ERR, but the
    // character is written; nothing else can fail here that we could act on.
    mvwaddnwstr(stdscr, y, x, buf, count);
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    if (buf != stackbuf) free(buf);
}

void earshot_clear(void) {
    if (!earshot_active) return;
    werase(stdscr);
    clearok(curscr, TRUE);
}

void earshot_flush(void) {
    if (!earshot_active) return;
    wnoutrefresh(stdscr);
    doupdate();
}

// MARK: - Input

int earshot_read_key(int *code) {
    if (!earshot_active) return EARSHOT_INPUT_NONE;
    wint_t ch = 0;
    int status = wget_wch(stdscr, &ch);
    if (code) *code = (int)ch;
    if (status == KEY_CODE_YES) return EARSHOT_INPUT_KEYCODE;
    if (status == OK) return EARSHOT_INPUT_CHAR;
    return EARSHOT_INPUT_NONE;
}

void earshot_set_read_timeout(int timeout_ms) {
    if (earshot_active) wtimeout(stdscr, timeout_ms);
}

earshot_key_codes earshot_get_key_codes(void) {
    earshot_key_codes k;
    k.up = KEY_UP; k.down = KEY_DOWN; k.left = KEY_LEFT; k.right = KEY_RIGHT;
    k.home = KEY_HOME; k.end = KEY_END; k.page_up = KEY_PPAGE; k.page_down = KEY_NPAGE;
    k.enter = KEY_ENTER; k.backspace = KEY_BACKSPACE; k.delete_char = KEY_DC; k.insert = KEY_IC;
    k.back_tab = KEY_BTAB;
    k.f0 = KEY_F0; k.f_max = 63;
    k.resize = KEY_RESIZE; k.mouse = KEY_MOUSE;
    k.keypad_a1 = KEY_A1; k.keypad_a3 = KEY_A3; k.keypad_b2 = KEY_B2;
    k.keypad_c1 = KEY_C1; k.keypad_c3 = KEY_C3;
    return k;
}

// MARK: - Signals

static void earshot_on_signal(int sig) {
    if (earshot_signal == 0) earshot_signal = sig;
}

void earshot_install_signal_handlers(void) {
    if (earshot_handlers_installed) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = earshot_on_signal;
    sigemptyset(&sa.sa_mask);
    // No SA_RESTART: a blocked read returns early so the loop notices the signal at once.
    sa.sa_flags = 0;
    for (int i = 0; i < 3; i++) sigaction(earshot_handled_signals[i], &sa, &earshot_saved_actions[i]);
    earshot_handlers_installed = 1;
}

void earshot_restore_signal_handlers(void) {
    if (!earshot_handlers_installed) return;
    for (int i = 0; i < 3; i++) sigaction(earshot_handled_signals[i], &earshot_saved_actions[i], NULL);
    earshot_handlers_installed = 0;
}

int earshot_pending_signal(void) { return (int)earshot_signal; }

// MARK: - Crash guard

/// Appends terminfo capability `name` to the restore sequence (when the terminal has it).
static void earshot_append_capability(const char *name) {
    char *value = tigetstr((char *)name);
    if (value == NULL || value == (char *)-1) return;
    size_t n = strlen(value);
    if (earshot_restore_length + n >= sizeof earshot_restore_sequence) return;
    memcpy(earshot_restore_sequence + earshot_restore_length, value, n);
    earshot_restore_length += n;
}

/// Puts the terminal back the way the shell had it: attributes off, keypad transmit off, cursor
/// visible, alternate screen left, then the saved termios (cooked mode, echo). Async-signal-safe.
static void earshot_restore_terminal_now(void) {
    if (!earshot_crash_armed) return;
    earshot_crash_armed = 0;
    size_t done = 0;
    while (done < earshot_restore_length) {
        ssize_t n = write(STDOUT_FILENO, earshot_restore_sequence + done, earshot_restore_length - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
    if (earshot_termios_fd >= 0) tcsetattr(earshot_termios_fd, TCSANOW, &earshot_saved_termios);
}

static void earshot_on_crash(int sig, siginfo_t *info, void *context) {
    earshot_restore_terminal_now();
    struct sigaction previous;
    memset(&previous, 0, sizeof previous);
    previous.sa_handler = SIG_DFL;
    sigemptyset(&previous.sa_mask);
    for (int i = 0; i < EARSHOT_CRASH_SIGNALS; i++) {
        if (earshot_crash_signals[i] == sig) previous = earshot_saved_crash_actions[i];
    }
    int has_function = (previous.sa_flags & SA_SIGINFO) ? previous.sa_sigaction != NULL
        : (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN);
    if (info != NULL && info->si_code > 0 && sig != SIGQUIT) {
        // A fault of an instruction: it faults again when this handler returns, now reaching the
        // previous action (the Swift runtime's backtracer, printing on a normal screen, or the
        // default) with its real context.
        if (!has_function) {
            memset(&previous, 0, sizeof previous);
            previous.sa_handler = SIG_DFL;
            sigemptyset(&previous.sa_mask);
        }
        sigaction(sig, &previous, NULL);
        return;
    }
    // A signal that was sent (kill) or raised (abort): let a previous handler report it (not for
    // SIGQUIT, which a backtracer would survive), then end the process with the default action.
    if (sig != SIGQUIT && has_function) {
        if (previous.sa_flags & SA_SIGINFO) previous.sa_sigaction(sig, info, context);
        else previous.sa_handler(sig);
    }
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(sig, &fallback, NULL);
    raise(sig);  // blocked until this handler returns, then the default action ends the process
}

/// Installs the crash handlers (SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGTRAP, SIGFPE, SIGQUIT) for
/// the running screen, on an alternate signal stack (a stack overflow must still be handled).
static void earshot_crash_guard_install(void) {
    earshot_restore_length = 0;
    earshot_append_capability("sgr0");
    earshot_append_capability("rmkx");
    earshot_append_capability("cnorm");
    earshot_append_capability("rmcup");
    if (!earshot_crash_installed) {
        stack_t current;
        if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
            static char *alternate = NULL;
            size_t size = 64 * 1024;
            if (alternate == NULL) alternate = malloc(size);
            if (alternate != NULL) {
                stack_t st;
                memset(&st, 0, sizeof st);
                st.ss_sp = alternate;
                st.ss_size = size;
                sigaltstack(&st, NULL);
            }
        }
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = earshot_on_crash;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        for (int i = 0; i < EARSHOT_CRASH_SIGNALS; i++) {
            sigaction(earshot_crash_signals[i], &sa, &earshot_saved_crash_actions[i]);
        }
        earshot_crash_installed = 1;
    }
    earshot_crash_armed = 1;
}

/// Puts back the handlers that were in place before the screen started.
static void earshot_crash_guard_remove(void) {
    earshot_crash_armed = 0;
    if (!earshot_crash_installed) return;
    for (int i = 0; i < EARSHOT_CRASH_SIGNALS; i++) {
        sigaction(earshot_crash_signals[i], &earshot_saved_crash_actions[i], NULL);
    }
    earshot_crash_installed = 0;
}
