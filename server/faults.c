/*
 * faults.c - the fault engine: rules, matching, seeded draws, actions.
 *
 * Rules live in a small array behind one mutex; an atomic count in front of
 * it lets a request with no rules and no fault header pass with one atomic
 * load, so the hot path pays nothing for the feature it does not use.
 *
 * Draws are replayable: each rule owns a splitmix64 state seeded from
 * --seed and its id, so the same requests against the same rules fire the
 * same way on every run, whatever other rules or threads do. Header faults
 * always fire; their delay draws share one state seeded the same way.
 *
 * This module must never build a vendor envelope by hand (reply.h does) nor
 * touch the token table directly (tokens.h does).
 */
#include "faults.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "routes.h"
#include "tokens.h"

#define DEFAULT_CAP_MS 60000
#define MAX_WAIT_MS 600000 /* ten minutes: longer is a typo, not a test */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fault_rule rules[FAULTS_MAX_RULES];
static int rule_count = 0;
static int next_id = 1;
static uint64_t header_rng; /* delays drawn for header faults */
static atomic_int live_rules;
/* Rules that match on appid: the caller's app is then looked up (a store
 * query) before the lock is taken, never while holding it. */
static atomic_int appid_rules;
static atomic_uint_fast64_t injected[FAULT_TYPE_COUNT];

