/*
 * params.h - one view over a request's parameters, whether they came in the
 * query string, an urlencoded form or a JSON object body, so a handler asks
 * for "appid" without caring how it came.
 *
 * When a name appears in several places the body wins over the query (the
 * vendor's POST endpoints read the body). Values are NUL-terminated copies;
 * JSON numbers are kept as their integral text ("1569397773", not 1.57e9).
 * The view owns everything it returns; params_free releases it all.
 */
#ifndef SOBOT_PARAMS_H
#define SOBOT_PARAMS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

enum param_source { PARAM_QUERY, PARAM_FORM, PARAM_JSON };
enum param_type { PTYPE_STRING, PTYPE_NUMBER, PTYPE_BOOL, PTYPE_NULL, PTYPE_OBJECT, PTYPE_ARRAY };

struct param {
    char *name;
    char *value; /* text form; "" for null, compact JSON for objects/arrays */
    enum param_source source;
    enum param_type type;
};

/* Limits on what a request may carry (bounded input everywhere). */
#define PARAMS_MAX 256
#define PARAMS_NAME_MAX 256

enum params_status {
    PARAMS_OK,
    PARAMS_BAD_JSON,     /* body claimed or looked like JSON and did not parse */
    PARAMS_NOT_OBJECT,   /* JSON body that is not an object */
    PARAMS_TOO_MANY,     /* more than PARAMS_MAX */
    PARAMS_BAD_ENCODING, /* broken %-escape or a name over PARAMS_NAME_MAX */
};

struct params {
    struct param items[PARAMS_MAX];
    size_t count;
    cJSON *json; /* the parsed JSON body, or NULL */
    enum params_status status;
    char error[128]; /* what was wrong, for the diagnostic */
};

/* Parses query (may be NULL) and body (may be NULL) into p. content_type
 * decides the body's reading; with none, a body starting with '{' is JSON and
 * one with '=' is a form. Always leaves p usable; check p->status. */
void params_parse(struct params *p, const char *query, const char *body, size_t body_len,
                  const char *content_type);
void params_free(struct params *p);

/* The value of `name`, or NULL when absent. */
const char *params_get(const struct params *p, const char *name);
const struct param *params_find(const struct params *p, const char *name);
/* Present and not empty (after trimming nothing: "" counts as missing). */
bool params_has(const struct params *p, const char *name);

/* True when text is one or more ASCII digits (timestamps, numeric ids). */
bool params_all_digits(const char *text);

/* Decodes %XX and '+' (form rules) in place-independent copy; NULL on a
 * broken escape. Caller frees. */
char *params_url_decode(const char *text, size_t len, bool plus_is_space);

#endif
