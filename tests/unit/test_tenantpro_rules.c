/* tenantpro pure rules: the staff-log window's four cases, sign formulas,
 * character counting and deterministic ids. */
#include "api/tenantpro.h"
#include "check.h"
#include "config.h"

#define WEEK TENANTPRO_WEEK_MS
#define NOW 1700000000000LL

static void window_both(void)
{
    int64_t from, to;
    /* Within a week: kept as sent. */
    CHECK(tenantpro_staff_window("1000", "5000", NOW, &from, &to));
    CHECK(from == 1000 && to == 5000);
    /* Exactly a week: kept. */
    CHECK(tenantpro_staff_window("1000", "604801000", NOW, &from, &to));
    CHECK(from == 1000 && to == 1000 + WEEK);
    /* Over a week: the end stays, the start moves to a week before it. */
    CHECK(tenantpro_staff_window("1000", "900000000", NOW, &from, &to));
    CHECK(to == 900000000 && from == 900000000 - WEEK);
    /* Start after end: refused. */
    CHECK(!tenantpro_staff_window("5000", "1000", NOW, &from, &to));
}

static void window_neither(void)
{
    int64_t from, to;
    CHECK(tenantpro_staff_window(NULL, NULL, NOW, &from, &to));
    CHECK(to == NOW && from == NOW - WEEK);
    CHECK(tenantpro_staff_window("", "", NOW, &from, &to));
    CHECK(to == NOW && from == NOW - WEEK);
}

static void window_one_side(void)
{
    int64_t from, to;
    CHECK(tenantpro_staff_window("1000", NULL, NOW, &from, &to));
    CHECK(from == 1000 && to == 1000 + WEEK);
    CHECK(tenantpro_staff_window(NULL, "900000000", NOW, &from, &to));
    CHECK(from == 900000000 - WEEK && to == 900000000);
    /* A start a week short of the largest timestamp: the end stops there
     * instead of overflowing past it. */
    CHECK(tenantpro_staff_window("9223372036854775807", NULL, NOW, &from, &to));
    CHECK(from == INT64_MAX && to == INT64_MAX);
    CHECK(tenantpro_staff_window("9223372036854775000", NULL, NOW, &from, &to));
    CHECK(from == 9223372036854775000LL && to == INT64_MAX);
    CHECK(!tenantpro_staff_window("9223372036854775808", NULL, NOW, &from, &to));
    CHECK(!tenantpro_staff_window("abc", NULL, NOW, &from, &to));
    CHECK(!tenantpro_staff_window(NULL, "-5", NOW, &from, &to));
    CHECK(!tenantpro_staff_window("12x", "13", NOW, &from, &to));
}

static void formulas(void)
{
    char fields[TENANTPRO_FORMULA_MAX][TENANTPRO_FIELD_MAX];
    CHECK(tenantpro_parse_formula("unionCode+ts+unionKey", fields) == 3);
    CHECK_STR(fields[0], "unionCode");
    CHECK_STR(fields[2], "unionKey");
    CHECK(tenantpro_parse_formula(" unionCode + partnerId+ts +unionKey ", fields) == 4);
    CHECK_STR(fields[1], "partnerId");
    CHECK(tenantpro_parse_formula("", fields) == 0);
    CHECK(tenantpro_parse_formula("+++", fields) == 0);
    CHECK(tenantpro_parse_formula("a+b+c+d+e+f+g+h+i", fields) == 0);
    CHECK(tenantpro_parse_formula("aVeryLongFieldNameThatDoesNotFitIn32", fields) == 0);
}

static void lengths(void)
{
    CHECK(tenantpro_utf8_length("") == 0);
    CHECK(tenantpro_utf8_length("abc") == 3);
    CHECK(tenantpro_utf8_length("青樱格格01") == 6);
}

static void ids(void)
{
    char a[SIGN_HEX_LEN + 1], b[SIGN_HEX_LEN + 1];
    config.seed = 1;
    tenantpro_make_id("company", "10004", "c-1", a);
    /* md5("1:company:10004:c-1") */
    char want[SIGN_HEX_LEN + 1];
    sign_md5_hex("1:company:10004:c-1", 19, want);
    CHECK_STR(a, want);
    config.seed = 2;
    tenantpro_make_id("company", "10004", "c-1", b);
    CHECK(strcmp(a, b) != 0);
}

int main(void)
{
    window_both();
    window_neither();
    window_one_side();
    formulas();
    lengths();
    ids();
    return check_summary();
}
