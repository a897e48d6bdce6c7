/* external_token.c: the sign, the GET query, the judging of answers and the
 * report excerpts. */
#include <stdlib.h>

#include "check.h"
#include "external_token.h"

static void sign(void)
{
    char out[33], want[33];
    external_token_sign("key", 1700000000123LL, "secret", out);
    sign_md5_hex("key1700000000123secret", 22, want);
    CHECK_STR(out, want);
}

static void query(void)
{
    const char *names[] = {"app_key", "timestamp", "sign"};
    const char *values[] = {"a b&c/é", "17", "ff"};
    char *url = external_token_url_with_query("http://h/t", names, values, 3);
    CHECK_STR(url, "http://h/t?app_key=a%20b%26c%2F%C3%A9&timestamp=17&sign=ff");
    free(url);
    url = external_token_url_with_query("http://h/t?x=1", names, values + 1, 1);
    CHECK_STR(url, "http://h/t?x=1&app_key=17");
    free(url);
    url = external_token_url_with_query("http://h/t?", names, values + 2, 1);
    CHECK_STR(url, "http://h/t?app_key=ff");
    free(url);
}

static struct http_client_response answer(int status, const char *body)
{
    struct http_client_response r = {0};
    r.result = HTTP_CLIENT_OK;
    r.connected = true;
    r.status = status;
    r.body = (char *)body;
    r.body_len = strlen(body);
    return r;
}

static void judge(const char *body, int status, enum external_check_result want[6],
                  struct external_answer *out)
{
    struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER];
    struct http_client_response r = answer(status, body);
    external_token_judge("token", &r, checks, out);
    for (int i = 0; i < EXTERNAL_CHECKS_PER_ANSWER; i++) {
        if (checks[i].result != want[i])
            fprintf(stderr, "  %s: %s (%s)\n", checks[i].name, checks[i].detail, body);
        CHECK(checks[i].result == want[i]);
    }
}

#define P EXTERNAL_PASS
#define F EXTERNAL_FAIL
#define S EXTERNAL_SKIP

static void judging(void)
{
    struct external_answer a;
    judge("{\"code\":\"000000\",\"data\":{\"access_token\":\"A\",\"refresh_token\":\"R\"}}", 200,
          (enum external_check_result[]){P, P, P, P, P, P}, &a);
    CHECK(a.ok);
    CHECK_STR(a.access_token, "A");
    CHECK_STR(a.refresh_token, "R");
    judge("{}", 404, (enum external_check_result[]){P, F, S, S, S, S}, &a);
    CHECK(!a.ok);
    judge("not json", 200, (enum external_check_result[]){P, P, F, S, S, S}, &a);
    judge("[1]", 200, (enum external_check_result[]){P, P, F, S, S, S}, &a);
    judge("{\"code\":\"100\"}", 200, (enum external_check_result[]){P, P, P, F, S, S}, &a);
    judge("{\"code\":0}", 200, (enum external_check_result[]){P, P, P, F, S, S}, &a);
    judge("{\"code\":\"000000\"}", 200, (enum external_check_result[]){P, P, P, P, F, F}, &a);
    judge("{\"code\":\"000000\",\"data\":{\"access_token\":\"A\",\"refresh_token\":5}}", 200,
          (enum external_check_result[]){P, P, P, P, P, F}, &a);
    CHECK(!a.ok);
    CHECK_STR(a.access_token, "A");

    struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER];
    struct http_client_response down = {0};
    down.result = HTTP_CLIENT_CONNECT;
    snprintf(down.error, sizeof down.error, "connecting to 127.0.0.1: Connection refused");
    external_token_judge("refresh", &down, checks, &a);
    CHECK(checks[0].result == F);
    CHECK_STR(checks[0].name, "refresh.reachable");
    CHECK_STR(checks[0].detail, "connecting to 127.0.0.1: Connection refused");
    CHECK(checks[5].result == S);
    struct http_client_response slow = {0};
    slow.result = HTTP_CLIENT_TIMEOUT;
    slow.connected = true;
    external_token_judge("token", &slow, checks, &a);
    CHECK(checks[0].result == P && checks[1].result == F && checks[2].result == S);
}

static void renewal(void)
{
    static struct external_answer first, second;
    struct external_check c = {0};
    snprintf(first.access_token, sizeof first.access_token, "A1");
    snprintf(second.access_token, sizeof second.access_token, "A2");
    external_token_judge_renewal(&first, &second, &c);
    CHECK(c.result == P);
    CHECK_STR(c.name, "refresh.new_access_token");
    snprintf(second.access_token, sizeof second.access_token, "A1");
    external_token_judge_renewal(&first, &second, &c);
    CHECK(c.result == F);
    second.access_token[0] = '\0';
    external_token_judge_renewal(&first, &second, &c);
    CHECK(c.result == S);
}

static void excerpts(void)
{
    char out[8];
    CHECK(external_token_excerpt("abc", 3, out, sizeof out) == 3);
    CHECK_STR(out, "abc");
    CHECK(external_token_excerpt("a\x01\xff"
                                 "b",
                                 4, out, sizeof out) == 4);
    CHECK_STR(out, "a??b");
    /* "é" is two bytes: never cut in half. */
    CHECK(external_token_excerpt("abcdeé", 7, out, 7) == 5);
    CHECK_STR(out, "abcde");
    CHECK(external_token_excerpt("abcdefghij", 10, out, sizeof out) == 7);
    CHECK_STR(out, "abcdefg");
    CHECK(external_token_excerpt("\xe4\xbd", 2, out, sizeof out) == 2);
    CHECK_STR(out, "??");
}

int main(void)
{
    sign();
    query();
    judging();
    renewal();
    excerpts();
    return check_summary();
}
