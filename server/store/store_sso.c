/*
 * store/store_sso.c - SSO login links and the browser sessions they open.
 *
 * Links are kept in the store, not only in their signed JWT, for three
 * reasons: single use needs a shared "opened" mark that every worker sees;
 * /__admin/sso lists what clients asked for; and with --db a restart under a
 * new secret finds the old links unknown rather than trusting them. Opening a
 * link is one conditional UPDATE, so two workers racing on the same link
 * cannot both win.
 *
 * This file must never decide what a link means (expiry, options): that is
 * api/sso.c's business; it only records and answers.
 */
#include "store/store_internal.h"

#include <string.h>

const char store_schema_sso[] = "CREATE TABLE IF NOT EXISTS sso_links ("
                                "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                                "  link_id TEXT NOT NULL UNIQUE,"
                                "  appid TEXT NOT NULL,"
                                "  company_id TEXT NOT NULL,"
                                "  agent_email TEXT NOT NULL,"
                                "  type INTEGER NOT NULL DEFAULT 0,"
                                "  status INTEGER NOT NULL DEFAULT 0,"
                                "  enable_menu INTEGER NOT NULL DEFAULT 1,"
                                "  redirect_url TEXT NOT NULL DEFAULT '',"
                                "  logout_url TEXT NOT NULL DEFAULT '',"
                                "  options TEXT NOT NULL DEFAULT '{}',"
                                "  url TEXT NOT NULL DEFAULT '',"
                                "  issued INTEGER NOT NULL,"
                                "  expires INTEGER NOT NULL,"
                                "  used INTEGER NOT NULL DEFAULT 0,"
                                "  uses INTEGER NOT NULL DEFAULT 0);"
                                "CREATE TABLE IF NOT EXISTS sso_sessions ("
                                "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                                "  session_id TEXT NOT NULL UNIQUE,"
                                "  link_id TEXT NOT NULL,"
                                "  created INTEGER NOT NULL);";

#define LINK_COLUMNS                                                                               \
    "link_id, appid, company_id, agent_email, type, status, enable_menu, redirect_url,"            \
    " logout_url, options, url, issued, expires, used, uses"

static void read_link(sqlite3_stmt *stmt, struct store_sso_link *out)
{
    store_column_text(stmt, 0, out->link_id, sizeof out->link_id);
    store_column_text(stmt, 1, out->appid, sizeof out->appid);
    store_column_text(stmt, 2, out->company_id, sizeof out->company_id);
    store_column_text(stmt, 3, out->agent_email, sizeof out->agent_email);
    out->type = sqlite3_column_int(stmt, 4);
    out->status = sqlite3_column_int(stmt, 5);
    out->enable_menu = sqlite3_column_int(stmt, 6);
    store_column_text(stmt, 7, out->redirect_url, sizeof out->redirect_url);
    store_column_text(stmt, 8, out->logout_url, sizeof out->logout_url);
    store_column_text(stmt, 9, out->options_json, sizeof out->options_json);
    store_column_text(stmt, 10, out->url, sizeof out->url);
    out->issued_s = sqlite3_column_int64(stmt, 11);
    out->expires_s = sqlite3_column_int64(stmt, 12);
    out->used_s = sqlite3_column_int64(stmt, 13);
    out->uses = sqlite3_column_int(stmt, 14);
}

/* Runs a one-row SELECT whose first parameter is a text key. */
static enum store_result select_link(const char *sql, const char *key, struct store_sso_link *out)
{
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, key);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        read_link(stmt, out);
    sqlite3_reset(stmt);
    return store_row_result(rc);
}

/* Drops all but the newest STORE_SSO_KEEP rows of a table. */
static enum store_result keep_newest(const char *sql)
{
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    sqlite3_bind_int(stmt, 1, STORE_SSO_KEEP);
    return store_exec_stmt(stmt);
}

