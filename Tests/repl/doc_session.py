"""The example sessions of docs/repl.md: extract them, run them, and (with
--regenerate) rewrite their output from the current binary.

A session is a fenced ```text block right after a line
    <!-- session: ARGS... -->
naming the `tally repl` arguments (relative to the repository root). In the
block, lines starting with `tally> ` or `  ...> ` are input (prompt removed);
every other line is output: standard output and standard error together, in
the order written."""
import re
import shlex
import subprocess
import sys

from support import ROOT, TALLY, clean_env

DOC = ROOT / "docs" / "repl.md"
BLOCK = re.compile(r"<!-- session: (?P<args>[^\n]*?) -->\n```text\n(?P<body>.*?)```", re.S)
PROMPTS = ("tally> ", "  ...> ")


def sessions(text):
    for m in BLOCK.finditer(text):
        inputs, groups = [], []
        for line in m.group("body").splitlines():
            if line.startswith(PROMPTS):
                if line.startswith(PROMPTS[0]):
                    groups.append([line, []])
                else:
                    groups[-1][0] += "\n" + line
                inputs.append(line[len(PROMPTS[0]):])
            else:
                groups[-1][1].append(line)
        expected = "".join(l + "\n" for _, out in groups for l in out)
        yield m, shlex.split(m.group("args")), inputs, expected, groups


def run(args, inputs):
    p = subprocess.run([TALLY, "repl", *args], input="".join(l + "\n" for l in inputs).encode(), cwd=str(ROOT),
                       env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode()


def regenerate():
    """Reruns each session entry by entry (a marker between entries tells
    whose output is whose) and writes the transcript back."""
    text = DOC.read_text(encoding="utf-8")
    out = []
    last = 0
    for m, args, _, _, groups in sessions(text):
        marker = '"@@end-of-entry@@"'
        entries = [g[0] for g in groups]
        feed = []
        for e in entries:
            feed += [l[len(PROMPTS[0]):] for l in e.split("\n")]
            feed.append(marker)
        _, output = run(args, feed)
        chunks = output.split("@@end-of-entry@@\n")
        body = ""
        for e, chunk in zip(entries, chunks):
            body += e + "\n" + chunk
        out.append(text[last:m.start("body")] + body)
        last = m.end("body")
    out.append(text[last:])
    DOC.write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        for _, args, inputs, expected, _ in sessions(DOC.read_text(encoding="utf-8")):
            status, output = run(args, inputs)
            print("ok" if output == expected else "DIFFERS", args)
