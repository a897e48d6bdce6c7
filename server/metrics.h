/*
 * metrics.h - counters of what the mock served, in Prometheus text format.
 *
 * Requests by route and status, vendor codes, faults injected, tokens live
 * and a latency histogram per route. Recording is a handful of relaxed
 * atomic increments; rendering reads them at scrape time.
 */
#ifndef SOBOT_METRICS_H
#define SOBOT_METRICS_H

#include <stddef.h>

#include "reply.h"
#include "request.h"

/* Counts one finished request. */
void metrics_record(const struct request *rq, const struct reply *rp);

/* The exposition text (malloc'd, caller frees; *len its length). NULL on no
 * memory. */
char *metrics_render(size_t *len);

#endif
