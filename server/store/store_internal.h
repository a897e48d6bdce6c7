/*
 * store/store_internal.h - what the store_<area>.c files share with store.c:
 * this thread's connection, cached prepared statements, transactions and
 * column helpers. Nothing outside store/ includes it.
 */
#ifndef SOBOT_STORE_INTERNAL_H
#define SOBOT_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

/* This thread's connection, opened on first use; NULL on failure. */
sqlite3 *store_conn(void);

/* A prepared statement for `sql`, cached per thread by the string's address
 * (pass string literals or static strings), reset and unbound. NULL on
 * failure. Do not finalize it. */
sqlite3_stmt *store_stmt(const char *sql);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK on this thread's connection. */
enum store_result store_begin(void);
enum store_result store_commit(void);
void store_rollback(void);

/* Steps a statement that returns no rows; maps constraint errors to CONFLICT. */
enum store_result store_exec_stmt(sqlite3_stmt *stmt);

/* Copies a text column into a bounded buffer ("" for NULL). */
void store_column_text(sqlite3_stmt *stmt, int col, char *out, size_t size);

/* Binds text (NULL binds SQL NULL) without copying it: text must stay
 * valid until the statement is reset. */
void store_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* The result of stepping a one-row lookup: a row is STORE_OK, none is
 * STORE_NOT_FOUND, anything else as store_result_of. */
enum store_result store_row_result(int rc);

/* Maps a SQLite result code to a store result, logging unexpected ones. */
enum store_result store_result_of(int rc);

/* Schema DDL of each area, run in order at open. */
extern const char store_schema_tokens[];
extern const char store_schema_companies[];
extern const char store_schema_sso[];
extern const char store_schema_tenantpro[];
extern const char store_schema_customers[];

#endif
