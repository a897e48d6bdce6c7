/*
 * api/sso.c - SSO: POST /api/public/sso/5/login_url and the pages its links
 * lead to.
 *
 *   login_url  token header → agent of the caller's company → options →
 *              a link https(http)://<host>/console/openAPI/login/<JWT>
 *   login/<JWT> signature → expiry (mock clock) → known link → agent still
 *              enabled → first use (unless --sso-reusable-links) → session
 *              cookie → redirect_url, or the console page
 *   home       the console page again, from the session cookie
 *   logout     session dropped, cookie cleared → logout_url or /console/login
 *
 * The JWT is signed with a key made at start (or --sso-secret) and also
 * recorded in the store: the signature proves the mock made it, the store
 * row says whether it was opened. The vendor documents no error codes for
 * this endpoint; the mock's (920001-920005) are in reply.c's table and in
 * docs/sso-and-https.md.
 *
 * This file must never talk to evhttp, write SQL, or read the time except
 * through clock.h.
 */
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/sso_pages.h"
#include "auth.h"
#include "clock.h"
#include "sign.h"
#include "config.h"
#include "jwt.h"
#include "log.h"
#include "store/store.h"

#define LOGIN_PREFIX "/console/openAPI/login/"
#define LOGIN_PAGE "/console/login"
#define COOKIE_NAME "sobot_mock_session"
#define ID_BYTES 16
_Static_assert(2 * ID_BYTES == SIGN_HEX_LEN, "ids are what sign_random_hex makes");

/* ---- the signing key ---- */

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static unsigned char random_key[32];
static const unsigned char *key;
static size_t key_len;

static void make_key(void)
{
    if (config.sso_secret) {
        key = (const unsigned char *)config.sso_secret;
        key_len = strlen(config.sso_secret);
    } else if (RAND_bytes(random_key, sizeof random_key) == 1) {
        key = random_key;
        key_len = sizeof random_key;
    } else {
        log_error("sso: no random bytes for the link key; links cannot be made");
    }
}

/* The key, made on first use by whichever worker comes first. */
static bool signing_key(const unsigned char **out, size_t *len)
{
    pthread_once(&key_once, make_key);
    *out = key;
    *len = key_len;
    return key_len > 0;
}

/* 32 hex characters from RAND_bytes: link and session ids. */
static bool random_id(char out[2 * ID_BYTES + 1])
{
    return sign_random_hex(out);
}

/* ---- login_url: reading the request ---- */

/* 920005 with the field's name in ret_msg, and why in the diagnostic. */
static void bad_value(struct request *rq, struct reply *rp, const char *name, const char *why,
                      const char *got)
{
    char message[160];
    snprintf(message, sizeof message, "%s: %s", reply_message("920005", rq->lang), name);
    reply_vendor_error(rq, rp, "920005", message);
    reply_diag(rp, "%s %s, got '%.80s'", name, why, got);
}

/* A sent value that counts as "not sent": absent, null or "". */
static const struct param *sent(const struct request *rq, const char *name)
{
    const struct param *p = params_find(&rq->params, name);
    if (!p || p->type == PTYPE_NULL || (p->type == PTYPE_STRING && !p->value[0]))
        return NULL;
    return p;
}

/* An integer option from lo to hi, sent as a number or a string of digits
 * (the docs' own example sends "type":"1"). */
static bool read_choice(struct request *rq, struct reply *rp, const char *name, int lo, int hi,
                        const char *why, int *out)
{
    const struct param *p = sent(rq, name);
    if (!p)
        return true;
    const char *v = p->value;
    bool digits = (p->type == PTYPE_STRING || p->type == PTYPE_NUMBER) && strlen(v) == 1;
    if (!digits || v[0] < '0' + lo || v[0] > '0' + hi) {
        bad_value(rq, rp, name, why, v);
        return false;
    }
    *out = v[0] - '0';
    return true;
}

/* A path that stays on this host. "//evil.example/x" and "/\evil.example"
 * start with '/' yet browsers read them as another host (protocol-relative;
 * a backslash counts as a slash), so they are not paths here. */
static bool is_local_path(const char *v)
{
    return v[0] == '/' && v[1] != '/' && v[1] != '\\';
}

/* A URL option: an absolute http(s) URL or a path on this host, one line,
 * at most STORE_SSO_URL_MAX bytes. */
