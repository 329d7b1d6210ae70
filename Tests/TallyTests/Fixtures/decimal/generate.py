#!/usr/bin/env python3
"""Generates decimal.txt, the reference fixture for Tally's ExactDecimal.

The expected values come from Python's `decimal` module (an implementation of
the General Decimal Arithmetic Specification, independent of the Swift code)
with the decimal128 parameters of LANGUAGE.md §3:

    Context(prec=34, rounding=ROUND_HALF_EVEN, Emax=6144, Emin=-6143)

Results that raise Overflow, DivisionByZero, InvalidOperation, Subnormal or
Underflow are errors in Tally and are written as `!overflow`, `!underflow`,
`!divisionByZero`, `!invalid`. Tally-specific rules the spec fixes differently
from Python are applied here and commented (0^0 = 1; 0/0 is division by zero;
rounding to places never fails on precision; the exact-power size limit).

Line format (single spaces; numbers never contain spaces):

    add A B R        A + B            sub A B R    mul A B R    div A B R
    pow A N R        A ^ N, N an integer (exact, rounded once)
    powx A Y R       A ^ Y, Y not an integer (approximate: 1 ulp tolerance)
    round.MODE A P R rounded to P places; MODE in halfAwayFromZero halfEven floor ceiling towardZero
    cmp A B R        R in -1 0 1
    parse T R        R the canonical text, or !syntax !tooManyDigits !outOfRange
    text A R         canonical text of A
    fmt A M R        A formatted with at least M fraction digits

Operands A, B, Y are valid Tally numbers (Python's str(), which Tally parses).
R for arithmetic is Python's str() of the result: the test compares values by
their normalised coefficient and exponent, not by text.

Run:  python3 generate.py > decimal.txt   (deterministic: fixed seed)
"""

import random
import re
import sys
from decimal import (Decimal, Context, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_FLOOR,
                     ROUND_CEILING, ROUND_DOWN, Overflow, DivisionByZero, InvalidOperation,
                     Subnormal, Underflow, localcontext)

CTX = Context(prec=34, rounding=ROUND_HALF_EVEN, Emax=6144, Emin=-6143, traps=[])
BIG = Context(prec=40000, rounding=ROUND_HALF_EVEN, Emax=999999, Emin=-999999, traps=[])
MAX_EXACT_POWER_DIGITS = 20000   # ExactDecimal.maximumExactPowerDigits

rng = random.Random(20260930)
out = []


def emit(*fields):
    out.append(" ".join(str(f) for f in fields))


def run(fn):
    """Runs fn() in CTX and maps signalled conditions to Tally errors."""
    CTX.clear_flags()
    r = fn()
    f = CTX.flags
    if f[DivisionByZero]:
        return "!divisionByZero"
    if f[InvalidOperation]:
        return "!invalid"
    if f[Overflow]:
        return "!overflow"
    if f[Subnormal] or f[Underflow]:
        return "!underflow"
    return str(r)


def canonical(d):
    """LANGUAGE.md §11: plain decimal, no exponent, no trailing fraction zeros, unsigned zero."""
    if d.is_zero():
        return "0"
    sign, digits, exp = d.as_tuple()
    digits = list(digits)
    while digits and digits[-1] == 0:
        digits.pop()
        exp += 1
    s = "".join(map(str, digits))
    if exp >= 0:
        body = s + "0" * exp
    elif -exp < len(s):
        body = s[:exp] + "." + s[exp:]
    else:
        body = "0." + "0" * (-exp - len(s)) + s
    return ("-" if sign else "") + body


def formatted(d, m):
    s = canonical(d)
    if "." in s:
        frac = len(s.split(".")[1])
        return s + "0" * max(0, m - frac)
    return s + ("." + "0" * m if m > 0 else "")


# ---------------------------------------------------------------- operands

def rand_digits(n):
    first = str(rng.randint(1, 9))
    return first + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def make(coeff_str, exp, neg=False):
    return Decimal(("-" if neg else "") + coeff_str + "E" + str(exp))


def valid(d):
    if d.is_zero():
        return True
    a = d.adjusted()
    return -6143 <= a <= 6144 and len(d.as_tuple().digits) <= 34


