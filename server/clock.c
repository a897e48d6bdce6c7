/*
 * clock.c - the mock clock: real time plus an offset, or frozen.
 *
 * State is two atomics so that every worker thread reads the clock without a
 * lock. "frozen_at" holds the frozen instant, or NOT_FROZEN while running.
 * The vendor is in China, so dates the API shows (report days, createTime
 * "2018-08-29") are rendered in UTC+8 whatever the host's zone is.
 */
#include "clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define NOT_FROZEN INT64_MIN
#define VENDOR_ZONE_S (8LL * 3600)

static _Atomic int64_t offset_ms = 0;
static _Atomic int64_t frozen_at = NOT_FROZEN;

int64_t clock_real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int64_t clock_now_ms(void)
{
    int64_t frozen = atomic_load(&frozen_at);
    if (frozen != NOT_FROZEN)
        return frozen;
    return clock_real_ms() + atomic_load(&offset_ms);
}

int64_t clock_now_s(void)
{
    int64_t ms = clock_now_ms();
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

void clock_set_ms(int64_t epoch_ms)
{
    if (atomic_load(&frozen_at) != NOT_FROZEN)
        atomic_store(&frozen_at, epoch_ms);
    else
        atomic_store(&offset_ms, epoch_ms - clock_real_ms());
}

void clock_advance_ms(int64_t delta_ms)
{
    if (atomic_load(&frozen_at) != NOT_FROZEN)
        atomic_fetch_add(&frozen_at, delta_ms);
    else
        atomic_fetch_add(&offset_ms, delta_ms);
}

void clock_freeze(void)
{
    int64_t now = clock_now_ms();
    int64_t expected = NOT_FROZEN;
    atomic_compare_exchange_strong(&frozen_at, &expected, now);
}

void clock_resume(void)
{
    int64_t frozen = atomic_exchange(&frozen_at, NOT_FROZEN);
    if (frozen != NOT_FROZEN)
        atomic_store(&offset_ms, frozen - clock_real_ms());
}

bool clock_is_frozen(void)
{
    return atomic_load(&frozen_at) != NOT_FROZEN;
}

int64_t clock_offset_ms(void)
{
    int64_t frozen = atomic_load(&frozen_at);
    if (frozen != NOT_FROZEN)
        return frozen - clock_real_ms();
    return atomic_load(&offset_ms);
}

void clock_reset(void)
{
    atomic_store(&frozen_at, NOT_FROZEN);
    atomic_store(&offset_ms, 0);
}

/* Years past 9999 would not fit the fixed-width formats; clamp there. */
static void vendor_tm(int64_t epoch_s, struct tm *tm)
{
    if (epoch_s > 253402300799LL)
        epoch_s = 253402300799LL;
    if (epoch_s < -VENDOR_ZONE_S)
        epoch_s = -VENDOR_ZONE_S;
    time_t shifted = (time_t)(epoch_s + VENDOR_ZONE_S);
    gmtime_r(&shifted, tm);
}

void clock_format_datetime(int64_t epoch_s, char out[20])
{
    struct tm tm;
    vendor_tm(epoch_s, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

void clock_format_date(int64_t epoch_s, char out[11])
{
    struct tm tm;
    vendor_tm(epoch_s, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool clock_parse_date(const char *text, int64_t *epoch_s)
{
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    char tail;
    if (!text || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    if (d > month_days[m - 1] + (m == 2 && is_leap(y)))
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    *epoch_s = (int64_t)timegm(&tm) - VENDOR_ZONE_S;
    return true;
}
