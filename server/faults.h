/*
 * faults.h - fault rules: match, probability, count, action.
 *
 * A rule says which requests it hits (route or path, method, appid,
 * unionCode, a header), when it fires (probability from a seeded generator,
 * skip the first N matches, at most M times) and what it does instead of or
 * on top of the normal reply. The same action vocabulary serves one-off
 * faults sent in the X-Sobot-Mock-Fault request header.
 *
 * dispatch.c asks faults_pick for the fault of a vendor request, then applies
 * it in two steps around the handler (faults_before, faults_after). Faults
 * never touch the control plane's own routes.
 */
#ifndef SOBOT_FAULTS_H
#define SOBOT_FAULTS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reply.h"
#include "request.h"

#define FAULTS_MAX_RULES 256
#define FAULT_BODY_MAX 4096

enum fault_type {
    FAULT_ERROR,         /* a vendor error reply in the route's envelope */
    FAULT_HTTP,          /* an HTTP status with a body */
    FAULT_DELAY,         /* wait, then the normal reply */
    FAULT_RESET,         /* RST, no answer */
    FAULT_EMPTY,         /* close without answering */
    FAULT_MALFORMED,     /* the normal reply, its body cut or corrupted */
    FAULT_DRIBBLE,       /* the normal reply in chunks over a time */
    FAULT_EXPIRE_TOKEN,  /* the caller's token expires just before the check */
    FAULT_REPLACE_TOKEN, /* the caller's token is replaced just before the check */
    FAULT_TYPE_COUNT,
};

enum fault_delay { DELAY_FIXED, DELAY_UNIFORM, DELAY_LOGNORMAL };

struct fault_action {
    enum fault_type type;
    char code[16];     /* error */
    char message[256]; /* error; "" = the vendor's text for the code */
    int status;        /* http */
    char body[FAULT_BODY_MAX];
    char content_type[64];
    enum fault_delay distribution; /* delay */
    int ms, min_ms, max_ms, median_ms, cap_ms;
    double sigma;
    int chunks, total_ms; /* dribble */
    bool corrupt;         /* malformed: corrupt rather than cut */
};

struct fault_match {
    char route[64]; /* route name, e.g. "get_token" */
    char path[256]; /* exact path, or a prefix ending in '*' */
    char method[8];
    char appid[64];
    char union_code[64];
    char header_name[64];
    char header_value[256]; /* "" = the header's presence is enough */
};

struct fault_rule {
    int id;
    struct fault_match match;
    struct fault_action action;
    double probability; /* 0-1 */
    int skip;           /* matches let through before it may fire */
    int times;          /* fires at most this often; 0 = no limit */
    char comment[128];
    /* Running state, under the engine's lock. */
    int matched;
    int fired;
    uint64_t rng;
};

/* What dispatch applies to one request. */
struct fault_plan {
    bool active;
    struct fault_action action;
    int delay_ms;   /* drawn once, for delay */
    char what[128]; /* "rule 3: error 900002", for rp->fault */
};

/* Seeds the generator from config.seed and empties the rules. */
void faults_init(void);

/* Loads rules from a JSON file: an array of rules, or {"faults":[...]}.
 * All or nothing: on error nothing is added and err says what is wrong. */
bool faults_load_file(const char *path, char *err, size_t err_size);

/* Reads a rule from its JSON shape; every unknown field is an error. */
bool faults_rule_parse(const cJSON *obj, struct fault_rule *out, char *err, size_t err_size);
/* Adds a parsed rule, assigning its id (written back into *rule); false
 * when the table is full. */
bool faults_add(struct fault_rule *rule);
bool faults_delete(int id);
/* Removes every rule; returns how many there were. */
int faults_clear(void);
/* A rule in its JSON shape with its counters (caller frees). */
cJSON *faults_rule_json(const struct fault_rule *rule);
/* {"faults":[...]} in id order (caller frees). */
cJSON *faults_list_json(void);

/* Reads the X-Sobot-Mock-Fault header syntax ("type=delay;ms=300"). */
bool faults_header_parse(const char *text, struct fault_action *out, char *err, size_t err_size);

/* Finds the fault for a vendor request: the first rule that matches and
 * fires, else the request's fault header. False when none applies; a broken
 * header is reported in rp's diagnostic and ignored. */
bool faults_pick(struct request *rq, struct reply *rp, struct fault_plan *plan);

/* Applies the part of a fault that comes before auth and the handler. True
 * when the fault answered the request itself (the handler must not run). */
bool faults_before(struct request *rq, struct reply *rp, const struct fault_plan *plan);

/* Applies the part after the handler (malformed bodies). */
void faults_after(struct reply *rp, const struct fault_plan *plan);

const char *faults_type_name(enum fault_type type);

/* How many faults of each type were injected since start. */
uint64_t faults_injected(enum fault_type type);

#endif
