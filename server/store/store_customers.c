/*
 * store/store_customers.c - CRM customers for the internal customer-query
 * API (api/customer.c).
 *
 * One row per customer, one column per vendor field (named as the vendor
 * names it), plus the company that owns the customer, its custom fields as a
 * JSON object text, and `seq`, the fixture order, so that when several
 * customers match a query the answer is always the same one.
 *
 * This file must never decide what a reply looks like: it stores text and
 * finds rows.
 */
#include "store/store_internal.h"

#include <string.h>

/* The field columns in enum store_customer_field order; insert and select
 * both list them through this one macro so they cannot drift apart. */
#define CUSTOMER_COLUMNS                                                                           \
    "id, tel, email, partner_id, wx_unionid, wx_external_userid, wx_openid, faceBookid, "          \
    "instagramid, whatsappid, lineid, telegramid, discordid, visitorids, nick, uname, sexName, "   \
    "countryName, provice_name, city_name, remark, userStatusName, isVip, vipLevel, "              \
    "vipLeveName, isblack, enterprise_name, sourceName, liableServiceName, userLabel, "            \
    "userLableName"

const char *const store_customer_field_names[STORE_CUSTOMER_FIELD_COUNT] = {
    "id",
    "tel",
    "email",
    "partner_id",
    "wx_unionid",
    "wx_external_userid",
    "wx_openid",
    "faceBookid",
    "instagramid",
    "whatsappid",
    "lineid",
    "telegramid",
    "discordid",
    "visitorids",
    "nick",
    "uname",
    "sexName",
    "countryName",
    "provice_name",
    "city_name",
    "remark",
    "userStatusName",
    "isVip",
    "vipLevel",
    "vipLeveName",
    "isblack",
    "enterprise_name",
    "sourceName",
    "liableServiceName",
    "userLabel",
    "userLableName",
};

const char store_schema_customers[] =
    "CREATE TABLE IF NOT EXISTS customers ("
    "  seq INTEGER PRIMARY KEY,"
    "  company_id TEXT NOT NULL,"
    "  id TEXT NOT NULL,"
    "  tel TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',"
    "  partner_id TEXT NOT NULL DEFAULT '', wx_unionid TEXT NOT NULL DEFAULT '',"
    "  wx_external_userid TEXT NOT NULL DEFAULT '', wx_openid TEXT NOT NULL DEFAULT '',"
    "  faceBookid TEXT NOT NULL DEFAULT '', instagramid TEXT NOT NULL DEFAULT '',"
    "  whatsappid TEXT NOT NULL DEFAULT '', lineid TEXT NOT NULL DEFAULT '',"
    "  telegramid TEXT NOT NULL DEFAULT '', discordid TEXT NOT NULL DEFAULT '',"
    "  visitorids TEXT NOT NULL DEFAULT '', nick TEXT NOT NULL DEFAULT '',"
    "  uname TEXT NOT NULL DEFAULT '', sexName TEXT NOT NULL DEFAULT '',"
    "  countryName TEXT NOT NULL DEFAULT '', provice_name TEXT NOT NULL DEFAULT '',"
    "  city_name TEXT NOT NULL DEFAULT '', remark TEXT NOT NULL DEFAULT '',"
    "  userStatusName TEXT NOT NULL DEFAULT '', isVip TEXT NOT NULL DEFAULT '',"
    "  vipLevel TEXT NOT NULL DEFAULT '', vipLeveName TEXT NOT NULL DEFAULT '',"
    "  isblack TEXT NOT NULL DEFAULT '', enterprise_name TEXT NOT NULL DEFAULT '',"
    "  sourceName TEXT NOT NULL DEFAULT '', liableServiceName TEXT NOT NULL DEFAULT '',"
    "  userLabel TEXT NOT NULL DEFAULT '', userLableName TEXT NOT NULL DEFAULT '',"
    "  custom_fields TEXT NOT NULL DEFAULT '{}',"
    "  UNIQUE(company_id, id));"
    "CREATE INDEX IF NOT EXISTS customers_by_tel ON customers(company_id, tel);"
    "CREATE INDEX IF NOT EXISTS customers_by_email ON customers(company_id, email COLLATE NOCASE);";

