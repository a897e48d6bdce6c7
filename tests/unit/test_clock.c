/* clock.c: offset, freeze, set, advance, resume, vendor-zone dates. */
#include <time.h>
#include "check.h"
#include "clock.h"

static void advance_and_set(void)
{
    clock_reset();
    int64_t before = clock_now_ms();
    clock_advance_ms(86401000);
    int64_t after = clock_now_ms();
    CHECK(after - before >= 86401000 && after - before < 86401000 + 5000);
    clock_set_ms(1569397773000LL);
    CHECK(clock_now_s() >= 1569397773 && clock_now_s() < 1569397773 + 5);
    clock_reset();
    CHECK(clock_offset_ms() == 0);
}

static void freeze_holds_time(void)
{
    clock_reset();
    clock_freeze();
    CHECK(clock_is_frozen());
    int64_t a = clock_now_ms();
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    CHECK(clock_now_ms() == a);
    clock_advance_ms(1000);
    CHECK(clock_now_ms() == a + 1000);
    clock_set_ms(5000);
    CHECK(clock_now_ms() == 5000);
    clock_resume();
    CHECK(!clock_is_frozen());
    /* Resuming continues from the frozen instant, not from real time. */
    CHECK(clock_now_ms() >= 5000 && clock_now_ms() < 10000);
    clock_reset();
}

static void vendor_dates(void)
{
    char datetime[20], date[11];
    /* 2019-09-25 15:49:33 in UTC+8 is the docs' example create_time. */
    clock_format_datetime(1569397773, datetime);
    CHECK_STR(datetime, "2019-09-25 15:49:33");
    clock_format_date(1569397773, date);
    CHECK_STR(date, "2019-09-25");
    int64_t s;
    CHECK(clock_parse_date("2019-09-25", &s));
    CHECK(s == 1569340800);
    CHECK(clock_parse_date("2020-02-29", &s));
    CHECK(!clock_parse_date("2019-02-29", &s));
    CHECK(!clock_parse_date("2019-13-01", &s));
    CHECK(!clock_parse_date("2019-09-25x", &s));
    CHECK(!clock_parse_date("", &s));
    CHECK(!clock_parse_date(NULL, &s));
}

int main(void)
{
    advance_and_set();
    freeze_holds_time();
    vendor_dates();
    return check_summary();
}