/* ---- the seeded generator ---- */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform draw in [0, 1) with 53 random bits. */
static double draw_unit(uint64_t *state)
{
    return (double)(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
}

static double draw_normal(uint64_t *state)
{
    /* Box-Muller; 1 - u keeps the logarithm away from zero. */
    double u1 = 1.0 - draw_unit(state), u2 = draw_unit(state);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static int draw_delay(const struct fault_action *a, uint64_t *state)
{
    double ms = a->ms;
    if (a->distribution == DELAY_UNIFORM)
        ms = a->min_ms + draw_unit(state) * (a->max_ms - a->min_ms);
    else if (a->distribution == DELAY_LOGNORMAL)
        ms = exp(log((double)a->median_ms) + a->sigma * draw_normal(state));
    int cap = a->cap_ms > 0 ? a->cap_ms : DEFAULT_CAP_MS;
    return ms > cap ? cap : (int)ms;
}

/* ---- reading rules and actions ---- */

struct type_row {
    const char *name;
    enum fault_type type;
    const char *const fields[12]; /* what an action of this type may carry */
};

static const struct type_row types[] = {
    {"error", FAULT_ERROR, {"type", "code", "message", NULL}},
    {"http", FAULT_HTTP, {"type", "status", "body", "content_type", NULL}},
    {"delay",
     FAULT_DELAY,
     {"type", "ms", "distribution", "min_ms", "max_ms", "median_ms", "sigma", "cap_ms", NULL}},
    {"reset", FAULT_RESET, {"type", NULL}},
    {"empty", FAULT_EMPTY, {"type", NULL}},
    {"malformed", FAULT_MALFORMED, {"type", "mode", NULL}},
    {"dribble", FAULT_DRIBBLE, {"type", "chunks", "total_ms", NULL}},
    {"expire_token", FAULT_EXPIRE_TOKEN, {"type", NULL}},
    {"replace_token", FAULT_REPLACE_TOKEN, {"type", NULL}},
};

#define N_TYPES (sizeof types / sizeof types[0])

const char *faults_type_name(enum fault_type type)
{
    for (size_t i = 0; i < N_TYPES; i++)
        if (types[i].type == type)
            return types[i].name;
    return "?";
}

/* Writes the reason into err; always false, so checks read `ok || fail(...)`. */
static bool fail(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return false;
}

static bool only_fields(const cJSON *obj, const char *const *allowed, const char *where, char *err,
                        size_t size)
{
    for (const cJSON *item = obj->child; item; item = item->next) {
        bool known = false;
        for (const char *const *name = allowed; *name && !known; name++)
            known = !strcmp(item->string, *name);
        if (!known) {
            snprintf(err, size, "unknown field '%.64s' in %s", item->string, where);
            return false;
        }
    }
    return true;
}

/* A whole number from a JSON number or a string of digits (the header form). */
static bool int_field(const cJSON *obj, const char *name, long lo, long hi, int *out, char *err,
                      size_t size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item)
        return true;
    double v;
    char *end = NULL;
    if (cJSON_IsNumber(item))
        v = item->valuedouble;
    else if (cJSON_IsString(item) && *item->valuestring)
        v = strtod(item->valuestring, &end);
    else
        return fail(err, size, "'%s' must be a number", name);
    if ((end && *end) || !isfinite(v) || v != floor(v) || v < lo || v > hi) {
        snprintf(err, size, "'%s' must be a whole number from %ld to %ld", name, lo, hi);
        return false;
    }
    *out = (int)v;
    return true;
}

static bool real_field(const cJSON *obj, const char *name, double lo, double hi, double *out,
                       char *err, size_t size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item)
        return true;
    char *end = NULL;
    double v = cJSON_IsNumber(item)                         ? item->valuedouble
               : cJSON_IsString(item) && *item->valuestring ? strtod(item->valuestring, &end)
                                                            : NAN;
    if ((end && *end) || !isfinite(v) || v < lo || v > hi) {
        snprintf(err, size, "'%s' must be a number from %g to %g", name, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

/* A string member copied into a bounded buffer; numbers are taken as their
 * integral text so {"code":900002} works as well as {"code":"900002"}. */
static bool text_field(const cJSON *obj, const char *name, char *out, size_t out_size, char *err,
                       size_t size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item)
        return true;
    if (cJSON_IsNumber(item) && item->valuedouble == floor(item->valuedouble) &&
        fabs(item->valuedouble) < 1e15) {
        snprintf(out, out_size, "%.0f", item->valuedouble);
        return true;
    }
    if (!cJSON_IsString(item))
        return fail(err, size, "'%s' must be a string", name);
    if (strlen(item->valuestring) >= out_size) {
        snprintf(err, size, "'%s' is longer than %zu bytes", name, out_size - 1);
        return false;
    }
    snprintf(out, out_size, "%s", item->valuestring);
    return true;
}

static const struct type_row *type_of(const cJSON *action, char *err, size_t size)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(action, "type");
    if (!cJSON_IsString(type)) {
        fail(err, size, "%s",
             "the action needs a 'type' (error, http, delay, reset, empty, "
             "malformed, dribble, expire_token, replace_token)");
        return NULL;
    }
    for (size_t i = 0; i < N_TYPES; i++)
        if (!strcmp(types[i].name, type->valuestring))
            return &types[i];
    snprintf(err, size,
             "unknown action type '%.32s' (error, http, delay, reset, empty, malformed, dribble, "
             "expire_token, replace_token)",
             type->valuestring);
    return NULL;
}

static bool http_body(const cJSON *action, struct fault_action *a, char *err, size_t size)
{
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(action, "body");
    if (!body || cJSON_IsString(body))
        return text_field(action, "body", a->body, sizeof a->body, err, size);
    /* A JSON body given as JSON is sent as JSON. */
    char *printed = cJSON_PrintUnformatted(body);
    bool fits = printed && strlen(printed) < sizeof a->body;
    if (fits) {
        snprintf(a->body, sizeof a->body, "%s", printed);
        if (!a->content_type[0])
            snprintf(a->content_type, sizeof a->content_type, "application/json;charset=UTF-8");
    }
    free(printed);
    return fits || fail(err, size, "%s", "'body' is longer than 4095 bytes");
}

static bool delay_fields(const cJSON *action, struct fault_action *a, char *err, size_t size)
{
    char dist[16] = "";
    a->sigma = 1.0;
    if (!text_field(action, "distribution", dist, sizeof dist, err, size) ||
        !int_field(action, "ms", 0, MAX_WAIT_MS, &a->ms, err, size) ||
        !int_field(action, "min_ms", 0, MAX_WAIT_MS, &a->min_ms, err, size) ||
        !int_field(action, "max_ms", 0, MAX_WAIT_MS, &a->max_ms, err, size) ||
        !int_field(action, "median_ms", 1, MAX_WAIT_MS, &a->median_ms, err, size) ||
        !int_field(action, "cap_ms", 1, MAX_WAIT_MS, &a->cap_ms, err, size) ||
        !real_field(action, "sigma", 0, 10, &a->sigma, err, size))
        return false;
    if (!dist[0] || !strcmp(dist, "fixed")) {
        a->distribution = DELAY_FIXED;
        return cJSON_GetObjectItemCaseSensitive(action, "ms") ||
               fail(err, size, "%s", "a fixed delay needs 'ms'");
    }
    if (!strcmp(dist, "uniform")) {
        a->distribution = DELAY_UNIFORM;
        return a->max_ms > a->min_ms ||
               fail(err, size, "%s", "a uniform delay needs 'min_ms' < 'max_ms'");
    }
    if (!strcmp(dist, "lognormal")) {
        a->distribution = DELAY_LOGNORMAL;
        return a->median_ms > 0 || fail(err, size, "%s", "a lognormal delay needs 'median_ms'");
    }
    return fail(err, size, "unknown distribution '%.16s' (fixed, uniform, lognormal)", dist);
}

static bool action_fields(const cJSON *action, struct fault_action *a, char *err, size_t size)
{
    char mode[16] = "cut";
    switch (a->type) {
    case FAULT_ERROR:
        if (!text_field(action, "code", a->code, sizeof a->code, err, size) ||
            !text_field(action, "message", a->message, sizeof a->message, err, size))
            return false;
        return a->code[0] || fail(err, size, "%s", "an error action needs a 'code'");
    case FAULT_HTTP:
        a->status = 500;
        return int_field(action, "status", 100, 599, &a->status, err, size) &&
               text_field(action, "content_type", a->content_type, sizeof a->content_type, err,
                          size) &&
               http_body(action, a, err, size);
    case FAULT_DELAY:
        return delay_fields(action, a, err, size);
    case FAULT_MALFORMED:
        if (!text_field(action, "mode", mode, sizeof mode, err, size))
            return false;
        a->corrupt = !strcmp(mode, "corrupt");
        return a->corrupt || !strcmp(mode, "cut") ||
               fail(err, size, "%s", "'mode' must be cut or corrupt");
    case FAULT_DRIBBLE:
        a->chunks = 5;
        a->total_ms = 1000;
        return int_field(action, "chunks", 1, 10000, &a->chunks, err, size) &&
               int_field(action, "total_ms", 0, MAX_WAIT_MS, &a->total_ms, err, size);
    default:
        return true;
    }
}

static bool action_parse(const cJSON *action, struct fault_action *a, char *err, size_t size)
{
    memset(a, 0, sizeof *a);
    if (!cJSON_IsObject(action))
        return fail(err, size, "%s", "'action' must be an object");
    const struct type_row *row = type_of(action, err, size);
    if (!row)
        return false;
    a->type = row->type;
    char where[48];
    snprintf(where, sizeof where, "a %s action", row->name);
    return only_fields(action, row->fields, where, err, size) &&
           action_fields(action, a, err, size);
}

static bool header_match(const cJSON *header, struct fault_match *m, char *err, size_t size)
{
    static const char *const allowed[] = {"name", "value", NULL};
    if (!header)
        return true;
    if (!cJSON_IsObject(header))
        return fail(err, size, "%s", "'match.header' must be {\"name\":…, \"value\":…}");
    return only_fields(header, allowed, "match.header", err, size) &&
           text_field(header, "name", m->header_name, sizeof m->header_name, err, size) &&
           text_field(header, "value", m->header_value, sizeof m->header_value, err, size) &&
           (m->header_name[0] || fail(err, size, "%s", "'match.header' needs a 'name'"));
}

static bool match_parse(const cJSON *match, struct fault_match *m, char *err, size_t size)
{
    static const char *const allowed[] = {"route",     "path",   "method", "appid",
                                          "unionCode", "header", NULL};
    memset(m, 0, sizeof *m);
    if (!match)
        return true;
    if (!cJSON_IsObject(match))
        return fail(err, size, "%s", "'match' must be an object");
    if (!only_fields(match, allowed, "match", err, size) ||
        !text_field(match, "route", m->route, sizeof m->route, err, size) ||
        !text_field(match, "path", m->path, sizeof m->path, err, size) ||
        !text_field(match, "method", m->method, sizeof m->method, err, size) ||
        !text_field(match, "appid", m->appid, sizeof m->appid, err, size) ||
        !text_field(match, "unionCode", m->union_code, sizeof m->union_code, err, size) ||
        !header_match(cJSON_GetObjectItemCaseSensitive(match, "header"), m, err, size))
        return false;
    if (m->route[0]) {
        for (size_t i = 0; i < routes_count(); i++)
            if (!strcmp(routes_at(i)->name, m->route))
                return true;
        return fail(err, size, "no route named '%.64s' (see GET /__admin/routes)", m->route);
    }
    return true;
}

bool faults_rule_parse(const cJSON *obj, struct fault_rule *out, char *err, size_t err_size)
{
    static const char *const allowed[] = {"match", "action",  "probability", "skip",
                                          "times", "comment", NULL};
    memset(out, 0, sizeof *out);
    out->probability = 1.0;
    if (!cJSON_IsObject(obj))
        return fail(err, err_size, "%s", "a fault rule must be a JSON object");
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(obj, "action");
    if (!only_fields(obj, allowed, "the rule", err, err_size))
        return false;
    if (!action)
        return fail(err, err_size, "%s", "a fault rule needs an 'action'");
    return match_parse(cJSON_GetObjectItemCaseSensitive(obj, "match"), &out->match, err,
                       err_size) &&
           action_parse(action, &out->action, err, err_size) &&
           real_field(obj, "probability", 0, 1, &out->probability, err, err_size) &&
           int_field(obj, "skip", 0, 1000000000, &out->skip, err, err_size) &&
           int_field(obj, "times", 0, 1000000000, &out->times, err, err_size) &&
           text_field(obj, "comment", out->comment, sizeof out->comment, err, err_size);
}

/* "type=error;code=900002" → {"type":"error","code":"900002"}, then the rule
 * reader does the rest, so header and rule share one vocabulary. */
bool faults_header_parse(const char *text, struct fault_action *out, char *err, size_t err_size)
{
    cJSON *obj = cJSON_CreateObject();
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", text);
    char *save = NULL;
    bool ok = obj != NULL;
    for (char *pair = strtok_r(buf, ";", &save); ok && pair; pair = strtok_r(NULL, ";", &save)) {
        while (*pair == ' ')
            pair++;
        char *eq = strchr(pair, '=');
        if (!*pair)
            continue;
        if (!eq || eq == pair) {
            ok = fail(err, err_size, "'%.64s' is not key=value", pair);
            break;
        }
        *eq = '\0';
        if (cJSON_GetObjectItemCaseSensitive(obj, pair))
            ok = fail(err, err_size, "'%.64s' is given twice", pair);
        else
            cJSON_AddStringToObject(obj, pair, eq + 1);
    }
    ok = ok && action_parse(obj, out, err, err_size);
    cJSON_Delete(obj);
    return ok;
}

/* ---- the rule table ---- */

/* Publishes the table's counts; called with the lock held. */
static void count_rules(void)
{
    int with_appid = 0;
    for (int i = 0; i < rule_count; i++)
        with_appid += rules[i].match.appid[0] != '\0';
    atomic_store(&appid_rules, with_appid);
    atomic_store(&live_rules, rule_count);
}

void faults_init(void)
{
    faults_clear();
    pthread_mutex_lock(&lock);
    next_id = 1;
    header_rng = (uint64_t)config.seed;
    pthread_mutex_unlock(&lock);
}

bool faults_add(struct fault_rule *rule)
{
    pthread_mutex_lock(&lock);
    bool room = rule_count < FAULTS_MAX_RULES;
    if (room) {
        rule->id = next_id++;
        rule->matched = rule->fired = 0;
        rule->rng = (uint64_t)config.seed ^ ((uint64_t)rule->id * 0xD1B54A32D192ED03ull);
        rules[rule_count++] = *rule;
        count_rules();
    }
    pthread_mutex_unlock(&lock);
    return room;
}

bool faults_delete(int id)
{
    bool found = false;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < rule_count && !found; i++) {
        if (rules[i].id != id)
            continue;
        memmove(&rules[i], &rules[i + 1], (size_t)(rule_count - i - 1) * sizeof rules[0]);
        rule_count--;
        found = true;
    }
    count_rules();
    pthread_mutex_unlock(&lock);
    return found;
}

