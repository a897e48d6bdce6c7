/*
 * routes.c - the table assembled from each area's slice, and lookup.
 *
 * Lookup is a linear scan: a few dozen rows, compared by length first, cost
 * less than a request's header parsing. Exact paths win over prefixes.
 */
#include "routes.h"

#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "api/api.h"

/* Every area's rows, in the order /__admin/routes lists them. */
static const struct route_slice *const slices[] = {
    &token_route_slice,
    &sso_route_slice,
    &tenantpro_route_slice,
    &tenantpro_logs_route_slice,
    &tenantpro_reports_route_slice,
    &chat_route_slice,
    &customer_route_slice,
    &token_tester_route_slice,
    &admin_route_slice,
    &admin_sso_route_slice,
    &admin_faults_route_slice,
    &admin_requests_route_slice,
    &admin_coverage_route_slice,
    &admin_metrics_route_slice,
    &admin_tokens_route_slice,
};

#define N_SLICES (sizeof slices / sizeof slices[0])

size_t routes_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < N_SLICES; i++)
        n += slices[i]->count;
    return n;
}

const struct route *routes_at(size_t index)
{
    for (size_t i = 0; i < N_SLICES; i++) {
        if (index < slices[i]->count)
            return &slices[i]->rows[index];
        index -= slices[i]->count;
    }
    return NULL;
}

size_t routes_index(const struct route *r)
{
    size_t base = 0;
    for (size_t i = 0; r && i < N_SLICES; i++) {
        const struct route_slice *s = slices[i];
        if (r >= s->rows && r < s->rows + s->count)
            return base + (size_t)(r - s->rows);
        base += s->count;
    }
    return (size_t)-1;
}

static bool is_prefix_route(const struct route *r, size_t *prefix_len)
{
    size_t len = strlen(r->path);
    *prefix_len = len ? len - 1 : 0;
    return len && r->path[len - 1] == '*';
}

/* Does the route's path cover `path`? Sets *tail for prefix routes. */
static bool path_matches(const struct route *r, const char *path, size_t path_len,
                         const char **tail)
{
    size_t prefix_len;
    if (is_prefix_route(r, &prefix_len)) {
        if (path_len < prefix_len || strncmp(r->path, path, prefix_len))
            return false;
        *tail = path + prefix_len;
        return true;
    }
    *tail = NULL;
    return strlen(r->path) == path_len && !memcmp(r->path, path, path_len);
}

static bool method_matches(const struct route *r, const char *method)
{
    return !strcmp(r->method, "*") || !strcmp(r->method, method) ||
           (!strcmp(method, "HEAD") && !strcmp(r->method, "GET"));
}

/* Two passes: exact paths first, prefixes second, so /__admin/faults is not
 * taken by the prefix row of /__admin/faults/. */
enum route_match routes_find(const char *method, const char *path, const struct route **route,
                             const char **tail)
{
    size_t path_len = strlen(path);
    const struct route *wrong_method = NULL;
    const char *wrong_tail = NULL;
    for (int pass = 0; pass < 2; pass++) {
        /* Slice by slice: routes_at would walk the slices again per row. */
        for (size_t k = 0; k < N_SLICES; k++) {
            for (size_t i = 0; i < slices[k]->count; i++) {
                const struct route *r = &slices[k]->rows[i];
                size_t prefix_len;
                const char *t;
                if (is_prefix_route(r, &prefix_len) != (pass == 1) ||
                    !path_matches(r, path, path_len, &t))
                    continue;
                if (method_matches(r, method)) {
                    *route = r;
                    *tail = t;
                    return ROUTE_FOUND;
                }
                if (!wrong_method) {
                    wrong_method = r;
                    wrong_tail = t;
                }
            }
        }
        if (wrong_method)
            break;
    }
    *route = wrong_method;
    *tail = wrong_tail;
    return wrong_method ? ROUTE_WRONG_METHOD : ROUTE_NOT_FOUND;
}

/* Levenshtein distance with one row of memory; paths are short. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 256 || lb > 256)
        return (size_t)-1;
    size_t row[257];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const struct route *routes_nearest(const char *path)
{
    const struct route *best = NULL;
    size_t best_distance = (size_t)-1;
    size_t n = routes_count();
    for (size_t i = 0; i < n; i++) {
        const struct route *r = routes_at(i);
        size_t d = distance(path, r->path);
        if (d < best_distance) {
            best_distance = d;
            best = r;
        }
    }
    return best;
}
