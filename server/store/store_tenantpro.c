/*
 * store/store_tenantpro.c - the e-commerce platform ("tenantpro") state:
 * platforms, tenant details, staff status logs, chat lists, daily agent
 * statistics, export jobs and the chat rate window.
 *
 * A tenant is spread over three tables on purpose: its company row
 * (companies) and app row (apps) are the ones get_token, SSO and the agents
 * table already use, so a tenant created here can fetch a v5 token with its
 * appId/appKey and its agents can log in; tp_tenants holds only what
 * tenantpro adds (platform, customerCode, contacts, seats). Writes that
 * check-then-insert run in one BEGIN IMMEDIATE transaction, so two
 * concurrent addTenant calls with one customerCode give exactly one success.
 *
 * This file must never decide a vendor reply: it reports what it found
 * (STORE_CONFLICT plus a refusal reason) and the handler picks the code.
 */
#include "store/store_internal.h"

#include <stdio.h>
#include <string.h>

const char store_schema_tenantpro[] =
    "CREATE TABLE IF NOT EXISTS tp_platforms ("
    "  union_code TEXT PRIMARY KEY,"
    "  union_key TEXT NOT NULL,"
    "  admin_email TEXT NOT NULL DEFAULT '',"
    "  name TEXT NOT NULL DEFAULT '',"
    "  max_seats INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS tp_tenants ("
    "  company_id TEXT PRIMARY KEY,"
    "  union_code TEXT NOT NULL,"
    "  customer_code TEXT,"
    "  email TEXT NOT NULL DEFAULT '',"
    "  contact_name TEXT NOT NULL DEFAULT '',"
    "  contact_tel TEXT NOT NULL DEFAULT '',"
    "  password TEXT NOT NULL DEFAULT '',"
    "  icon TEXT NOT NULL DEFAULT '',"
    "  appid TEXT NOT NULL DEFAULT '',"
    "  status INTEGER NOT NULL DEFAULT 1,"
    "  created INTEGER NOT NULL DEFAULT 0,"
    "  end_date TEXT NOT NULL DEFAULT '2099-12-31',"
    "  max_count INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE(union_code, customer_code));"
    "CREATE INDEX IF NOT EXISTS tp_tenants_by_platform ON tp_tenants(union_code, created, "
    "company_id);"
    "CREATE INDEX IF NOT EXISTS tp_tenants_by_email ON tp_tenants(email);"
    "CREATE TABLE IF NOT EXISTS tp_staff_logs ("
    "  company_id TEXT NOT NULL,"
    "  staff_id TEXT NOT NULL,"
    "  datetime INTEGER NOT NULL,"
    "  source INTEGER NOT NULL DEFAULT 0,"
    "  action TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS tp_staff_logs_by_time ON tp_staff_logs(datetime);"
    "CREATE TABLE IF NOT EXISTS tp_chats ("
    "  union_code TEXT NOT NULL,"
    "  partner_id TEXT NOT NULL,"
    "  company_id TEXT NOT NULL,"
    "  company_logo TEXT NOT NULL DEFAULT '',"
    "  visitor_id TEXT NOT NULL DEFAULT '',"
    "  last_cid TEXT NOT NULL DEFAULT '',"
    "  last_msg_content TEXT NOT NULL DEFAULT '',"
    "  last_msg_time INTEGER NOT NULL DEFAULT 0,"
    "  last_msg_type INTEGER NOT NULL DEFAULT 0,"
    "  unread INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(union_code, partner_id, company_id));"
    "CREATE TABLE IF NOT EXISTS tp_staff_stats ("
    "  company_id TEXT NOT NULL,"
    "  staff_id TEXT NOT NULL,"
    "  date TEXT NOT NULL,"
    "  sessions INTEGER NOT NULL DEFAULT 0,"
    "  human_consults INTEGER NOT NULL DEFAULT 0,"
    "  first_responses INTEGER NOT NULL DEFAULT 0,"
    "  transfer_first_responses INTEGER NOT NULL DEFAULT 0,"
    "  first_in60s INTEGER NOT NULL DEFAULT 0,"
    "  first_response_s INTEGER NOT NULL DEFAULT 0,"
    "  responses INTEGER NOT NULL DEFAULT 0,"
    "  response_s INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(company_id, staff_id, date));"
    "CREATE INDEX IF NOT EXISTS tp_staff_stats_by_date ON tp_staff_stats(date);"
    /* seq is a plain rowid alias, not AUTOINCREMENT: reset empties the table
     * and numbering starts again at 1, so export ids stay predictable. */
    "CREATE TABLE IF NOT EXISTS tp_exports ("
    "  seq INTEGER PRIMARY KEY,"
    "  export_id TEXT NOT NULL UNIQUE,"
    "  union_code TEXT NOT NULL,"
    "  task_type INTEGER NOT NULL,"
    "  result_date TEXT NOT NULL,"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tp_rate_calls ("
    "  key TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS tp_rate_calls_by_key ON tp_rate_calls(key, at);";

/* Runs a statement that yields one integer (COUNT, SUM, EXISTS). */
static enum store_result single_int(sqlite3_stmt *stmt, long long *out)
{
    int rc = sqlite3_step(stmt);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store_result_of(rc);
}

/* ---- platforms ---- */

enum store_result store_platform_put(const struct store_platform *p)
{
    static const char sql[] =
        "INSERT INTO tp_platforms(union_code, union_key, admin_email, name, max_seats) "
        "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(union_code) DO UPDATE SET union_key=?2, "
        "admin_email=?3, name=?4, max_seats=?5";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, p->union_code);
    store_bind_text(stmt, 2, p->union_key);
    store_bind_text(stmt, 3, p->admin_email);
    store_bind_text(stmt, 4, p->name);
    sqlite3_bind_int(stmt, 5, p->max_seats);
    return store_exec_stmt(stmt);
}