def operand(kind=None):
    kind = kind or rng.choice(["small", "small", "money", "money", "mid", "long", "long",
                               "wide", "extreme", "special", "nines", "pow10"])
    neg = rng.random() < 0.4
    if kind == "small":
        d = Decimal(rng.randint(-1000, 1000))
    elif kind == "money":
        d = Decimal(rng.randint(-10**9, 10**9)).scaleb(-2)
    elif kind == "mid":
        d = make(rand_digits(rng.randint(1, 18)), rng.randint(-20, 5), neg)
    elif kind == "long":
        d = make(rand_digits(34), rng.randint(-40, 10), neg)
    elif kind == "wide":
        n = rng.randint(1, 34)
        d = make(rand_digits(n), rng.randint(-300, 300), neg)
    elif kind == "extreme":
        n = rng.randint(1, 34)
        if rng.random() < 0.5:
            adj = rng.randint(6100, 6144)
        else:
            adj = rng.randint(-6143, -6100)
        d = make(rand_digits(n), adj - n + 1, neg)
    elif kind == "nines":
        n = rng.randint(1, 34)
        d = make("9" * n, rng.randint(-40, 10), neg)
    elif kind == "pow10":
        d = make("1", rng.randint(-40, 40), neg)
    else:
        d = Decimal(rng.choice(["0", "-0", "0E-10", "0E+5", "1", "-1", "0.1", "0.2", "0.3",
                                "9999999999999999999999999999999999",
                                "1000000000000000000000000000000000",
                                "5000000000000000000000000000000000",
                                "0.5", "2.5", "-2.5", "1E+6144", "9.999999999999999999999999999999999E+6144",
                                "1E-6143", "1.000000000000000000000000000000000E-6143",
                                "-9.999999999999999999999999999999999E+6144",
                                "9223372036854775807", "-9223372036854775808", "18446744073709551615",
                                "18446744073709551616", "0.01", "100", "3", "7", "1.05"]))
    assert valid(d), d
    return d


def near(a):
    """An operand close to a in magnitude and exponent (cancellations, carries, sticky digits)."""
    if a.is_zero():
        return operand()
    r = rng.random()
    if r < 0.3:
        return -a if rng.random() < 0.5 else a
    sign, digits, exp = a.as_tuple()
    n = len(digits)
    if r < 0.6:
        # Same leading position, few digits different.
        shift = rng.randint(-3, 3)
        d = make(rand_digits(rng.randint(1, 34)), a.adjusted() + shift - rng.randint(0, 33), rng.random() < 0.5)
    else:
        # Far below: tests alignment with sticky digits.
        gap = rng.choice([34, 35, 36, 37, 38, 40, 60, 100, 1000])
        k = rng.randint(1, 34)
        adj = a.adjusted() - gap
        if adj < -6143:
            return operand()
        d = make(rand_digits(k), adj - k + 1, rng.random() < 0.5)
    return d if valid(d) else operand()


# ---------------------------------------------------------------- cases

def binary_ops():
    for _ in range(1400):
        a = operand()
        b = near(a) if rng.random() < 0.35 else operand()
        emit("add", a, b, run(lambda: CTX.add(a, b)))
        emit("sub", a, b, run(lambda: CTX.subtract(a, b)))
    for _ in range(1000):
        a = operand()
        b = operand()
        emit("mul", a, b, run(lambda: CTX.multiply(a, b)))
    # Products around 10^34 and exact-with-trailing-zeros products.
    for _ in range(150):
        a = make(rand_digits(rng.randint(15, 20)), rng.randint(-10, 10))
        b = make(rand_digits(rng.randint(15, 20)), rng.randint(-10, 10))
        emit("mul", a, b, run(lambda: CTX.multiply(a, b)))
    for _ in range(1200):
        a = operand()
        b = operand()
        if b.is_zero():
            emit("div", a, b, "!divisionByZero")   # Tally: 0/0 is division by zero too
        else:
            emit("div", a, b, run(lambda: CTX.divide(a, b)))
    # Exact quotients (terminating) and classic ones.
    for a, b in [("1", "3"), ("2", "3"), ("1", "7"), ("85", "100"), ("1", "4"), ("10", "4"),
                 ("0", "5"), ("5", "0"), ("0", "0"), ("-1", "3"), ("1", "-3"), ("100", "8"),
                 ("1E-6143", "10"), ("1E+6144", "0.1"), ("9.999999999999999999999999999999999E+6144", "0.9")]:
        a, b = Decimal(a), Decimal(b)
        emit("div", a, b, "!divisionByZero" if b.is_zero() else run(lambda: CTX.divide(a, b)))
    for _ in range(300):
        q = make(rand_digits(rng.randint(1, 17)), rng.randint(-10, 5), rng.random() < 0.5)
        b = make(rand_digits(rng.randint(1, 17)), rng.randint(-10, 5), rng.random() < 0.5)
        a = BIG.multiply(q, b)
        emit("div", a, b, run(lambda: CTX.divide(a, b)))