int faults_clear(void)
{
    pthread_mutex_lock(&lock);
    int removed = rule_count;
    rule_count = 0;
    count_rules();
    pthread_mutex_unlock(&lock);
    return removed;
}

static void add_text(cJSON *obj, const char *name, const char *value)
{
    if (value[0])
        cJSON_AddStringToObject(obj, name, value);
}

static cJSON *match_json(const struct fault_match *m)
{
    cJSON *obj = cJSON_CreateObject();
    add_text(obj, "route", m->route);
    add_text(obj, "path", m->path);
    add_text(obj, "method", m->method);
    add_text(obj, "appid", m->appid);
    add_text(obj, "unionCode", m->union_code);
    if (m->header_name[0]) {
        cJSON *h = cJSON_AddObjectToObject(obj, "header");
        cJSON_AddStringToObject(h, "name", m->header_name);
        add_text(h, "value", m->header_value);
    }
    return obj;
}

static void delay_json(cJSON *obj, const struct fault_action *a)
{
    static const char *const names[] = {"fixed", "uniform", "lognormal"};
    cJSON_AddStringToObject(obj, "distribution", names[a->distribution]);
    if (a->distribution == DELAY_FIXED)
        cJSON_AddNumberToObject(obj, "ms", a->ms);
    if (a->distribution == DELAY_UNIFORM) {
        cJSON_AddNumberToObject(obj, "min_ms", a->min_ms);
        cJSON_AddNumberToObject(obj, "max_ms", a->max_ms);
    }
    if (a->distribution == DELAY_LOGNORMAL) {
        cJSON_AddNumberToObject(obj, "median_ms", a->median_ms);
        cJSON_AddNumberToObject(obj, "sigma", a->sigma);
    }
    cJSON_AddNumberToObject(obj, "cap_ms", a->cap_ms > 0 ? a->cap_ms : DEFAULT_CAP_MS);
}

