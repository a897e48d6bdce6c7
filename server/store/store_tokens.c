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
    "  company_id TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS apps_by_company ON apps(company_id);"
    "CREATE TABLE IF NOT EXISTS tokens ("
    "  token TEXT PRIMARY KEY,"
    "  appid TEXT NOT NULL,"
    "  issued INTEGER NOT NULL," /* mock-clock ms, as are expires and replaced */
    "  expires INTEGER NOT NULL,"
    "  replaced INTEGER NOT NULL DEFAULT 0,"
    "  replaces INTEGER NOT NULL DEFAULT 1);" /* 1: this token replaces the app's others */
    "CREATE INDEX IF NOT EXISTS tokens_by_app ON tokens(appid, replaced);"
    "CREATE TRIGGER IF NOT EXISTS tokens_forget AFTER INSERT ON tokens BEGIN"
    "  DELETE FROM tokens WHERE NEW.replaces=1 AND appid=NEW.appid AND replaced>0;"
    "  UPDATE tokens SET replaced=NEW.issued"
    "   WHERE NEW.replaces=1 AND appid=NEW.appid AND replaced=0 AND token<>NEW.token;"
    "  DELETE FROM tokens WHERE NEW.replaces=0 AND appid=NEW.appid AND expires<=NEW.issued;"
    "END;";

enum store_result store_app_put(const struct store_app *app)
{
    static const char sql[] = "INSERT INTO apps(appid, app_key, company_id) VALUES(?1, ?2, ?3) "
                              "ON CONFLICT(appid) DO UPDATE SET app_key=?2, company_id=?3";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, app->appid);
    store_bind_text(stmt, 2, app->app_key);
    store_bind_text(stmt, 3, app->company_id);
    return store_exec_stmt(stmt);
}

enum store_result store_app_get(const char *appid, struct store_app *out)
{
    static const char sql[] = "SELECT appid, app_key, company_id FROM apps WHERE appid=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, appid);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        store_column_text(stmt, 0, out->appid, sizeof out->appid);
        store_column_text(stmt, 1, out->app_key, sizeof out->app_key);
        store_column_text(stmt, 2, out->company_id, sizeof out->company_id);
    }
    sqlite3_reset(stmt);
    return store_row_result(rc);
}

enum store_result store_token_insert(const struct store_token *token, bool replace_previous)
{
    /* One statement: the tokens_forget trigger retires the app's older
     * tokens inside the INSERT's own transaction, so concurrent get_token
     * calls for one app still leave exactly one live token. */
    static const char sql[] =
        "INSERT INTO tokens(token, appid, issued, expires, replaces) VALUES(?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, token->token);
    store_bind_text(stmt, 2, token->appid);
    sqlite3_bind_int64(stmt, 3, token->issued_ms);
    sqlite3_bind_int64(stmt, 4, token->expires_ms);
    sqlite3_bind_int(stmt, 5, replace_previous ? 1 : 0);
    return store_exec_stmt(stmt);
}

static void read_token_row(sqlite3_stmt *stmt, struct store_token *out)
{
    store_column_text(stmt, 0, out->token, sizeof out->token);
    store_column_text(stmt, 1, out->appid, sizeof out->appid);
    store_column_text(stmt, 2, out->company_id, sizeof out->company_id);
    out->issued_ms = sqlite3_column_int64(stmt, 3);
    out->expires_ms = sqlite3_column_int64(stmt, 4);
    out->replaced_ms = sqlite3_column_int64(stmt, 5);
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
    return store_row_result(rc);
}

enum store_result store_tokens_live(int64_t now_ms, void (*fn)(const struct store_token *, void *),
                                    void *arg)
{
    static const char sql[] =
        "SELECT t.token, t.appid, COALESCE(a.company_id, ''), t.issued, t.expires, t.replaced "
        "FROM tokens t LEFT JOIN apps a ON a.appid = t.appid "
        "WHERE t.replaced=0 AND t.expires>?1 ORDER BY t.appid, t.issued";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    sqlite3_bind_int64(stmt, 1, now_ms);
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

enum store_result store_tokens_expire(const char *token, const char *appid, int64_t now_ms,
                                      int *count)
{
    static const char sql[] = "UPDATE tokens SET expires=?3 "
                              "WHERE (token=?1 OR appid=?2) AND replaced=0 AND expires>?3";
    return exec_counting(sql, token, appid, now_ms, count);
}

enum store_result store_tokens_revoke(const char *token, const char *appid, int *count)
{
    static const char sql[] = "DELETE FROM tokens WHERE token=?1 OR appid=?2";
    return exec_counting(sql, token, appid, 0, count);
}

enum store_result store_token_live_since(const char *appid, int64_t now_ms, int64_t *issued_ms)
{
    static const char sql[] =
        "SELECT MAX(issued) FROM tokens WHERE appid=?1 AND replaced=0 AND expires>?2";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, appid);
    sqlite3_bind_int64(stmt, 2, now_ms);
    int rc = sqlite3_step(stmt);
    bool found = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL;
    if (found)
        *issued_ms = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW)
        return store_result_of(rc);
    return found ? STORE_OK : STORE_NOT_FOUND;
}
