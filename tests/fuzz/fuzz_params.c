/*
 * fuzz_params.c - libFuzzer target: the params view over any query, body and
 * content type. The first byte picks the content type, the input is split
 * at the first NUL into query and body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {NULL, "application/json",
                                        "application/x-www-form-urlencoded", "text/plain"};
    if (size < 1)
        return 0;
    const char *type = types[data[0] % 4];
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    size_t query_len = strlen(text);
    const char *body = query_len + 1 < size ? text + query_len + 1 : NULL;
    size_t body_len = body ? size - 1 - query_len - 1 : 0;
    struct params *p = malloc(sizeof *p);
    if (p) {
        params_parse(p, text, body, body_len, type);
        for (size_t i = 0; i < p->count; i++)
            (void)params_get(p, p->items[i].name);
        params_free(p);
    }
    free(p);
    free(text);
    return 0;
}