enum store_result store_platform_get(const char *union_code, struct store_platform *out)
{
    static const char sql[] = "SELECT union_code, union_key, admin_email, name, max_seats "
                              "FROM tp_platforms WHERE union_code=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, union_code);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        store_column_text(stmt, 0, out->union_code, sizeof out->union_code);
        store_column_text(stmt, 1, out->union_key, sizeof out->union_key);
        store_column_text(stmt, 2, out->admin_email, sizeof out->admin_email);
        store_column_text(stmt, 3, out->name, sizeof out->name);
        out->max_seats = sqlite3_column_int(stmt, 4);
    }
    sqlite3_reset(stmt);
    return store_row_result(rc);
}

/* ---- tenants ---- */

#define TENANT_COLUMNS                                                                             \
    "SELECT t.company_id, t.union_code, t.customer_code, c.name, t.email, t.contact_name,"         \
    " t.contact_tel, t.password, t.icon, t.appid, COALESCE(a.app_key, ''), t.status, t.created,"   \
    " t.end_date, t.max_count,"                                                                    \
    " (SELECT COUNT(*) FROM agents g WHERE g.company_id=t.company_id)"                             \
    " FROM tp_tenants t JOIN companies c ON c.company_id=t.company_id"                             \
    " LEFT JOIN apps a ON a.appid=t.appid"

static void read_tenant(sqlite3_stmt *stmt, struct store_tenant *t)
{
    memset(t, 0, sizeof *t);
    store_column_text(stmt, 0, t->company_id, sizeof t->company_id);
    store_column_text(stmt, 1, t->union_code, sizeof t->union_code);
    t->has_customer_code = sqlite3_column_type(stmt, 2) != SQLITE_NULL;
    store_column_text(stmt, 2, t->customer_code, sizeof t->customer_code);
    store_column_text(stmt, 3, t->name, sizeof t->name);
    store_column_text(stmt, 4, t->email, sizeof t->email);
    store_column_text(stmt, 5, t->contact_name, sizeof t->contact_name);
    store_column_text(stmt, 6, t->contact_tel, sizeof t->contact_tel);
    store_column_text(stmt, 7, t->password, sizeof t->password);
    store_column_text(stmt, 8, t->icon, sizeof t->icon);
    store_column_text(stmt, 9, t->appid, sizeof t->appid);
    store_column_text(stmt, 10, t->app_key, sizeof t->app_key);
    t->status = sqlite3_column_int(stmt, 11);
    t->created_ms = sqlite3_column_int64(stmt, 12);
    store_column_text(stmt, 13, t->end_date, sizeof t->end_date);
    t->max_count = sqlite3_column_int(stmt, 14);
    t->agent_count = sqlite3_column_int(stmt, 15);
}

