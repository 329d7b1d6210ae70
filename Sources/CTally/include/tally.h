/*
 * tally.h — the C ABI of Tally, the exact language for OKR scoring and bonus
 * rules. One header; link with libTallyC.so (SwiftPM product "TallyC").
 *
 *     cc app.c -I Sources/CTally/include -L .build/release -lTallyC \
 *        -Wl,-rpath,$PWD/.build/release
 *
 * Conventions (read these once; every function below follows them):
 *
 * - Handles are opaque: tally_plan, tally_dataset, tally_expression,
 *   tally_session, tally_result, tally_value, tally_error. A handle is a token,
 *   not an address: the library never dereferences it, it looks it up in a
 *   table of live handles, issued at random. A NULL, freed, made-up or
 *   wrong-kind handle is detected (a made-up value could only collide with a
 *   live handle by a 1-in-2^59 chance) and answered with TALLY_ERR_INVALID_HANDLE (or NULL / 0 from
 *   accessors), never undefined behaviour.
 * - Ownership: a handle returned through an `out` parameter belongs to the
 *   caller, who releases it with the matching tally_*_free(&handle). Free
 *   functions take the address of the caller's variable and set it to NULL;
 *   freeing NULL, or a handle already freed, does nothing. Handles are
 *   independent: freeing a plan does not invalidate datasets, sessions or
 *   results made from it (they keep what they need alive).
 * - Strings in: UTF-8 with an explicit length in bytes; no NUL terminator is
 *   needed and embedded NULs are not allowed in names and expressions. A
 *   pointer may be NULL only when its length is 0. Names, paths and
 *   expressions that are not valid UTF-8 fail with TALLY_ERR_INVALID_UTF8;
 *   invalid UTF-8 inside plan text or dataset bytes is reported as a
 *   diagnostic with line and column (TALLY_ERR_COMPILE / TALLY_ERR_DATA).
 * - Strings out: `const char *` into memory owned by the handle it came
 *   from, valid until that handle is freed, always NUL-terminated, UTF-8; the
 *   length in bytes (without the NUL) is stored through `len` when `len` is
 *   not NULL. Never free them yourself.
 * - Errors: functions that can fail return a tally_status. On failure the
 *   `out` handle is set to NULL and, when `out_error` is not NULL, an error
 *   handle is stored there (free it with tally_error_free); on success
 *   `*out_error` is set to NULL. Passing NULL for `out_error` is allowed.
 * - JSON: datasets, overrides and results are JSON text. Numbers are exact
 *   decimals: the library reads them from their digits and writes them as
 *   number tokens holding the exact decimal text (never through a double).
 *   Parse results with a decimal-preserving parser (Python:
 *   json.loads(text, parse_float=decimal.Decimal)).
 * - Threads: plans, datasets, expressions, results, values and errors are
 *   immutable and may be used from any number of threads at once. A session
 *   memoises values, so calls on one session are serialised by a lock inside
 *   the library (safe, but not parallel): make one session per thread for
 *   parallel evaluation. Evaluating one plan and dataset from many threads
 *   gives identical results.
 * - Stack: evaluation recurses once per named value read inside another
 *   (bounded by max_depth, default 2,000; about 10 KB of stack a level in a
 *   debug build, less in release). The evaluator watches the calling
 *   thread's stack and fails with TALLY_ERR_LIMIT while 256 KB remain, so a
 *   small stack limits how deep a plan may go but never crashes; compiling
 *   runs on a large-stack thread of the library's own.
 */
#ifndef TALLY_H
#define TALLY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version: bumped when a function or struct changes incompatibly. */
#define TALLY_ABI_VERSION 1

/* ------------------------------------------------------------------ status */

