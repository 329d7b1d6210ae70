"""`tally repl` on a real pseudo-terminal (pexpect): readline editing keys,
history across sessions, tab completion, multi-line input, Ctrl-C, Ctrl-D."""
import os
import re
import tempfile
import time
import unittest

import pexpect

from support import DATA, PLAN, ROOT, TALLY, clean_env

PROMPT = "tally> "


def line(value):
    """A line of output holding exactly `value` (after readline's own codes,
    e.g. the end of bracketed-paste mode, which end in a carriage return)."""
    return r"[\r\n]" + re.escape(value) + r"\r\n"


CONT = r"  \.\.\.> "
TIMEOUT = 20


class TerminalTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.history = os.path.join(self.dir.name, "history")
        self.children = []

    def tearDown(self):
        for c in self.children:
            if c.isalive():
                c.terminate(force=True)
        self.dir.cleanup()

    def spawn(self, *extra, history=None, env=None):
        e = clean_env(TALLY_HISTORY=history if history is not None else self.history, INPUTRC="/dev/null",
                      TERM="xterm", HOME=self.dir.name)
        if env:
            e.update(env)
        child = pexpect.spawn(TALLY, ["repl", PLAN, "--data", DATA, *extra], env=e, cwd=str(ROOT),
                              encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 200))
        self.children.append(child)
        child.expect_exact(":help lists the commands")
        child.expect_exact(PROMPT)
        return child

    def result(self, child, line, expected):
        """Sends `line`, expects `expected` (regex) before the next prompt."""
        child.send(line + "\r")
        child.expect(expected)
        child.expect_exact(PROMPT)

    def quit(self, child):
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        child.close()
        return child.exitstatus

    def test_evaluates_and_quits_with_ctrl_d(self):
        c = self.spawn()
        self.result(c, 'people["E0001"].score', line("0.645176"))
        self.assertEqual(self.quit(c), 0)

    def test_editing_keys(self):
        c = self.spawn()
        # Ctrl-A: start of line; insert in front.
        c.send("2 * 5")
        c.sendcontrol("a")
        self.result(c, "1 + ", line("11"))
        # Left arrow twice, insert; right arrow; backspace.
        c.send("123")
        c.send("\x1b[D\x1b[D")
        c.send("9")
        c.send("\x1b[C")
        c.send("\x7f")
        self.result(c, "", line("193"))
        # Ctrl-E end of line, Ctrl-W kills a word, Ctrl-U the line, Ctrl-K to the end.
        c.send("40 + 1000")
        c.sendcontrol("w")
        self.result(c, "2", line("42"))
        c.send("garbage")
        c.sendcontrol("u")
        self.result(c, "7 * 6", line("42"))
        c.send("5 + 5 + 100")
        c.sendcontrol("a")
        c.send("\x1b[C" * 5)  # after "5 + 5"
        c.sendcontrol("k")
        c.sendcontrol("e")
        self.result(c, "", line("10"))
        # Ctrl-D on a non-empty line deletes a character instead of leaving.
        c.send("33")
        c.sendcontrol("a")
        c.sendcontrol("d")
        self.result(c, "", line("3"))
        self.assertEqual(self.quit(c), 0)

    def test_history_across_two_sessions(self):
        c = self.spawn()
        self.result(c, 'people["E0002"].score', r"0\.763968")
        self.result(c, "sum([1,\r  2])", line("3"))
        self.result(c, "40 + 2", line("42"))
        self.assertEqual(self.quit(c), 0)
        with open(self.history, encoding="utf-8") as f:
            text = f.read()
        self.assertIn('people["E0002"].score', text)
        self.assertIn("sum([1,\n  2])", text)

        c = self.spawn()
        # Up once: the last entry; up again: the multi-line entry as a whole.
        c.send("\x1b[A")
        c.expect_exact("40 + 2")
        c.send("\x1b[A")
        c.expect_exact("sum([1,")
        c.send("\r")
        c.expect(line("3"))
        c.expect_exact(PROMPT)
        # Ctrl-P three times reaches the first entry of the previous session.
        c.sendcontrol("p")
        c.sendcontrol("p")
        c.sendcontrol("p")
        c.sendcontrol("p")
        c.expect_exact('people["E0002"].score')
        c.send("\r")
        c.expect(r"0\.763968")
        c.expect_exact(PROMPT)
        self.assertEqual(self.quit(c), 0)

    def history_entries(self, path):
        """The entries of a history file: each starts with a #TIMESTAMP line."""
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return [e.split("\n", 1)[1].rstrip("\n") for e in re.split(r"^(?=#\d)", text, flags=re.M) if e]

    def test_history_is_capped_by_entries(self):
        c = self.spawn(env={"TALLY_HISTORY_SIZE": "3"})
        for i in range(6):
            self.result(c, f"{i} + 100", line(f"{i + 100}"))
        # A multi-line entry is one entry however many lines it has.
        self.result(c, "sum([1,\r  2,\r  3])", line("6"))
        self.assertEqual(self.quit(c), 0)
        self.assertEqual(self.history_entries(self.history), ["4 + 100", "5 + 100", "sum([1,\n  2,\n  3])"])
        self.assertEqual(os.stat(self.history).st_mode & 0o777, 0o600)
        # The next session reads the multi-line entry back whole.
        c = self.spawn(env={"TALLY_HISTORY_SIZE": "3"})
        c.send("\x1b[A\r")
        c.expect(line("6"))
        c.expect_exact(PROMPT)
        self.assertEqual(self.quit(c), 0)
        # Running it again adds no duplicate.
        self.assertEqual(self.history_entries(self.history), ["4 + 100", "5 + 100", "sum([1,\n  2,\n  3])"])

    def test_history_defaults_to_home(self):
        e = clean_env(INPUTRC="/dev/null", TERM="xterm", HOME=self.dir.name)
        del e["TALLY_HISTORY"]
        c = pexpect.spawn(TALLY, ["repl"], env=e, cwd=str(ROOT), encoding="utf-8", timeout=TIMEOUT)
        self.children.append(c)
        c.expect_exact(PROMPT)
        self.result(c, "6 * 7", line("42"))
        self.assertEqual(self.quit(c), 0)
        self.assertEqual(self.history_entries(os.path.join(self.dir.name, ".tally_history")), ["6 * 7"])

    def test_redirected_standard_output_gets_only_results(self):
        # `tally repl > file` on a terminal: prompts, echo and the banner go
        # to the terminal through standard error; the file gets the results.
        out = os.path.join(self.dir.name, "results.txt")
        e = clean_env(INPUTRC="/dev/null", TERM="xterm", HOME=self.dir.name)
        c = pexpect.spawn("/bin/sh", ["-c", f'exec "$0" repl "$1" --data "$2" > "$3"', TALLY, PLAN, DATA, out],
                          env=e, cwd=str(ROOT), encoding="utf-8", timeout=TIMEOUT)
        self.children.append(c)
        c.expect_exact(":help lists the commands")
        c.expect_exact(PROMPT)
        c.send('people["E0001"].rating\r')
        c.expect_exact(PROMPT)
        c.send("1 / 0\r")
        c.expect_exact("division by zero")
        c.expect_exact(PROMPT)
        self.assertEqual(self.quit(c), 0)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), "B\n")

    def test_a_missing_data_file_on_the_command_line_can_be_replaced_with_data(self):
        e = clean_env(INPUTRC="/dev/null", TERM="xterm", HOME=self.dir.name)
        c = pexpect.spawn(TALLY, ["repl", PLAN, "--data", "/nonexistent/data.json"], env=e, cwd=str(ROOT),
                          encoding="utf-8", timeout=TIMEOUT)
        self.children.append(c)
        c.expect_exact("no such file: /nonexistent/data.json")
        c.expect_exact(PROMPT)
        # :data loads the plan named on the command line with the new data.
        self.result(c, f":data {DATA}", re.escape("loaded plan") + ".*300 people")
        self.result(c, "company.score", line("0.65"))
        self.assertEqual(self.quit(c), 0)

    def test_history_file_problems_are_warned_about_and_permissions_tightened(self):
        e = clean_env(TALLY_HISTORY="/nonexistent/dir/history", INPUTRC="/dev/null", TERM="xterm", HOME=self.dir.name)
        c = pexpect.spawn(TALLY, ["repl"], env=e, cwd=str(ROOT), encoding="utf-8", timeout=TIMEOUT)
        self.children.append(c)
        c.expect_exact("warning: history file /nonexistent/dir/history: No such file or directory; no history is kept")
        c.expect_exact(PROMPT)
        self.assertEqual(self.quit(c), 0)
        with open(self.history, "w", encoding="utf-8") as f:
            f.write("#1\n1 + 1\n")
        os.chmod(self.history, 0o644)
        c = self.spawn()
        self.assertEqual(self.quit(c), 0)
        self.assertEqual(os.stat(self.history).st_mode & 0o777, 0o600)

    def test_cjk_editing_in_the_c_locale(self):
        # Backspace removes a whole character even where the locale is "C".
        c = self.spawn(env={"LANG": "C", "LC_ALL": "C"})
        c.send('"肖涛x\x7f\x7f"\r')
        c.expect("\r肖\r\n")
        c.expect_exact(PROMPT)
        self.assertEqual(self.quit(c), 0)

    def test_no_history_file_when_disabled(self):
        c = self.spawn(history="")
        self.result(c, "1", line("1"))
        self.assertEqual(self.quit(c), 0)
        self.assertFalse(os.path.exists(self.history))

    def test_completion(self):
        c = self.spawn()
        # A command name.
        c.send(":ove\t")
        c.expect_exact("rrides")
        c.send("\r")
        c.expect_exact("no overrides")
        c.expect_exact(PROMPT)
        # An id inside people[" (unique) and a member after the dot.
        c.send('people["E000\t\t')
        c.expect("E0001\"\\]\\s+E0002\"\\]")
        c.send('1\t')
        c.expect_exact('"]')
        c.send(".sco\t")
        c.expect_exact("re")
        c.send("\r")
        c.expect(line("0.645176"))
        c.expect_exact(PROMPT)
        # A team id with a dash, a company member, a keyword.
        c.send('teams["sales-ea\t')
        c.expect_exact('st"]')
        c.send(".na\t")
        c.expect_exact("me")
        c.send("\r")
        c.expect_exact("华东销售部")
        c.expect_exact(PROMPT)
        c.send("company.defe\t")
        c.expect_exact("ct_rate")
        c.send("\r")
        c.expect(line("0.0142"))
        c.expect_exact(PROMPT)
        # A name declared at the prompt.
        self.result(c, "let zebra_total = 5", r"")
        c.send("zebra_t\t")
        c.expect_exact("otal")
        c.send("\r")
        c.expect(line("5"))
        c.expect_exact(PROMPT)
        self.assertEqual(self.quit(c), 0)

    def test_multi_line_input_with_a_continuation_prompt(self):
        c = self.spawn()
        c.send("[p.id for p in people\r")
        c.expect(CONT)
        c.send("  if p.score > 1.25\r")
        c.expect(CONT)
        c.send("]\r")
        c.expect_exact('["E0073"]')
        c.expect_exact(PROMPT)
        c.send(":set people[\"E0001\"].revenue = (\r")
        c.expect(CONT)
        c.send("  2_000_000 CNY)\r")
        c.expect_exact('people["E0001"].revenue = 2000000.00 CNY (was 1853885.00 CNY)')
        c.expect_exact(PROMPT)
        self.assertEqual(self.quit(c), 0)

    def test_ctrl_c_cancels_the_current_input(self):
        c = self.spawn()
        c.send("1 + 1000")
        c.sendcontrol("c")
        c.expect_exact(PROMPT)
        self.result(c, "5", line("5"))
        # In the middle of a multi-line entry: back to the first prompt.
        c.send("[1,\r")
        c.expect(CONT)
        c.send("2,")
        c.sendcontrol("c")
        c.expect_exact(PROMPT)
        self.result(c, "7", line("7"))
        # Ctrl-C on an empty line does not leave either.
        c.sendcontrol("c")
        c.expect_exact(PROMPT)
        self.assertTrue(c.isalive())
        self.assertEqual(self.quit(c), 0)

    def test_ctrl_c_cancels_a_long_evaluation(self):
        c = self.spawn()
        c.send("sum(sum(sum(1 for r in people) for q in people) for p in people)\r")
        c.expect_exact("sum(sum(")
        time.sleep(1)
        c.sendcontrol("c")
        c.expect_exact("error: cancelled")
        c.expect_exact(PROMPT)
        # The session goes on, with nothing left over from the cancelled evaluation.
        self.result(c, 'people["E0001"].score', line("0.645176"))
        self.assertEqual(self.quit(c), 0)

    SLOW = "let slow = sum(sum(sum(sum(1 for s in people) for r in people) for q in people) for p in people)"

    def interrupt(self, c, command):
        """Sends `command`, which never ends by itself, then Ctrl-C: it is
        cancelled and the session goes on."""
        c.send(command + "\r")
        c.expect_exact(command)
        time.sleep(0.5)
        c.sendcontrol("c")
        c.expect_exact("error: cancelled")
        c.expect_exact(PROMPT)
        self.result(c, 'people["E0001"].score', line("0.645176"))

    def test_ctrl_c_cancels_every_command_and_nothing_waits_for_the_warm_up(self):
        c = self.spawn()
        # A value that never ends: the background warm-up of the baseline
        # evaluates it too, but no command waits for the warm-up.
        self.result(c, self.SLOW, "")
        self.result(c, "1 + 1", line("2"))
        self.result(c, ":set company.defect_rate = 1.2%", re.escape("company.defect_rate = 0.012 (was 0.0142)"))
        self.result(c, ":diff 1", "results changed")
        for command in ["slow", ":show company", ":explain slow", ":solve slow = 1 by company.defect_rate",
                        ":set company.defect_rate = slow / 1000", "[p.id for p in people if slow > 1]"]:
            with self.subTest(command=command):
                self.interrupt(c, command)
        # The override set before is still in force; the failed :set changed nothing.
        self.result(c, ":overrides", re.escape("company.defect_rate  0.012"))
        self.assertEqual(self.quit(c), 0)

    def big_plan(self, people):
        """A plan and a dataset of `people` people (slow to read and bind)."""
        import json
        plan = os.path.join(self.dir.name, "big.tally")
        with open(plan, "w", encoding="utf-8") as f:
            f.write('plan "big" { period: 2026-01-01 .. 2026-03-31  currency: CNY }\n'
                    "inputs person { x: number }\nfor person { let y = x * 2 }\n")
        data = os.path.join(self.dir.name, f"big{people}.json")
        with open(data, "w", encoding="utf-8") as f:
            json.dump({"company": {}, "teams": [{"id": "t"}],
                       "people": [{"id": f"P{i}", "team": "t", "x": i} for i in range(people)]}, f)
        return plan, data

    def test_ctrl_c_cancels_loading_data_and_the_initial_load(self):
        plan, small = self.big_plan(3)
        _, big = self.big_plan(300_000)
        e = clean_env(TALLY_HISTORY="", INPUTRC="/dev/null", TERM="xterm", HOME=self.dir.name)
        c = pexpect.spawn(TALLY, ["repl", plan, "--data", small], env=e, cwd=str(ROOT), encoding="utf-8",
                          timeout=TIMEOUT, dimensions=(40, 200))
        self.children.append(c)
        c.expect_exact(PROMPT)
        for command in [":data " + big, ":load " + plan]:
            with self.subTest(command=command):
                if command.startswith(":load"):
                    # :load keeps the data: make that the big file first.
                    c.send(":data " + big + "\r")
                    c.expect_exact("loaded plan", timeout=120)
                    c.expect_exact(PROMPT)
                c.send(command + "\r")
                time.sleep(0.5)
                c.sendcontrol("c")
                c.expect_exact("error: cancelled: nothing changed", timeout=5)
                c.expect_exact(PROMPT)
        self.result(c, "count(people)", line("300000"))
        self.assertEqual(self.quit(c), 0)
        # Ctrl-C while the files named on the command line load.
        c = pexpect.spawn(TALLY, ["repl", plan, "--data", big], env=e, cwd=str(ROOT), encoding="utf-8",
                          timeout=TIMEOUT, dimensions=(40, 200))
        self.children.append(c)
        time.sleep(0.5)
        c.sendcontrol("c")
        c.expect_exact("Loading was cancelled", timeout=5)
        c.expect_exact(PROMPT)
        self.result(c, ":data", "no plan loaded")
        self.assertEqual(self.quit(c), 0)

    def test_ctrl_d_in_a_continuation_leaves(self):
        c = self.spawn()
        c.send("[1,\r")
        c.expect(CONT)
        self.assertEqual(self.quit(c), 0)

    def test_errors_show_a_caret_and_the_session_goes_on(self):
        c = self.spawn()
        c.send('people["E0001"].scor\r')
        c.expect_exact("<repl>:1:17: error:")
        c.expect_exact("^~~~")
        c.expect_exact(PROMPT)
        c.send(":quit\r")
        c.expect(pexpect.EOF)
        c.close()
        self.assertEqual(c.exitstatus, 0)


if __name__ == "__main__":
    unittest.main()
