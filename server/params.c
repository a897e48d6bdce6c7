/*
 * params.c - query string, urlencoded form and JSON body into one list.
 *
 * Order of reading: query first, then the body; a body value replaces a query
 * value of the same name. Lookups are a linear scan: requests carry a handful
 * of parameters and a scan of a few cache lines beats hashing them.
 */
#include "params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool params_all_digits(const char *text)
{
    if (!text || !*text)
        return false;
    for (const char *p = text; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *params_url_decode(const char *text, size_t len, bool plus_is_space)
{
    char *out = malloc(len + 1);
    size_t n = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c != '%') {
            out[n++] = (plus_is_space && c == '+') ? ' ' : c;
            continue;
        }
        int hi = i + 1 < len ? hex_value(text[i + 1]) : -1;
        int lo = i + 2 < len ? hex_value(text[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[n++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[n] = '\0';
    return out;
}

static void set_error(struct params *p, enum params_status status, const char *msg)
{
    if (p->status != PARAMS_OK)
        return;
    p->status = status;
    snprintf(p->error, sizeof p->error, "%s", msg);
}

static struct param *slot_for(struct params *p, const char *name)
{
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->items[i].name, name))
            return &p->items[i];
    if (p->count >= PARAMS_MAX) {
        set_error(p, PARAMS_TOO_MANY, "more than 256 parameters");
        return NULL;
    }
    struct param *item = &p->items[p->count++];
    memset(item, 0, sizeof *item);
    return item;
}

/* Takes ownership of name and value. */
static void put(struct params *p, char *name, char *value, enum param_source source,
                enum param_type type)
{
    struct param *item = slot_for(p, name);
    if (!item) {
        free(name);
        free(value);
        return;
    }
    if (item->name) {
        free(name);
        free(item->value);
    } else {
        item->name = name;
    }
    item->value = value;
    item->source = source;
    item->type = type;
}

static void parse_pairs(struct params *p, const char *text, size_t len, enum param_source source)
{
    size_t start = 0;
    while (start < len) {
        size_t end = start;
        while (end < len && text[end] != '&')
            end++;
        const char *pair = text + start;
        size_t pair_len = end - start;
        const char *eq = memchr(pair, '=', pair_len);
        size_t name_len = eq ? (size_t)(eq - pair) : pair_len;
        if (name_len > PARAMS_NAME_MAX) {
            set_error(p, PARAMS_BAD_ENCODING, "a parameter name is longer than 256 bytes");
            return;
        }
        if (name_len > 0) {
            char *name = params_url_decode(pair, name_len, true);
            char *value =
                eq ? params_url_decode(eq + 1, pair_len - name_len - 1, true) : strdup("");
            if (!name || !value) {
                free(name);
                free(value);
                set_error(p, PARAMS_BAD_ENCODING, "a broken %-escape");
                return;
            }
            put(p, name, value, source, PTYPE_STRING);
        }
        start = end + 1;
    }
}

/* JSON numbers keep their integral text: ms timestamps must not turn 1e12. */
static char *number_text(double v)
{
    char buf[64];
    if (isfinite(v) && v == floor(v) && fabs(v) < 9.007199254740992e15)
        snprintf(buf, sizeof buf, "%.0f", v);
    else
        snprintf(buf, sizeof buf, "%.17g", v);
    return strdup(buf);
}

static void put_json_member(struct params *p, const cJSON *item)
{
    if (!item->string || strlen(item->string) > PARAMS_NAME_MAX)
        return;
    enum param_type type;
    char *value;
    if (cJSON_IsString(item)) {
        type = PTYPE_STRING;
        value = strdup(item->valuestring);
    } else if (cJSON_IsNumber(item)) {
        type = PTYPE_NUMBER;
        value = number_text(item->valuedouble);
    } else if (cJSON_IsBool(item)) {
        type = PTYPE_BOOL;
        value = strdup(cJSON_IsTrue(item) ? "true" : "false");
    } else if (cJSON_IsNull(item)) {
        type = PTYPE_NULL;
        value = strdup("");
    } else {
        type = cJSON_IsArray(item) ? PTYPE_ARRAY : PTYPE_OBJECT;
        value = cJSON_PrintUnformatted(item);
    }
    put(p, strdup(item->string), value, PARAM_JSON, type);
}

static void parse_json(struct params *p, const char *body, size_t len)
{
    p->json = cJSON_ParseWithLength(body, len);
    if (!p->json) {
        set_error(p, PARAMS_BAD_JSON, "the body is not valid JSON");
        return;
    }
    if (!cJSON_IsObject(p->json)) {
        set_error(p, PARAMS_NOT_OBJECT, "the JSON body is not an object");
        return;
    }
    for (const cJSON *item = p->json->child; item; item = item->next)
        put_json_member(p, item);
}

static bool blank(const char *body, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r' && body[i] != '\n')
            return false;
    return true;
}

static bool type_is(const char *content_type, const char *want)
{
    return content_type && !strncasecmp(content_type, want, strlen(want));
}

void params_parse(struct params *p, const char *query, const char *body, size_t body_len,
                  const char *content_type)
{
    p->count = 0;
    p->json = NULL;
    p->status = PARAMS_OK;
    p->error[0] = '\0';
    if (query)
        parse_pairs(p, query, strlen(query), PARAM_QUERY);
    if (!body || blank(body, body_len))
        return;
    size_t skip = 0;
    while (skip < body_len &&
           (body[skip] == ' ' || body[skip] == '\n' || body[skip] == '\r' || body[skip] == '\t'))
        skip++;
    bool declared_form = type_is(content_type, "application/x-www-form-urlencoded");
    bool json = !declared_form && (type_is(content_type, "application/json") || body[skip] == '{' ||
                                   body[skip] == '[');
    if (json)
        parse_json(p, body, body_len);
    else if (declared_form || memchr(body, '=', body_len))
        parse_pairs(p, body, body_len, PARAM_FORM);
}

void params_free(struct params *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->items[i].name);
        free(p->items[i].value);
    }
    p->count = 0;
    cJSON_Delete(p->json);
    p->json = NULL;
}

const struct param *params_find(const struct params *p, const char *name)
{
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->items[i].name, name))
            return &p->items[i];
    return NULL;
}

const char *params_get(const struct params *p, const char *name)
{
    const struct param *item = params_find(p, name);
    return item ? item->value : NULL;
}

bool params_has(const struct params *p, const char *name)
{
    const char *v = params_get(p, name);
    return v && *v;
}