/* What a call returned. 0 is success; the values are stable. */
typedef int32_t tally_status;
enum {
    TALLY_OK = 0,
    /* A required pointer was NULL, a length was given with a NULL pointer,
     * or an options struct has a size this library does not know. */
    TALLY_ERR_INVALID_ARGUMENT = 1,
    /* A handle is NULL, freed, forged, or of another kind. */
    TALLY_ERR_INVALID_HANDLE = 2,
    /* A name, path or expression is not valid UTF-8 (or holds a NUL). */
    TALLY_ERR_INVALID_UTF8 = 3,
    /* The plan or the expression has errors (the CLI's exit code 1). */
    TALLY_ERR_COMPILE = 4,
    /* The dataset or the overrides have errors, malformed JSON included
     * (exit code 2). */
    TALLY_ERR_DATA = 5,
    /* Evaluation failed for this data: division by zero, none used as a
     * value, ... (exit code 2). */
    TALLY_ERR_EVALUATION = 6,
    /* A limit of tally_options was exceeded. */
    TALLY_ERR_LIMIT = 7,
    /* tally_options.is_cancelled returned non-zero. */
    TALLY_ERR_CANCELLED = 8,
    /* A file could not be read. */
    TALLY_ERR_IO = 9
};

/* ----------------------------------------------------------------- handles */

typedef struct tally_plan tally_plan;             /* a compiled plan */
typedef struct tally_dataset tally_dataset;       /* a dataset checked against a plan */
typedef struct tally_expression tally_expression; /* an expression compiled against a plan */
typedef struct tally_session tally_session;       /* memoised evaluation of a plan and dataset */
typedef struct tally_result tally_result;         /* the results of a whole plan */
typedef struct tally_value tally_value;           /* the value of one expression */
typedef struct tally_error tally_error;           /* why a call failed */

/* ----------------------------------------------------------------- version */

/* The library version, e.g. "0.1.0". Static storage: never free it. */
const char *tally_version(void);

/* TALLY_ABI_VERSION of the library actually loaded: compare it with the
 * header's to detect a mismatched libTallyC.so. */
uint32_t tally_abi_version(void);

/* ------------------------------------------------------------------- plans */

/* Compiles plan text (`source`, `source_len` bytes of UTF-8; an optional BOM).
 * `name` is the file name shown in diagnostics (NULL/0: "<plan>"). Imports are
 * errors: use tally_plan_compile_file for plans that import other files.
 * On success *out_plan is a new plan: free it with tally_plan_free.
 * Errors: TALLY_ERR_COMPILE (every diagnostic is in the error), 
 * TALLY_ERR_INVALID_ARGUMENT, TALLY_ERR_INVALID_UTF8 (the name). */
tally_status tally_plan_compile(const char *source, size_t source_len,
                                const char *name, size_t name_len,
                                tally_plan **out_plan, tally_error **out_error);

/* Reads and compiles the plan file at `path`; `import "x.tally"` is read
 * relative to the importing file and may not leave the plan's directory.
 * On success *out_plan is a new plan: free it with tally_plan_free.
 * Errors: TALLY_ERR_IO (unreadable file), TALLY_ERR_COMPILE,
 * TALLY_ERR_INVALID_ARGUMENT, TALLY_ERR_INVALID_UTF8. */
tally_status tally_plan_compile_file(const char *path, size_t path_len,
                                     tally_plan **out_plan, tally_error **out_error);

/* The plan header and compile warnings as JSON:
 * {"title": "...", "period": {"start": "2026-07-01", "end": "2026-09-30",
 *  "days": 92}, "currency": "CNY", "warnings": [diagnostic, ...]}
 * (diagnostic objects as in tally_error_json). Owned by the plan; valid until
 * it is freed. NULL (and *len = 0) for an invalid handle. */
const char *tally_plan_info_json(const tally_plan *plan, size_t *len);

/* Releases a plan and sets *plan to NULL. NULL, or an already freed plan,
 * is ignored. Datasets, expressions and sessions made from it stay valid. */
void tally_plan_free(tally_plan **plan);

/* ---------------------------------------------------------------- datasets */

