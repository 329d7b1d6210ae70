"""A small ctypes wrapper over Tally's C ABI (Sources/CTally/include/tally.h).

    import tally
    plan = tally.Plan.compile_file("examples/wanjiang/plan.tally")
    data = plan.dataset_from_json(open("examples/wanjiang/data.json", "rb").read())
    print(plan.evaluate_expression(data, 'people["E0001"].quarterly_bonus').text)   # 2649.48 CNY

Numbers stay exact: JSON from the library is parsed with decimal.Decimal for
every number, never float. Handles are released when their Python object is
collected (or explicitly with .close(), or a `with` block); the library
detects a double free, so closing twice is harmless.

The library is found through $TALLY_LIB, else .build/{debug,release}/libTallyC.so
of the repository this file lives in.
"""

import ctypes
import decimal
import json
import os
from ctypes import POINTER, byref, c_char_p, c_int, c_int32, c_int64, c_size_t, c_uint32, c_void_p

__all__ = ["TallyError", "Plan", "Dataset", "Session", "Expression", "Value", "Options", "library"]

OK, INVALID_ARGUMENT, INVALID_HANDLE, INVALID_UTF8, COMPILE, DATA, EVALUATION, LIMIT, CANCELLED, IO = range(10)
STATUS_NAMES = ["ok", "invalid_argument", "invalid_handle", "invalid_utf8", "compile", "data",
                "evaluation", "limit", "cancelled", "io"]

CANCEL_CALLBACK = ctypes.CFUNCTYPE(c_int, c_void_p)


class Options(ctypes.Structure):
    """tally_options: 0 means the library default for each limit."""
    _fields_ = [("size", c_uint32), ("reserved", c_uint32), ("max_steps", c_int64),
                ("max_depth", c_int64), ("max_collection_size", c_int64),
                ("is_cancelled", CANCEL_CALLBACK), ("context", c_void_p)]

    def __init__(self, max_steps=0, max_depth=0, max_collection_size=0, is_cancelled=None):
        super().__init__(ctypes.sizeof(Options), 0, max_steps, max_depth, max_collection_size)
        if is_cancelled is not None:
            # Keep the ctypes callback alive as long as the options are.
            self._callback = CANCEL_CALLBACK(lambda _ctx: 1 if is_cancelled() else 0)
            self.is_cancelled = self._callback


class File(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("name_len", c_size_t), ("bytes", c_char_p), ("bytes_len", c_size_t)]


def _find_library():
    if os.environ.get("TALLY_LIB"):
        return os.environ["TALLY_LIB"]
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    for config in ("debug", "release"):
        path = os.path.join(root, ".build", config, "libTallyC.so")
        if os.path.exists(path):
            return path
    raise OSError("libTallyC.so not found: run `swift build --product TallyC` or set TALLY_LIB")