def powers():
    cases = []
    for _ in range(600):
        kind = rng.choice(["small", "mid", "money", "special", "pow10", "long"])
        a = operand(kind)
        n = rng.choice([rng.randint(-12, 12), rng.randint(-60, 60), rng.randint(-400, 400)])
        cases.append((a, n))
    cases += [(Decimal(x), n) for x, n in [("0", 0), ("0", 5), ("0", -1), ("2", -2), ("2", 10),
                                            ("10", 6144), ("10", 6145), ("10", -6143), ("10", -6144),
                                            ("1.5", 10000), ("2", 20000), ("2", 30000), ("0.5", 30000),
                                            ("-2", 3), ("-2", -3), ("1.1", 1000), ("-1", 999999999),
                                            ("1.000000001", 3), ("9", 4000), ("3", -5)]]
    for a, n in cases:
        if a.is_zero() and n == 0:
            emit("pow", a, n, "1")                  # Tally: 0^0 = 1 (Python: invalid)
            continue
        if a.is_zero() and n < 0:
            emit("pow", a, n, "!divisionByZero")    # Tally: 0^n, n < 0 (Python: Infinity)
            continue
        expected = run(lambda: CTX.power(a, Decimal(n)))
        # Mirror Tally's refusal to build huge exact intermediates (documented limit):
        # skip cases whose exact power is too long unless clearly out of range.
        if not a.is_zero() and abs(n) > 2:
            c = int("".join(map(str, a.normalize(BIG).as_tuple().digits)))
            if c != 1 and len(str(c)) * abs(n) > MAX_EXACT_POWER_DIGITS:
                est = float(abs(a).log10(Context(prec=30))) * n
                if expected in ("!overflow", "!underflow") and (est > 6147 or est < -6146):
                    pass
                else:
                    emit("pow", a, n, "!invalid")
                    continue
        emit("pow", a, n, expected)


def approx_powers():
    for _ in range(200):
        a = operand(rng.choice(["small", "mid", "money", "long"]))
        if rng.random() < 0.7:
            a = abs(a)
        y = make(rand_digits(rng.randint(1, 6)), -rng.randint(1, 4), rng.random() < 0.4)
        if y == y.to_integral_value():
            continue
        if a.is_zero():
            emit("powx", a, y, "!divisionByZero" if y < 0 else "0")
            continue
        emit("powx", a, y, run(lambda: CTX.power(a, y)))
    for a, y in [("4", "0.5"), ("2", "0.5"), ("10", "0.3"), ("1.0001", "12.5"), ("-8", "0.5"),
                 ("0", "0.5"), ("0", "-0.5"), ("1", "0.7"), ("1E+6000", "1.5"), ("1E-6000", "1.5"),
                 ("0.5", "-0.25"), ("12345.678", "-3.75"), ("1.000000000000000000000000000000001", "0.5")]:
        a, y = Decimal(a), Decimal(y)
        if a.is_zero():
            emit("powx", a, y, "!divisionByZero" if y < 0 else "0")
        else:
            emit("powx", a, y, run(lambda: CTX.power(a, y)))


MODES = {"halfAwayFromZero": ROUND_HALF_UP, "halfEven": ROUND_HALF_EVEN, "floor": ROUND_FLOOR,
         "ceiling": ROUND_CEILING, "towardZero": ROUND_DOWN}


def rounding_value(d, places, mode):
    """Tally: rounding to places only drops digits (never fails on precision)."""
    if d.is_zero():
        return "0"
    if d.as_tuple().exponent >= -places:
        return str(d)
    with localcontext(BIG):
        r = d.quantize(Decimal((0, (1,), -places)), rounding=mode)
    if not r.is_zero() and r.adjusted() > 6144:
        return "!overflow"
    return str(r)


def roundings():
    values = []
    for _ in range(500):
        values.append((operand(rng.choice(["small", "money", "mid", "long", "wide", "nines", "special"])),
                       rng.randint(-6, 12)))
    # Ties at the rounding position, both signs.
    for _ in range(300):
        places = rng.randint(-4, 8)
        base = rand_digits(rng.randint(1, 12))
        neg = rng.random() < 0.5
        r = rng.random()
        if r < 0.6:
            d = make(base + "5", -places - 1, neg)                       # exact tie
        elif r < 0.8:
            zeros = rng.randint(1, 5)
            d = make(base + "5" + "0" * zeros, -places - 1 - zeros, neg)  # tie with trailing zeros
        else:
            d = make(base + "5" + "0" * 20 + "1", -places - 22, neg)      # just above a tie
        if valid(d):
            values.append((d, places))
    for text, p in [("1.005", 2), ("-2.5", 0), ("2.5", 0), ("0.125", 2), ("-1.5", 0), ("-1.99", 0),
                    ("-0.4", 0), ("1234.5678", -2), ("1234.5678", 2), ("0.5", 0), ("-0.5", 0),
                    ("9.5", 0), ("99.95", 1), ("-99.95", 1), ("1E+6144", -6144), ("9E+6144", -6144),
                    ("5E+6144", -6145), ("4E+6144", -6145), ("1", -6145), ("-1", -6145),
                    ("1E-6143", 6143), ("1E-6143", 6142), ("123.456", 40), ("0.000001", -3)]:
        values.append((Decimal(text), p))
    for d, p in values:
        for name, mode in MODES.items():
            emit("round." + name, d, p, rounding_value(d, p, mode))


