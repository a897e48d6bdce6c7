/*
 * log.c - text or JSON log lines. Stamps use real time: a log is read by
 * people against their own watch, not against the mock clock.
 */
#include "log.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"

static bool log_json = false;
static enum log_level log_min = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_configure(bool json, enum log_level min_level)
{
    log_json = json;
    log_min = min_level;
}

static void stamp(char out[32])
{
    int64_t ms = clock_real_ms();
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    char whole[24];
    strftime(whole, sizeof whole, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%.19s.%03uZ", whole, (unsigned)(ms % 1000));
}

__attribute__((format(printf, 3, 0))) static void emit(FILE *out, enum log_level level,
                                                       const char *fmt, va_list ap)
{
    char text[1024], when[32];
    vsnprintf(text, sizeof text, fmt, ap);
    stamp(when);
    if (!log_json) {
        fprintf(out, "%s %s %s\n", when, level_names[level], text);
    } else {
        cJSON *line = cJSON_CreateObject();
        cJSON_AddStringToObject(line, "time", when);
        cJSON_AddStringToObject(line, "level", level_names[level]);
        cJSON_AddStringToObject(line, "msg", text);
        char *printed = cJSON_PrintUnformatted(line);
        if (printed)
            fprintf(out, "%s\n", printed);
        free(printed);
        cJSON_Delete(line);
    }
    fflush(out);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level < log_min)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(stderr, level, fmt, ap);
    va_end(ap);
}

void log_ready(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(stdout, LOG_INFO, fmt, ap);
    va_end(ap);
}