enum store_result store_sso_link_insert(const struct store_sso_link *l)
{
    static const char sql[] =
        "INSERT INTO sso_links(" LINK_COLUMNS ")"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, 0)";
    static const char prune[] =
        "DELETE FROM sso_links WHERE seq <= (SELECT MAX(seq) FROM sso_links) - ?1";
    /* Insert and prune in one transaction: a prune that fails after the
     * insert would otherwise keep a link whose URL the client never got. */
    enum store_result r = store_begin();
    if (r != STORE_OK)
        return r;
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt) {
        store_rollback();
        return STORE_ERROR;
    }
    store_bind_text(stmt, 1, l->link_id);
    store_bind_text(stmt, 2, l->appid);
    store_bind_text(stmt, 3, l->company_id);
    store_bind_text(stmt, 4, l->agent_email);
    sqlite3_bind_int(stmt, 5, l->type);
    sqlite3_bind_int(stmt, 6, l->status);
    sqlite3_bind_int(stmt, 7, l->enable_menu);
    store_bind_text(stmt, 8, l->redirect_url);
    store_bind_text(stmt, 9, l->logout_url);
    store_bind_text(stmt, 10, l->options_json);
    store_bind_text(stmt, 11, l->url);
    sqlite3_bind_int64(stmt, 12, l->issued_s);
    sqlite3_bind_int64(stmt, 13, l->expires_s);
    r = store_exec_stmt(stmt);
    if (r == STORE_OK)
        r = keep_newest(prune);
    if (r != STORE_OK) {
        store_rollback();
        return r;
    }
    return store_commit();
}

enum store_result store_sso_link_get(const char *link_id, struct store_sso_link *out)
{
    static const char sql[] = "SELECT " LINK_COLUMNS " FROM sso_links WHERE link_id=?1";
    return select_link(sql, link_id, out);
}

/* The conditional UPDATE: it changes a row only when the link exists and may
 * still be opened, so sqlite3_changes says whether this caller won. */
static enum store_result mark_used(const char *link_id, int64_t now_s, bool reusable)
{
    static const char sql[] =
        "UPDATE sso_links SET used = CASE WHEN used = 0 THEN ?2 ELSE used END, uses = uses + 1"
        " WHERE link_id=?1 AND (used = 0 OR ?3)";
    static const char exists[] = "SELECT 1 FROM sso_links WHERE link_id=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, link_id);
    sqlite3_bind_int64(stmt, 2, now_s);
    sqlite3_bind_int(stmt, 3, reusable);
    enum store_result r = store_exec_stmt(stmt);
    if (r != STORE_OK || sqlite3_changes(store_conn()) == 1)
        return r;
    stmt = store_stmt(exists);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, link_id);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW    ? STORE_CONFLICT
           : rc == SQLITE_DONE ? STORE_NOT_FOUND
                               : store_result_of(rc);
}

static enum store_result open_session(const char *session_id, const char *link_id, int64_t now_s)
{
    static const char sql[] =
        "INSERT INTO sso_sessions(session_id, link_id, created) VALUES(?1, ?2, ?3)";
    static const char prune[] =
        "DELETE FROM sso_sessions WHERE seq <= (SELECT MAX(seq) FROM sso_sessions) - ?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, session_id);
    store_bind_text(stmt, 2, link_id);
    sqlite3_bind_int64(stmt, 3, now_s);
    enum store_result r = store_exec_stmt(stmt);
    return r == STORE_OK ? keep_newest(prune) : r;
}

enum store_result store_sso_link_use(const char *link_id, int64_t now_s, bool reusable,
                                     const char *session_id)
{
    enum store_result r = store_begin();
    if (r != STORE_OK)
        return r;
    r = mark_used(link_id, now_s, reusable);
    if (r == STORE_OK)
        r = open_session(session_id, link_id, now_s);
    if (r != STORE_OK) {
        store_rollback();
        return r;
    }
    return store_commit();
}

enum store_result store_sso_session_get(const char *session_id, struct store_sso_link *out)
{
    static const char sql[] =
        "SELECT l.link_id, l.appid, l.company_id, l.agent_email, l.type, l.status,"
        " l.enable_menu, l.redirect_url, l.logout_url, l.options, l.url, l.issued, l.expires,"
        " l.used, l.uses FROM sso_sessions s JOIN sso_links l ON l.link_id = s.link_id"
        " WHERE s.session_id=?1";
    return select_link(sql, session_id, out);
}

enum store_result store_sso_session_delete(const char *session_id)
{
    static const char sql[] = "DELETE FROM sso_sessions WHERE session_id=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, session_id);
    enum store_result r = store_exec_stmt(stmt);
    if (r == STORE_OK && sqlite3_changes(store_conn()) == 0)
        return STORE_NOT_FOUND;
    return r;
}

enum store_result store_sso_links_each(void (*fn)(const struct store_sso_link *, void *), void *arg)
{
    static const char sql[] = "SELECT " LINK_COLUMNS " FROM sso_links ORDER BY seq";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    /* A link is large; one on the heap per call, not per row. */
    struct store_sso_link *row = sqlite3_malloc(sizeof *row);
    if (!row) {
        sqlite3_reset(stmt);
        return STORE_ERROR;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_link(stmt, row);
        fn(row, arg);
    }
    sqlite3_free(row);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? STORE_OK : store_result_of(rc);
}
