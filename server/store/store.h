/*
 * store/store.h - SQLite, the one source of truth for vendor state.
 *
 * Every SQL statement of the program lives under store/: store.c owns the
 * connections and the schema list, each store_<area>.c the statements of one
 * product area. Callers see plain structs and a result code, never sqlite3.
 *
 * Default: an in-memory database that every worker thread shares (one memdb
 * database, one connection per thread). --db FILE: a file in WAL mode, so an
 * acknowledged write survives a kill -9.
 */
#ifndef SOBOT_STORE_H
#define SOBOT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum store_result {
    STORE_OK,
    STORE_NOT_FOUND,
    STORE_CONFLICT, /* a unique key is taken */
    STORE_ERROR,    /* SQLite failed (busy past the timeout, full disk, no memory) */
};

/* Opens the database (path NULL = in memory) and creates the schema.
 * Returns false with a logged reason. */
bool store_open(const char *path);
/* Closes every thread's connection; call after the workers have stopped. */
void store_close(void);
/* True when the database already held state at open (a --db file reused). */
bool store_had_state(void);
/* Records that fixtures were loaded, so a reopened --db keeps its state. */
enum store_result store_mark_seeded(void);
/* Empties every table (state back to nothing; fixtures reload after). */
enum store_result store_clear(void);

/* ---- apps and tokens (store_tokens.c) ---- */

struct store_app {
    char appid[64];
    char app_key[128];
    char company_id[64];
};

enum store_result store_app_put(const struct store_app *app);
enum store_result store_app_get(const char *appid, struct store_app *out);

/* Times are mock-clock milliseconds since the epoch. */
struct store_token {
    char token[33];
    char appid[64];
    char company_id[64];
    int64_t issued_ms;
    int64_t expires_ms;
    int64_t replaced_ms; /* 0 when not replaced */
};

/* Inserts a token; with replace_previous, the app's earlier tokens are marked
 * replaced at issued_ms (and older replaced ones forgotten); without, only the
 * app's expired tokens are forgotten. One transaction. */
enum store_result store_token_insert(const struct store_token *token, bool replace_previous);
enum store_result store_token_get(const char *token, struct store_token *out);

/* Calls fn for every token neither replaced nor expired at now_ms. */
enum store_result store_tokens_live(int64_t now_ms, void (*fn)(const struct store_token *, void *),
                                    void *arg);

/* ---- companies and their agents (store_companies.c) ----
 *
 * A company is a Sobot customer account: the owner of apps (get_token
 * credentials) and of agents (the "services" of tenantpro, the people SSO
 * logs in). Agent emails are unique across the whole mock, as the vendor's
 * are. */

struct store_company {
    char company_id[64];
    char name[128];
};

enum store_result store_company_put(const struct store_company *company);
enum store_result store_company_get(const char *company_id, struct store_company *out);

struct store_agent {
    char agent_id[64];
    char company_id[64];
    char email[128];
    char nick[128];
    char name[128];
    char phone[32];
    char role_id[16]; /* 1111 online agent, 2222 online admin, 5555 ticket agent, 8888 ticket admin
                       */
    char password[128];
    int max_accept; /* concurrent chats the agent may take */
    int status;     /* 1 enabled, 0 disabled */
    int64_t created_s;
};

/* Inserts a new agent; STORE_CONFLICT when the email is taken. */
enum store_result store_agent_insert(const struct store_agent *agent);
/* Replaces the agent with agent->email; STORE_NOT_FOUND when absent. */
enum store_result store_agent_update(const struct store_agent *agent);
enum store_result store_agent_get(const char *email, struct store_agent *out);
enum store_result store_agent_delete(const char *email);
/* How many agents the company has. */
enum store_result store_agent_count(const char *company_id, int *count);

/* ---- CRM customers (store_customers.c) ----
 *
 * The people a company serves, as the internal customer-query API returns
 * them. Fields are the vendor's names (provice_name, vipLeveName and
 * userLableName spelled as the vendor spells them) and every value is text,
 * as the API types it. A customer belongs to one company; ids are unique
 * within it. */

enum store_customer_field {
    STORE_CUSTOMER_ID,
    STORE_CUSTOMER_TEL,
    STORE_CUSTOMER_EMAIL,
    STORE_CUSTOMER_PARTNER_ID,
    STORE_CUSTOMER_WX_UNIONID,
    STORE_CUSTOMER_WX_EXTERNAL_USERID,
    STORE_CUSTOMER_WX_OPENID,
    STORE_CUSTOMER_FACEBOOKID,
    STORE_CUSTOMER_INSTAGRAMID,
    STORE_CUSTOMER_WHATSAPPID,
    STORE_CUSTOMER_LINEID,
    STORE_CUSTOMER_TELEGRAMID,
    STORE_CUSTOMER_DISCORDID,
    STORE_CUSTOMER_VISITORIDS,
    STORE_CUSTOMER_NICK,
    STORE_CUSTOMER_UNAME,
    STORE_CUSTOMER_SEXNAME,
    STORE_CUSTOMER_COUNTRYNAME,
    STORE_CUSTOMER_PROVICE_NAME,
    STORE_CUSTOMER_CITY_NAME,
    STORE_CUSTOMER_REMARK,
    STORE_CUSTOMER_USERSTATUSNAME,
    STORE_CUSTOMER_ISVIP,
    STORE_CUSTOMER_VIPLEVEL,
    STORE_CUSTOMER_VIPLEVENAME,
    STORE_CUSTOMER_ISBLACK,
    STORE_CUSTOMER_ENTERPRISE_NAME,
    STORE_CUSTOMER_SOURCENAME,
    STORE_CUSTOMER_LIABLESERVICENAME,
    STORE_CUSTOMER_USERLABEL,
    STORE_CUSTOMER_USERLABLENAME,
    STORE_CUSTOMER_FIELD_COUNT
};

/* The vendor's name of each field, in enum order ("faceBookid", ...). */
extern const char *const store_customer_field_names[STORE_CUSTOMER_FIELD_COUNT];

#define STORE_CUSTOMER_VALUE_MAX 512
#define STORE_CUSTOMER_CUSTOM_MAX 4096

struct store_customer {
    char company_id[64];
    char fields[STORE_CUSTOMER_FIELD_COUNT][STORE_CUSTOMER_VALUE_MAX];
    /* Custom fields as a JSON object text {"<field id>":"value",...}; "{}" when none. */
    char custom_fields[STORE_CUSTOMER_CUSTOM_MAX];
};

/* Inserts a customer; STORE_CONFLICT when the company already has its id. */
enum store_result store_customer_insert(const struct store_customer *customer);

/* What a query looks for; NULL members are not constrained. A customer
 * matches when it belongs to company_id and every given member matches:
 * id and tel exactly, email without regard to case, third_account_id any
 * of the ten third-party ids. */
struct store_customer_query {
    const char *company_id;
    const char *id;
    const char *tel;
    const char *email;
    const char *third_account_id;
};

/* The first matching customer in fixture order; STORE_NOT_FOUND when none. */
enum store_result store_customer_find(const struct store_customer_query *query,
                                      struct store_customer *out);

#endif
