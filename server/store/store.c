/*
 * store/store.c - connections, schema, transactions.
 *
 * Why one connection per thread over one shared memdb database: SQLite
 * connections are cheap and each is then used by one thread only
 * (SQLITE_OPEN_NOMUTEX), so no lock of ours sits on the request path; SQLite's
 * own file locks order the writers. The alternative, a shared-cache
 * ":memory:" database, locks tables rather than the file and answers
 * SQLITE_LOCKED, which the busy handler cannot wait out.
 *
 * Waiting: the default busy handler sleeps in whole milliseconds, which would
 * cap the mock at a few hundred writes a second under contention; ours yields
 * the core and retries for up to five seconds (store_set_busy_timeout_ms),
 * then the caller answers 999999.
 *
 * This module must never hand a sqlite3 pointer outside store/.
 */
#include "store/store_internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"

#define STMT_CACHE_MAX 128
#define MAX_CONNS 256
#define BUSY_WAIT_DEFAULT_MS 5000u

struct cached_stmt {
    const char *sql;
    sqlite3_stmt *stmt;
};

struct conn {
    sqlite3 *db;
    struct cached_stmt cache[STMT_CACHE_MAX];
    size_t cached;
    uint64_t busy_since_ns;
};

static char db_uri[4096];
static bool in_memory = false; /* memdb, not --db FILE */
static bool had_state = false;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *conns[MAX_CONNS];
static size_t conn_count = 0;
static _Thread_local struct conn *this_conn = NULL;
static uint64_t busy_wait_ns = (uint64_t)BUSY_WAIT_DEFAULT_MS * 1000 * 1000;
/* Why this thread's store last failed, for the request's diagnostic. */
static _Thread_local char failure[192];

/* The schema of each area, run in order. */
static const char *const schemas[] = {
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    store_schema_companies,
    store_schema_tokens,
    store_schema_sso,
    store_schema_tenantpro,
    store_schema_customers,
};

static int on_busy(void *arg, int count)
{
    struct conn *c = arg;
    uint64_t now = clock_mono_ns();
    if (count == 0)
        c->busy_since_ns = now;
    if (now - c->busy_since_ns > busy_wait_ns)
        return 0;
    if (count < 64) {
        sched_yield();
    } else {
        struct timespec pause = {0, 100L * 1000};
        nanosleep(&pause, NULL);
    }
    return 1;
}

void store_set_busy_timeout_ms(unsigned ms)
{
    busy_wait_ns = (uint64_t)ms * 1000 * 1000;
}

static void note_failure(int rc)
{
    if ((rc & 0xff) == SQLITE_BUSY)
        snprintf(failure, sizeof failure,
                 "busy: another connection held the database locked past the %llu ms busy "
                 "timeout",
                 (unsigned long long)(busy_wait_ns / 1000000));
    else
        snprintf(failure, sizeof failure, "SQLite failed: %s (%d)", sqlite3_errstr(rc), rc);
}

bool store_take_failure(char *out, size_t size)
{
    bool failed = failure[0] != '\0';
    if (out && size)
        snprintf(out, size, "%s", failure);
    failure[0] = '\0';
    return failed;
}

enum store_result store_row_result(int rc)
{
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : store_result_of(rc);
}

enum store_result store_result_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return STORE_OK;
    case SQLITE_CONSTRAINT:
        return STORE_CONFLICT;
    default:
        log_error("sqlite: %s (%d)", sqlite3_errstr(rc), rc);
        note_failure(rc);
        return STORE_ERROR;
    }
}

static bool exec_sql(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        log_error("sqlite: %s in: %.80s", err ? err : "error", sql);
        sqlite3_free(err);
        return false;
    }
    return true;
}