/* Reads a JSON dataset {"company": {...}, "teams": [...], "people": [...]}
 * and checks it against the plan's inputs. `json` is `json_len` bytes.
 * On success *out_dataset is a new dataset: free it with tally_dataset_free.
 * Errors: TALLY_ERR_DATA (malformed JSON, missing or ill-typed fields: every
 * problem, with record id, field, line and column), TALLY_ERR_INVALID_HANDLE,
 * TALLY_ERR_INVALID_ARGUMENT. */
tally_status tally_dataset_from_json(const tally_plan *plan, const char *json, size_t json_len,
                                     tally_dataset **out_dataset, tally_error **out_error);

/* One dataset file in memory: its name decides how it is read (`*.json`, or
 * a base name of company.csv, teams.csv or people.csv). */
typedef struct tally_file {
    const char *name;   /* UTF-8, name_len bytes */
    size_t name_len;
    const char *bytes;  /* the file's contents, bytes_len bytes */
    size_t bytes_len;
} tally_file;

/* Reads `count` dataset files (JSON and/or CSV), merged as `tally eval
 * --data A --data B` merges them. The library copies what it needs: the
 * files may be released when the call returns. Ownership and errors as
 * tally_dataset_from_json; TALLY_ERR_INVALID_UTF8 for a file name. */
tally_status tally_dataset_from_files(const tally_plan *plan, const tally_file *files, size_t count,
                                      tally_dataset **out_dataset, tally_error **out_error);

/* A copy of `dataset` with what-if overrides applied, given as a JSON array:
 *   [{"scope": "person", "id": "E0001", "field": "revenue", "value": 1500000},
 *    {"scope": "company", "field": "defect_rate", "value": "1.5%"}]
 * `value` is written as in a dataset file: money as a plain number in the
 * plan currency, percent as 0.015 or "1.5%", dates as "YYYY-MM-DD", null for
 * an absent optional input (or the default of an input that has one).
 * `dataset` is unchanged. On success *out_dataset is a new dataset: free it
 * with tally_dataset_free.
 * Errors: TALLY_ERR_DATA (malformed JSON, unknown subject or input, wrong
 * type, the same input twice in the array: every problem),
 * TALLY_ERR_INVALID_HANDLE, TALLY_ERR_INVALID_ARGUMENT. */
tally_status tally_dataset_with_overrides(const tally_plan *plan, const tally_dataset *dataset,
                                          const char *overrides_json, size_t overrides_len,
                                          tally_dataset **out_dataset, tally_error **out_error);

/* The dataset's warnings (e.g. a field no `inputs` block declares) as a JSON
 * array of diagnostic objects. Owned by the dataset; valid until it is
 * freed. NULL (and *len = 0) for an invalid handle. */
const char *tally_dataset_warnings_json(const tally_dataset *dataset, size_t *len);

/* The number of people in the dataset; 0 for an invalid handle. */
size_t tally_dataset_person_count(const tally_dataset *dataset);

/* Releases a dataset and sets *dataset to NULL. NULL, or an already freed
 * dataset, is ignored. */
void tally_dataset_free(tally_dataset **dataset);

/* ----------------------------------------------------------------- options */

/* Resource limits and cancellation for one evaluation or session. Initialise
 * with TALLY_OPTIONS_INIT (or zero it and set `size`), then change what you
 * need. A limit of 0 means the library default. Pass NULL for all defaults. */