def _load(path):
    lib = ctypes.CDLL(path)
    H = c_void_p                      # every handle is an opaque pointer
    HP = POINTER(c_void_p)            # T** for out parameters and free functions
    SZ = POINTER(c_size_t)
    sigs = {
        "tally_version": (c_char_p, []),
        "tally_abi_version": (c_uint32, []),
        "tally_plan_compile": (c_int32, [c_char_p, c_size_t, c_char_p, c_size_t, HP, HP]),
        "tally_plan_compile_file": (c_int32, [c_char_p, c_size_t, HP, HP]),
        "tally_plan_info_json": (c_void_p, [H, SZ]),
        "tally_plan_free": (None, [HP]),
        "tally_dataset_from_json": (c_int32, [H, c_char_p, c_size_t, HP, HP]),
        "tally_dataset_from_files": (c_int32, [H, POINTER(File), c_size_t, HP, HP]),
        "tally_dataset_with_overrides": (c_int32, [H, H, c_char_p, c_size_t, HP, HP]),
        "tally_dataset_warnings_json": (c_void_p, [H, SZ]),
        "tally_dataset_person_count": (c_size_t, [H]),
        "tally_dataset_free": (None, [HP]),
        "tally_evaluate": (c_int32, [H, H, POINTER(Options), HP, HP]),
        "tally_result_json": (c_void_p, [H, SZ]),
        "tally_result_free": (None, [HP]),
        "tally_evaluate_expression": (c_int32, [H, H, c_char_p, c_size_t, POINTER(Options), HP, HP]),
        "tally_expression_compile": (c_int32, [H, c_char_p, c_size_t, HP, HP]),
        "tally_expression_free": (None, [HP]),
        "tally_session_create": (c_int32, [H, H, POINTER(Options), HP, HP]),
        "tally_session_evaluate": (c_int32, [H, H, HP, HP]),
        "tally_session_free": (None, [HP]),
        "tally_value_text": (c_void_p, [H, SZ]),
        "tally_value_json": (c_void_p, [H, SZ]),
        "tally_value_type": (c_void_p, [H, SZ]),
        "tally_value_free": (None, [HP]),
        "tally_error_code": (c_int32, [H]),
        "tally_error_message": (c_void_p, [H, SZ]),
        "tally_error_file": (c_void_p, [H, SZ]),
        "tally_error_line": (c_uint32, [H]),
        "tally_error_column": (c_uint32, [H]),
        "tally_error_count": (c_size_t, [H]),
        "tally_error_json": (c_void_p, [H, SZ]),
        "tally_error_rendered": (c_void_p, [H, SZ]),
        "tally_error_free": (None, [HP]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


_lib = None


def library():
    """The loaded libTallyC (loaded on first use)."""
    global _lib
    if _lib is None:
        _lib = _load(_find_library())
    return _lib


def _text(getter, handle):
    """A string owned by `handle`, copied out (pointer + length, UTF-8)."""
    n = c_size_t(0)
    p = getter(handle, byref(n))
    return "" if not p else ctypes.string_at(p, n.value).decode("utf-8")


def exact_json(text):
    """JSON with every number as decimal.Decimal: exact, never float."""
    return json.loads(text, parse_float=decimal.Decimal, parse_int=decimal.Decimal)


class TallyError(Exception):
    """A failed call: status code, first error's message and location, every diagnostic."""

    def __init__(self, handle):
        lib = library()
        self.code = lib.tally_error_code(handle)
        self.status = STATUS_NAMES[self.code] if 0 <= self.code < len(STATUS_NAMES) else str(self.code)
        self.message = _text(lib.tally_error_message, handle)
        self.file = _text(lib.tally_error_file, handle) or None
        self.line = lib.tally_error_line(handle) or None
        self.column = lib.tally_error_column(handle) or None
        self.diagnostics = exact_json(_text(lib.tally_error_json, handle))
        self.rendered = _text(lib.tally_error_rendered, handle)
        h = c_void_p(handle)
        lib.tally_error_free(byref(h))
        super().__init__(f"{self.status}: {self.rendered}")


def _call(fn, *args):
    """Calls an entry point with (..., &out, &error); returns out or raises."""
    out, err = c_void_p(), c_void_p()
    status = fn(*args, byref(out), byref(err))
    if status != OK:
        raise TallyError(err.value)
    return out.value


def _utf8(s):
    b = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    return b, len(b)


class _Handle:
    _free = None

    def __init__(self, handle):
        self._h = c_void_p(handle)

    def close(self):
        getattr(library(), self._free)(byref(self._h))   # sets the handle to NULL

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Plan(_Handle):
    """A compiled plan: immutable, usable from any thread."""
    _free = "tally_plan_free"

    @classmethod
    def compile(cls, source, name="<plan>"):
        src, n = _utf8(source)
        nm, nn = _utf8(name)
        return cls(_call(library().tally_plan_compile, src, n, nm, nn))

    @classmethod
    def compile_file(cls, path):
        p, n = _utf8(os.fspath(path))
        return cls(_call(library().tally_plan_compile_file, p, n))

    @property
    def info(self):
        return exact_json(_text(library().tally_plan_info_json, self._h))

    def dataset_from_json(self, data):
        b, n = _utf8(data)
        return Dataset(_call(library().tally_dataset_from_json, self._h, b, n), self)

    def dataset_from_files(self, paths):
        """Dataset files by path: *.json, company.csv, teams.csv, people.csv."""
        contents = [(os.fspath(p).encode("utf-8"), open(p, "rb").read()) for p in paths]
        files = (File * len(contents))(*[File(nm, len(nm), b, len(b)) for nm, b in contents])
        return Dataset(_call(library().tally_dataset_from_files, self._h, files, len(contents)), self)

    def evaluate(self, dataset, options=None):
        """The whole result document (`tally eval --format json`), numbers as Decimal."""
        h = _call(library().tally_evaluate, self._h, dataset._h, byref(options) if options else None)
        result = c_void_p(h)
        try:
            return exact_json(_text(library().tally_result_json, result))
        finally:
            library().tally_result_free(byref(result))

    def evaluate_expression(self, dataset, expression, options=None):
        e, n = _utf8(expression)
        return Value(_call(library().tally_evaluate_expression, self._h, dataset._h, e, n,
                           byref(options) if options else None))

    def expression(self, text):
        e, n = _utf8(text)
        return Expression(_call(library().tally_expression_compile, self._h, e, n))

    def session(self, dataset, options=None):
        return Session(_call(library().tally_session_create, self._h, dataset._h,
                             byref(options) if options else None))


class Dataset(_Handle):
    _free = "tally_dataset_free"

    def __init__(self, handle, plan):
        super().__init__(handle)
        self.plan = plan

    @property
    def person_count(self):
        return library().tally_dataset_person_count(self._h)

    @property
    def warnings(self):
        return exact_json(_text(library().tally_dataset_warnings_json, self._h))

    def with_overrides(self, overrides):
        """A what-if copy: overrides like [{"scope": "person", "id": "E0001",
        "field": "revenue", "value": 1500000}] (values as in a dataset file)."""
        b, n = _utf8(json.dumps(overrides, default=str))
        return Dataset(_call(library().tally_dataset_with_overrides, self.plan._h, self._h, b, n), self.plan)


class Expression(_Handle):
    _free = "tally_expression_free"


class Session(_Handle):
    """Memoises named values between evaluations; calls are serialised."""
    _free = "tally_session_free"

    def evaluate(self, expression):
        if isinstance(expression, str):
            raise TypeError("compile the expression first: plan.expression(text)")
        return Value(_call(library().tally_session_evaluate, self._h, expression._h))


class Value(_Handle):
    """The value of one expression: canonical text, exact JSON and type name."""
    _free = "tally_value_free"

    def __init__(self, handle):
        super().__init__(handle)
        lib = library()
        self.text = _text(lib.tally_value_text, self._h)
        self.json = exact_json(_text(lib.tally_value_json, self._h))
        self.type = _text(lib.tally_value_type, self._h)
        self.close()   # everything is copied out

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"Value({self.text!r}, type={self.type!r})"
