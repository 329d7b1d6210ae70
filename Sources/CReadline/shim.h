// GNU readline for `tally repl` (Debian: libreadline-dev), plus a few
// helpers Swift cannot express portably: a SIGINT handler that only sets a
// flag and writes to a self-pipe, so that Ctrl-C wakes the REPL's poll loop
// whichever thread the signal is delivered to.
//
// Linked only into the `tally` executable, never into the Tally library:
// GNU readline is GPL-licensed (see README).
#ifndef TALLY_CREADLINE_SHIM_H
#define TALLY_CREADLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <termios.h>
#include <readline/readline.h>
#include <readline/history.h>

static volatile sig_atomic_t tally_sigint_flag = 0;
static int tally_sigint_pipe[2] = {-1, -1};

static void tally_sigint_handler(int sig) {
    (void)sig;
    int saved = errno;
    tally_sigint_flag = 1;
    if (tally_sigint_pipe[1] >= 0) {
        char byte = 1;
        ssize_t ignored = write(tally_sigint_pipe[1], &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

/// Installs the SIGINT handler (no SA_RESTART: a blocked poll returns EINTR)
/// and the self-pipe. Returns the pipe's read end, or -1.
static inline int tally_install_sigint(void) {
    if (tally_sigint_pipe[0] < 0) {
        if (pipe(tally_sigint_pipe) != 0) return -1;
        for (int i = 0; i < 2; i++) {
            fcntl(tally_sigint_pipe[i], F_SETFL, fcntl(tally_sigint_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(tally_sigint_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = tally_sigint_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    return tally_sigint_pipe[0];
}

/// Whether Ctrl-C was pressed since the last `tally_take_sigint`.
static inline int tally_sigint_pending(void) { return tally_sigint_flag != 0; }

/// Ctrl-C cancels evaluations only while a command runs (not, say, the
/// evaluation that warms up a session in the background at the prompt).
static volatile sig_atomic_t tally_cancel_enabled = 0;
static inline void tally_set_cancel_enabled(int on) { tally_cancel_enabled = on; }
static inline int tally_cancellation_requested(void) { return tally_cancel_enabled && tally_sigint_flag; }

/// Clears the Ctrl-C flag and drains the self-pipe; returns whether it was set.
static inline int tally_take_sigint(void) {
    int was = tally_sigint_flag != 0;
    tally_sigint_flag = 0;
    if (tally_sigint_pipe[0] >= 0) {
        char buffer[64];
        while (read(tally_sigint_pipe[0], buffer, sizeof buffer) > 0) {}
    }
    return was;
}

/// Ctrl-C normally makes the terminal driver flush pending input. When the
/// REPL has just seen input and asked readline to read it, a flush in
/// between would leave readline waiting for a key that never comes (the
/// signal may go to another thread and interrupt nothing). NOFLSH keeps the
/// input; the REPL flushes it itself when it handles the interrupt
/// (`tally_flush_input`). Restored on exit.
static struct termios tally_saved_termios = {0};
static int tally_termios_saved = 0;
static inline void tally_terminal_keep_input_on_interrupt(void) {
    struct termios t;
    if (tcgetattr(0, &t) != 0) return;
    if (!tally_termios_saved) { tally_saved_termios = t; tally_termios_saved = 1; }
    t.c_lflag |= NOFLSH;
    tcsetattr(0, TCSANOW, &t);
}
/// What was typed before Ctrl-C is thrown away with the line (the flush
/// the terminal driver would have done), at a point where readline is not
/// waiting for it.
static inline void tally_flush_input(void) { tcflush(0, TCIFLUSH); }
static inline void tally_terminal_restore(void) {
    if (tally_termios_saved) tcsetattr(0, TCSANOW, &tally_saved_termios);
}

/// Waits until standard input is readable (1) or Ctrl-C is pressed (0);
/// -1 on error.
static inline int tally_wait_for_input(void) {
    for (;;) {
        if (tally_sigint_flag) return 0;
        struct pollfd fds[2];
        fds[0].fd = 0; fds[0].events = POLLIN; fds[0].revents = 0;
        fds[1].fd = tally_sigint_pipe[0]; fds[1].events = POLLIN; fds[1].revents = 0;
        int n = poll(fds, tally_sigint_pipe[0] >= 0 ? 2 : 1, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (tally_sigint_flag) return 0;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) return 1;
    }
}

/// Readline's global variables, read and set through functions: Swift 6
/// treats imported mutable globals as unsafe shared state.
static inline void tally_rl_setup(const char *name, const char *breaks) {
    rl_readline_name = name;
    rl_basic_word_break_characters = breaks;
    rl_completer_word_break_characters = (char *)breaks;
    rl_completer_quote_characters = NULL;
    /* No quote counts as a word delimiter to re-append after a completion
       (ids are completed with their closing `"]` already). */
    rl_basic_quote_characters = NULL;
    rl_catch_signals = 0;
}
static inline const char *tally_rl_line_buffer(void) { return rl_line_buffer; }
static inline int tally_rl_point(void) { return rl_point; }
static inline int tally_rl_end(void) { return rl_end; }
static inline int tally_history_length(void) { return history_length; }
static inline int tally_history_base(void) { return history_base; }
/// Readline's prompts and echo go to standard error when standard output
/// is redirected (`tally repl > results.txt`): the file gets only results.
static inline void tally_rl_echo_to_stderr(void) { rl_outstream = stderr; }
/// Writes to the stream readline edits on (standard output, or standard
/// error after `tally_rl_echo_to_stderr`).
static inline void tally_write_terminal(const char *text) {
    FILE *out = rl_outstream ? rl_outstream : stdout;
    fputs(text, out);
    fflush(out);
}
static inline void tally_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void tally_rl_set_word_break_hook(rl_cpvfunc_t *f) { rl_completion_word_break_hook = f; }
static inline void tally_rl_set_attempted_over(int over) { rl_attempted_completion_over = over; }
static inline void tally_rl_set_suppress_append(int suppress) { rl_completion_suppress_append = suppress; }
/// History entries that span lines: written with a `#TIMESTAMP` line before
/// each entry, and read back as one entry (the lines between timestamps).
/// Timestamps are only written when the comment character is set.
static inline void tally_history_set_multiline(void) {
    history_comment_char = '#';
    history_write_timestamps = 1;
    history_multiline_entries = 1;
}

#endif
