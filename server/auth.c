/*
 * auth.c - the shared v5 token check.
 *
 * It answers in the route's own envelope and adds its reason to the
 * diagnostic; it must never decide a token's state itself (tokens.c does)
 * nor overwrite what dispatch already noted about the request.
 */
#include "auth.h"

#include <stdio.h>
#include <string.h>

#include "tokens.h"

static bool pass(struct request *rq, struct reply *rp)
{
    (void)rq;
    (void)rp;
    return true;
}

const struct auth_scheme auth_none = {"none", pass};

static bool check_token_header(struct request *rq, struct reply *rp)
{
    const char *token = request_header(rq, "token");
    if (!token || !*token) {
        reply_vendor_error(rq, rp, "900001", NULL);
        reply_diag(rp, "no 'token' header: send the token from /api/get_token in a header "
                       "named 'token'");
        return false;
    }
    snprintf(rq->caller.token, sizeof rq->caller.token, "%s", token);
    struct token_check check;
    enum token_state state = tokens_check(token, &check);
    if (state != TOKEN_VALID) {
        /* A store that failed says nothing about the token: 900002 would send
         * the client to fetch a new one (and replace the good one it holds). */
        char why[REPLY_DIAG_MAX];
        reply_vendor_error(rq, rp, state == TOKEN_ERROR ? "999999" : "900002", NULL);
        tokens_explain(state, &check, why, sizeof why);
        reply_diag(rp, "%s", why);
        return false;
    }
    snprintf(rq->caller.appid, sizeof rq->caller.appid, "%s", check.appid);
    snprintf(rq->caller.company_id, sizeof rq->caller.company_id, "%s", check.company_id);
    return true;
}

const struct auth_scheme auth_v5_token = {"token", check_token_header};
