/* tokens.c: the token rules over a real in-memory store and the mock clock. */
#include "check.h"
#include "clock.h"
#include "config.h"
#include "store/store.h"
#include "tokens.h"

static void setup(char *life, char *keep_old)
{
    char *argv[] = {"test", "--token-life", life, keep_old};
    CHECK(config_load(4, argv) == CONFIG_OK);
    CHECK(store_open(NULL));
    struct store_app app = {"1", "2", "company-1"};
    CHECK(store_app_put(&app) == STORE_OK);
    clock_reset();
    clock_freeze();
}

static void teardown(void)
{
    store_close();
    config_free();
    clock_reset();
}

static void replace_and_expire(void)
{
    setup("60", "--keep-old-tokens=false");
    char first[33], second[33];
    int64_t life;
    struct token_check check;
    CHECK(tokens_issue("1", first, &life) && life == 60);
    CHECK(tokens_check(first, &check) == TOKEN_VALID);
    CHECK_STR(check.appid, "1");
    CHECK_STR(check.company_id, "company-1");
    CHECK(tokens_issue("1", second, &life));
    CHECK(tokens_check(first, &check) == TOKEN_REPLACED);
    CHECK(tokens_check(second, &check) == TOKEN_VALID);
    clock_advance_ms(59999);
    CHECK(tokens_check(second, &check) == TOKEN_VALID);
    clock_advance_ms(1);
    CHECK(tokens_check(second, &check) == TOKEN_EXPIRED);
    CHECK(tokens_check("00000000000000000000000000000000", &check) == TOKEN_UNKNOWN);
    CHECK(tokens_check("short", &check) == TOKEN_UNKNOWN);
    char text[256];
    tokens_explain(TOKEN_EXPIRED, &check, text, sizeof text);
    CHECK(strstr(text, "expired") != NULL);
    teardown();
}

static void keep_old_tokens(void)
{
    setup("60", "--keep-old-tokens=true");
    char first[33], second[33];
    int64_t life;
    struct token_check check;
    CHECK(tokens_issue("1", first, &life));
    clock_advance_ms(30000);
    CHECK(tokens_issue("1", second, &life));
    CHECK(tokens_check(first, &check) == TOKEN_VALID);
    CHECK(tokens_check(second, &check) == TOKEN_VALID);
    clock_advance_ms(30000);
    CHECK(tokens_check(first, &check) == TOKEN_EXPIRED);
    CHECK(tokens_check(second, &check) == TOKEN_VALID);
    teardown();
}

static void bounded_history(void)
{
    /* A storm of get_token calls keeps two rows per app: the live token and
     * the one it replaced; older ones are forgotten. */
    setup("60", "--keep-old-tokens=false");
    char token[33] = "", previous[33] = "", older[33] = "";
    int64_t life;
    struct token_check check;
    for (int i = 0; i < 200; i++) {
        memcpy(older, previous, sizeof token);
        memcpy(previous, token, sizeof token);
        CHECK(tokens_issue("1", token, &life));
    }
    CHECK(tokens_check(token, &check) == TOKEN_VALID);
    CHECK(tokens_check(previous, &check) == TOKEN_REPLACED);
    CHECK(tokens_check(older, &check) == TOKEN_UNKNOWN);
    teardown();
}

int main(void)
{
    replace_and_expire();
    keep_old_tokens();
    bounded_history();
    return check_summary();
}