static bool read_url(struct request *rq, struct reply *rp, const char *name, char *out, size_t size)
{
    const struct param *p = sent(rq, name);
    if (!p)
        return true;
    const char *v = p->value;
    bool shape = p->type == PTYPE_STRING &&
                 (!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8) || is_local_path(v));
    for (const unsigned char *c = (const unsigned char *)v; shape && *c; c++)
        shape = *c > 0x20 && *c != 0x7f;
    if (!shape || strlen(v) > STORE_SSO_URL_MAX) {
        bad_value(rq, rp, name,
                  "must be an http(s) URL or a path starting with a single '/', without spaces, "
                  "at most 1024 bytes",
                  v);
        return false;
    }
    snprintf(out, size, "%s", v);
    return true;
}

/* The documented options exactly as sent (string or number), for the
 * admin listing: a test asserts what its client asked for. */
static void record_options(const struct request *rq, struct store_sso_link *link)
{
    static const char *const names[] = {"type", "status", "redirect_url", "enable_menu",
                                        "logout_url"};
    cJSON *sent_options = cJSON_CreateObject();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct param *p = params_find(&rq->params, names[i]);
        if (!p)
            continue;
        if (p->type == PTYPE_NUMBER)
            cJSON_AddNumberToObject(sent_options, names[i], atof(p->value));
        else
            cJSON_AddStringToObject(sent_options, names[i], p->value);
    }
    char *text = cJSON_PrintUnformatted(sent_options);
    snprintf(link->options_json, sizeof link->options_json, "%s", text ? text : "{}");
    free(text);
    cJSON_Delete(sent_options);
}

static bool read_options(struct request *rq, struct reply *rp, struct store_sso_link *link)
{
    link->enable_menu = 1;
    if (!read_choice(rq, rp, "type", 1, 5, "must be 2, 3, 4 or 5 (or 1, the new console)",
                     &link->type) ||
        !read_choice(rq, rp, "status", 1, 2, "must be 1 (online) or 2 (busy)", &link->status) ||
        !read_choice(rq, rp, "enable_menu", 1, 2, "must be 1 (show the menu) or 2 (hide it)",
                     &link->enable_menu) ||
        !read_url(rq, rp, "redirect_url", link->redirect_url, sizeof link->redirect_url) ||
        !read_url(rq, rp, "logout_url", link->logout_url, sizeof link->logout_url))
        return false;
    record_options(rq, link);
    return true;
}

/* The agent named by agent_email must exist, be enabled and belong to the
 * calling app's company. */
static bool read_agent(struct request *rq, struct reply *rp, struct store_agent *agent)
{
    const char *email = request_param(rq, "agent_email");
    if (!email || !*email) {
        reply_vendor_error(rq, rp, "920001", NULL);
        reply_diag(rp,
                   "the JSON body needs agent_email, the email of an agent of app %s's "
                   "company",
                   rq->caller.appid);
        if (rq->body_len && rq->body[0] == '{' && !rq->params.json)
            reply_diag(rp,
                       "the body looks like JSON but was read as '%.60s': send "
                       "Content-Type: application/json",
                       rq->content_type ? rq->content_type : "(no Content-Type)");
        return false;
    }
    enum store_result r = store_agent_get(email, agent);
    if (r == STORE_OK && strcmp(agent->company_id, rq->caller.company_id)) {
        reply_vendor_error(rq, rp, "920004", NULL);
        reply_diag(rp, "agent '%.128s' belongs to company %s, not to app %s's company %s", email,
                   agent->company_id, rq->caller.appid, rq->caller.company_id);
        return false;
    }
    if (r == STORE_OK && agent->status != 1) {
        reply_vendor_error(rq, rp, "920003", NULL);
        reply_diag(rp, "agent '%.128s' is disabled (status %d); enable it to log it in", email,
                   agent->status);
        return false;
    }
    if (r == STORE_NOT_FOUND) {
        reply_vendor_error(rq, rp, "920002", NULL);
        reply_diag(rp, "no agent with email '%.128s' in the fixtures or the store", email);
    } else if (r != STORE_OK) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed reading agent '%.128s'", email);
    }
    return r == STORE_OK;
}

/* ---- login_url: making the link ---- */

