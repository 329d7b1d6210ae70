"""Evaluates the Wanjiang plan from Python through Tally's C ABI.

    python3 examples/embedding/python/wanjiang.py [PLAN DATA [EXPR...]]

With no expressions, prints three people's quarterly bonuses. Prints one line
per expression on stdout, as `tally eval PLAN --data DATA --print EXPR ...`
does for values without line breaks; a short report goes to stderr. A file
that cannot be read, a plan or expression that does not compile, or a value
that fails is reported on stderr with exit status 1.
"""

import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tally  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def main(argv):
    plan_path = argv[1] if len(argv) > 1 else os.path.join(ROOT, "examples/wanjiang/plan.tally")
    data_path = argv[2] if len(argv) > 2 else os.path.join(ROOT, "examples/wanjiang/data.json")
    people = ["E0001", "E0002", "E0003"]
    expressions = argv[3:] or [f'people["{p}"].quarterly_bonus' for p in people]

    plan = tally.Plan.compile_file(plan_path)
    with open(data_path, "rb") as f:
        data = plan.dataset_from_json(f.read())
    print(f"{plan.info['title']}: {data.person_count} people", file=sys.stderr)

    # Compile each expression once; one session memoises values between them.
    session = plan.session(data)
    for text in expressions:
        print(session.evaluate(plan.expression(text)).text)

    # The whole plan as exact JSON: amounts are Decimal, never float.
    result = plan.evaluate(data, tally.Options(max_steps=50_000_000))
    by_id = {p["id"]: p for p in result["people"]}
    for pid in people:
        bonus = by_id[pid]["quarterly_bonus"]
        assert isinstance(bonus["amount"], Decimal), bonus
        print(f"{pid} {by_id[pid]['name']}: {bonus['amount']} {bonus['currency']}", file=sys.stderr)

    # A what-if: the same person with a different revenue.
    what_if = data.with_overrides([{"scope": "person", "id": "E0001", "field": "revenue", "value": "2500000"}])
    changed = plan.evaluate_expression(what_if, 'people["E0001"].quarterly_bonus')
    print(f"what if E0001's revenue were 2,500,000 CNY: {changed.text}", file=sys.stderr)

    # Errors carry a code, message and location.
    try:
        plan.evaluate_expression(data, "people[\"E0001\"].quartely_bonus")
    except tally.TallyError as e:
        print(f"an error, as expected: {e.status} at {e.file}:{e.line}:{e.column}: {e.message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except tally.TallyError as e:
        where = f"{e.file}:{e.line}:{e.column}: " if e.file else ""
        print(f"{where}error: {e.message} ({e.status})", file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print(f"error: {e.filename}: {e.strerror}", file=sys.stderr)
        sys.exit(1)