static struct conn *open_conn(void)
{
    struct conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(db_uri, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        log_error("sqlite: cannot open database: %s", c->db ? sqlite3_errmsg(c->db) : "no memory");
        note_failure(rc);
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    sqlite3_busy_handler(c->db, on_busy, c);
    exec_sql(c->db, "PRAGMA foreign_keys=ON;");
    /* A connection's page cache is a second copy of pages that memdb already
     * holds in memory, and any other connection's write empties it, so a
     * large one buys little: 256 KB each instead of SQLite's 2 MB keeps
     * memory flat with one connection per worker. */
    if (in_memory)
        exec_sql(c->db, "PRAGMA cache_size=-256;");
    pthread_mutex_lock(&conns_lock);
    bool room = conn_count < MAX_CONNS;
    if (room)
        conns[conn_count++] = c;
    pthread_mutex_unlock(&conns_lock);
    if (!room) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    return c;
}

/* Transaction control is prepared as soon as a connection opens: a
 * ROLLBACK that first had to be prepared while memory ran out could fail
 * and leave a transaction open. */
static const char sql_begin[] = "BEGIN IMMEDIATE";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";

static void prepare_transaction_control(void)
{
    (void)store_stmt(sql_begin);
    (void)store_stmt(sql_commit);
    (void)store_stmt(sql_rollback);
}

sqlite3 *store_conn(void)
{
    if (!this_conn) {
        this_conn = open_conn();
        if (this_conn)
            prepare_transaction_control();
    }
    return this_conn ? this_conn->db : NULL;
}

sqlite3_stmt *store_stmt(const char *sql)
{
    if (!store_conn())
        return NULL;
    struct conn *c = this_conn;
    for (size_t i = 0; i < c->cached; i++) {
        if (c->cache[i].sql == sql) {
            sqlite3_reset(c->cache[i].stmt);
            sqlite3_clear_bindings(c->cache[i].stmt);
            return c->cache[i].stmt;
        }
    }
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
    if (rc != SQLITE_OK) {
        log_error("sqlite: cannot prepare (%s): %.120s", sqlite3_errmsg(c->db), sql);
        note_failure(rc);
        return NULL;
    }
    if (c->cached < STMT_CACHE_MAX)
        c->cache[c->cached++] = (struct cached_stmt){sql, stmt};
    else
        log_warn("sqlite: statement cache full; raise STMT_CACHE_MAX");
    return stmt;
}

enum store_result store_begin(void)
{
    sqlite3_stmt *stmt = store_stmt(sql_begin);
    return stmt ? store_exec_stmt(stmt) : STORE_ERROR;
}

enum store_result store_commit(void)
{
    sqlite3_stmt *stmt = store_stmt(sql_commit);
    enum store_result r = stmt ? store_exec_stmt(stmt) : STORE_ERROR;
    if (r != STORE_OK)
        store_rollback();
    return r;
}

void store_rollback(void)
{
    sqlite3 *db = store_conn();
    if (db && !sqlite3_get_autocommit(db)) {
        sqlite3_stmt *stmt = store_stmt(sql_rollback);
        if (stmt)
            store_exec_stmt(stmt);
    }
}

enum store_result store_exec_stmt(sqlite3_stmt *stmt)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return STORE_OK;
    return store_result_of(rc);
}

void store_column_text(sqlite3_stmt *stmt, int col, char *out, size_t size)
{
    /* A row is read column by column on hot paths (a customer has 33):
     * copy with the length SQLite knows rather than through snprintf. */
    if (!size)
        return;
    const unsigned char *text = sqlite3_column_text(stmt, col);
    size_t len = 0;
    if (text) {
        len = (size_t)sqlite3_column_bytes(stmt, col);
        if (len >= size)
            len = size - 1;
        memcpy(out, text, len);
    }
    out[len] = '\0';
}

