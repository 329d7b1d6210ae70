"""Shared helpers for the REPL tests: where the binary and the example are,
and running the REPL with piped input."""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
TALLY = os.path.abspath(os.environ.get("TALLY_BIN") or str(ROOT / ".build" / "debug" / "tally"))
EXAMPLE = ROOT / "examples" / "wanjiang"
PLAN = str(EXAMPLE / "plan.tally")
DATA = str(EXAMPLE / "data.json")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
    env["TALLY_HISTORY"] = ""
    env.update(extra)
    return env


def run_piped(lines, *args, plan=PLAN, data=(DATA,), cwd=None, env=None, merge=False, timeout=120):
    """Runs `tally repl` with `lines` on standard input.

    Returns (exit status, stdout, stderr); with merge, stderr is folded into
    stdout (in the order written) and the third element is ''."""
    argv = [TALLY, "repl"]
    if plan is not None:
        argv.append(plan)
    for d in data:
        argv += ["--data", d]
    argv += list(args)
    text = lines if isinstance(lines, str) else "".join(l + "\n" for l in lines)
    p = subprocess.run(argv, input=text.encode(), cwd=cwd or str(ROOT), env=env or clean_env(),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge else subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode(), (p.stderr or b"").decode()


def eval_print(expr, data_path, plan=PLAN):
    """`tally eval PLAN --data DATA --print EXPR`: the one printed line."""
    p = subprocess.run([TALLY, "eval", plan, "--data", data_path, "--print", expr],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if p.returncode not in (0, 3):
        raise AssertionError(f"tally eval failed ({p.returncode}): {p.stderr.decode()}")
    return p.stdout.decode().strip()