static cJSON *link_claims(const struct store_sso_link *link)
{
    cJSON *claims = cJSON_CreateObject();
    /* iss and exp first, as in the vendor's example link. */
    cJSON_AddStringToObject(claims, "iss", link->agent_email);
    cJSON_AddNumberToObject(claims, "exp", (double)link->expires_s);
    cJSON_AddNumberToObject(claims, "iat", (double)link->issued_s);
    cJSON_AddStringToObject(claims, "jti", link->link_id);
    cJSON_AddStringToObject(claims, "appid", link->appid);
    if (link->type)
        cJSON_AddNumberToObject(claims, "type", link->type);
    if (link->status)
        cJSON_AddNumberToObject(claims, "status", link->status);
    cJSON_AddNumberToObject(claims, "enable_menu", link->enable_menu);
    if (link->redirect_url[0])
        cJSON_AddStringToObject(claims, "redirect_url", link->redirect_url);
    if (link->logout_url[0])
        cJSON_AddStringToObject(claims, "logout_url", link->logout_url);
    return claims;
}

/* Each URL option may be 1024 bytes, but '"' and '\\' count twice in the
 * claims and base64url adds a third: two such URLs make a link whose path
 * the server would refuse (400) or jwt_verify would. Such a link is never
 * issued; the longer URL option is named instead. */
static bool link_fits(struct request *rq, struct reply *rp, const struct store_sso_link *link,
                      const char *jwt)
{
    size_t path_len = strlen(LOGIN_PREFIX) + strlen(jwt);
    if (path_len < REQUEST_MAX_PATH && strlen(jwt) <= JWT_MAX_LEN)
        return true;
    bool redirect_longer = strlen(link->redirect_url) >= strlen(link->logout_url);
    bad_value(rq, rp, redirect_longer ? "redirect_url" : "logout_url",
              "makes the login link too long to open: its path would be longer than 4095 bytes "
              "(quotes and backslashes in redirect_url and logout_url count double); shorten it",
              redirect_longer ? link->redirect_url : link->logout_url);
    return false;
}

/* Signs the link and writes its URL: the request's scheme and host. False
 * with the reply made when the link cannot be made. */
static bool make_url(struct request *rq, struct reply *rp, struct store_sso_link *link)
{
    const unsigned char *k;
    size_t k_len;
    if (!signing_key(&k, &k_len)) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "no key to sign the login link (no random bytes at start)");
        return false;
    }
    cJSON *claims = link_claims(link);
    char *jwt = jwt_sign(claims, k, k_len);
    cJSON_Delete(claims);
    if (!jwt || !link_fits(rq, rp, link, jwt)) {
        if (!jwt)
            reply_vendor_error(rq, rp, "999999", NULL);
        free(jwt);
        return false;
    }
    int n = snprintf(link->url, sizeof link->url, "%s://%s" LOGIN_PREFIX "%s", rq->scheme, rq->host,
                     jwt);
    free(jwt);
    if (n > 0 && (size_t)n < sizeof link->url)
        return true;
    reply_vendor_error(rq, rp, "999999", NULL);
    reply_diag(rp, "the login link does not fit in %zu bytes", sizeof link->url);
    return false;
}

static void login_url(struct request *rq, struct reply *rp)
{
    struct store_agent agent;
    struct store_sso_link *link = calloc(1, sizeof *link);
    if (!link || !read_agent(rq, rp, &agent) || !read_options(rq, rp, link)) {
        if (!link)
            reply_vendor_error(rq, rp, "999999", NULL);
        free(link);
        return;
    }
    snprintf(link->appid, sizeof link->appid, "%s", rq->caller.appid);
    snprintf(link->company_id, sizeof link->company_id, "%s", agent.company_id);
    snprintf(link->agent_email, sizeof link->agent_email, "%s", agent.email);
    link->issued_s = clock_now_s();
    link->expires_s = link->issued_s + config.sso_link_life_s;
    if (!random_id(link->link_id)) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "no random bytes for the link's id");
        free(link);
        return;
    }
    if (!make_url(rq, rp, link)) {
        free(link);
        return;
    }
    if (store_sso_link_insert(link) != STORE_OK) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed recording the login link");
        free(link);
        return;
    }
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "url", link->url);
    reply_v5_ok(rp, item);
    free(link);
}

/* ---- the pages ---- */