void store_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    /* SQLITE_STATIC, not TRANSIENT: a copy needs memory, and a bind that
     * fails for want of it leaves the parameter NULL while the statement
     * still runs, so a lookup answered "not found" and an insert stored a
     * NULL key. The text outlives the step: every store function binds,
     * steps and resets within one call, and store_stmt clears the bindings
     * before the statement is used again. */
    int rc = text ? sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC)
                  : sqlite3_bind_null(stmt, index);
    if (rc != SQLITE_OK)
        store_result_of(rc);
}

static bool read_had_state(sqlite3 *db)
{
    sqlite3_stmt *stmt = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM meta WHERE key='seeded'", -1, &stmt, NULL) ==
        SQLITE_OK)
        found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return found;
}

bool store_open(const char *path)
{
    static unsigned counter = 0;
    /* Each connection is used by one thread only, so SQLite's own locks on
     * connections and on its allocation counters are pure cost. Only
     * possible before SQLite initialises; later calls fail harmlessly. */
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    in_memory = !path;
    if (path) {
        char *uri = sqlite3_mprintf("file:%q", path);
        snprintf(db_uri, sizeof db_uri, "%s", uri ? uri : path);
        sqlite3_free(uri);
    } else {
        /* A name starting with '/' makes the memdb database shared by every
         * connection of this process that names it. */
        snprintf(db_uri, sizeof db_uri, "file:/sobot-mock-%ld-%u?vfs=memdb", (long)getpid(),
                 counter++);
    }
    sqlite3 *db = store_conn();
    if (!db)
        return false;
    if (path &&
        (!exec_sql(db, "PRAGMA journal_mode=WAL;") || !exec_sql(db, "PRAGMA synchronous=NORMAL;")))
        return false;
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
        if (!exec_sql(db, schemas[i]))
            return false;
    had_state = read_had_state(db);
    return true;
}

bool store_had_state(void)
{
    return had_state;
}

static void close_conn(struct conn *c)
{
    for (size_t i = 0; i < c->cached; i++)
        sqlite3_finalize(c->cache[i].stmt);
    sqlite3_close(c->db);
    free(c);
}

void store_close(void)
{
    pthread_mutex_lock(&conns_lock);
    /* The opener's connection (index 0) goes last: it keeps memdb alive. */
    for (size_t i = conn_count; i-- > 0;)
        close_conn(conns[i]);
    conn_count = 0;
    pthread_mutex_unlock(&conns_lock);
    this_conn = NULL;
}

/* Deletes every table's rows inside the caller's transaction; tables go in
 * name order, foreign keys are checked at commit. */
static bool empty_tables(sqlite3 *db)
{
    exec_sql(db, "PRAGMA defer_foreign_keys=ON;");
    sqlite3_stmt *list = NULL;
    const char *sql = "SELECT name FROM sqlite_master WHERE type='table' "
                      "AND name NOT LIKE 'sqlite_%' ORDER BY name";
    if (sqlite3_prepare_v2(db, sql, -1, &list, NULL) != SQLITE_OK)
        return false;
    bool ok = true;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(list)) == SQLITE_ROW) {
        char *del =
            sqlite3_mprintf("DELETE FROM \"%w\";", (const char *)sqlite3_column_text(list, 0));
        ok = del && exec_sql(db, del);
        sqlite3_free(del);
    }
    sqlite3_finalize(list);
    return ok && rc == SQLITE_DONE;
}

/* One transaction, so that other threads never see the tables empty or
 * half refilled, and a fill that fails leaves the old state whole. */
enum store_result store_refill(bool (*fill)(void *arg), void *arg)
{
    sqlite3 *db = store_conn();
    if (!db || store_begin() != STORE_OK)
        return STORE_ERROR;
    if (!empty_tables(db) || !fill(arg)) {
        store_rollback();
        return STORE_ERROR;
    }
    return store_commit();
}

enum store_result store_mark_seeded(void)
{
    sqlite3_stmt *stmt =
        store_stmt("INSERT OR REPLACE INTO meta(key, value) VALUES('seeded', '1')");
    return stmt ? store_exec_stmt(stmt) : STORE_ERROR;
}
