/*
 * store/store_companies.c - companies and agents.
 *
 * The agents table is shared by every product area: tenantpro creates,
 * edits and deletes agents; SSO logs them in. So an agent deleted through
 * tenantpro can no longer log in, as on the live service.
 */
#include "store/store_internal.h"

#include <string.h>

const char store_schema_companies[] =
    "CREATE TABLE IF NOT EXISTS companies ("
    "  company_id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS agents ("
    "  agent_id TEXT PRIMARY KEY,"
    "  company_id TEXT NOT NULL,"
    "  email TEXT NOT NULL UNIQUE,"
    "  nick TEXT NOT NULL DEFAULT '',"
    "  name TEXT NOT NULL DEFAULT '',"
    "  phone TEXT NOT NULL DEFAULT '',"
    "  role_id TEXT NOT NULL DEFAULT '1111',"
    "  password TEXT NOT NULL DEFAULT '',"
    "  max_accept INTEGER NOT NULL DEFAULT 0,"
    "  status INTEGER NOT NULL DEFAULT 1,"
    "  created INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS agents_by_company ON agents(company_id);";

enum store_result store_company_put(const struct store_company *company)
{
    static const char sql[] = "INSERT INTO companies(company_id, name) VALUES(?1, ?2) "
                              "ON CONFLICT(company_id) DO UPDATE SET name=?2";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, company->company_id);
    store_bind_text(stmt, 2, company->name);
    return store_exec_stmt(stmt);
}

enum store_result store_company_get(const char *company_id, struct store_company *out)
{
    static const char sql[] = "SELECT company_id, name FROM companies WHERE company_id=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, company_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        store_column_text(stmt, 0, out->company_id, sizeof out->company_id);
        store_column_text(stmt, 1, out->name, sizeof out->name);
    }
    sqlite3_reset(stmt);
    return store_row_result(rc);
}

/* Binds the agent's columns in the order both insert and update use. */
static void bind_agent(sqlite3_stmt *stmt, const struct store_agent *a)
{
    store_bind_text(stmt, 1, a->agent_id);
    store_bind_text(stmt, 2, a->company_id);
    store_bind_text(stmt, 3, a->email);
    store_bind_text(stmt, 4, a->nick);
    store_bind_text(stmt, 5, a->name);
    store_bind_text(stmt, 6, a->phone);
    store_bind_text(stmt, 7, a->role_id);
    store_bind_text(stmt, 8, a->password);
    sqlite3_bind_int(stmt, 9, a->max_accept);
    sqlite3_bind_int(stmt, 10, a->status);
    sqlite3_bind_int64(stmt, 11, a->created_s);
}

enum store_result store_agent_insert(const struct store_agent *agent)
{
    static const char sql[] =
        "INSERT INTO agents(agent_id, company_id, email, nick, name, phone, role_id, password,"
        " max_accept, status, created) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    bind_agent(stmt, agent);
    return store_exec_stmt(stmt);
}

enum store_result store_agent_update(const struct store_agent *agent)
{
    static const char sql[] =
        "UPDATE agents SET agent_id=?1, company_id=?2, nick=?4, name=?5, phone=?6, role_id=?7,"
        " password=?8, max_accept=?9, status=?10, created=?11 WHERE email=?3";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    bind_agent(stmt, agent);
    enum store_result r = store_exec_stmt(stmt);
    if (r == STORE_OK && sqlite3_changes(store_conn()) == 0)
        return STORE_NOT_FOUND;
    return r;
}

enum store_result store_agent_get(const char *email, struct store_agent *out)
{
    static const char sql[] =
        "SELECT agent_id, company_id, email, nick, name, phone, role_id, password, max_accept,"
        " status, created FROM agents WHERE email=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, email);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        store_column_text(stmt, 0, out->agent_id, sizeof out->agent_id);
        store_column_text(stmt, 1, out->company_id, sizeof out->company_id);
        store_column_text(stmt, 2, out->email, sizeof out->email);
        store_column_text(stmt, 3, out->nick, sizeof out->nick);
        store_column_text(stmt, 4, out->name, sizeof out->name);
        store_column_text(stmt, 5, out->phone, sizeof out->phone);
        store_column_text(stmt, 6, out->role_id, sizeof out->role_id);
        store_column_text(stmt, 7, out->password, sizeof out->password);
        out->max_accept = sqlite3_column_int(stmt, 8);
        out->status = sqlite3_column_int(stmt, 9);
        out->created_s = sqlite3_column_int64(stmt, 10);
    }
    sqlite3_reset(stmt);
    return store_row_result(rc);
}

enum store_result store_agent_delete(const char *email)
{
    static const char sql[] = "DELETE FROM agents WHERE email=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, email);
    enum store_result r = store_exec_stmt(stmt);
    if (r == STORE_OK && sqlite3_changes(store_conn()) == 0)
        return STORE_NOT_FOUND;
    return r;
}

enum store_result store_agent_count(const char *company_id, int *count)
{
    static const char sql[] = "SELECT COUNT(*) FROM agents WHERE company_id=?1";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, company_id);
    int rc = sqlite3_step(stmt);
    *count = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? STORE_OK : store_result_of(rc);
}
