/*
 * admin/admin_requests.c - /__admin/requests: the journal, its filters, its
 * count and the verification call that waits for a count.
 *
 * Filters come as query parameters, the same on every call; an unknown one
 * is a 400, so a typo never silently matches everything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "auth.h"
#include "journal.h"

#define WAIT_MAX_MS 60000

/* What the count call waits for. */
struct wait_state {
    struct journal_filter filter;
    long min; /* -1: no wait asked */
    int timeout_ms;
};

static bool number(const char *name, const char *text, long long lo, long long hi, long long *out,
                   struct reply *rp)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || !*text || *end || v < lo || v > hi) {
        reply_admin_error(rp, 400, "'%s' must be a whole number from %lld to %lld", name, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static bool text(const char *name, const char *value, char *out, size_t size, struct reply *rp)
{
    if (strlen(value) >= size) {
        reply_admin_error(rp, 400, "'%s' is too long", name);
        return false;
    }
    snprintf(out, size, "%s", value);
    return true;
}

/* A numeric filter (or, for the count call, a wait setting). *known says
 * whether the name was one of them. */
static bool number_param(const char *n, const char *v, struct journal_filter *f,
                         struct wait_state *w, bool *known, struct reply *rp)
{
    long long x = 0;
    *known = true;
    if (!strcmp(n, "status") && number(n, v, 100, 599, &x, rp))
        f->status = (int)x;
    else if (!strcmp(n, "since_id") && number(n, v, 0, INT64_MAX, &x, rp))
        f->since_id = (uint64_t)x;
    else if (!strcmp(n, "since_ms") && number(n, v, 0, INT64_MAX, &x, rp))
        f->since_ms = x;
    else if (!strcmp(n, "limit") && number(n, v, 0, 1000000, &x, rp))
        f->limit = (int)x;
    else if (w && !strcmp(n, "min") && number(n, v, 0, 1000000000, &x, rp))
        w->min = (long)x;
    else if (w && !strcmp(n, "timeout_ms") && number(n, v, 0, WAIT_MAX_MS, &x, rp))
        w->timeout_ms = (int)x;
    else {
        /* Either a known name whose value failed (already answered 400) or
         * not a number filter at all. */
        *known = !strcmp(n, "status") || !strcmp(n, "since_id") || !strcmp(n, "since_ms") ||
                 !strcmp(n, "limit") || (w && (!strcmp(n, "min") || !strcmp(n, "timeout_ms")));
        return !*known;
    }
    return true;
}

/* One query parameter into the filter (or the wait), false on a bad one. */
static bool filter_param(const struct param *p, struct journal_filter *f, struct wait_state *w,
                         struct reply *rp)
{
    const char *n = p->name, *v = p->value;
    bool known;
    if (!strcmp(n, "route"))
        return text(n, v, f->route, sizeof f->route, rp);
    if (!strcmp(n, "path"))
        return text(n, v, f->path, sizeof f->path, rp);
    if (!strcmp(n, "method"))
        return text(n, v, f->method, sizeof f->method, rp);
    if (!strcmp(n, "appid"))
        return text(n, v, f->appid, sizeof f->appid, rp);
    if (!strcmp(n, "code"))
        return text(n, v, f->code, sizeof f->code, rp);
    if (!number_param(n, v, f, w, &known, rp))
        return false;
    if (!known)
        reply_admin_error(rp, 400,
                          "unknown filter '%.40s' (route, path, method, appid, code, status, "
                          "since_id, since_ms, limit%s)",
                          n, w ? ", min, timeout_ms" : "");
    return known;
}

static bool read_filter(const struct request *rq, struct journal_filter *f, struct wait_state *w,
                        struct reply *rp)
{
    memset(f, 0, sizeof *f);
    if (rq->params.json && rq->params.json->child) {
        reply_admin_error(rp, 400, "filters go in the query string, not a body");
        return false;
    }
    for (size_t i = 0; i < rq->params.count; i++)
        if (!filter_param(&rq->params.items[i], f, w, rp))
            return false;
    return true;
}

static void requests_list(struct request *rq, struct reply *rp)
{
    struct journal_filter f;
    if (read_filter(rq, &f, NULL, rp))
        reply_admin(rp, 200, journal_query(&f));
}

static void requests_unmatched(struct request *rq, struct reply *rp)
{
    struct journal_filter f;
    if (!read_filter(rq, &f, NULL, rp))
        return;
    f.unmatched = true;
    reply_admin(rp, 200, journal_query(&f));
}

static void count_reply(struct reply *rp, size_t count, const struct wait_state *w)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "count", (double)count);
    if (w)
        cJSON_AddBoolToObject(root, "reached", (long)count >= w->min);
    reply_admin(rp, 200, root);
}

static bool wait_poll(void *state, bool last, struct reply *rp)
{
    struct wait_state *w = state;
    size_t count = journal_count(&w->filter);
    if ((long)count < w->min && !last)
        return false;
    count_reply(rp, count, w); /* replaces the body; the wait state stays until reply_free */
    return true;
}

/* The reply owns w from here: reply_free calls the wait's free. */
static void hand_to_reply(struct reply *rp, struct wait_state *w)
{
    rp->wait = (struct reply_wait){wait_poll, free, w, 10, w->timeout_ms};
}

static void requests_count(struct request *rq, struct reply *rp)
{
    struct wait_state probe = {.min = -1};
    struct journal_filter f;
    if (!read_filter(rq, &f, &probe, rp))
        return;
    size_t count = journal_count(&f);
    if (probe.min < 0) {
        count_reply(rp, count, NULL);
        return;
    }
    count_reply(rp, count, &probe);
    if ((long)count >= probe.min || !probe.timeout_ms)
        return;
    /* Not there yet: httpd polls without blocking the worker, so the very
     * requests being waited for can still be served. */
    struct wait_state *w = malloc(sizeof *w);
    if (!w)
        return;
    *w = probe;
    w->filter = f;
    hand_to_reply(rp, w);
}

static void requests_clear(struct request *rq, struct reply *rp)
{
    (void)rq;
    journal_clear();
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "cleared", true);
    reply_admin(rp, 200, root);
}

static const struct route rows[] = {
    {"admin.requests", "GET", "/__admin/requests", &auth_none, requests_list, ENVELOPE_ADMIN,
     "route,path,method,appid,code,status:n,since_id:n,since_ms:ms,limit:n", true},
    {"admin.requests.count", "GET", "/__admin/requests/count", &auth_none, requests_count,
     ENVELOPE_ADMIN,
     "route,path,method,appid,code,status:n,since_id:n,since_ms:ms,limit:n,min:n,"
     "timeout_ms:n",
     true},
    {"admin.requests.unmatched", "GET", "/__admin/requests/unmatched", &auth_none,
     requests_unmatched, ENVELOPE_ADMIN, "", true},
    {"admin.requests.clear", "DELETE", "/__admin/requests", &auth_none, requests_clear,
     ENVELOPE_ADMIN, "", true},
};

const struct route_slice admin_requests_route_slice = ROUTE_SLICE(rows);
