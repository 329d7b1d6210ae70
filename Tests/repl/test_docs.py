"""The example sessions in docs/repl.md are run and their output checked."""
import difflib
import unittest

from doc_session import DOC, run, sessions


class DocumentedSessions(unittest.TestCase):
    def test_every_session_in_docs_repl_md(self):
        found = list(sessions(DOC.read_text(encoding="utf-8")))
        self.assertGreaterEqual(len(found), 2)
        for _, args, inputs, expected, _ in found:
            with self.subTest(args=args):
                _, output = run(args, inputs)
                if output != expected:
                    diff = "".join(difflib.unified_diff(expected.splitlines(True), output.splitlines(True),
                                                        "docs/repl.md", "tally repl"))
                    self.fail("the documented session differs from what the REPL prints "
                              "(python3 Tests/repl/doc_session.py --regenerate rewrites it):\n" + diff)


if __name__ == "__main__":
    unittest.main()
