/*
 * admin/admin.c - the control plane's first pieces: health, version, clock,
 * tokens, routes and reset.
 */
#include "admin/admin.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "sign.h"
#include "coverage.h"
#include "faults.h"
#include "fixtures.h"
#include "journal.h"
#include "store/store.h"

const cJSON *admin_body(const struct request *rq)
{
    return rq->params.json;
}

bool admin_only_fields(const cJSON *body, const char *const *allowed, struct reply *rp)
{
    for (const cJSON *item = body ? body->child : NULL; item; item = item->next) {
        bool known = false;
        for (const char *const *name = allowed; *name && !known; name++)
            known = !strcmp(item->string, *name);
        if (!known) {
            reply_admin_error(rp, 400, "unknown field '%.64s'", item->string);
            return false;
        }
    }
    return true;
}

static void health(struct request *rq, struct reply *rp)
{
    (void)rq;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", "ok");
    cJSON_AddNumberToObject(root, "now", (double)clock_now_s());
    reply_admin(rp, 200, root);
}

static void version(struct request *rq, struct reply *rp)
{
    (void)rq;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "name", "sobot-mock");
    cJSON_AddStringToObject(root, "version", SOBOT_MOCK_VERSION);
    reply_admin(rp, 200, root);
}

static cJSON *clock_state(void)
{
    char when[20];
    int64_t now_ms = clock_now_ms();
    clock_format_datetime(now_ms / 1000, when);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "now", (double)(now_ms / 1000));
    cJSON_AddNumberToObject(root, "now_ms", (double)now_ms);
    cJSON_AddStringToObject(root, "datetime", when);
    cJSON_AddBoolToObject(root, "frozen", clock_is_frozen());
    cJSON_AddNumberToObject(root, "offset_ms", (double)clock_offset_ms());
    return root;
}

static void clock_get(struct request *rq, struct reply *rp)
{
    (void)rq;
    reply_admin(rp, 200, clock_state());
}

/* A number of seconds (fractions allowed) from the body, as milliseconds. */
static bool seconds_field(const cJSON *body, const char *name, int64_t *ms, bool *present,
                          struct reply *rp)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, name);
    *present = item != NULL;
    if (!item)
        return true;
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) || fabs(item->valuedouble) > 1e13) {
        reply_admin_error(rp, 400, "'%s' must be a number of seconds", name);
        return false;
    }
    *ms = (int64_t)llround(item->valuedouble * 1000.0);
    return true;
}

static bool flag_field(const cJSON *body, const char *name, bool *on, struct reply *rp)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, name);
    *on = false;
    if (!item)
        return true;
    if (!cJSON_IsBool(item)) {
        reply_admin_error(rp, 400, "'%s' must be true or false", name);
        return false;
    }
    *on = cJSON_IsTrue(item);
    return true;
}

#define MAX_CLOCK_MS 253402300799999LL /* 9999-12-31 23:59:59.999 UTC */

static void clock_post(struct request *rq, struct reply *rp)
{
    static const char *const allowed[] = {"advance", "set", "freeze", "resume", NULL};
    const cJSON *body = admin_body(rq);
    int64_t advance_ms = 0, set_ms = 0;
    bool has_advance, has_set, freeze, resume;
    if (!admin_only_fields(body, allowed, rp) ||
        !seconds_field(body, "advance", &advance_ms, &has_advance, rp) ||
        !seconds_field(body, "set", &set_ms, &has_set, rp) ||
        !flag_field(body, "freeze", &freeze, rp) || !flag_field(body, "resume", &resume, rp))
        return;
    if (freeze && resume) {
        reply_admin_error(rp, 400, "'freeze' and 'resume' together make no sense");
        return;
    }
    /* The clock stays within what dates can show (1970..9999), so no
     * sequence of calls can overflow it. */
    int64_t target = (has_set ? set_ms : clock_now_ms()) + advance_ms;
    if (target < 0 || target > MAX_CLOCK_MS) {
        reply_admin_error(rp, 400, "the clock would leave 1970-01-01..9999-12-31");
        return;
    }
    if (freeze)
        clock_freeze();
    if (resume)
        clock_resume();
    if (has_set)
        clock_set_ms(set_ms);
    if (has_advance)
        clock_advance_ms(advance_ms);
    reply_admin(rp, 200, clock_state());
}

