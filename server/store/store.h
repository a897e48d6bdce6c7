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
/* How long a statement waits out another connection's lock before failing
 * with STORE_ERROR: 5000 ms unless changed. Call before the workers start. */
void store_set_busy_timeout_ms(unsigned ms);
/* Why the store last failed on this thread (busy past the timeout, out of
 * memory, disk full), copied into out when given; true when it failed since
 * the last call, which forgets it. dispatch adds it to the diagnostic. */
bool store_take_failure(char *out, size_t size);
/* Empties every table and calls fill (which loads the fixtures through the
 * store's put functions), all in one transaction: other threads see the old
 * state or the new one, never an empty store, and when fill returns false or
 * the store fails, the old state stays whole. */
enum store_result store_refill(bool (*fill)(void *arg), void *arg);

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

/* Ends tokens early: the one named `token`, or (token NULL) every live token
 * of `appid`, now expire at now_ms. *count says how many changed. */
enum store_result store_tokens_expire(const char *token, const char *appid, int64_t now_ms,
                                      int *count);
/* Forgets tokens (the one named, or all of an app's) so they check as unknown. */
enum store_result store_tokens_revoke(const char *token, const char *appid, int *count);
/* The issue time of appid's newest token still live at now_ms; NOT_FOUND when
 * it has none. */
enum store_result store_token_live_since(const char *appid, int64_t now_ms, int64_t *issued_ms);

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

/* ---- SSO login links and the sessions they open (store_sso.c) ----
 *
 * A link is one login_url answer: who, for which app, with which options,
 * issued and expiring when, and whether it was opened. The newest
 * STORE_SSO_KEEP links and sessions are kept, so memory stays bounded
 * however many links a suite asks for. A link row with its URL is about
 * 800 bytes: 2,000 of them cost under 2 MB of the 20 MB the mock may use
 * under load, and are still far more than a suite keeps open at once. */

#define STORE_SSO_KEEP 2000
#define STORE_SSO_URL_MAX 1024 /* redirect_url and logout_url, in bytes */

struct store_sso_link {
    char link_id[33]; /* the JWT's jti */
    char appid[64];
    char company_id[64];
    char agent_email[128];
    int type;        /* 0 when not sent (admin backend), else 1..5 */
    int status;      /* 0 when not sent, 1 online, 2 busy */
    int enable_menu; /* 1 (default) or 2 */
    char redirect_url[STORE_SSO_URL_MAX + 1];
    char logout_url[STORE_SSO_URL_MAX + 1];
    /* the options as the client sent them; '"' and '\\' print as two bytes */
    char options_json[4 * STORE_SSO_URL_MAX + 512];
    char url[4 * STORE_SSO_URL_MAX + 1024]; /* the login URL answered */
    int64_t issued_s;
    int64_t expires_s;
    int64_t used_s; /* first use, 0 when never opened */
    int uses;
};

enum store_result store_sso_link_insert(const struct store_sso_link *link);
enum store_result store_sso_link_get(const char *link_id, struct store_sso_link *out);

/* Marks the link opened at now_s and opens session_id on it, in one
 * transaction. STORE_CONFLICT when it was opened before and !reusable;
 * STORE_NOT_FOUND when no such link is kept. */
enum store_result store_sso_link_use(const char *link_id, int64_t now_s, bool reusable,
                                     const char *session_id);

/* The link a session was opened with; STORE_NOT_FOUND when the session is
 * unknown or logged out. */
enum store_result store_sso_session_get(const char *session_id, struct store_sso_link *out);
enum store_result store_sso_session_delete(const char *session_id);

/* Calls fn for every kept link, oldest first. */
enum store_result store_sso_links_each(void (*fn)(const struct store_sso_link *, void *),
                                       void *arg);

/* ---- tenantpro: platforms, their tenants, logs, chats, statistics
 * (store_tenantpro.c) ----
 *
 * A platform (unionCode) owns tenants. A tenant is a company (companies
 * table) with one app (apps table: appId/appKey) and a row of tenant details;
 * its agents are rows of the shared agents table. Ids are the caller's to
 * choose (deterministic ones come from api/tenantpro.c). */

struct store_platform {
    char union_code[64];
    char union_key[128];
    char admin_email[128]; /* the platform's super-admin, signs getTenantList */
    char name[128];
    int max_seats; /* sum of the tenants' maxCount allowed; 0 = unlimited */
};

enum store_result store_platform_put(const struct store_platform *platform);
enum store_result store_platform_get(const char *union_code, struct store_platform *out);

/* The text fields the API limits in characters (api/tenantpro.c) hold that
 * many characters of four-byte UTF-8, so a Chinese value within its limit
 * always fits. email stays at the agents' size: the two share one namespace. */
struct store_tenant {
    char company_id[64]; /* also the tenant's sysNum */
    char union_code[64];
    char customer_code[4 * 64 + 1]; /* "" with has_customer_code false: null */
    bool has_customer_code;
    char name[4 * 100 + 1];
    char email[128]; /* the tenant's super-admin */
    char contact_name[4 * 50 + 1];
    char contact_tel[4 * 20 + 1];
    char password[4 * 64 + 1];
    char icon[4 * 500 + 1];
    char appid[64];
    char app_key[128];
    int status; /* 1 open, 0 disabled */
    int64_t created_ms;
    char end_date[11]; /* "2099-12-31" */
    int max_count;     /* agent seats */
    int agent_count;   /* filled by reads */
};

