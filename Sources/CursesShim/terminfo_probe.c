// Terminfo look-up without starting the screen. Kept apart from curses_shim.c because
// <term.h> defines capability names (back_tab, key_up, …) as macros.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1

#include "curses_shim.h"

#include <unistd.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

int earshot_terminfo_colors(const char *term) {
    if (term == NULL || term[0] == '\0') return -2;
    if (earshot_screen_active()) {
        int colors = tigetnum("colors");
        return colors < 0 ? -1 : colors;
    }
    int err = 0;
    TERMINAL *previous = cur_term;
    // setupterm only reads the terminfo entry; it writes nothing to the terminal.
    if (setupterm(term, STDOUT_FILENO, &err) != OK) return -2;
    int colors = tigetnum("colors");
    TERMINAL *probe = cur_term;
    set_curterm(previous);
    del_curterm(probe);
    return colors < 0 ? -1 : colors;
}
