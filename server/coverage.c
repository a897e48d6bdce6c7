/*
 * coverage.c - what clients exercised of the contract, and where they broke it.
 *
 * Each route row's `params` string is parsed once into a spec (name,
 * required, type). A request then costs an atomic increment for the call, an
 * atomic OR for the parameters it sent, and nothing more unless it broke the
 * contract; violations go into a bounded table under a mutex, a path only a
 * misbehaving client takes.
 *
 * The token pitfalls need history: get_token notes in the request whether the
 * app still held a live token (tokens_live_since), and this module counts
 * how many token-checked calls each app made since its last fetch. A refetch
 * after at most one call is "token fetched per request".
 *
 * This module must never change a reply (dispatch decides what --strict
 * does) nor keep pointers into requests.
 */
#include "coverage.h"

#include <ctype.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "routes.h"

#define MAX_ROUTES 512
#define MAX_PARAMS 64 /* the sent-mask is 64 bits */
#define MAX_VIOLATIONS 512
#define MAX_APPS 128
/* Epoch values below this are seconds, above it milliseconds (year 5138 in
 * seconds, March 1973 in milliseconds). */
#define MS_THRESHOLD 100000000000.0

enum ptype { P_STRING, P_NUMBER, P_MS, P_SECONDS };

struct param_spec {
    char name[48];
    bool required;
    enum ptype type;
};

struct route_cov {
    struct param_spec *params;
    int n_params;
    atomic_uint_fast64_t calls;
    atomic_uint_fast64_t sent; /* bit i: params[i] was sent at least once */
};

struct violation {
    size_t route;
    enum coverage_kind kind;
    char param[48];
    uint64_t count;
    char example[200];
};

struct app_use {
    char appid[64];
    atomic_int claimed;
    atomic_int uses; /* token-checked calls since the app's last get_token */
};

static struct route_cov *covs;
static size_t n_covs;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct violation violations[MAX_VIOLATIONS];
static size_t n_violations;
static uint64_t dropped; /* violations past the table's size */
static struct app_use apps[MAX_APPS];

static const char *const kind_names[COV_KIND_COUNT] = {
    "missing_required",
    "wrong_type",
    "seconds_for_ms",
    "ms_for_seconds",
    "wrong_content_type",
    "wrong_method",
    "token_refetched_while_valid",
    "token_per_request",
};

const char *coverage_kind_name(enum coverage_kind kind)
{
    return kind_names[kind];
}

/* ---- the contract, from the table ---- */

static void parse_one(const char *text, size_t len, struct param_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    if (len && text[0] == '!') {
        spec->required = true;
        text++;
        len--;
    }
    const char *colon = memchr(text, ':', len);
    size_t name_len = colon ? (size_t)(colon - text) : len;
    snprintf(spec->name, sizeof spec->name, "%.*s", (int)name_len, text);
    if (!colon)
        return;
    size_t type_len = len - name_len - 1;
    if (type_len == 1 && colon[1] == 'n')
        spec->type = P_NUMBER;
    else if (type_len == 2 && !strncmp(colon + 1, "ms", 2))
        spec->type = P_MS;
    else if (type_len == 1 && colon[1] == 's')
        spec->type = P_SECONDS;
}

static void parse_specs(struct route_cov *c, const char *text)
{
    c->params = calloc(MAX_PARAMS, sizeof *c->params);
    if (!c->params || !text)
        return;
    while (*text && c->n_params < MAX_PARAMS) {
        const char *comma = strchr(text, ',');
        size_t len = comma ? (size_t)(comma - text) : strlen(text);
        if (len)
            parse_one(text, len, &c->params[c->n_params++]);
        text += len + (comma ? 1 : 0);
    }
}

static void init_specs(void)
{
    n_covs = routes_count() < MAX_ROUTES ? routes_count() : MAX_ROUTES;
    covs = calloc(n_covs, sizeof *covs);
    for (size_t i = 0; covs && i < n_covs; i++)
        if (!routes_at(i)->admin)
            parse_specs(&covs[i], routes_at(i)->params);
}

static struct route_cov *cov_of(const struct route *r, size_t *index)
{
    pthread_once(&once, init_specs);
    size_t i = routes_index(r);
    if (!covs || i >= n_covs)
        return NULL;
    *index = i;
    return &covs[i];
}

/* ---- checks ---- */