typedef struct tally_options {
    /* sizeof(tally_options): lets later versions add fields. */
    uint32_t size;
    uint32_t reserved;          /* must be 0: otherwise TALLY_ERR_INVALID_ARGUMENT */
    /* Maximum evaluation steps (nodes of loops, calls and operators); 0: no limit. */
    int64_t max_steps;
    /* Maximum named values evaluated inside one another; 0: 2,000. */
    int64_t max_depth;
    /* Maximum elements of any list built; 0: 10,000,000. */
    int64_t max_collection_size;
    /* Polled every 1,024 steps on the evaluating thread with `context`;
     * returning non-zero cancels the evaluation (TALLY_ERR_CANCELLED) and
     * every later step of it. NULL: never cancelled. Must not call back into
     * the library: a call into the session being evaluated is refused with
     * TALLY_ERR_INVALID_ARGUMENT (it would deadlock). The
     * function and `context` must stay valid for as long as the session or
     * evaluation they are given to (tally_session_create copies the pointers,
     * not what they point to). */
    int (*is_cancelled)(void *context);
    void *context;
} tally_options;

#define TALLY_OPTIONS_INIT { (uint32_t)sizeof(tally_options), 0, 0, 0, 0, NULL, NULL }

/* -------------------------------------------------------------- evaluating */

/* Evaluates every named value of every subject and every constraint.
 * On success *out_result is a new result: free it with tally_result_free.
 * Errors: TALLY_ERR_EVALUATION (a value failed for some subject; every
 * failure is in the error), TALLY_ERR_LIMIT, TALLY_ERR_CANCELLED,
 * TALLY_ERR_INVALID_HANDLE, TALLY_ERR_INVALID_ARGUMENT (options). Violated
 * constraints are not errors: they are in the result. */
tally_status tally_evaluate(const tally_plan *plan, const tally_dataset *dataset,
                            const tally_options *options,
                            tally_result **out_result, tally_error **out_error);

/* The result document, exactly what `tally eval --format json` prints:
 * {"plan": {...}, "company": {...}, "teams": [...], "people": [{"id":
 * "E0001", "name": ..., "team": ..., "<value name>": <value>, ...}, ...],
 * "totals": {...}, "violations": [...], "warnings": [...]}. Money is
 * {"amount": 2649.48, "currency": "CNY"}, dates "YYYY-MM-DD", none null.
 * Owned by the result; valid until it is freed. NULL for an invalid handle. */
const char *tally_result_json(const tally_result *result, size_t *len);

/* Releases a result and sets *result to NULL. NULL or freed: ignored. */
void tally_result_free(tally_result **result);

/* Compiles and evaluates one company-scope expression (as `tally eval
 * --print`), e.g. `people["E0001"].quarterly_bonus`. A one-shot: nothing is
 * memoised between calls; use a session to evaluate many expressions.
 * On success *out_value is a new value: free it with tally_value_free.
 * Errors: TALLY_ERR_COMPILE (the expression), TALLY_ERR_EVALUATION,
 * TALLY_ERR_LIMIT, TALLY_ERR_CANCELLED, TALLY_ERR_INVALID_UTF8,
 * TALLY_ERR_INVALID_HANDLE, TALLY_ERR_INVALID_ARGUMENT. */
tally_status tally_evaluate_expression(const tally_plan *plan, const tally_dataset *dataset,
                                       const char *expression, size_t expression_len,
                                       const tally_options *options,
                                       tally_value **out_value, tally_error **out_error);

/* Compiles a company-scope expression once, to evaluate it in sessions.
 * On success *out_expression is new: free it with tally_expression_free.
 * Errors: TALLY_ERR_COMPILE, TALLY_ERR_INVALID_UTF8,
 * TALLY_ERR_INVALID_HANDLE, TALLY_ERR_INVALID_ARGUMENT. */
tally_status tally_expression_compile(const tally_plan *plan, const char *expression, size_t expression_len,
                                      tally_expression **out_expression, tally_error **out_error);

/* Releases an expression and sets *expression to NULL. NULL or freed: ignored. */
void tally_expression_free(tally_expression **expression);

/* A session over `plan` and `dataset`: named values computed by one
 * evaluation are memoised for the next. The limits of `options` (NULL:
 * defaults) apply over the session's whole life; `options` is copied.
 * On success *out_session is new: free it with tally_session_free.
 * Errors: TALLY_ERR_INVALID_HANDLE, TALLY_ERR_INVALID_ARGUMENT. */