static void add_token(const struct store_token *row, void *arg)
{
    cJSON *apps = arg;
    cJSON *list = cJSON_GetObjectItemCaseSensitive(apps, row->appid);
    if (!list)
        list = cJSON_AddArrayToObject(apps, row->appid);
    char masked[16], issued[20], expires[20];
    sign_mask_prefix(row->token, masked, sizeof masked);
    clock_format_datetime(row->issued_ms / 1000, issued);
    clock_format_datetime(row->expires_ms / 1000, expires);
    cJSON *entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "token", masked);
    cJSON_AddNumberToObject(entry, "issued", (double)(row->issued_ms / 1000));
    cJSON_AddNumberToObject(entry, "expires", (double)(row->expires_ms / 1000));
    cJSON_AddStringToObject(entry, "issued_at", issued);
    cJSON_AddStringToObject(entry, "expires_at", expires);
    cJSON_AddItemToArray(list, entry);
}

static void tokens_list(struct request *rq, struct reply *rp)
{
    (void)rq;
    cJSON *root = cJSON_CreateObject();
    cJSON *apps = cJSON_AddObjectToObject(root, "apps");
    if (store_tokens_live(clock_now_ms(), add_token, apps) != STORE_OK) {
        cJSON_Delete(root);
        reply_admin_error(rp, 500, "the store failed listing tokens");
        return;
    }
    reply_admin(rp, 200, root);
}

static void routes_list(struct request *rq, struct reply *rp)
{
    (void)rq;
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "routes");
    size_t n = routes_count();
    for (size_t i = 0; i < n; i++) {
        const struct route *r = routes_at(i);
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "name", r->name);
        cJSON_AddStringToObject(row, "method", r->method);
        cJSON_AddStringToObject(row, "path", r->path);
        cJSON_AddStringToObject(row, "auth", r->auth ? r->auth->name : "none");
        cJSON_AddStringToObject(row, "params", r->params ? r->params : "");
        cJSON_AddBoolToObject(row, "admin", r->admin);
        cJSON_AddItemToArray(list, row);
    }
    reply_admin(rp, 200, root);
}

static bool known_scope(const char *scope)
{
    static const char *const scopes[] = {"all", "state", "journal", "faults", "clock", NULL};
    for (const char *const *s = scopes; *s; s++)
        if (!strcmp(*s, scope))
            return true;
    return false;
}

/* state: vendor state back to the fixtures; journal: requests and coverage;
 * faults: every rule; clock: real time, running; all: everything. */
static void reset(struct request *rq, struct reply *rp)
{
    static const char *const allowed[] = {"scope", NULL};
    const cJSON *body = admin_body(rq);
    if (!admin_only_fields(body, allowed, rp))
        return;
    const char *scope = request_param(rq, "scope");
    if (!scope || !*scope)
        scope = "all";
    if (!known_scope(scope)) {
        reply_admin_error(rp, 400, "scope must be one of: all, state, journal, faults, clock");
        return;
    }
    bool all = !strcmp(scope, "all");
    char err[256] = "";
    if ((all || !strcmp(scope, "state")) && !fixtures_reset(err, sizeof err)) {
        reply_admin_error(rp, 500, "reset failed: %s", err);
        return;
    }
    if (all || !strcmp(scope, "journal")) {
        journal_clear();
        coverage_reset();
    }
    if (all || !strcmp(scope, "faults"))
        faults_clear();
    if (all || !strcmp(scope, "clock"))
        clock_reset();
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "reset", scope);
    reply_admin(rp, 200, root);
}

static const struct route rows[] = {
    {"admin.health", "GET", "/__admin/health", &auth_none, health, ENVELOPE_ADMIN, "", true},
    {"admin.version", "GET", "/__admin/version", &auth_none, version, ENVELOPE_ADMIN, "", true},
    {"admin.clock", "GET", "/__admin/clock", &auth_none, clock_get, ENVELOPE_ADMIN, "", true},
    {"admin.clock.set", "POST", "/__admin/clock", &auth_none, clock_post, ENVELOPE_ADMIN,
     "advance:n,set:n,freeze,resume", true},
    {"admin.tokens", "GET", "/__admin/tokens", &auth_none, tokens_list, ENVELOPE_ADMIN, "", true},
    {"admin.routes", "GET", "/__admin/routes", &auth_none, routes_list, ENVELOPE_ADMIN, "", true},
    {"admin.reset", "POST", "/__admin/reset", &auth_none, reset, ENVELOPE_ADMIN, "scope", true},
};

const struct route_slice admin_route_slice = ROUTE_SLICE(rows);