static void add(struct coverage_findings *f, enum coverage_kind kind, const char *param,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add(struct coverage_findings *f, enum coverage_kind kind, const char *param,
                const char *fmt, ...)
{
    if (f->count >= COVERAGE_FINDINGS_MAX)
        return;
    struct coverage_finding *item = &f->items[f->count++];
    item->kind = kind;
    snprintf(item->param, sizeof item->param, "%s", param);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(item->detail, sizeof item->detail, fmt, ap);
    va_end(ap);
}

static bool numeric(const char *text, double *value)
{
    char *end;
    if (!*text || isspace((unsigned char)*text))
        return false;
    *value = strtod(text, &end);
    return !*end;
}

static void check_param(const struct param_spec *spec, const struct param *p,
                        struct coverage_findings *f)
{
    double v = 0;
    bool scalar = p->type == PTYPE_STRING || p->type == PTYPE_NUMBER;
    if (!scalar) {
        add(f, COV_WRONG_TYPE, spec->name, "%s must be a %s, got a JSON %s", spec->name,
            spec->type == P_STRING ? "string" : "number",
            p->type == PTYPE_OBJECT  ? "object"
            : p->type == PTYPE_ARRAY ? "array"
                                     : "bool/null");
        return;
    }
    if (spec->type == P_STRING)
        return;
    if (!numeric(p->value, &v)) {
        add(f, COV_WRONG_TYPE, spec->name, "%s must be a number, got '%.40s'", spec->name,
            p->value);
        return;
    }
    if (spec->type == P_MS && v < MS_THRESHOLD)
        add(f, COV_SECONDS_FOR_MS, spec->name,
            "%s must be a timestamp in milliseconds; %.40s looks like seconds", spec->name,
            p->value);
    if (spec->type == P_SECONDS && v >= MS_THRESHOLD)
        add(f, COV_MS_FOR_SECONDS, spec->name,
            "%s must be a timestamp in seconds; %.40s looks like milliseconds", spec->name,
            p->value);
}

static bool type_has(const char *content_type, const char *want)
{
    return content_type && strcasestr(content_type, want);
}

/* A body must say what it is; GET with a JSON Content-Type and no body is
 * tolerated (FACTS.md: real clients do it). */
static void check_content_type(const struct request *rq, struct coverage_findings *f)
{
    if (!rq->body_len)
        return;
    const char *ct = rq->content_type;
    if (!ct)
        add(f, COV_WRONG_CONTENT_TYPE, "", "a %zu-byte body came without a Content-Type",
            rq->body_len);
    else if (rq->params.json && !type_has(ct, "json"))
        add(f, COV_WRONG_CONTENT_TYPE, "", "a JSON body was sent as '%.60s'", ct);
    else if (!rq->params.json && !type_has(ct, "json") && !type_has(ct, "x-www-form-urlencoded"))
        add(f, COV_WRONG_CONTENT_TYPE, "",
            "the body's Content-Type '%.60s' is neither JSON nor a form", ct);
}

void coverage_check(const struct request *rq, struct coverage_findings *out)
{
    size_t index;
    out->count = 0;
    const struct route_cov *c = cov_of(rq->route, &index);
    if (!c || rq->route->admin)
        return;
    if (rq->method_mismatch)
        add(out, COV_WRONG_METHOD, "", "%s is documented as %s, called with %s", rq->route->path,
            rq->route->method, rq->method);
    for (int i = 0; i < c->n_params; i++) {
        const struct param_spec *spec = &c->params[i];
        const struct param *p = params_find(&rq->params, spec->name);
        if (!p || (!*p->value && p->type != PTYPE_OBJECT && p->type != PTYPE_ARRAY)) {
            if (spec->required)
                add(out, COV_MISSING_REQUIRED, spec->name, "required parameter %s is missing",
                    spec->name);
            continue;
        }
        check_param(spec, p, out);
    }
    check_content_type(rq, out);
}

const struct coverage_finding *coverage_strict_error(const struct coverage_findings *f)
{
    for (int i = 0; i < f->count; i++)
        if (f->items[i].kind <= COV_WRONG_CONTENT_TYPE)
            return &f->items[i];
    return NULL;
}

/* ---- recording ---- */

static void note(size_t route, enum coverage_kind kind, const char *param, const char *example)
{
    pthread_mutex_lock(&lock);
    struct violation *v = NULL;
    for (size_t i = 0; i < n_violations && !v; i++)
        if (violations[i].route == route && violations[i].kind == kind &&
            !strcmp(violations[i].param, param))
            v = &violations[i];
    if (!v && n_violations < MAX_VIOLATIONS) {
        v = &violations[n_violations++];
        memset(v, 0, sizeof *v);
        v->route = route;
        v->kind = kind;
        snprintf(v->param, sizeof v->param, "%s", param);
        snprintf(v->example, sizeof v->example, "%s", example);
    }
    if (v)
        v->count++;
    else
        dropped++;
    pthread_mutex_unlock(&lock);
}

static struct app_use *app_slot(const char *appid)
{
    for (size_t i = 0; i < MAX_APPS; i++)
        if (atomic_load(&apps[i].claimed) && !strcmp(apps[i].appid, appid))
            return &apps[i];
    struct app_use *found = NULL;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < MAX_APPS && !found; i++) {
        if (atomic_load(&apps[i].claimed)) {
            if (!strcmp(apps[i].appid, appid))
                found = &apps[i];
            continue;
        }
        snprintf(apps[i].appid, sizeof apps[i].appid, "%s", appid);
        atomic_store(&apps[i].uses, 0);
        atomic_store(&apps[i].claimed, 1);
        found = &apps[i];
    }
    pthread_mutex_unlock(&lock);
    return found;
}

