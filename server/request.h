/*
 * request.h - the plain request view every handler sees.
 *
 * httpd.c builds it from the wire; nothing here knows about libevent, so
 * handlers can be unit-tested and fuzzed without a socket. Strings are
 * borrowed from the connection and live until the reply is built.
 */
#ifndef SOBOT_REQUEST_H
#define SOBOT_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "params.h"

struct route;

#define REQUEST_MAX_HEADERS 64
/* Bytes of a request path, NUL included: a longer one is answered 400. */
#define REQUEST_MAX_PATH 4096

struct request_header {
    const char *name;
    const char *value;
};

enum lang { LANG_ZH, LANG_EN };

/* Who the auth step found the caller to be; empty strings when not known. */
struct caller {
    char appid[64];      /* get_token app (token routes) */
    char company_id[64]; /* the app's company */
    char union_code[64]; /* tenantpro platform */
    char token[64];      /* the token as sent, for fault actions and the journal */
    /* get_token only: issue time (mock-clock ms) of the app's token that was
     * still live when this call asked for a new one; 0 when there was none. */
    int64_t previous_token_issued_ms;
};

struct request {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* decoded, doubled slashes folded, no query */
    const char *query;  /* raw query string, "" when none */
    const char *body;
    size_t body_len;
    const char *content_type; /* NULL when absent */
    const char *scheme;       /* "http" or "https", X-Forwarded-Proto applied */
    const char *host;         /* Host header as sent, or the listen address */
    const char *remote;       /* peer address */
    struct request_header headers[REQUEST_MAX_HEADERS];
    size_t header_count;
    enum lang lang;

    /* Filled by dispatch. */
    struct params params;
    const struct route *route;
    const char *route_tail; /* for prefix routes: the path after the prefix */
    bool method_mismatch;   /* served on a path whose documented method differs */
    struct caller caller;
    uint64_t started_ns;
    int worker;
};

/* Case-insensitive header lookup; NULL when absent. */
const char *request_header(const struct request *rq, const char *name);
/* A parameter by name from the params view (query, form or JSON). */
const char *request_param(const struct request *rq, const char *name);

#endif