def comparisons():
    for _ in range(800):
        a = operand()
        r = rng.random()
        if r < 0.3:
            # The same value written with extra trailing zeros (1.5 vs 1.50), when that stays valid.
            sign, digits, exp = a.as_tuple()
            extra = rng.randint(0, 5)
            b = Decimal((sign, digits + (0,) * extra, exp - extra))
        elif r < 0.6:
            b = near(a)
        else:
            b = operand()
        if not valid(b):
            b = a
        emit("cmp", a, b, (a > b) - (a < b))


def parses():
    texts = ["0", "-0", "+0", "00", "007", "0.0", "1.50", "3.0", "-3.5", "0.85", "12000", "1e3", "1E3", "1e-3",
             "2.5e-3", "1e+3", "1e-0", "+1", "-1", "1.", ".5", "5.", "", "-", "+", "e3", "1e", "1e+",
             "1_000", "1,5", "1.000.000", "--1", "+-1", "1e3.5", "0x10", "Infinity", "NaN",
             "1" + "0" * 39, "0." + "0" * 50 + "1", "0.5" + "0" * 37, "1" * 34, "1" * 35,
             "1" * 34 + "0" * 10, "1" * 20 + "." + "1" * 14, "1" * 20 + "." + "1" * 15,
             "0.0000" + "1" * 34, "1e6144", "1e6145", "9.999999999999999999999999999999999e6144",
             "10e6144", "1e-6143", "1e-6144", "0.1e-6142", "0.1e-6143", "0e99999", "0e-99999",
             "1e99999999999999999999999", "1e-99999999999999999999999", "-1e6145", "12345678901234567890.12",
             "1" * 34 + "e6111", "1" * 34 + "e6112", "1" * 34 + "e-6176", "1" * 34 + "e-6177",
             "１", "٣", "1.2.3", "1e3e3", "0.1", "0.2", "0.3", "-0.000", "100%"]
    for _ in range(500):
        n = rng.randint(1, 40)
        digits = "".join(str(rng.randint(0, 9)) for _ in range(n))
        t = rng.choice(["", "-", "+"]) + digits
        if rng.random() < 0.6:
            t += "." + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(1, 20)))
        if rng.random() < 0.4:
            t += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 6300))
        texts.append(t)
    for t in texts:
        emit("parse", t if t else '""', parse_expected(t))


SYNTAX = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")


def parse_expected(t):
    m = SYNTAX.match(t)
    if not m:
        return "!syntax"
    # Exact reading with Python integers (no context can overflow here).
    mantissa, _, exp_text = t.replace("E", "e").partition("e")
    int_part, _, frac_part = mantissa.lstrip("+-").partition(".")
    digits = (int_part + frac_part).lstrip("0")
    exponent = int(exp_text or "0") - len(frac_part)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    if len(stripped) > 34:
        return "!tooManyDigits"
    if not stripped:
        return "0"
    adjusted = exponent + len(stripped) - 1
    if not (-6143 <= adjusted <= 6144):
        return "!outOfRange"
    return canonical(Decimal(("-" if mantissa.startswith("-") else "") + stripped + "E" + str(exponent)))


def texts():
    for _ in range(500):
        d = operand(rng.choice(["small", "money", "mid", "long", "nines", "pow10", "special"]))
        emit("text", d, canonical(d))
        m = rng.randint(0, 4)
        emit("fmt", d, m, formatted(d, m))
    for t, m in [("13500", 2), ("0.125", 2), ("-0.5", 2), ("0", 2), ("-0", 2), ("5", 0), ("1.5", 3),
                 ("1E+40", 0), ("1E+40", 2), ("1E-10", 2), ("-1.234", 0)]:
        d = Decimal(t)
        emit("text", d, canonical(d))
        emit("fmt", d, m, formatted(d, m))


binary_ops()
powers()
approx_powers()
roundings()
comparisons()
parses()
texts()
sys.stdout.write("# Generated by generate.py (Python decimal, prec=34, ROUND_HALF_EVEN, Emax=6144, Emin=-6143). Do not edit.\n")
sys.stdout.write("\n".join(out) + "\n")