enum store_result store_tenant_by_code(const char *union_code, const char *customer_code,
                                       struct store_tenant *out)
{
    static const char sql[] = TENANT_COLUMNS " WHERE t.union_code=?1 AND t.customer_code=?2";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, union_code);
    store_bind_text(stmt, 2, customer_code);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        read_tenant(stmt, out);
    sqlite3_reset(stmt);
    return store_row_result(rc);
}

/* The three rows of a tenant, with no rule checked (callers check first). */
static enum store_result insert_tenant_rows(const struct store_tenant *t)
{
    static const char company_sql[] = "INSERT INTO companies(company_id, name) VALUES(?1, ?2) "
                                      "ON CONFLICT(company_id) DO UPDATE SET name=?2";
    static const char app_sql[] = "INSERT INTO apps(appid, app_key, company_id) VALUES(?1, ?2, ?3) "
                                  "ON CONFLICT(appid) DO UPDATE SET app_key=?2, company_id=?3";
    static const char tenant_sql[] =
        "INSERT INTO tp_tenants(company_id, union_code, customer_code, email, contact_name,"
        " contact_tel, password, icon, appid, status, created, end_date, max_count)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
    sqlite3_stmt *stmt = store_stmt(company_sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, t->company_id);
    store_bind_text(stmt, 2, t->name);
    enum store_result r = store_exec_stmt(stmt);
    if (r == STORE_OK && t->appid[0]) {
        if (!(stmt = store_stmt(app_sql)))
            return STORE_ERROR;
        store_bind_text(stmt, 1, t->appid);
        store_bind_text(stmt, 2, t->app_key);
        store_bind_text(stmt, 3, t->company_id);
        r = store_exec_stmt(stmt);
    }
    if (r != STORE_OK)
        return r;
    if (!(stmt = store_stmt(tenant_sql)))
        return STORE_ERROR;
    store_bind_text(stmt, 1, t->company_id);
    store_bind_text(stmt, 2, t->union_code);
    store_bind_text(stmt, 3, t->has_customer_code ? t->customer_code : NULL);
    store_bind_text(stmt, 4, t->email);
    store_bind_text(stmt, 5, t->contact_name);
    store_bind_text(stmt, 6, t->contact_tel);
    store_bind_text(stmt, 7, t->password);
    store_bind_text(stmt, 8, t->icon);
    store_bind_text(stmt, 9, t->appid);
    sqlite3_bind_int(stmt, 10, t->status);
    sqlite3_bind_int64(stmt, 11, t->created_ms);
    store_bind_text(stmt, 12, t->end_date[0] ? t->end_date : "2099-12-31");
    sqlite3_bind_int(stmt, 13, t->max_count);
    return store_exec_stmt(stmt);
}

enum store_result store_tenant_put(const struct store_tenant *tenant)
{
    return insert_tenant_rows(tenant);
}

/* Is the email some other tenant's admin or any agent's? */
static enum store_result email_taken(const char *email, const char *except_company, bool *taken)
{
    static const char sql[] =
        "SELECT EXISTS(SELECT 1 FROM tp_tenants WHERE email=?1 AND company_id<>?2)"
        " OR EXISTS(SELECT 1 FROM agents WHERE email=?1)";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, email);
    store_bind_text(stmt, 2, except_company ? except_company : "");
    long long v;
    enum store_result r = single_int(stmt, &v);
    *taken = v != 0;
    return r;
}

/* Would the platform's tenants, with this one at max_count, exceed its seats? */
static enum store_result seats_exceeded(const char *union_code, const char *company_id,
                                        int max_count, int max_seats, bool *exceeded)
{
    static const char sql[] =
        "SELECT COALESCE(SUM(max_count), 0) FROM tp_tenants WHERE union_code=?1 AND company_id<>?2";
    *exceeded = false;
    if (max_seats <= 0)
        return STORE_OK;
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, union_code);
    store_bind_text(stmt, 2, company_id);
    long long used;
    enum store_result r = single_int(stmt, &used);
    *exceeded = used + max_count > max_seats;
    return r;
}

