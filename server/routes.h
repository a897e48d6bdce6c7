/*
 * routes.h - the route table: one row per endpoint.
 *
 * Method, path, auth scheme, handler, envelope and documented parameters.
 * Dispatch, /__admin/routes, coverage and metrics all read this one table.
 * Each product area exports its rows as a slice (api/token.c: token_routes,
 * ...); routes.c lists the slices, so adding an endpoint is adding a row in
 * its area's file and a handler beside it.
 */
#ifndef SOBOT_ROUTES_H
#define SOBOT_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "reply.h"
#include "request.h"

typedef void (*route_handler)(struct request *rq, struct reply *rp);

/* An auth scheme checks the caller before the handler runs. On rejection it
 * fills the reply (vendor code + diagnostic) and returns false. */
struct auth_scheme {
    const char *name;
    bool (*check)(struct request *rq, struct reply *rp);
};

struct route {
    const char *name;   /* stable identifier, e.g. "get_token" */
    const char *method; /* "GET", "POST", "DELETE", or "*" for any */
    const char *path;   /* exact, or a prefix when it ends with '*' */
    const struct auth_scheme *auth;
    route_handler handler;
    enum envelope envelope;
    /* Documented parameters, comma-separated; a leading '!' marks a required
     * one, ":n" a number, ":ms" a millisecond timestamp, ":s" seconds. */
    const char *params;
    bool admin; /* part of the control plane, not the vendor's API */
};

/* One area's rows. */
struct route_slice {
    const struct route *rows;
    size_t count;
};

/* clang-format off */
#define ROUTE_SLICE(rows) {(rows), sizeof(rows) / sizeof((rows)[0])}
/* clang-format on */

enum route_match { ROUTE_FOUND, ROUTE_WRONG_METHOD, ROUTE_NOT_FOUND };

/* Finds the route for method+path. On ROUTE_WRONG_METHOD, *route is the row
 * whose path matched. *tail is the part after a prefix route's '*'. */
enum route_match routes_find(const char *method, const char *path, const struct route **route,
                             const char **tail);

/* The known route whose path is closest to `path` (edit distance). */
const struct route *routes_nearest(const char *path);

/* Iteration over every row, in table order. */
size_t routes_count(void);
const struct route *routes_at(size_t index);
/* The row's index in the table (routes_at's inverse) without a scan;
 * (size_t)-1 for NULL or a row not in the table. */
size_t routes_index(const struct route *r);

#endif