static cJSON *action_json(const struct fault_action *a)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "type", faults_type_name(a->type));
    switch (a->type) {
    case FAULT_ERROR:
        cJSON_AddStringToObject(obj, "code", a->code);
        add_text(obj, "message", a->message);
        break;
    case FAULT_HTTP:
        cJSON_AddNumberToObject(obj, "status", a->status);
        cJSON_AddStringToObject(obj, "body", a->body);
        add_text(obj, "content_type", a->content_type);
        break;
    case FAULT_DELAY:
        delay_json(obj, a);
        break;
    case FAULT_MALFORMED:
        cJSON_AddStringToObject(obj, "mode", a->corrupt ? "corrupt" : "cut");
        break;
    case FAULT_DRIBBLE:
        cJSON_AddNumberToObject(obj, "chunks", a->chunks);
        cJSON_AddNumberToObject(obj, "total_ms", a->total_ms);
        break;
    default:
        break;
    }
    return obj;
}

cJSON *faults_rule_json(const struct fault_rule *rule)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddNumberToObject(obj, "id", rule->id);
    cJSON_AddItemToObject(obj, "match", match_json(&rule->match));
    cJSON_AddItemToObject(obj, "action", action_json(&rule->action));
    cJSON_AddNumberToObject(obj, "probability", rule->probability);
    cJSON_AddNumberToObject(obj, "skip", rule->skip);
    cJSON_AddNumberToObject(obj, "times", rule->times);
    add_text(obj, "comment", rule->comment);
    cJSON_AddNumberToObject(obj, "matched", rule->matched);
    cJSON_AddNumberToObject(obj, "fired", rule->fired);
    return obj;
}

