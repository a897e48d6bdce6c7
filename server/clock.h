/*
 * clock.h - the one mock clock.
 *
 * Every time the mock reasons about (token life, link life, rate windows,
 * report dates) comes from here, so tests can freeze, set and advance it.
 * The clock is real time plus an offset, or a frozen instant. No other module
 * calls time(), gettimeofday() or clock_gettime().
 */
#ifndef SOBOT_CLOCK_H
#define SOBOT_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Mock time, milliseconds and seconds since the epoch. */
int64_t clock_now_ms(void);
int64_t clock_now_s(void);

/* Real wall time in milliseconds (for the journal's "real" stamp only). */
int64_t clock_real_ms(void);

/* Monotonic nanoseconds, for latencies and delays; unaffected by the mock. */
uint64_t clock_mono_ns(void);

/* Control: set the mock time, move it, stop it, let it run again. */
void clock_set_ms(int64_t epoch_ms);
void clock_advance_ms(int64_t delta_ms);
void clock_freeze(void);
void clock_resume(void);
bool clock_is_frozen(void);
int64_t clock_offset_ms(void);

/* Back to real time, running. */
void clock_reset(void);

/* Formats mock or given epoch seconds as "YYYY-MM-DD HH:MM:SS" in the mock's
 * zone (UTC+8, the vendor's). out must hold 20 bytes. */
void clock_format_datetime(int64_t epoch_s, char out[20]);
/* "YYYY-MM-DD", out must hold 11 bytes. */
void clock_format_date(int64_t epoch_s, char out[11]);
/* Parses "YYYY-MM-DD" in the vendor's zone; false on a malformed date. */
bool clock_parse_date(const char *text, int64_t *epoch_s);

#endif
