/*
 * Evaluates the Wanjiang plan through Tally's C ABI (tally.h).
 *
 *     wanjiang PLAN DATA EXPR...
 *
 * Prints one line per EXPR on stdout, exactly as `tally eval PLAN --data DATA
 * --print EXPR ...` does, and a short report on stderr. Build with the
 * Makefile beside this file (it runs `cc` against the header and
 * libTallyC.so).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

/* Reads a whole file; the caller frees the buffer. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Prints an error's code, location and every diagnostic, then frees it. */
static int report(const char *what, tally_status status, tally_error **error) {
    size_t len = 0;
    const char *rendered = tally_error_rendered(*error, &len);
    fprintf(stderr, "wanjiang: %s failed (status %d) at %s:%u:%u\n%.*s\n", what, (int)status,
            tally_error_file(*error, NULL), tally_error_line(*error), tally_error_column(*error),
            (int)len, rendered ? rendered : "");
    tally_error_free(error); /* sets error to NULL */
    return status == TALLY_ERR_COMPILE ? 1 : 2;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s PLAN DATA EXPR...\n", argv[0]);
        return 64;
    }
    if (tally_abi_version() != TALLY_ABI_VERSION) {
        fprintf(stderr, "wanjiang: libTallyC ABI %u, header %d\n", tally_abi_version(), TALLY_ABI_VERSION);
        return 70;
    }
    fprintf(stderr, "tally %s\n", tally_version());

    tally_plan *plan = NULL;
    tally_dataset *data = NULL;
    tally_session *session = NULL;
    tally_error *error = NULL;
    tally_status st;
    int rc = 0;

    /* Compile once; imports are resolved next to the plan file. */
    st = tally_plan_compile_file(argv[1], strlen(argv[1]), &plan, &error);
    if (st != TALLY_OK) return report("compiling the plan", st, &error);

    size_t json_len = 0;
    char *json = read_file(argv[2], &json_len);
    if (!json) {
        fprintf(stderr, "wanjiang: cannot read %s\n", argv[2]);
        tally_plan_free(&plan);
        return 66;
    }
    st = tally_dataset_from_json(plan, json, json_len, &data, &error);
    free(json); /* the dataset keeps its own copy of what it needs */
    if (st != TALLY_OK) {
        rc = report("loading the dataset", st, &error);
        goto done;
    }

    /* One session for every expression: values are computed once. */
    st = tally_session_create(plan, data, NULL, &session, &error);
    if (st != TALLY_OK) {
        rc = report("creating a session", st, &error);
        goto done;
    }
    for (int i = 3; i < argc; i++) {
        tally_expression *expr = NULL;
        tally_value *value = NULL;
        st = tally_expression_compile(plan, argv[i], strlen(argv[i]), &expr, &error);
        if (st == TALLY_OK) st = tally_session_evaluate(session, expr, &value, &error);
        tally_expression_free(&expr);
        if (st != TALLY_OK) {
            rc = report(argv[i], st, &error);
            goto done;
        }
        size_t len = 0;
        const char *text = tally_value_text(value, &len); /* owned by value */
        printf("%.*s\n", (int)len, text);
        tally_value_free(&value);
    }

    /* The whole plan, as `tally eval --format json` would print it. */
    tally_result *result = NULL;
    tally_options options = TALLY_OPTIONS_INIT;
    options.max_steps = 50000000;
    st = tally_evaluate(plan, data, &options, &result, &error);
    if (st != TALLY_OK) {
        rc = report("evaluating the plan", st, &error);
        goto done;
    }
    size_t result_len = 0;
    tally_result_json(result, &result_len);
    fprintf(stderr, "whole plan: %zu people, %zu bytes of JSON\n", tally_dataset_person_count(data), result_len);
    tally_result_free(&result);

    /* Errors are values with a location. */
    const char *bad = "people[\"E0001\"].quarterly_bonus +";
    tally_value *unused = NULL;
    st = tally_evaluate_expression(plan, data, bad, strlen(bad), NULL, &unused, &error);
    fprintf(stderr, "a broken expression: status %d, %s line %u column %u: %s\n", (int)st,
            tally_error_file(error, NULL), tally_error_line(error), tally_error_column(error),
            tally_error_message(error, NULL));
    tally_error_free(&error);
    tally_error_free(&error); /* a second free is harmless: error is NULL now */

done:
    tally_session_free(&session);
    tally_dataset_free(&data);
    tally_plan_free(&plan);
    return rc;
}