static void page_error(struct reply *rp, int status, const char *title, const char *detail)
{
    sso_page_error(rp, status, title, detail);
    reply_diag(rp, "%s: %s", title, detail);
}

/* The session id from the Cookie header, or false. */
static bool session_cookie(const struct request *rq, char out[2 * ID_BYTES + 1])
{
    const char *cookies = request_header(rq, "Cookie");
    for (const char *p = cookies; p && (p = strstr(p, COOKIE_NAME "=")); p++) {
        if (p != cookies && p[-1] != ' ' && p[-1] != ';')
            continue;
        p += sizeof COOKIE_NAME;
        size_t n = strcspn(p, "; ");
        if (n != (size_t)2 * ID_BYTES)
            return false;
        memcpy(out, p, n);
        out[n] = '\0';
        return true;
    }
    return false;
}

static void set_session_cookie(const struct request *rq, struct reply *rp, const char *value,
                               bool clear)
{
    char cookie[160];
    snprintf(cookie, sizeof cookie, COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Lax%s%s", value,
             clear ? "; Max-Age=0" : "", !strcmp(rq->scheme, "https") ? "; Secure" : "");
    reply_add_header(rp, "Set-Cookie", cookie);
}

static void redirect(struct reply *rp, const char *location)
{
    static const char body[] = "Redirecting\n";
    reply_text(rp, 302, "text/plain;charset=UTF-8", body, sizeof body - 1);
    reply_add_header(rp, "Location", location);
}

/* The link's agent must still exist, be enabled and be of the link's
 * company: an agent deleted or disabled after the link was made cannot log
 * in with it. */
static bool agent_still_allowed(struct reply *rp, const struct store_sso_link *link,
                                struct store_agent *agent)
{
    char detail[256];
    enum store_result r = store_agent_get(link->agent_email, agent);
    if (r == STORE_OK && agent->status == 1 && !strcmp(agent->company_id, link->company_id))
        return true;
    if (r != STORE_OK && r != STORE_NOT_FOUND) {
        page_error(rp, 500, "Login failed", "The store failed reading the link's agent.");
        return false;
    }
    snprintf(detail, sizeof detail, "The agent %.128s %s.", link->agent_email,
             r != STORE_OK ? "no longer exists" : "is disabled or has moved to another company");
    page_error(rp, 401, "Agent cannot log in", detail);
    return false;
}

/* Checks the JWT and finds its link; answers the error page otherwise. */
static bool link_of_token(const char *token, struct reply *rp, struct store_sso_link *link)
{
    const unsigned char *k;
    size_t k_len;
    cJSON *claims = NULL;
    char detail[256];
    enum jwt_result jr =
        signing_key(&k, &k_len) ? jwt_verify(token, k, k_len, &claims) : JWT_BAD_SIGNATURE;
    if (jr != JWT_OK) {
        snprintf(detail, sizeof detail, "This login link is invalid: %s.", jwt_result_text(jr));
        page_error(rp, 401, "Invalid login link", detail);
        return false;
    }
    const cJSON *jti = cJSON_GetObjectItemCaseSensitive(claims, "jti");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(claims, "exp");
    bool shaped = cJSON_IsString(jti) && cJSON_IsNumber(exp);
    enum store_result r = shaped ? store_sso_link_get(jti->valuestring, link) : STORE_NOT_FOUND;
    double expires = shaped ? exp->valuedouble : 0;
    cJSON_Delete(claims);
    int64_t now = clock_now_s();
    if (shaped && now >= (int64_t)expires) {
        char when[20];
        clock_format_datetime((int64_t)expires, when);
        snprintf(detail, sizeof detail,
                 "This login link expired at %s (mock clock; links live %d s).", when,
                 config.sso_link_life_s);
        page_error(rp, 410, "Login link expired", detail);
        return false;
    }
    if (r == STORE_NOT_FOUND) {
        page_error(rp, 401, "Unknown login link",
                   "The mock has no record of this link (made before a reset, or dropped as one "
                   "of the oldest).");
        return false;
    }
    if (r != STORE_OK) {
        page_error(rp, 500, "Login failed", "The store failed reading the link.");
        return false;
    }
    return true;
}