cJSON *faults_list_json(void)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "faults");
    pthread_mutex_lock(&lock);
    for (int i = 0; i < rule_count; i++)
        cJSON_AddItemToArray(list, faults_rule_json(&rules[i]));
    pthread_mutex_unlock(&lock);
    return root;
}

static bool parse_all(const cJSON *list, struct fault_rule *parsed, int *n, char *err,
                      size_t err_size)
{
    const cJSON *item;
    char inner[256];
    *n = 0;
    cJSON_ArrayForEach(item, list)
    {
        if (*n >= FAULTS_MAX_RULES)
            return fail(err, err_size, "%s", "more than 256 rules");
        if (!faults_rule_parse(item, &parsed[*n], inner, sizeof inner)) {
            snprintf(err, err_size, "rule %d: %s", *n + 1, inner);
            return false;
        }
        (*n)++;
    }
    return true;
}

bool faults_load_file(const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, err_size, "cannot open %s", path);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *list =
        cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "faults") : root;
    struct fault_rule *parsed = calloc(FAULTS_MAX_RULES, sizeof *parsed);
    int n = 0;
    bool ok = parsed && cJSON_IsArray(list);
    if (!ok)
        fail(err, err_size, "%s",
             "a faults file holds a JSON array of rules or {\"faults\":[...]}");
    ok = ok && parse_all(list, parsed, &n, err, err_size);
    for (int i = 0; ok && i < n; i++)
        ok = faults_add(&parsed[i]) || fail(err, err_size, "%s", "the rule table is full");
    free(parsed);
    cJSON_Delete(root);
    return ok;
}

