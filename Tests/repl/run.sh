#!/usr/bin/env bash
# The REPL's end-to-end tests, against a built `tally` (default
# .build/debug/tally; TALLY_BIN names another):
#   test_piped.py     every command through piped standard input
#   test_terminal.py  a real pseudo-terminal (pexpect): editing keys, history,
#                     completion, multi-line input, Ctrl-C, Ctrl-D
#   test_docs.py      the example sessions of docs/repl.md, output compared
# Usage: swift build && Tests/repl/run.sh [unittest arguments, e.g. -k solve]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export TALLY_BIN="${TALLY_BIN:-$root/.build/debug/tally}"
if [ ! -x "$TALLY_BIN" ]; then
    echo "repl tests: $TALLY_BIN not found; run swift build first" >&2
    exit 1
fi
if ! python3 -c 'import pexpect' 2>/dev/null; then
    echo "repl tests: Python's pexpect is needed (pip install pexpect)" >&2
    exit 1
fi
cd "$here"
python3 -m unittest -v test_piped test_terminal test_docs "$@"
