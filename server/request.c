/*
 * request.c - lookups over the plain request view.
 */
#include "request.h"

#include <strings.h>

const char *request_header(const struct request *rq, const char *name)
{
    for (size_t i = 0; i < rq->header_count; i++)
        if (!strcasecmp(rq->headers[i].name, name))
            return rq->headers[i].value;
    return NULL;
}

const char *request_param(const struct request *rq, const char *name)
{
    return params_get(&rq->params, name);
}
