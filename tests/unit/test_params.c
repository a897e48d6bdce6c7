/* params.c: one view over query, form and JSON; bad input; limits. */
#include <stdlib.h>

#include "check.h"
#include "params.h"

static struct params p;

static void query_and_form(void)
{
    params_parse(&p, "appid=1&create_time=1569397773&sign=abc&empty=&flag", "a=b%20c&d=e+f", 13,
                 "application/x-www-form-urlencoded");
    CHECK(p.status == PARAMS_OK);
    CHECK_STR(params_get(&p, "appid"), "1");
    CHECK_STR(params_get(&p, "a"), "b c");
    CHECK_STR(params_get(&p, "d"), "e f");
    CHECK_STR(params_get(&p, "empty"), "");
    CHECK_STR(params_get(&p, "flag"), "");
    CHECK(!params_has(&p, "empty"));
    CHECK(params_get(&p, "missing") == NULL);
    CHECK(params_find(&p, "a")->source == PARAM_FORM);
    params_free(&p);
}

static void json_body(void)
{
    const char *body = "{\"agent_email\":\"x@y\",\"type\":\"1\",\"status\":1,\"ts\":1589340090280,"
                       "\"ok\":true,\"n\":null,\"o\":{\"k\":[1]},\"f\":1.5}";
    params_parse(&p, "status=9", body, strlen(body), "application/json");
    CHECK(p.status == PARAMS_OK);
    CHECK_STR(params_get(&p, "type"), "1");
    CHECK(params_find(&p, "type")->type == PTYPE_STRING);
    CHECK_STR(params_get(&p, "status"), "1"); /* body wins over query */
    CHECK(params_find(&p, "status")->type == PTYPE_NUMBER);
    CHECK_STR(params_get(&p, "ts"), "1589340090280"); /* ms stay integral */
    CHECK_STR(params_get(&p, "ok"), "true");
    CHECK_STR(params_get(&p, "n"), "");
    CHECK(params_find(&p, "n")->type == PTYPE_NULL);
    CHECK_STR(params_get(&p, "o"), "{\"k\":[1]}");
    CHECK_STR(params_get(&p, "f"), "1.5");
    CHECK(p.json != NULL);
    params_free(&p);
}

static void sniffed_bodies(void)
{
    params_parse(&p, NULL, "{\"a\":\"1\"}", 9, NULL);
    CHECK_STR(params_get(&p, "a"), "1");
    params_free(&p);
    params_parse(&p, NULL, "a=1&b=2", 7, "text/plain");
    CHECK_STR(params_get(&p, "b"), "2");
    params_free(&p);
    params_parse(&p, NULL, "   \n", 4, "application/json");
    CHECK(p.status == PARAMS_OK && p.count == 0);
    params_free(&p);
}

static void bad_input(void)
{
    params_parse(&p, NULL, "{\"a\":", 5, "application/json");
    CHECK(p.status == PARAMS_BAD_JSON);
    params_free(&p);
    params_parse(&p, NULL, "[1,2]", 5, "application/json");
    CHECK(p.status == PARAMS_NOT_OBJECT);
    params_free(&p);
    params_parse(&p, "a=%zz", NULL, 0, NULL);
    CHECK(p.status == PARAMS_BAD_ENCODING);
    params_free(&p);
    params_parse(&p, "a=%4", NULL, 0, NULL);
    CHECK(p.status == PARAMS_BAD_ENCODING);
    params_free(&p);
}

static void too_many(void)
{
    size_t size = PARAMS_MAX * 12 + 64;
    char *query = malloc(size), *at = query;
    for (int i = 0; i <= PARAMS_MAX; i++)
        at += sprintf(at, "k%d=v&", i);
    params_parse(&p, query, NULL, 0, NULL);
    CHECK(p.status == PARAMS_TOO_MANY);
    CHECK(p.count == PARAMS_MAX);
    params_free(&p);
    free(query);
}

int main(void)
{
    query_and_form();
    json_body();
    sniffed_bodies();
    bad_input();
    too_many();
    return check_summary();
}
