/*
 * store/store_tokens.c - apps (appid, app_key, company) and their tokens.
 *
 * Tokens stay bounded whatever the load: in the default replace mode an app
 * keeps its live token and the one it replaced (so a client holding the old
 * one is told "replaced", not "unknown"); with --keep-old-tokens an app keeps
 * its unexpired tokens and expired ones are dropped at the next issue.
 */
#include "store/store_internal.h"

#include <string.h>

const char store_schema_tokens[] =
    "CREATE TABLE IF NOT EXISTS apps ("
    "  appid TEXT PRIMARY KEY,"
    "  app_key TEXT NOT NULL,"
    "  company_id TEXT NOT NULL DEFAULT '',"
    "  company_name TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS tokens ("
    "  token TEXT PRIMARY KEY,"
    "  appid TEXT NOT NULL,"
    "  issued INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL,"
    "  replaced INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS tokens_by_app ON tokens(appid, replaced);";

enum store_result store_app_put(const struct store_app *app)
{
    static const char sql[] =
        "INSERT INTO apps(appid, app_key, company_id, company_name) VALUES(?1, ?2, ?3, ?4) "
        "ON CONFLICT(appid) DO UPDATE SET app_key=?2, company_id=?3, company_name=?4";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, app->appid);
    store_bind_text(stmt, 2, app->app_key);
    store_bind_text(stmt, 3, app->company_id);
    store_bind_text(stmt, 4, app->company_name);
    return store_exec_stmt(stmt);
}

enum store_result store_app_get(const char *appid, struct store_app *out)
{
    static const char sql[] =
        "SELECT appid, app_key, company_id, company_name FROM apps WHERE appid=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, appid);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        store_column_text(stmt, 0, out->appid, sizeof out->appid);
        store_column_text(stmt, 1, out->app_key, sizeof out->app_key);
        store_column_text(stmt, 2, out->company_id, sizeof out->company_id);
        store_column_text(stmt, 3, out->company_name, sizeof out->company_name);
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : store_result_of(rc);
}

static enum store_result bind_exec(const char *sql, const char *appid, int64_t when)
{
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, appid);
    if (sqlite3_bind_parameter_count(stmt) >= 2)
        sqlite3_bind_int64(stmt, 2, when);
    return store_exec_stmt(stmt);
}

static enum store_result forget_old(const char *appid, int64_t now, bool replace_previous)
{
    static const char drop_replaced[] = "DELETE FROM tokens WHERE appid=?1 AND replaced>0";
    static const char mark_replaced[] = "UPDATE tokens SET replaced=?2 WHERE appid=?1 AND replaced=0";
    static const char drop_expired[] = "DELETE FROM tokens WHERE appid=?1 AND expires<=?2";
    if (!replace_previous)
        return bind_exec(drop_expired, appid, now);
    enum store_result r = bind_exec(drop_replaced, appid, now);
    return r == STORE_OK ? bind_exec(mark_replaced, appid, now) : r;
}

enum store_result store_token_insert(const struct store_token *token, bool replace_previous)
{
    static const char sql[] =
        "INSERT INTO tokens(token, appid, issued, expires) VALUES(?1, ?2, ?3, ?4)";
    enum store_result r = store_begin();
    if (r != STORE_OK)
        return r;
    r = forget_old(token->appid, token->issued_s, replace_previous);
    sqlite3_stmt *stmt = r == STORE_OK ? store_stmt(sql) : NULL;
    if (stmt) {
        store_bind_text(stmt, 1, token->token);
        store_bind_text(stmt, 2, token->appid);
        sqlite3_bind_int64(stmt, 3, token->issued_s);
        sqlite3_bind_int64(stmt, 4, token->expires_s);
        r = store_exec_stmt(stmt);
    } else if (r == STORE_OK) {
        r = STORE_ERROR;
    }
    if (r != STORE_OK) {
        store_rollback();
        return r;
    }
    return store_commit();
}

static void read_token_row(sqlite3_stmt *stmt, struct store_token *out)
{
    store_column_text(stmt, 0, out->token, sizeof out->token);
    store_column_text(stmt, 1, out->appid, sizeof out->appid);
    store_column_text(stmt, 2, out->company_id, sizeof out->company_id);
    out->issued_s = sqlite3_column_int64(stmt, 3);
    out->expires_s = sqlite3_column_int64(stmt, 4);
    out->replaced_s = sqlite3_column_int64(stmt, 5);
}

enum store_result store_token_get(const char *token, struct store_token *out)
{
    static const char sql[] =
        "SELECT t.token, t.appid, COALESCE(a.company_id, ''), t.issued, t.expires, t.replaced "
        "FROM tokens t LEFT JOIN apps a ON a.appid = t.appid WHERE t.token=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, token);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        read_token_row(stmt, out);
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : store_result_of(rc);
}

enum store_result store_tokens_live(int64_t now_s,
                                    void (*fn)(const struct store_token *, void *), void *arg)
{
    static const char sql[] =
        "SELECT t.token, t.appid, COALESCE(a.company_id, ''), t.issued, t.expires, t.replaced "
        "FROM tokens t LEFT JOIN apps a ON a.appid = t.appid "
        "WHERE t.replaced=0 AND t.expires>?1 ORDER BY t.appid, t.issued";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    sqlite3_bind_int64(stmt, 1, now_s);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct store_token row;
        read_token_row(stmt, &row);
        fn(&row, arg);
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? STORE_OK : store_result_of(rc);
}

/* Runs a statement that binds token (?1), appid (?2) and maybe a time (?3);
 * an absent key binds NULL, which matches nothing. */
static enum store_result exec_counting(const char *sql, const char *token, const char *appid,
                                       int64_t when, int *count)
{
    sqlite3_stmt *stmt = store_stmt(sql);
    *count = 0;
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, token);
    store_bind_text(stmt, 2, token ? NULL : appid);
    if (sqlite3_bind_parameter_count(stmt) >= 3)
        sqlite3_bind_int64(stmt, 3, when);
    enum store_result r = store_exec_stmt(stmt);
    if (r == STORE_OK)
        *count = sqlite3_changes(store_conn());
    return r;
}

enum store_result store_tokens_expire(const char *token, const char *appid, int64_t now_s,
                                      int *count)
{
    static const char sql[] = "UPDATE tokens SET expires=?3 "
                              "WHERE (token=?1 OR appid=?2) AND replaced=0 AND expires>?3";
    return exec_counting(sql, token, appid, now_s, count);
}

enum store_result store_tokens_revoke(const char *token, const char *appid, int *count)
{
    static const char sql[] = "DELETE FROM tokens WHERE token=?1 OR appid=?2";
    return exec_counting(sql, token, appid, 0, count);
}

enum store_result store_token_live_since(const char *appid, int64_t now_s, int64_t *issued_s)
{
    static const char sql[] =
        "SELECT MAX(issued) FROM tokens WHERE appid=?1 AND replaced=0 AND expires>?2";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, appid);
    sqlite3_bind_int64(stmt, 2, now_s);
    int rc = sqlite3_step(stmt);
    bool found = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL;
    if (found)
        *issued_s = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW)
        return store_result_of(rc);
    return found ? STORE_OK : STORE_NOT_FOUND;
}
