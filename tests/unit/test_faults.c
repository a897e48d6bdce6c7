/*
 * test_faults.c - the fault engine without a socket: rule and header
 * parsing, matching, skip/times, seeded replay and the body mutations.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "faults.h"
#include "routes.h"

static struct fault_rule parse(const char *json, char *err, size_t size, bool *ok)
{
    struct fault_rule rule;
    cJSON *obj = cJSON_Parse(json);
    *ok = faults_rule_parse(obj, &rule, err, size);
    cJSON_Delete(obj);
    return rule;
}

static void test_rule_parsing(void)
{
    char err[256];
    bool ok;
    struct fault_rule r = parse("{\"match\":{\"path\":\"/api/get_token\",\"appid\":\"1\"},"
                                "\"action\":{\"type\":\"error\",\"code\":\"900002\"},"
                                "\"probability\":1,\"skip\":0,\"times\":1}",
                                err, sizeof err, &ok);
    CHECK(ok);
    CHECK(r.action.type == FAULT_ERROR);
    CHECK_STR(r.action.code, "900002");
    CHECK_STR(r.match.appid, "1");
    CHECK(r.times == 1);
    parse("{\"action\":{\"type\":\"error\",\"code\":1},\"probabilty\":1}", err, sizeof err, &ok);
    CHECK(!ok);
    CHECK(strstr(err, "probabilty") != NULL);
    parse(
        "{\"action\":{\"type\":\"delay\",\"distribution\":\"uniform\",\"min_ms\":5,\"max_ms\":1}}",
        err, sizeof err, &ok);
    CHECK(!ok);
    parse("{\"action\":{\"type\":\"reset\"},\"probability\":1.5}", err, sizeof err, &ok);
    CHECK(!ok);
    r = parse("{\"action\":{\"type\":\"error\",\"code\":900002}}", err, sizeof err, &ok);
    CHECK(ok);
    CHECK_STR(r.action.code, "900002"); /* a number is taken as its text */
}

static void test_header_parsing(void)
{
    struct fault_action a;
    char err[256];
    CHECK(faults_header_parse("type=delay;ms=300", &a, err, sizeof err));
    CHECK(a.type == FAULT_DELAY && a.ms == 300);
    CHECK(faults_header_parse(" type=dribble; chunks=3; total_ms=90", &a, err, sizeof err));
    CHECK(a.type == FAULT_DRIBBLE && a.chunks == 3 && a.total_ms == 90);
    CHECK(!faults_header_parse("type=delay;ms=abc", &a, err, sizeof err));
    CHECK(!faults_header_parse("type=error", &a, err, sizeof err));
    CHECK(!faults_header_parse("type=reset;type=empty", &a, err, sizeof err));
    CHECK(!faults_header_parse("novalue", &a, err, sizeof err));
}

/* A GET of get_token for appid, with its params parsed. */
static void make_request(struct request *rq, char *query)
{
    memset(rq, 0, sizeof *rq);
    rq->method = "GET";
    rq->path = "/api/get_token";
    rq->query = query;
    params_parse(&rq->params, query, NULL, 0, NULL);
    CHECK(routes_find(rq->method, rq->path, &rq->route, &rq->route_tail) == ROUTE_FOUND);
}

static int fire_pattern(const char *rule_json, const char *query, char *out, int n)
{
    char err[256], q[128];
    bool ok;
    int fired = 0;
    faults_init();
    struct fault_rule rule = parse(rule_json, err, sizeof err, &ok);
    CHECK(ok && faults_add(&rule));
    for (int i = 0; i < n; i++) {
        struct request rq;
        struct reply rp;
        struct fault_plan plan;
        snprintf(q, sizeof q, "%s", query);
        make_request(&rq, q);
        reply_init(&rp);
        out[i] = faults_pick(&rq, &rp, &plan) ? 'x' : '.';
        fired += out[i] == 'x';
        reply_free(&rp);
        params_free(&rq.params);
    }
    out[n] = '\0';
    return fired;
}

static void test_matching_skip_times(void)
{
    char pattern[64];
    fire_pattern("{\"action\":{\"type\":\"reset\"},\"skip\":2,\"times\":3}", "appid=1", pattern, 8);
    CHECK_STR(pattern, "..xxx...");
    fire_pattern("{\"match\":{\"appid\":\"2\"},\"action\":{\"type\":\"reset\"}}", "appid=1",
                 pattern, 4);
    CHECK_STR(pattern, "....");
    fire_pattern("{\"match\":{\"appid\":\"1\",\"method\":\"get\"},\"action\":{\"type\":\"reset\"}}",
                 "appid=1", pattern, 2);
    CHECK_STR(pattern, "xx");
    fire_pattern("{\"match\":{\"path\":\"/api/*\"},\"action\":{\"type\":\"empty\"}}", "", pattern,
                 1);
    CHECK_STR(pattern, "x");
}

static void test_seeded_replay(void)
{
    const char *rule = "{\"action\":{\"type\":\"reset\"},\"probability\":0.3}";
    char a[101], b[101], c[101];
    config.seed = 42;
    int fired = fire_pattern(rule, "", a, 100);
    fire_pattern(rule, "", b, 100);
    config.seed = 43;
    fire_pattern(rule, "", c, 100);
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);
    CHECK(fired > 15 && fired < 45); /* about 30 of 100 */
}

static void test_body_mutations(void)
{
    struct fault_plan plan = {.active = true};
    struct reply rp;
    reply_init(&rp);
    reply_text(&rp, 200, "application/json", "{\"a\":\"bc\"}", 10);
    plan.action.type = FAULT_MALFORMED;
    faults_after(&rp, &plan);
    CHECK(rp.body_len == 5);
    CHECK_STR(rp.body, "{\"a\":");
    reply_text(&rp, 200, "application/json", "{\"a\":1}", 7);
    plan.action.corrupt = true;
    faults_after(&rp, &plan);
    CHECK(rp.body_len == 7);
    cJSON *parsed = cJSON_ParseWithLength(rp.body, rp.body_len);
    CHECK(parsed == NULL);
    cJSON_Delete(parsed);
    reply_free(&rp);
}

int main(int argc, char **argv)
{
    (void)argc;
    char *args[] = {argv[0], NULL};
    CHECK(config_load(1, args) == CONFIG_OK);
    test_rule_parsing();
    test_header_parsing();
    test_matching_skip_times();
    test_seeded_replay();
    test_body_mutations();
    faults_clear();
    config_free();
    return check_summary();
}