static enum store_result customer_code_taken(const struct store_tenant *t, bool *taken)
{
    static const char sql[] =
        "SELECT EXISTS(SELECT 1 FROM tp_tenants WHERE union_code=?1 AND customer_code=?2)";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, t->union_code);
    store_bind_text(stmt, 2, t->customer_code);
    long long v;
    enum store_result r = single_int(stmt, &v);
    *taken = v != 0;
    return r;
}

/* Ends a transaction: commits on success, otherwise rolls back and passes r on. */
static enum store_result finish(enum store_result r)
{
    if (r != STORE_OK) {
        store_rollback();
        return r;
    }
    return store_commit();
}

enum store_result store_tenant_add(const struct store_tenant *t, int max_seats,
                                   enum store_tp_refusal *refusal)
{
    *refusal = STORE_TP_NONE;
    if (store_begin() != STORE_OK)
        return STORE_ERROR;
    bool code_taken = false, mail_taken = false, full = false;
    enum store_result r = customer_code_taken(t, &code_taken);
    if (r == STORE_OK && code_taken)
        *refusal = STORE_TP_CUSTOMER_CODE_TAKEN;
    if (r == STORE_OK && !*refusal && (r = email_taken(t->email, NULL, &mail_taken)) == STORE_OK &&
        mail_taken)
        *refusal = STORE_TP_EMAIL_TAKEN;
    if (r == STORE_OK && !*refusal &&
        (r = seats_exceeded(t->union_code, t->company_id, t->max_count, max_seats, &full)) ==
            STORE_OK &&
        full)
        *refusal = STORE_TP_NO_SEATS;
    if (r == STORE_OK && *refusal)
        r = STORE_CONFLICT;
    if (r == STORE_OK)
        r = insert_tenant_rows(t);
    return finish(r);
}

static enum store_result apply_tenant_update(const struct store_tenant *t, const char *company_id)
{
    static const char tenant_sql[] = "UPDATE tp_tenants SET email=?2, contact_name=?3,"
                                     " contact_tel=?4, max_count=?5 WHERE company_id=?1";
    static const char company_sql[] = "UPDATE companies SET name=?2 WHERE company_id=?1";
    sqlite3_stmt *stmt = store_stmt(tenant_sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, company_id);
    store_bind_text(stmt, 2, t->email);
    store_bind_text(stmt, 3, t->contact_name);
    store_bind_text(stmt, 4, t->contact_tel);
    sqlite3_bind_int(stmt, 5, t->max_count);
    enum store_result r = store_exec_stmt(stmt);
    if (r != STORE_OK)
        return r;
    if (!(stmt = store_stmt(company_sql)))
        return STORE_ERROR;
    store_bind_text(stmt, 1, company_id);
    store_bind_text(stmt, 2, t->name);
    return store_exec_stmt(stmt);
}

enum store_result store_tenant_update(const struct store_tenant *t, int max_seats,
                                      enum store_tp_refusal *refusal)
{
    *refusal = STORE_TP_NONE;
    if (store_begin() != STORE_OK)
        return STORE_ERROR;
    struct store_tenant current = {0};
    bool mail_taken = false, full = false;
    enum store_result r = store_tenant_by_code(t->union_code, t->customer_code, &current);
    if (r == STORE_NOT_FOUND)
        *refusal = STORE_TP_TENANT_MISSING;
    if (r == STORE_OK && (r = email_taken(t->email, current.company_id, &mail_taken)) == STORE_OK &&
        mail_taken)
        *refusal = STORE_TP_EMAIL_TAKEN;
    /* The tenant's own agents may not outnumber its new seat count. */
    if (r == STORE_OK && !*refusal && t->max_count < current.agent_count)
        *refusal = STORE_TP_NO_SEATS;
    if (r == STORE_OK && !*refusal &&
        (r = seats_exceeded(t->union_code, current.company_id, t->max_count, max_seats, &full)) ==
            STORE_OK &&
        full)
        *refusal = STORE_TP_NO_SEATS;
    if (*refusal)
        r = STORE_CONFLICT;
    if (r == STORE_OK)
        r = apply_tenant_update(t, current.company_id);
    return finish(r);
}

