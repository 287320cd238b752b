#ifndef CAIRN_CCURSES_SHIM_H
#define CAIRN_CCURSES_SHIM_H
// The wide-character functions (get_wch, add_wch) only exist with this define.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <ncursesw/curses.h>

// Swift cannot import these macros, so hand them over as functions.
static inline attr_t cairn_a_bold(void) { return A_BOLD; }
static inline attr_t cairn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cairn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cairn_a_dim(void) { return A_DIM; }
static inline attr_t cairn_a_normal(void) { return A_NORMAL; }
static inline WINDOW *cairn_stdscr(void) { return stdscr; }
static inline int cairn_lines(void) { return LINES; }
static inline int cairn_cols(void) { return COLS; }
static inline int cairn_colors(void) { return COLORS; }
static inline int cairn_key_resize(void) { return KEY_RESIZE; }
static inline int cairn_key_btab(void) { return KEY_BTAB; }
static inline attr_t cairn_color_pair(int pair) { return COLOR_PAIR(pair); }
static inline int cairn_key_code_yes(void) { return KEY_CODE_YES; }

// Opens the terminal without initscr's habit of exiting the process on failure.
static inline SCREEN *cairn_newterm(void) { return newterm(NULL, stdout, stdin); }

// SIGTERM and SIGHUP only set a flag; the input loop (which wakes every 100 ms) sees it and
// restores the terminal. Both functions must be called from one Swift file: the flag is per file.
#include <signal.h>
#include <string.h>
static volatile sig_atomic_t cairn_pending_signal = 0;
static inline void cairn_note_signal(int signal) { cairn_pending_signal = signal; }
static inline void cairn_catch_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cairn_note_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}
static inline void cairn_release_signals(void) {
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
}
static inline int cairn_take_signal(void) {
    int received = cairn_pending_signal;
    cairn_pending_signal = 0;
    return received;
}
#endif
