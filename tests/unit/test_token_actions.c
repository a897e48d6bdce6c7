/*
 * test_token_actions.c - expire, replace and revoke as tokens_check sees them:
 * the fault actions and the tokens admin rely on these answers.
 */
#include <string.h>

#include "check.h"
#include "config.h"
#include "fixtures.h"
#include "store/store.h"
#include "tokens.h"

static void issue(char token[33])
{
    int64_t life;
    CHECK(tokens_issue("1", token, &life));
}

int main(int argc, char **argv)
{
    (void)argc;
    char *args[] = {argv[0], NULL};
    char err[256];
    struct token_check check;
    char a[33], b[33];
    int64_t since = 0;
    CHECK(config_load(1, args) == CONFIG_OK);
    CHECK(store_open(NULL));
    CHECK(fixtures_load(NULL, err, sizeof err));

    CHECK(!tokens_live_since("1", &since));
    issue(a);
    CHECK(tokens_live_since("1", &since) && since > 0);
    CHECK(tokens_check(a, &check) == TOKEN_VALID);
    CHECK(tokens_expire(a, NULL) == 1);
    CHECK(tokens_check(a, &check) == TOKEN_EXPIRED);
    CHECK(tokens_expire(a, NULL) == 0);
    CHECK(!tokens_live_since("1", &since));

    issue(a);
    CHECK(tokens_replace(a));
    CHECK(tokens_check(a, &check) == TOKEN_REPLACED);
    CHECK(!tokens_replace(a));

    issue(a);
    CHECK(tokens_revoke(a, NULL) == 1);
    CHECK(tokens_check(a, &check) == TOKEN_UNKNOWN);

    config.keep_old_tokens = true;
    issue(a);
    issue(b);
    CHECK(tokens_check(a, &check) == TOKEN_VALID);
    CHECK(tokens_expire(NULL, "1") == 2);
    CHECK(tokens_check(a, &check) == TOKEN_EXPIRED && tokens_check(b, &check) == TOKEN_EXPIRED);
    CHECK(tokens_revoke(NULL, "1") >= 2);
    CHECK(tokens_check(b, &check) == TOKEN_UNKNOWN);

    store_close();
    fixtures_free();
    config_free();
    return check_summary();
}