static void token_history(const struct request *rq, const struct reply *rp, size_t index)
{
    const struct caller *c = &rq->caller;
    if (!c->appid[0] || strcmp(rp->vendor_code, "000000"))
        return;
    struct app_use *app = app_slot(c->appid);
    if (!app)
        return;
    if (strcmp(rq->route->name, "get_token")) {
        if (c->token[0])
            atomic_fetch_add(&app->uses, 1);
        return;
    }
    int uses = atomic_exchange(&app->uses, 0);
    if (!c->previous_token_issued_ms)
        return;
    char example[200];
    snprintf(example, sizeof example,
             "app %.40s fetched a new token while the one issued %llds earlier was still valid; "
             "that token had served %d call(s)",
             c->appid, (long long)((clock_now_ms() - c->previous_token_issued_ms) / 1000), uses);
    note(index, COV_TOKEN_REFETCHED, "", example);
    if (uses <= 1)
        note(index, COV_TOKEN_PER_REQUEST, "", example);
}

static void mark_sent(struct route_cov *c, const struct request *rq)
{
    uint64_t mask = 0;
    for (int i = 0; i < c->n_params; i++)
        if (params_find(&rq->params, c->params[i].name))
            mask |= 1ull << i;
    if (mask)
        atomic_fetch_or(&c->sent, mask);
}

void coverage_record(const struct request *rq, const struct reply *rp,
                     const struct coverage_findings *f)
{
    size_t index;
    struct route_cov *c = cov_of(rq->route, &index);
    if (!c || rq->route->admin)
        return;
    atomic_fetch_add_explicit(&c->calls, 1, memory_order_relaxed);
    mark_sent(c, rq);
    for (int i = 0; i < f->count; i++)
        note(index, f->items[i].kind, f->items[i].param, f->items[i].detail);
    token_history(rq, rp, index);
}

void coverage_reset(void)
{
    pthread_once(&once, init_specs);
    for (size_t i = 0; covs && i < n_covs; i++) {
        atomic_store(&covs[i].calls, 0);
        atomic_store(&covs[i].sent, 0);
    }
    pthread_mutex_lock(&lock);
    n_violations = 0;
    dropped = 0;
    for (size_t i = 0; i < MAX_APPS; i++)
        atomic_store(&apps[i].uses, 0);
    pthread_mutex_unlock(&lock);
}

/* ---- the report ---- */

static const char *type_name(enum ptype t)
{
    static const char *const names[] = {"string", "number", "timestamp_ms", "timestamp_s"};
    return names[t];
}

static cJSON *params_json(const struct route_cov *c)
{
    cJSON *list = cJSON_CreateArray();
    uint64_t sent = atomic_load(&c->sent);
    for (int i = 0; i < c->n_params; i++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "name", c->params[i].name);
        cJSON_AddBoolToObject(p, "required", c->params[i].required);
        cJSON_AddStringToObject(p, "type", type_name(c->params[i].type));
        cJSON_AddBoolToObject(p, "sent", (sent >> i) & 1);
        cJSON_AddItemToArray(list, p);
    }
    return list;
}

/* Adds route i's violations to its list; returns how many there were. */
static uint64_t violations_json(size_t route, cJSON *list)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n_violations; i++) {
        const struct violation *v = &violations[i];
        if (v->route != route)
            continue;
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "kind", kind_names[v->kind]);
        cJSON_AddStringToObject(item, "param", v->param);
        cJSON_AddNumberToObject(item, "count", (double)v->count);
        cJSON_AddStringToObject(item, "example", v->example);
        cJSON_AddItemToArray(list, item);
        total += v->count;
    }
    return total;
}

cJSON *coverage_json(void)
{
    pthread_once(&once, init_specs);
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "endpoints");
    int endpoints = 0, called = 0;
    uint64_t total = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; covs && i < n_covs; i++) {
        const struct route *r = routes_at(i);
        if (r->admin)
            continue;
        uint64_t calls = atomic_load(&covs[i].calls);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", r->name);
        cJSON_AddStringToObject(e, "method", r->method);
        cJSON_AddStringToObject(e, "path", r->path);
        cJSON_AddBoolToObject(e, "called", calls > 0);
        cJSON_AddNumberToObject(e, "calls", (double)calls);
        cJSON_AddItemToObject(e, "params", params_json(&covs[i]));
        total += violations_json(i, cJSON_AddArrayToObject(e, "violations"));
        cJSON_AddItemToArray(list, e);
        endpoints++;
        called += calls > 0;
    }
    cJSON *summary = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(summary, "endpoints", endpoints);
    cJSON_AddNumberToObject(summary, "called", called);
    cJSON_AddNumberToObject(summary, "violations", (double)total);
    cJSON_AddNumberToObject(summary, "violations_not_kept", (double)dropped);
    pthread_mutex_unlock(&lock);
    return root;
}