#define TENANT_FILTER                                                                              \
    " WHERE t.union_code=?1 AND (?2<0 OR t.status=?2)"                                             \
    " AND (?3 IS NULL OR t.created>=?3) AND (?4 IS NULL OR t.created<?4)"                          \
    " AND (?5 IS NULL OR CASE ?6 WHEN 1 THEN instr(c.name, ?5)>0"                                  \
    " WHEN 2 THEN instr(t.email, ?5)>0 WHEN 3 THEN instr(t.contact_tel, ?5)>0"                     \
    " WHEN 4 THEN t.customer_code=?5 ELSE 1 END)"

static void bind_filter(sqlite3_stmt *stmt, const struct store_tenant_filter *f)
{
    store_bind_text(stmt, 1, f->union_code);
    sqlite3_bind_int(stmt, 2, f->open_status);
    if (f->has_from)
        sqlite3_bind_int64(stmt, 3, f->from_ms);
    if (f->has_to)
        sqlite3_bind_int64(stmt, 4, f->to_ms);
    store_bind_text(stmt, 5, f->input_status ? f->input_value : NULL);
    sqlite3_bind_int(stmt, 6, f->input_status);
}

enum store_result store_tenants_find(const struct store_tenant_filter *f, int *total,
                                     void (*fn)(const struct store_tenant *, void *), void *arg)
{
    static const char count_sql[] = "SELECT COUNT(*) FROM tp_tenants t JOIN companies c"
                                    " ON c.company_id=t.company_id" TENANT_FILTER;
    static const char page_sql[] =
        TENANT_COLUMNS TENANT_FILTER " ORDER BY t.created, t.company_id LIMIT ?7 OFFSET ?8";
    sqlite3_stmt *stmt = store_stmt(count_sql);
    if (!stmt)
        return STORE_ERROR;
    bind_filter(stmt, f);
    long long count;
    enum store_result r = single_int(stmt, &count);
    *total = (int)count;
    if (r != STORE_OK || !(stmt = store_stmt(page_sql)))
        return STORE_ERROR;
    bind_filter(stmt, f);
    sqlite3_bind_int(stmt, 7, f->limit);
    sqlite3_bind_int(stmt, 8, f->offset);
    int rc;
    struct store_tenant tenant;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_tenant(stmt, &tenant);
        fn(&tenant, arg);
    }
    sqlite3_reset(stmt);
    return store_result_of(rc);
}

/* ---- agents of a tenant ---- */

/* The tenant's seats as stored now, not as a handler read them before:
 * updateTenant.json may have lowered them meanwhile. */
static enum store_result tenant_max_count(const char *company_id, long long *max_count)
{
    static const char sql[] = "SELECT max_count FROM tp_tenants WHERE company_id=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, company_id);
    int rc = sqlite3_step(stmt);
    *max_count = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return store_row_result(rc);
}

enum store_result store_tenant_agent_add(const struct store_agent *agent,
                                         enum store_tp_refusal *refusal)
{
    *refusal = STORE_TP_NONE;
    if (store_begin() != STORE_OK)
        return STORE_ERROR;
    bool taken = false;
    int count = 0;
    long long max_count = 0;
    enum store_result r = tenant_max_count(agent->company_id, &max_count);
    if (r == STORE_NOT_FOUND) {
        *refusal = STORE_TP_TENANT_MISSING;
        r = STORE_OK;
    }
    if (r == STORE_OK && !*refusal && (r = email_taken(agent->email, NULL, &taken)) == STORE_OK &&
        taken)
        *refusal = STORE_TP_EMAIL_TAKEN;
    if (r == STORE_OK && !*refusal &&
        (r = store_agent_count(agent->company_id, &count)) == STORE_OK && count + 1 > max_count)
        *refusal = STORE_TP_NO_SEATS;
    if (r == STORE_OK && *refusal)
        r = STORE_CONFLICT;
    if (r == STORE_OK)
        r = store_agent_insert(agent);
    return finish(r);
}

