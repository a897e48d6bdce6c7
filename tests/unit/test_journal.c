/*
 * test_journal.c - the ring: bound, newest last, filters, clear, masking.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "journal.h"
#include "routes.h"

static void record(const char *method, const char *path, char *query, int status, const char *code)
{
    struct request rq;
    struct reply rp;
    memset(&rq, 0, sizeof rq);
    rq.method = method;
    rq.path = path;
    rq.query = query;
    rq.body = "0123456789abcdef";
    rq.body_len = 16;
    rq.headers[0] = (struct request_header){"token", "abcdef0123456789"};
    rq.header_count = 1;
    params_parse(&rq.params, query, NULL, 0, NULL);
    routes_find(method, path, &rq.route, &rq.route_tail);
    reply_init(&rp);
    rp.status = status;
    snprintf(rp.vendor_code, sizeof rp.vendor_code, "%s", code);
    journal_record(&rq, &rp);
    params_free(&rq.params);
}

static size_t count(const struct journal_filter *f)
{
    return journal_count(f);
}

int main(void)
{
    CHECK(journal_init(10, 4));
    char q1[] = "appid=1", q2[] = "appid=2";
    for (int i = 0; i < 25; i++)
        record("GET", "/api/get_token", i % 2 ? q1 : q2, 200, i % 5 ? "000000" : "900003");
    record("GET", "/nowhere", q1, 404, "");
    struct journal_filter all = {0};
    CHECK(count(&all) == 10);
    CHECK(journal_size() == 10);
    CHECK(journal_total() == 26);

    cJSON *list = journal_query(&all);
    cJSON *items = cJSON_GetObjectItem(list, "requests");
    CHECK(cJSON_GetArraySize(items) == 10);
    CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "id")->valuedouble == 17);
    cJSON *last = cJSON_GetArrayItem(items, 9);
    CHECK(cJSON_GetObjectItem(last, "id")->valuedouble == 26);
    CHECK_STR(cJSON_GetObjectItem(last, "body")->valuestring, "0123");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(last, "headers"), "token")->valuestring,
              "abcdef...");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(last, "matched")));
    cJSON_Delete(list);

    struct journal_filter f = {.unmatched = true};
    CHECK(count(&f) == 1);
    f = (struct journal_filter){.since_id = 20};
    CHECK(count(&f) == 6);
    f = (struct journal_filter){0};
    snprintf(f.appid, sizeof f.appid, "1");
    CHECK(count(&f) == 4 + 1); /* ids 17..25 are i = 16..24: odd i is appid 1; plus the 404 */
    f = (struct journal_filter){.status = 404};
    CHECK(count(&f) == 1);
    f = (struct journal_filter){0};
    snprintf(f.code, sizeof f.code, "900003");
    CHECK(count(&f) == 1); /* of i = 16..24 only i = 20 */
    f = (struct journal_filter){.limit = 3};
    list = journal_query(&f);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(list, "requests")) == 3);
    cJSON_Delete(list);

    journal_clear();
    CHECK(count(&all) == 0);
    record("GET", "/api/get_token", q1, 200, "000000");
    CHECK(count(&all) == 1);
    journal_free();
    return check_summary();
}
