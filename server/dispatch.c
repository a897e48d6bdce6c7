/*
 * dispatch.c - the request pipeline.
 *
 *   params → route (404 with the nearest route) → method → admin guard →
 *   malformed body → auth scheme → handler
 *
 * Every rejection fills the diagnostic; vendor routes answer in their own
 * envelope with HTTP 200, as the vendor does; the control plane answers with
 * HTTP statuses.
 */
#include "dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "routes.h"

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
    reply_vendor_error(rq, rp, "999999", NULL);
    reply_diag(rp, "request body rejected: %s", rq->params.error);
    return false;
}

static void run_route(struct request *rq, struct reply *rp, enum route_match match)
{
    if (match == ROUTE_NOT_FOUND) {
        not_found(rq, rp);
        return;
    }
    if (match == ROUTE_WRONG_METHOD) {
        /* The vendor's documented method is the contract; admin routes and
         * --strict enforce it, vendor routes otherwise answer and the
         * mismatch is noted. */
        if (rq->route->admin || config.strict) {
            wrong_method(rq, rp);
            return;
        }
        rq->method_mismatch = true;
        reply_diag(rp, "%s is documented as %s, not %s", rq->route->path, rq->route->method,
                   rq->method);
    }
    if (rq->route->admin && !admin_allowed(rq, rp))
        return;
    if (!body_readable(rq, rp))
        return;
    if (rq->route->auth && !rq->route->auth->check(rq, rp))
        return;
    rq->route->handler(rq, rp);
}

void dispatch(struct request *rq, struct reply *rp)
{
    rq->started_ns = clock_mono_ns();
    rq->lang = lang_of(rq);
    params_parse(&rq->params, rq->query, rq->body, rq->body_len, rq->content_type);
    enum route_match match = routes_find(rq->method, rq->path, &rq->route, &rq->route_tail);
    run_route(rq, rp, match);
    if (!config.quiet)
        log_info("%s %s -> %d %s %.2f ms", rq->method, rq->path, rp->status,
                 rp->vendor_code[0] ? rp->vendor_code : "-",
                 (double)(clock_mono_ns() - rq->started_ns) / 1e6);
    params_free(&rq->params);
}