/* ---- staff status logs ---- */

enum store_result store_staff_log_put(const struct store_staff_log *log)
{
    static const char sql[] = "INSERT INTO tp_staff_logs(company_id, staff_id, datetime, source,"
                              " action) VALUES(?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, log->company_id);
    store_bind_text(stmt, 2, log->staff_id);
    sqlite3_bind_int64(stmt, 3, log->datetime_ms);
    sqlite3_bind_int(stmt, 4, log->source);
    store_bind_text(stmt, 5, log->action);
    return store_exec_stmt(stmt);
}

enum store_result store_staff_logs(const char *union_code, int64_t from_ms, int64_t to_ms,
                                   void (*fn)(const struct store_staff_log *, void *), void *arg)
{
    static const char sql[] =
        "SELECT l.company_id, l.staff_id, l.datetime, l.source, l.action FROM tp_staff_logs l"
        " JOIN tp_tenants t ON t.company_id=l.company_id WHERE t.union_code=?1"
        " AND l.datetime BETWEEN ?2 AND ?3 ORDER BY l.company_id, l.staff_id, l.datetime";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, union_code);
    sqlite3_bind_int64(stmt, 2, from_ms);
    sqlite3_bind_int64(stmt, 3, to_ms);
    int rc;
    struct store_staff_log log;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        store_column_text(stmt, 0, log.company_id, sizeof log.company_id);
        store_column_text(stmt, 1, log.staff_id, sizeof log.staff_id);
        log.datetime_ms = sqlite3_column_int64(stmt, 2);
        log.source = sqlite3_column_int(stmt, 3);
        store_column_text(stmt, 4, log.action, sizeof log.action);
        fn(&log, arg);
    }
    sqlite3_reset(stmt);
    return store_result_of(rc);
}

/* ---- chat lists ---- */

enum store_result store_chat_put(const struct store_chat *c)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO tp_chats(union_code, partner_id, company_id, company_logo,"
        " visitor_id, last_cid, last_msg_content, last_msg_time, last_msg_type, unread)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, c->union_code);
    store_bind_text(stmt, 2, c->partner_id);
    store_bind_text(stmt, 3, c->company_id);
    store_bind_text(stmt, 4, c->company_logo);
    store_bind_text(stmt, 5, c->visitor_id);
    store_bind_text(stmt, 6, c->last_cid);
    store_bind_text(stmt, 7, c->last_msg_content);
    sqlite3_bind_int64(stmt, 8, c->last_msg_time_ms);
    sqlite3_bind_int(stmt, 9, c->last_msg_type);
    sqlite3_bind_int(stmt, 10, c->unread);
    return store_exec_stmt(stmt);
}

enum store_result store_chats(const char *union_code, const char *partner_id,
                              void (*fn)(const struct store_chat *, void *), void *arg)
{
    /* A chat row without its own logo shows the tenant's icon. */
    static const char sql[] =
        "SELECT h.union_code, h.partner_id, h.company_id, c.name,"
        " COALESCE(NULLIF(h.company_logo, ''), t.icon, ''), h.visitor_id, h.last_cid,"
        " h.last_msg_content, h.last_msg_time, h.last_msg_type, h.unread FROM tp_chats h"
        " JOIN companies c ON c.company_id=h.company_id"
        " LEFT JOIN tp_tenants t ON t.company_id=h.company_id"
        " WHERE h.union_code=?1 AND h.partner_id=?2 ORDER BY h.last_msg_time DESC, h.company_id";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, union_code);
    store_bind_text(stmt, 2, partner_id);
    int rc;
    struct store_chat c;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        store_column_text(stmt, 0, c.union_code, sizeof c.union_code);
        store_column_text(stmt, 1, c.partner_id, sizeof c.partner_id);
        store_column_text(stmt, 2, c.company_id, sizeof c.company_id);
        store_column_text(stmt, 3, c.company_name, sizeof c.company_name);
        store_column_text(stmt, 4, c.company_logo, sizeof c.company_logo);
        store_column_text(stmt, 5, c.visitor_id, sizeof c.visitor_id);
        store_column_text(stmt, 6, c.last_cid, sizeof c.last_cid);
        store_column_text(stmt, 7, c.last_msg_content, sizeof c.last_msg_content);
        c.last_msg_time_ms = sqlite3_column_int64(stmt, 8);
        c.last_msg_type = sqlite3_column_int(stmt, 9);
        c.unread = sqlite3_column_int(stmt, 10);
        fn(&c, arg);
    }
    sqlite3_reset(stmt);
    return store_result_of(rc);
}

