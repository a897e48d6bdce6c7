/*
 * journal.h - the request journal: a bounded ring of what clients sent and
 * what the mock answered, and the queries tests verify against.
 *
 * Capacity (--journal-size) and the body kept per entry
 * (--journal-body-limit) bound its memory whatever the load; the oldest
 * entries make room for new ones. Control-plane requests are not recorded,
 * so a test's own /__admin/ calls never show up in its counts.
 */
#ifndef SOBOT_JOURNAL_H
#define SOBOT_JOURNAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reply.h"
#include "request.h"

/* What a query keeps; empty strings and zeros mean "any". */
struct journal_filter {
    char route[64];
    char path[256];
    char method[8];
    char appid[64];
    char code[16];     /* vendor code */
    int status;        /* HTTP status */
    uint64_t since_id; /* entries with a larger id */
    int64_t since_ms;  /* entries at or after this mock time */
    bool unmatched;    /* only requests no route took */
    int limit;         /* the newest `limit` matches; 0 = all */
};

/* Sizes the ring; call once before the workers start. False on no memory. */
bool journal_init(int capacity, int body_limit);
void journal_free(void);

/* Records one finished request. O(1): one atomic increment and a short lock
 * on the one slot written. */
void journal_record(const struct request *rq, const struct reply *rp);

/* Hides every entry recorded so far. */
void journal_clear(void);

/* {"requests":[...]} of the matches, newest last (caller frees). */
cJSON *journal_query(const struct journal_filter *f);
/* How many entries match. */
size_t journal_count(const struct journal_filter *f);

/* Entries the ring holds now (at most its capacity) and recorded in total. */
size_t journal_size(void);
uint64_t journal_total(void);

#endif