/* ---- matching ---- */

/* The app a request belongs to: its token's app, else its appid parameter.
 * Only looked up when a rule asks, since a token check costs a query. */
static const char *caller_appid(struct request *rq, char *buf, size_t size)
{
    const char *token = request_header(rq, "token");
    struct token_check check;
    if (token && *token && tokens_check(token, &check) != TOKEN_UNKNOWN && check.appid[0]) {
        snprintf(buf, size, "%s", check.appid);
        return buf;
    }
    const char *appid = request_param(rq, "appid");
    return appid ? appid : "";
}

static bool path_matches(const char *pattern, const char *path)
{
    size_t len = strlen(pattern);
    if (len && pattern[len - 1] == '*')
        return !strncmp(pattern, path, len - 1);
    return !strcmp(pattern, path);
}

static bool rule_matches(const struct fault_match *m, struct request *rq, const char *appid)
{
    if (m->route[0] && strcmp(m->route, rq->route->name))
        return false;
    if (m->path[0] && !path_matches(m->path, rq->path))
        return false;
    if (m->method[0] && strcasecmp(m->method, rq->method))
        return false;
    if (m->union_code[0]) {
        const char *uc = request_param(rq, "unionCode");
        if (!uc || strcmp(uc, m->union_code))
            return false;
    }
    if (m->header_name[0]) {
        const char *v = request_header(rq, m->header_name);
        if (!v || (m->header_value[0] && strcmp(v, m->header_value)))
            return false;
    }
    if (m->appid[0] && (!appid || strcmp(appid, m->appid)))
        return false;
    return true;
}

/* Counts a match and decides whether the rule fires this time. */
static bool rule_fires(struct fault_rule *r)
{
    r->matched++;
    if (r->matched <= r->skip || (r->times > 0 && r->fired >= r->times))
        return false;
    /* Always draw, so a rule's later decisions do not depend on its earlier
     * probability being 1 or not. */
    if (draw_unit(&r->rng) >= r->probability)
        return false;
    r->fired++;
    return true;
}

static void describe(struct fault_plan *plan, const char *source)
{
    const struct fault_action *a = &plan->action;
    char detail[64] = "";
    if (a->type == FAULT_ERROR)
        snprintf(detail, sizeof detail, " %s", a->code);
    else if (a->type == FAULT_HTTP)
        snprintf(detail, sizeof detail, " %d", a->status);
    else if (a->type == FAULT_DELAY)
        snprintf(detail, sizeof detail, " %dms", plan->delay_ms);
    else if (a->type == FAULT_DRIBBLE)
        snprintf(detail, sizeof detail, " %d chunks/%dms", a->chunks, a->total_ms);
    else if (a->type == FAULT_MALFORMED)
        snprintf(detail, sizeof detail, " %s", a->corrupt ? "corrupt" : "cut");
    snprintf(plan->what, sizeof plan->what, "%s: %s%s", source, faults_type_name(a->type), detail);
}