/* ---- daily agent statistics ---- */

enum store_result store_staff_stat_put(const struct store_staff_stat *s)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO tp_staff_stats(company_id, staff_id, date, sessions,"
        " human_consults, first_responses, transfer_first_responses, first_in60s,"
        " first_response_s, responses, response_s)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, s->company_id);
    store_bind_text(stmt, 2, s->staff_id);
    store_bind_text(stmt, 3, s->date);
    sqlite3_bind_int(stmt, 4, s->sessions);
    sqlite3_bind_int(stmt, 5, s->human_consults);
    sqlite3_bind_int(stmt, 6, s->first_responses);
    sqlite3_bind_int(stmt, 7, s->transfer_first_responses);
    sqlite3_bind_int(stmt, 8, s->first_in60s);
    sqlite3_bind_int64(stmt, 9, s->first_response_s);
    sqlite3_bind_int(stmt, 10, s->responses);
    sqlite3_bind_int64(stmt, 11, s->response_s);
    return store_exec_stmt(stmt);
}

/* The summed figure columns, in the order read_sums expects them (from col 3). */
#define STAT_SUMS                                                                                  \
    " COALESCE(SUM(s.sessions), 0), COALESCE(SUM(s.human_consults), 0),"                           \
    " COALESCE(SUM(s.first_responses), 0), COALESCE(SUM(s.transfer_first_responses), 0),"          \
    " COALESCE(SUM(s.first_in60s), 0), COALESCE(SUM(s.first_response_s), 0),"                      \
    " COALESCE(SUM(s.responses), 0), COALESCE(SUM(s.response_s), 0)"

static void read_sums(sqlite3_stmt *stmt, struct store_staff_stat *s)
{
    s->sessions = sqlite3_column_int(stmt, 3);
    s->human_consults = sqlite3_column_int(stmt, 4);
    s->first_responses = sqlite3_column_int(stmt, 5);
    s->transfer_first_responses = sqlite3_column_int(stmt, 6);
    s->first_in60s = sqlite3_column_int(stmt, 7);
    s->first_response_s = sqlite3_column_int64(stmt, 8);
    s->responses = sqlite3_column_int(stmt, 9);
    s->response_s = sqlite3_column_int64(stmt, 10);
}

static enum store_result each_sum(sqlite3_stmt *stmt, const char *date,
                                  void (*fn)(const struct store_staff_stat *, void *), void *arg)
{
    int rc;
    struct store_staff_stat s;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        memset(&s, 0, sizeof s);
        store_column_text(stmt, 0, s.company_id, sizeof s.company_id);
        store_column_text(stmt, 1, s.staff_id, sizeof s.staff_id);
        store_column_text(stmt, 2, s.company_name, sizeof s.company_name);
        snprintf(s.date, sizeof s.date, "%s", date);
        read_sums(stmt, &s);
        fn(&s, arg);
    }
    sqlite3_reset(stmt);
    return store_result_of(rc);
}

enum store_result store_staff_stats(const char *union_code, const char *from_date,
                                    const char *to_date,
                                    void (*fn)(const struct store_staff_stat *, void *), void *arg)
{
    static const char sql[] =
        "SELECT s.company_id, s.staff_id, '', " STAT_SUMS " FROM tp_staff_stats s"
        " JOIN tp_tenants t ON t.company_id=s.company_id"
        " WHERE t.union_code=?1 AND s.date>=?2 AND s.date<=?3"
        " GROUP BY s.company_id, s.staff_id ORDER BY s.company_id, s.staff_id";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, union_code);
    store_bind_text(stmt, 2, from_date);
    store_bind_text(stmt, 3, to_date);
    return each_sum(stmt, "", fn, arg);
}