/* Why a tenantpro write was refused (with STORE_CONFLICT). */
enum store_tp_refusal {
    STORE_TP_NONE,
    STORE_TP_CUSTOMER_CODE_TAKEN,
    STORE_TP_EMAIL_TAKEN,
    STORE_TP_NO_SEATS, /* platform seats or the tenant's maxCount exceeded */
    STORE_TP_TENANT_MISSING,
};

/* Inserts company, app and tenant in one transaction. Checks, in order: the
 * customerCode is free on the platform, the email is no tenant admin's nor
 * agent's, the platform's seats (max_seats) cover the new maxCount. */
enum store_result store_tenant_add(const struct store_tenant *tenant, int max_seats,
                                   enum store_tp_refusal *refusal);
/* Changes name, email, contacts and maxCount of the tenant with
 * tenant->union_code + customer_code; maxCount may not drop below the
 * tenant's agents nor exceed the platform's seats. */
enum store_result store_tenant_update(const struct store_tenant *tenant, int max_seats,
                                      enum store_tp_refusal *refusal);
/* Fixtures: inserts without the rules. */
enum store_result store_tenant_put(const struct store_tenant *tenant);
enum store_result store_tenant_by_code(const char *union_code, const char *customer_code,
                                       struct store_tenant *out);

/* getTenantList's filters; from/to are creation times in ms, to exclusive. */
struct store_tenant_filter {
    const char *union_code;
    int open_status; /* -1 all, 1 open, 0 disabled */
    bool has_from, has_to;
    int64_t from_ms, to_ms;
    int input_status;        /* 0 none; 1 name, 2 email, 3 phone (substring); 4 customerCode */
    const char *input_value; /* NULL: no search */
    int limit;               /* -1: all */
    int offset;
};

/* Counts the matches into *total and calls fn for each row of the page, in
 * creation order (then companyId). */
enum store_result store_tenants_find(const struct store_tenant_filter *filter, int *total,
                                     void (*fn)(const struct store_tenant *, void *), void *arg);

/* Inserts an agent under the tenant agent->company_id within its maxCount as
 * stored when the transaction runs; STORE_CONFLICT with
 * STORE_TP_TENANT_MISSING, STORE_TP_EMAIL_TAKEN or STORE_TP_NO_SEATS. */
enum store_result store_tenant_agent_add(const struct store_agent *agent,
                                         enum store_tp_refusal *refusal);

struct store_staff_log {
    char company_id[64];
    char staff_id[64];
    int64_t datetime_ms;
    int source; /* 0 pc, 2 app */
    char action[64];
};

enum store_result store_staff_log_put(const struct store_staff_log *log);
/* The platform's logs with from_ms <= datetime <= to_ms, ordered by company,
 * staff, time. */
enum store_result store_staff_logs(const char *union_code, int64_t from_ms, int64_t to_ms,
                                   void (*fn)(const struct store_staff_log *, void *), void *arg);

struct store_chat {
    char union_code[64];
    char partner_id[128];
    char company_id[64];
    char company_name[4 * 100 + 1]; /* filled by reads */
    char company_logo[4 * 500 + 1]; /* the tenant's icon when the chat has none */
    char visitor_id[64];
    char last_cid[64];
    char last_msg_content[1024];
    int64_t last_msg_time_ms;
    int last_msg_type;
    int unread;
};

enum store_result store_chat_put(const struct store_chat *chat);
/* A partner's chats on a platform, newest message first. */
enum store_result store_chats(const char *union_code, const char *partner_id,
                              void (*fn)(const struct store_chat *, void *), void *arg);

/* One agent's figures for one day (fixtures), or sums over a range (reads). */
struct store_staff_stat {
    char company_id[64];
    char company_name[4 * 100 + 1]; /* filled by per-tenant reads */
    char staff_id[64];
    char date[11];
    int sessions;
    int human_consults;  /* session_human_visitor_consult */
    int first_responses; /* first_response_time_set */
    int transfer_first_responses;
    int first_in60s;          /* first responses within 60 s */
    int64_t first_response_s; /* total seconds to first response */
    int responses;
    int64_t response_s; /* total seconds of all responses */
};

enum store_result store_staff_stat_put(const struct store_staff_stat *stat);
/* Per agent, summed over from_date..to_date (inclusive, "YYYY-MM-DD"). */
enum store_result store_staff_stats(const char *union_code, const char *from_date,
                                    const char *to_date,
                                    void (*fn)(const struct store_staff_stat *, void *), void *arg);
/* Per tenant of the platform (every one, zeros when idle) for one day. */
enum store_result store_tenant_day_stats(const char *union_code, const char *date,
                                         void (*fn)(const struct store_staff_stat *, void *),
                                         void *arg);

struct store_export {
    char export_id[64];
    char union_code[64];
    int task_type; /* 7 sessions, 8 response times */
    char result_date[11];
    int64_t created_ms;
};

/* Records an export; the id is made by make_id from the row's sequence
 * number, inside the same transaction. */
enum store_result store_export_add(struct store_export *export,
                                   void (*make_id)(long long seq, struct store_export *));
enum store_result store_export_get(const char *export_id, struct store_export *out);

/* Sliding-window rate limit: *allowed when fewer than `limit` calls of `key`
 * fell in (now_ms - window_ms, now_ms]; an allowed call is recorded. */
enum store_result store_rate_take(const char *key, int64_t now_ms, int64_t window_ms, int limit,
                                  bool *allowed);

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
