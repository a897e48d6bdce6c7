/*
 * log.h - the only module that writes to stdout/stderr.
 *
 * Text ("2026-11-23T10:00:00Z info message") or one JSON object per line.
 * The ready line goes to stdout so scripts can wait for it; the rest to stderr.
 */
#ifndef SOBOT_LOG_H
#define SOBOT_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_configure(bool json, enum log_level min_level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The one line on stdout that says the mock is ready. */
void log_ready(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