static void link_used_page(struct reply *rp, const struct store_sso_link *link)
{
    char when[20], detail[200];
    clock_format_datetime(link->used_s, when);
    snprintf(detail, sizeof detail,
             "This login link was already used at %s; links are single use (start the mock "
             "with --sso-reusable-links to allow more).",
             when);
    page_error(rp, 410, "Login link already used", detail);
}

/* Opens a session on the link and answers with the cookie and either the
 * redirect or the console page. */
static void log_in(struct request *rq, struct reply *rp, struct store_sso_link *link,
                   const struct store_agent *agent)
{
    char session[2 * ID_BYTES + 1];
    enum store_result r =
        random_id(session)
            ? store_sso_link_use(link->link_id, clock_now_s(), config.sso_reusable_links, session)
            : STORE_ERROR;
    if (r == STORE_CONFLICT) {
        store_sso_link_get(link->link_id, link);
        link_used_page(rp, link);
        return;
    }
    if (r != STORE_OK) {
        page_error(rp, 500, "Login failed", "The store could not record the login.");
        return;
    }
    if (link->redirect_url[0])
        redirect(rp, link->redirect_url);
    else
        sso_page_console(rp, link, agent);
    set_session_cookie(rq, rp, session, false);
}

static void login(struct request *rq, struct reply *rp)
{
    struct store_agent agent;
    struct store_sso_link *link = calloc(1, sizeof *link);
    if (!link) {
        page_error(rp, 500, "Login failed", "Out of memory.");
        return;
    }
    if (link_of_token(rq->route_tail, rp, link) && agent_still_allowed(rp, link, &agent)) {
        /* HEAD (a link checker, a preview) looks without using the link. */
        if (!strcmp(rq->method, "HEAD") && link->used_s && !config.sso_reusable_links)
            link_used_page(rp, link);
        else if (!strcmp(rq->method, "HEAD"))
            sso_page_console(rp, link, &agent);
        else
            log_in(rq, rp, link, &agent);
    }
    free(link);
}

static void home(struct request *rq, struct reply *rp)
{
    char session[2 * ID_BYTES + 1];
    struct store_agent agent;
    struct store_sso_link *link = calloc(1, sizeof *link);
    if (!link) {
        page_error(rp, 500, "Console unavailable", "Out of memory.");
        return;
    }
    enum store_result r =
        session_cookie(rq, session) ? store_sso_session_get(session, link) : STORE_NOT_FOUND;
    if (r == STORE_NOT_FOUND)
        page_error(rp, 401, "Not logged in",
                   "No session: open a login link from POST /api/public/sso/5/login_url first.");
    else if (r != STORE_OK)
        page_error(rp, 500, "Console unavailable", "The store failed reading the session.");
    else if (agent_still_allowed(rp, link, &agent))
        sso_page_console(rp, link, &agent);
    free(link);
}

static void logout(struct request *rq, struct reply *rp)
{
    char session[2 * ID_BYTES + 1];
    struct store_sso_link *link = calloc(1, sizeof *link);
    const char *target = LOGIN_PAGE;
    bool known =
        link && session_cookie(rq, session) && store_sso_session_get(session, link) == STORE_OK;
    if (known) {
        store_sso_session_delete(session);
        if (link->logout_url[0])
            target = link->logout_url;
    }
    redirect(rp, target);
    set_session_cookie(rq, rp, "", true);
    if (!known)
        reply_diag(rp, "no session to log out; sent to %s", LOGIN_PAGE);
    free(link);
}

static void login_page(struct request *rq, struct reply *rp)
{
    (void)rq;
    sso_page_login(rp);
}

static const struct route rows[] = {
    {"sso.login_url", "POST", "/api/public/sso/5/login_url", &auth_v5_token, login_url, ENVELOPE_V5,
     "!agent_email,type,status:n,redirect_url,enable_menu,logout_url", false},
    {"sso.login", "GET", LOGIN_PREFIX "*", &auth_none, login, ENVELOPE_HTML, "", false},
    {"sso.home", "GET", "/console/openAPI/home", &auth_none, home, ENVELOPE_HTML, "", false},
    {"sso.logout", "GET", "/console/openAPI/logout", &auth_none, logout, ENVELOPE_HTML, "", false},
    {"sso.login_page", "GET", LOGIN_PAGE, &auth_none, login_page, ENVELOPE_HTML, "", false},
};

const struct route_slice sso_route_slice = ROUTE_SLICE(rows);