static bool pick_rule(struct request *rq, struct fault_plan *plan)
{
    char appid_buf[64];
    const char *appid = NULL;
    bool found = false;
    if (atomic_load(&appid_rules) > 0)
        appid = caller_appid(rq, appid_buf, sizeof appid_buf);
    pthread_mutex_lock(&lock);
    for (int i = 0; i < rule_count && !found; i++) {
        if (!rule_matches(&rules[i].match, rq, appid) || !rule_fires(&rules[i]))
            continue;
        plan->action = rules[i].action;
        plan->delay_ms = draw_delay(&rules[i].action, &rules[i].rng);
        char source[24];
        snprintf(source, sizeof source, "rule %d", rules[i].id);
        describe(plan, source);
        found = true;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

static bool pick_header(struct request *rq, struct reply *rp, struct fault_plan *plan)
{
    if (config.no_header_faults)
        return false;
    const char *header = request_header(rq, "X-Sobot-Mock-Fault");
    if (!header)
        return false;
    char err[256];
    if (!faults_header_parse(header, &plan->action, err, sizeof err)) {
        reply_diag(rp, "X-Sobot-Mock-Fault ignored: %s", err);
        return false;
    }
    pthread_mutex_lock(&lock);
    plan->delay_ms = draw_delay(&plan->action, &header_rng);
    pthread_mutex_unlock(&lock);
    describe(plan, "header");
    return true;
}

bool faults_pick(struct request *rq, struct reply *rp, struct fault_plan *plan)
{
    plan->active = false;
    if (rq->route->admin)
        return false;
    bool found =
        (atomic_load_explicit(&live_rules, memory_order_relaxed) > 0 && pick_rule(rq, plan)) ||
        pick_header(rq, rp, plan);
    if (found) {
        plan->active = true;
        atomic_fetch_add_explicit(&injected[plan->action.type], 1, memory_order_relaxed);
    }
    return found;
}

/* ---- applying ---- */

static void token_action(struct request *rq, struct reply *rp, enum fault_type type)
{
    const char *token = request_header(rq, "token");
    if (!token || !*token) {
        reply_diag(rp, "fault %s: the request has no token header", faults_type_name(type));
        return;
    }
    bool done = type == FAULT_EXPIRE_TOKEN ? tokens_expire(token, NULL) > 0 : tokens_replace(token);
    if (!done)
        reply_diag(rp, "fault %s: the token was not live", faults_type_name(type));
}

static void http_reply(struct reply *rp, const struct fault_action *a)
{
    const char *type = a->content_type[0] ? a->content_type : "text/plain;charset=UTF-8";
    reply_text(rp, a->status, type, a->body, strlen(a->body));
    /* reply_text keeps the pointer; the plan's storage dies with dispatch. */
    if (a->content_type[0]) {
        static _Thread_local char kept[64];
        snprintf(kept, sizeof kept, "%s", a->content_type);
        rp->content_type = kept;
    }
}

bool faults_before(struct request *rq, struct reply *rp, const struct fault_plan *plan)
{
    if (!plan->active)
        return false;
    const struct fault_action *a = &plan->action;
    snprintf(rp->fault, sizeof rp->fault, "%s", plan->what);
    switch (a->type) {
    case FAULT_ERROR:
        reply_vendor_error(rq, rp, a->code, a->message[0] ? a->message : NULL);
        reply_diag(rp, "injected fault (%s)", plan->what);
        return true;
    case FAULT_HTTP:
        http_reply(rp, a);
        reply_diag(rp, "injected fault (%s)", plan->what);
        return true;
    case FAULT_RESET:
    case FAULT_EMPTY:
        rp->transport.kind = a->type == FAULT_RESET ? TRANSPORT_RESET : TRANSPORT_EMPTY;
        return true;
    case FAULT_DELAY:
        rp->transport.delay_ms = plan->delay_ms;
        return false;
    case FAULT_DRIBBLE:
        rp->transport.kind = TRANSPORT_DRIBBLE;
        rp->transport.chunks = a->chunks;
        rp->transport.total_ms = a->total_ms;
        return false;
    case FAULT_EXPIRE_TOKEN:
    case FAULT_REPLACE_TOKEN:
        token_action(rq, rp, a->type);
        return false;
    default:
        return false;
    }
}

void faults_after(struct reply *rp, const struct fault_plan *plan)
{
    if (!plan->active || plan->action.type != FAULT_MALFORMED || !rp->body || !rp->body_len)
        return;
    if (!plan->action.corrupt) {
        /* Half the body with a Content-Length that agrees: valid HTTP,
         * truncated JSON. */
        rp->body_len /= 2;
        rp->body[rp->body_len] = '\0';
        return;
    }
    /* Braces and quotes become bytes no JSON parser accepts. */
    for (size_t i = 0; i < rp->body_len; i++)
        if (rp->body[i] == '{' || rp->body[i] == '"' || rp->body[i] == '}')
            rp->body[i] = (char)0xFF;
}

uint64_t faults_injected(enum fault_type type)
{
    return atomic_load_explicit(&injected[type], memory_order_relaxed);
}
