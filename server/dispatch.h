/*
 * dispatch.h - one request through the pipeline: params, route, admin
 * guard, auth, handler. Knows nothing of sockets: httpd.c fills a struct
 * request, calls dispatch, and writes the struct reply it gets back.
 */
#ifndef SOBOT_DISPATCH_H
#define SOBOT_DISPATCH_H

#include "reply.h"
#include "request.h"

/* Handles rq and fills rp (initialised by the caller with reply_init).
 * Frees rq's parsed params before returning. */
void dispatch(struct request *rq, struct reply *rp);

/* Folds doubled slashes ("//api/get_token" → "/api/get_token") and decodes
 * %XX in a raw path, writing at most size-1 bytes. False on a broken escape. */
bool dispatch_normalize_path(const char *raw, size_t raw_len, char *out, size_t size);

#endif