enum store_result store_tenant_day_stats(const char *union_code, const char *date,
                                         void (*fn)(const struct store_staff_stat *, void *),
                                         void *arg)
{
    static const char sql[] =
        "SELECT t.company_id, '', c.name, " STAT_SUMS " FROM tp_tenants t"
        " JOIN companies c ON c.company_id=t.company_id"
        " LEFT JOIN tp_staff_stats s ON s.company_id=t.company_id AND s.date=?2"
        " WHERE t.union_code=?1 GROUP BY t.company_id ORDER BY t.created, t.company_id";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, union_code);
    store_bind_text(stmt, 2, date);
    return each_sum(stmt, date, fn, arg);
}

/* ---- export jobs ---- */

enum store_result store_export_add(struct store_export *e,
                                   void (*make_id)(long long seq, struct store_export *))
{
    static const char next_sql[] = "SELECT COALESCE(MAX(seq), 0) + 1 FROM tp_exports";
    static const char insert_sql[] =
        "INSERT INTO tp_exports(seq, export_id, union_code, task_type, result_date, created)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
    if (store_begin() != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *stmt = store_stmt(next_sql);
    long long seq = 0;
    enum store_result r = stmt ? single_int(stmt, &seq) : STORE_ERROR;
    if (r == STORE_OK && !(stmt = store_stmt(insert_sql)))
        r = STORE_ERROR;
    if (r == STORE_OK) {
        make_id(seq, e);
        sqlite3_bind_int64(stmt, 1, seq);
        store_bind_text(stmt, 2, e->export_id);
        store_bind_text(stmt, 3, e->union_code);
        sqlite3_bind_int(stmt, 4, e->task_type);
        store_bind_text(stmt, 5, e->result_date);
        sqlite3_bind_int64(stmt, 6, e->created_ms);
        r = store_exec_stmt(stmt);
    }
    return finish(r);
}

enum store_result store_export_get(const char *export_id, struct store_export *out)
{
    static const char sql[] = "SELECT export_id, union_code, task_type, result_date, created"
                              " FROM tp_exports WHERE export_id=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, export_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        store_column_text(stmt, 0, out->export_id, sizeof out->export_id);
        store_column_text(stmt, 1, out->union_code, sizeof out->union_code);
        out->task_type = sqlite3_column_int(stmt, 2);
        store_column_text(stmt, 3, out->result_date, sizeof out->result_date);
        out->created_ms = sqlite3_column_int64(stmt, 4);
    }
    sqlite3_reset(stmt);
    return store_row_result(rc);
}

/* ---- rate window ---- */

enum store_result store_rate_take(const char *key, int64_t now_ms, int64_t window_ms, int limit,
                                  bool *allowed)
{
    /* Calls outside the window are forgotten, including "future" ones left
     * behind when the mock clock was set back. */
    static const char forget_sql[] = "DELETE FROM tp_rate_calls WHERE key=?1 AND (at<=?2 OR at>?3)";
    static const char count_sql[] = "SELECT COUNT(*) FROM tp_rate_calls WHERE key=?1";
    static const char record_sql[] = "INSERT INTO tp_rate_calls(key, at) VALUES(?1, ?2)";
    *allowed = false;
    if (store_begin() != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *stmt = store_stmt(forget_sql);
    enum store_result r = STORE_ERROR;
    long long used = 0;
    if (stmt) {
        store_bind_text(stmt, 1, key);
        sqlite3_bind_int64(stmt, 2, now_ms - window_ms);
        sqlite3_bind_int64(stmt, 3, now_ms);
        r = store_exec_stmt(stmt);
    }
    if (r == STORE_OK && (stmt = store_stmt(count_sql))) {
        store_bind_text(stmt, 1, key);
        r = single_int(stmt, &used);
    }
    *allowed = r == STORE_OK && used < limit;
    if (*allowed) {
        r = STORE_ERROR;
        if ((stmt = store_stmt(record_sql))) {
            store_bind_text(stmt, 1, key);
            sqlite3_bind_int64(stmt, 2, now_ms);
            r = store_exec_stmt(stmt);
        }
    }
    if (r != STORE_OK)
        *allowed = false;
    return finish(r);
}