enum store_result store_customer_insert(const struct store_customer *customer)
{
    static const char sql[] =
        "INSERT INTO customers(company_id, custom_fields, " CUSTOMER_COLUMNS ") VALUES(?1, ?2, "
        "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
        "?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)";
    sqlite3_stmt *stmt = store_stmt(sql);
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, customer->company_id);
    store_bind_text(stmt, 2, customer->custom_fields[0] ? customer->custom_fields : "{}");
    for (int i = 0; i < STORE_CUSTOMER_FIELD_COUNT; i++)
        store_bind_text(stmt, 3 + i, customer->fields[i]);
    return store_exec_stmt(stmt);
}

/* NULL and "" both mean "not constrained". */
static void bind_optional(sqlite3_stmt *stmt, int index, const char *text)
{
    store_bind_text(stmt, index, text && *text ? text : NULL);
}

/* Every criterion, each optional; the statements below differ only in the
 * one they lead with, so that SQLite searches that criterion's index (rows
 * with equal keys come in seq order there: no sort) instead of walking all
 * of the company's customers and sorting them. */
#define CUSTOMER_SELECT "SELECT company_id, custom_fields, " CUSTOMER_COLUMNS " FROM customers "
#define CUSTOMER_ALL_CRITERIA                                                                      \
    "AND (?2 IS NULL OR id=?2) AND (?3 IS NULL OR tel=?3) "                                        \
    "AND (?4 IS NULL OR email=?4 COLLATE NOCASE) "                                                 \
    "AND (?5 IS NULL OR ?5 IN (partner_id, wx_unionid, wx_openid, wx_external_userid, "            \
    "whatsappid, faceBookid, instagramid, lineid, telegramid, discordid)) "                        \
    "ORDER BY seq LIMIT 1"

static const char *find_sql(const struct store_customer_query *query)
{
    static const char by_id[] =
        CUSTOMER_SELECT "WHERE company_id=?1 AND id=?2 " CUSTOMER_ALL_CRITERIA;
    static const char by_tel[] =
        CUSTOMER_SELECT "WHERE company_id=?1 AND tel=?3 " CUSTOMER_ALL_CRITERIA;
    static const char by_email[] =
        CUSTOMER_SELECT "WHERE company_id=?1 AND email=?4 COLLATE NOCASE " CUSTOMER_ALL_CRITERIA;
    static const char by_company[] = CUSTOMER_SELECT "WHERE company_id=?1 " CUSTOMER_ALL_CRITERIA;
    if (query->id && *query->id)
        return by_id;
    if (query->tel && *query->tel)
        return by_tel;
    if (query->email && *query->email)
        return by_email;
    return by_company;
}

enum store_result store_customer_find(const struct store_customer_query *query,
                                      struct store_customer *out)
{
    sqlite3_stmt *stmt = store_stmt(find_sql(query));
    if (!stmt)
        return STORE_ERROR;
    store_bind_text(stmt, 1, query->company_id);
    bind_optional(stmt, 2, query->id);
    bind_optional(stmt, 3, query->tel);
    bind_optional(stmt, 4, query->email);
    bind_optional(stmt, 5, query->third_account_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        store_column_text(stmt, 0, out->company_id, sizeof out->company_id);
        store_column_text(stmt, 1, out->custom_fields, sizeof out->custom_fields);
        for (int i = 0; i < STORE_CUSTOMER_FIELD_COUNT; i++)
            store_column_text(stmt, 2 + i, out->fields[i], sizeof out->fields[i]);
    }
    sqlite3_reset(stmt);
    return store_row_result(rc);
}