tally_status tally_session_create(const tally_plan *plan, const tally_dataset *dataset,
                                  const tally_options *options,
                                  tally_session **out_session, tally_error **out_error);

/* Evaluates a compiled expression in the session. The expression must have
 * been compiled against the session's plan (else TALLY_ERR_INVALID_ARGUMENT).
 * On success *out_value is a new value: free it with tally_value_free.
 * Errors: TALLY_ERR_EVALUATION, TALLY_ERR_LIMIT, TALLY_ERR_CANCELLED,
 * TALLY_ERR_INVALID_HANDLE, TALLY_ERR_INVALID_ARGUMENT. */
tally_status tally_session_evaluate(tally_session *session, const tally_expression *expression,
                                    tally_value **out_value, tally_error **out_error);

/* Releases a session and sets *session to NULL. NULL or freed: ignored. */
void tally_session_free(tally_session **session);

/* ------------------------------------------------------------------ values */

/* The canonical text of the value (LANGUAGE.md §11), as `tally eval --print`
 * prints it (`2649.48 CNY`, `0.65`, `true`, `none`, `2026-09-30`,
 * `["E0001", ...]`; people and teams as their ids) — except that a string
 * holding a line break is returned as is, where the CLI writes `\n` so that
 * each --print stays one line. The text may contain NUL characters: use `len`. Owned by the value; valid until it is
 * freed. NULL for an invalid handle. */
const char *tally_value_text(const tally_value *value, size_t *len);

/* The value as JSON: null, true/false, a number token (exact), a string,
 * {"amount": 2649.48, "currency": "CNY"}, "YYYY-MM-DD", arrays, objects for
 * records; people and teams as their id strings. Owned by the value. */
const char *tally_value_json(const tally_value *value, size_t *len);

/* The value's type as the language names it: "none", "bool", "number",
 * "money (CNY)", "string", "date", "list", "objective", ... Owned by the value. */
const char *tally_value_type(const tally_value *value, size_t *len);

/* Releases a value and sets *value to NULL. NULL or freed: ignored. */
void tally_value_free(tally_value **value);

/* ------------------------------------------------------------------ errors */

/* The status of the failed call; TALLY_ERR_INVALID_HANDLE for an invalid handle. */
tally_status tally_error_code(const tally_error *error);

/* The first error's message, naming the subject where there is one
 * ("person E0017: division by zero"). Owned by the error. NULL for an
 * invalid handle. */
const char *tally_error_message(const tally_error *error, size_t *len);

/* The file of the first error's location ("plan.tally", "data.json",
 * "<expr>", or "people[3]"-style for values); "" when it has none. */
const char *tally_error_file(const tally_error *error, size_t *len);

/* The 1-based line and column (in Unicode characters) of the first error's
 * location; 0 when it has none. */
uint32_t tally_error_line(const tally_error *error);
uint32_t tally_error_column(const tally_error *error);

/* The number of diagnostics (errors, warnings and notes at top level). */
size_t tally_error_count(const tally_error *error);

/* Every diagnostic as a JSON array of
 * {"severity": "error"|"warning"|"note", "phase": "compile"|"data"|
 *  "evaluation"|"constraint", "message": "...", "file": "..." or null,
 *  "line": n or null, "column": n or null, "rendered": "..."}.
 * Owned by the error. */
const char *tally_error_json(const tally_error *error, size_t *len);

/* Every diagnostic rendered as the CLI prints it to stderr: `FILE:LINE:COL:
 * error: MESSAGE`, the source line and a caret. Owned by the error. */
const char *tally_error_rendered(const tally_error *error, size_t *len);

/* Releases an error and sets *error to NULL. NULL or freed: ignored. */
void tally_error_free(tally_error **error);

#ifdef __cplusplus
}
#endif

#endif /* TALLY_H */
