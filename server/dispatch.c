/*
 * dispatch.c - the request pipeline.
 *
 *   params → route (404 with the nearest route) → method → admin guard →
 *   faults → malformed body → contract (--strict) → auth scheme → handler →
 *   faults after the handler → journal, metrics, coverage
 *
 * Every rejection fills the diagnostic; vendor routes answer in their own
 * envelope with HTTP 200, as the vendor does; the control plane answers with
 * HTTP statuses. Faults, the contract check and coverage apply to vendor
 * routes only; the journal skips control-plane requests. When the store
 * failed, its reason (busy, out of memory, disk full) joins the diagnostic.
 */
#include "dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "config.h"
#include "coverage.h"
#include "faults.h"
#include "journal.h"
#include "log.h"
#include "metrics.h"
#include "routes.h"
#include "store/store.h"

bool dispatch_normalize_path(const char *raw, size_t raw_len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < raw_len && n + 1 < size; i++) {
        char c = raw[i];
        if (c == '%') {
            char *decoded = params_url_decode(raw + i, raw_len - i >= 3 ? 3 : raw_len - i, false);
            if (!decoded || !*decoded) {
                free(decoded);
                return false;
            }
            c = decoded[0];
            free(decoded);
            i += 2;
        }
        if (c == '/' && n > 0 && out[n - 1] == '/')
            continue;
        out[n++] = c;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return true;
}

static enum lang lang_of(const struct request *rq)
{
    const char *lang = request_header(rq, "language");
    return lang && !strncasecmp(lang, "en", 2) ? LANG_EN : LANG_ZH;
}

/* The control plane speaks JSON whatever the Content-Type says: `curl -d`
 * declares a form, and read as one {"advance":60} would be a parameter name,
 * answered 200 with nothing done. A body that is not JSON is then a 400. */
static const char *body_type(const struct request *rq)
{
    return rq->route && rq->route->admin ? "application/json" : rq->content_type;
}

static void not_found(const struct request *rq, struct reply *rp)
{
    const struct route *near = routes_nearest(rq->path);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "error", "no such route");
    cJSON_AddStringToObject(root, "method", rq->method);
    cJSON_AddStringToObject(root, "path", rq->path);
    if (near) {
        cJSON *hint = cJSON_AddObjectToObject(root, "nearest");
        cJSON_AddStringToObject(hint, "name", near->name);
        cJSON_AddStringToObject(hint, "method", near->method);
        cJSON_AddStringToObject(hint, "path", near->path);
        reply_diag(rp, "no route %s %s; nearest known route: %s %s", rq->method, rq->path,
                   near->method, near->path);
    }
    reply_json(rp, 404, root);
}

static void wrong_method(const struct request *rq, struct reply *rp)
{
    reply_admin_error(rp, 405, "%s does not take %s; it takes %s", rq->path, rq->method,
                      rq->route->method);
    reply_add_header(rp, "Allow", rq->route->method);
}

static bool admin_allowed(const struct request *rq, struct reply *rp)
{
    if (!config.admin_token || !*config.admin_token)
        return true;
    const char *given = request_header(rq, "X-Sobot-Mock-Admin-Token");
    if (given && !strcmp(given, config.admin_token))
        return true;
    reply_admin_error(rp, 401, "the control plane needs the X-Sobot-Mock-Admin-Token header");
    return false;
}

/* A body that could not be read: the vendor answers 999999 in its envelope. */
static bool body_readable(const struct request *rq, struct reply *rp)
{
    if (rq->params.status == PARAMS_OK)
        return true;
    if (rq->route->admin) {
        reply_admin_error(rp, 400, "%s", rq->params.error);
        return false;
    }
    reply_bad_params(rq, rp);
    reply_diag(rp, "request body rejected: %s", rq->params.error);
    return false;
}

/* Under --strict a contract warning becomes the route's bad-parameter
 * answer (999999; chatIndexPage's status 2). */
static bool contract_kept(const struct request *rq, struct reply *rp,
                          const struct coverage_findings *findings)
{
    const struct coverage_finding *bad = coverage_strict_error(findings);
    if (!config.strict || !bad)
        return true;
    reply_bad_params(rq, rp);
    reply_diag(rp, "--strict: %s (%s)", bad->detail, coverage_kind_name(bad->kind));
    return false;
}

/* What one request carries through the pipeline beside rq and rp. */
struct pass {
    struct fault_plan fault;
    struct coverage_findings findings;
};

static void run_vendor(struct request *rq, struct reply *rp, struct pass *ps)
{
    coverage_check(rq, &ps->findings);
    if (faults_pick(rq, rp, &ps->fault) && faults_before(rq, rp, &ps->fault))
        return;
    if (!body_readable(rq, rp) || !contract_kept(rq, rp, &ps->findings))
        return;
    if (rq->route->auth && !rq->route->auth->check(rq, rp))
        return;
    rq->route->handler(rq, rp);
    faults_after(rp, &ps->fault);
}

static void run_route(struct request *rq, struct reply *rp, enum route_match match, struct pass *ps)
{
    if (match == ROUTE_NOT_FOUND) {
        not_found(rq, rp);
        return;
    }
    if (match == ROUTE_WRONG_METHOD) {
        /* The vendor's documented method is the contract; admin routes and
         * --strict enforce it, vendor routes otherwise answer and the
         * mismatch is noted. */
        rq->method_mismatch = !rq->route->admin;
        if (rq->route->admin || config.strict) {
            if (rq->method_mismatch)
                coverage_check(rq, &ps->findings); /* still counts as a violation */
            wrong_method(rq, rp);
            return;
        }
        reply_diag(rp, "%s is documented as %s, not %s", rq->route->path, rq->route->method,
                   rq->method);
    }
    if (!rq->route->admin) {
        run_vendor(rq, rp, ps);
        return;
    }
    if (!admin_allowed(rq, rp) || !body_readable(rq, rp))
        return;
    if (rq->route->auth && !rq->route->auth->check(rq, rp))
        return;
    rq->route->handler(rq, rp);
}

/* After the reply is built, while the params are still there. */
static void record(const struct request *rq, const struct reply *rp, const struct pass *ps)
{
    metrics_record(rq, rp);
    if (rq->route && rq->route->admin)
        return;
    journal_record(rq, rp);
    if (rq->route)
        coverage_record(rq, rp, &ps->findings);
}

void dispatch(struct request *rq, struct reply *rp)
{
    rq->started_ns = clock_mono_ns();
    rq->lang = lang_of(rq);
    enum route_match match = routes_find(rq->method, rq->path, &rq->route, &rq->route_tail);
    params_parse(&rq->params, rq->query, rq->body, rq->body_len, body_type(rq));
    /* Only the flags are set: the rest is written before it is read, and
     * zeroing a fault plan's body buffer on every request is waste. */
    struct pass ps;
    ps.fault.active = false;
    ps.findings.count = 0;
    store_take_failure(NULL, 0);
    run_route(rq, rp, match, &ps);
    /* Handlers say what they could not read or write; the store says why. */
    char failure[192];
    if (store_take_failure(failure, sizeof failure))
        reply_diag(rp, "store: %s", failure);
    record(rq, rp, &ps);
    if (!config.quiet)
        log_info("%s %s -> %d %s %.2f ms", rq->method, rq->path, rp->status,
                 rp->vendor_code[0] ? rp->vendor_code : "-",
                 (double)(clock_mono_ns() - rq->started_ns) / 1e6);
    params_free(&rq->params);
}
