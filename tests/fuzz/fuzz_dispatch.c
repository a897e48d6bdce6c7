/*
 * fuzz_dispatch.c - libFuzzer target: any bytes, read as one HTTP request,
 * through the whole pipeline (params, route, faults, auth, handler, journal)
 * against a real in-memory store with the default fixtures.
 *
 * Input: a first line "METHOD TARGET", header lines "Name: value", an empty
 * line, then the body. The external token tester is left out: it makes
 * outbound connections. Whatever the bytes, dispatch must answer without a
 * crash, a leak or undefined behaviour (the sanitizers watch).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "dispatch.h"
#include "faults.h"
#include "fixtures.h"
#include "journal.h"
#include "log.h"
#include "store/store.h"

static void setup_once(void)
{
    static int ready = 0;
    if (ready)
        return;
    char *argv[] = {"fuzz", "--quiet", "--journal-size", "64"};
    if (config_load(4, argv) != CONFIG_OK || !store_open(NULL))
        abort();
    char err[256];
    log_configure(false, LOG_ERROR);
    if (!fixtures_load(NULL, err, sizeof err) || !journal_init(64, 256))
        abort();
    faults_init();
    clock_freeze();
    ready = 1;
}

/* Splits off one line (without its CR/LF); NULL at the end of the input. */
static char *next_line(char **cursor, char *end)
{
    if (*cursor >= end)
        return NULL;
    char *line = *cursor;
    char *nl = memchr(line, '\n', (size_t)(end - line));
    char *stop = nl ? nl : end;
    *cursor = nl ? nl + 1 : end;
    if (stop > line && stop[-1] == '\r')
        stop--;
    *stop = '\0';
    return line;
}

static void read_request(char *text, char *end, struct request *rq, char *path, size_t path_size)
{
    char *cursor = text;
    char *first = next_line(&cursor, end);
    char *space = first ? strchr(first, ' ') : NULL;
    rq->method = first && space ? (*space = '\0', first) : "GET";
    char *target = space ? space + 1 : "/";
    char *q = strchr(target, '?');
    rq->query = q ? (*q = '\0', q + 1) : "";
    if (!dispatch_normalize_path(target, strlen(target), path, path_size))
        snprintf(path, path_size, "/");
    rq->path = path;
    char *line;
    while ((line = next_line(&cursor, end)) && *line && rq->header_count < REQUEST_MAX_HEADERS) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        rq->headers[rq->header_count].name = line;
        rq->headers[rq->header_count].value = colon[1] == ' ' ? colon + 2 : colon + 1;
        rq->header_count++;
    }
    rq->body = cursor < end ? cursor : NULL;
    rq->body_len = cursor < end ? (size_t)(end - cursor) : 0;
    rq->content_type = request_header(rq, "Content-Type");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup_once();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct request *rq = calloc(1, sizeof *rq);
    struct reply rp;
    char path[4096];
    reply_init(&rp);
    read_request(text, text + size, rq, path, sizeof path);
    /* The external token tester calls whatever URL it is given: a fuzzer
     * must never make it reach beyond this process. */
    if (!strncmp(path, "/__admin/apimanage", 18)) {
        reply_free(&rp);
        free(rq);
        free(text);
        return 0;
    }
    rq->scheme = "http";
    rq->host = "127.0.0.1:8080";
    rq->remote = "127.0.0.1:1";
    dispatch(rq, &rp);
    reply_free(&rp);
    free(rq);
    free(text);
    return 0;
}
