/*
 * config.c - the option table and its parser.
 *
 * Each row names a flag, its environment variable (SOBOT_MOCK_ + the flag in
 * upper case with '-' as '_'), its kind, where it lands in `struct config`,
 * its default and one line of help. Precedence: default < environment < flag.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct config config;

enum opt_kind { OPT_STR, OPT_INT, OPT_I64, OPT_BOOL };

struct option_row {
    const char *name;
    enum opt_kind kind;
    size_t offset;
    const char *fallback; /* default, as text; NULL = unset */
    const char *help;
};

#define FIELD(f) offsetof(struct config, f)

static const struct option_row options[] = {
    {"listen", OPT_STR, FIELD(listen), "127.0.0.1", "address to listen on"},
    {"port", OPT_INT, FIELD(port), "8080", "HTTP port (0 picks a free one)"},
    {"https-port", OPT_STR, FIELD(https_port), "8443",
     "HTTPS port (0 picks a free one, off disables)"},
    {"tls-cert", OPT_STR, FIELD(tls_cert), NULL,
     "PEM certificate for HTTPS (default: self-signed, made at start)"},
    {"tls-key", OPT_STR, FIELD(tls_key), NULL, "PEM private key for --tls-cert"},
    {"tls-cert-out", OPT_STR, FIELD(tls_cert_out), NULL,
     "write the HTTPS certificate in use to FILE"},
    {"port-file", OPT_STR, FIELD(port_file), NULL,
     "write the HTTP port (line 1) and HTTPS port (line 2) to FILE when ready"},
    {"threads", OPT_INT, FIELD(threads), "0", "worker threads (0: one per core)"},
    {"max-body", OPT_INT, FIELD(max_body), "1048576", "largest request body in bytes"},
    {"max-headers", OPT_INT, FIELD(max_headers), "65536", "largest request header block in bytes"},
    {"timeout", OPT_INT, FIELD(timeout_s), "30", "seconds a connection may stay silent"},
    {"fixtures", OPT_STR, FIELD(fixtures), NULL,
     "JSON fixtures file (default: the built-in fixtures/default.json)"},
    {"db", OPT_STR, FIELD(db), NULL,
     "SQLite file that keeps state across restarts (default: in memory)"},
    {"token-life", OPT_INT, FIELD(token_life_s), "86400", "seconds a get_token token lives"},
    {"keep-old-tokens", OPT_BOOL, FIELD(keep_old_tokens), "false",
     "a new token does not replace the app's previous ones"},
    {"sso-link-life", OPT_INT, FIELD(sso_link_life_s), "300",
     "seconds an SSO login link stays valid"},
    {"sso-reusable-links", OPT_BOOL, FIELD(sso_reusable_links), "false",
     "SSO login links may be opened more than once"},
    {"sso-secret", OPT_STR, FIELD(sso_secret), NULL,
     "HMAC key that signs SSO login links (default: random at each start)"},
    {"report-sign", OPT_STR, FIELD(report_sign), "unionCode+ts+unionKey",
     "fields of the tenantpro report/batch sign, joined by +"},
    {"chat-rate-limit", OPT_INT, FIELD(chat_rate_limit), "20",
     "chatIndexPage calls a minute per platform"},
    {"seed", OPT_I64, FIELD(seed), "1", "seed for generated ids and fault draws"},
    {"faults", OPT_STR, FIELD(faults_file), NULL, "JSON file of fault rules loaded at start"},
    {"no-header-faults", OPT_BOOL, FIELD(no_header_faults), "false",
     "ignore the X-Sobot-Mock-Fault request header"},
    {"journal-size", OPT_INT, FIELD(journal_size), "5000", "requests kept in the journal"},
    {"journal-body-limit", OPT_INT, FIELD(journal_body_limit), "4096",
     "bytes of each body kept in the journal"},
    {"strict", OPT_BOOL, FIELD(strict), "false", "contract warnings become vendor errors"},
    {"admin-token", OPT_STR, FIELD(admin_token), NULL,
     "require this value in X-Sobot-Mock-Admin-Token on /__admin/"},
    {"log-format", OPT_STR, FIELD(log_format), "text", "text or json"},
    {"quiet", OPT_BOOL, FIELD(quiet), "false", "no log line per request"},
};

#define N_OPTIONS (sizeof options / sizeof options[0])

static void *slot(const struct option_row *row)
{
    return (char *)&config + row->offset;
}

static bool parse_bool(const char *text, bool *out)
{
    if (!strcmp(text, "1") || !strcmp(text, "true") || !strcmp(text, "yes") || !strcmp(text, "on"))
        *out = true;
    else if (!strcmp(text, "0") || !strcmp(text, "false") || !strcmp(text, "no") ||
             !strcmp(text, "off"))
        *out = false;
    else
        return false;
    return true;
}

static bool parse_i64(const char *text, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Stores `text` into the row's field; false when it does not parse. */
static bool assign(const struct option_row *row, const char *text)
{
    long long v;
    switch (row->kind) {
    case OPT_STR: {
        char **field = slot(row);
        free(*field);
        *field = text ? strdup(text) : NULL;
        return true;
    }
    case OPT_INT:
        if (!parse_i64(text, 0, INT_MAX, &v))
            return false;
        *(int *)slot(row) = (int)v;
        return true;
    case OPT_I64:
        if (!parse_i64(text, LLONG_MIN, LLONG_MAX, &v))
            return false;
        *(int64_t *)slot(row) = v;
        return true;
    case OPT_BOOL:
        return parse_bool(text, (bool *)slot(row));
    }
    return false;
}

static void env_name(const char *flag, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "SOBOT_MOCK_");
    for (const char *p = flag; *p && n + 1 < size; p++)
        out[n++] = *p == '-' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    out[n] = '\0';
}

static void print_help(void)
{
    printf("Usage: sobot-mock [OPTION]...\n"
           "A mock of the Sobot open platform for integration tests.\n\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char env[64], flag[48];
        env_name(options[i].name, env, sizeof env);
        snprintf(flag, sizeof flag, "--%s%s", options[i].name,
                 options[i].kind == OPT_BOOL ? "" : " V");
        printf("  %-26s %s\n  %-26s   env %s%s%s\n", flag, options[i].help, "", env,
               options[i].fallback ? ", default " : "",
               options[i].fallback ? options[i].fallback : "");
    }
    printf("  %-26s %s\n  %-26s %s\n", "--help", "this text", "--version", "print the version");
}

static const struct option_row *find_option(const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strlen(options[i].name) == len && !strncmp(options[i].name, name, len))
            return &options[i];
    return NULL;
}

static bool load_defaults_and_env(void)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char env[64];
        if (options[i].fallback && !assign(&options[i], options[i].fallback))
            return false;
        env_name(options[i].name, env, sizeof env);
        const char *value = getenv(env);
        if (value && *value && !assign(&options[i], value)) {
            fprintf(stderr, "sobot-mock: bad value for %s: '%s'\n", env, value);
            return false;
        }
    }
    return true;
}

/* One argv element (and maybe its value). Returns how many it consumed, 0 on error. */
static int parse_flag(int argc, char **argv, int i)
{
    const char *arg = argv[i] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const struct option_row *row = find_option(arg, len);
    if (!row) {
        fprintf(stderr, "sobot-mock: unknown option '%s' (see --help)\n", argv[i]);
        return 0;
    }
    const char *value = eq ? eq + 1 : NULL;
    int used = 1;
    if (!value && row->kind == OPT_BOOL)
        value = "true";
    if (!value) {
        if (i + 1 >= argc) {
            fprintf(stderr, "sobot-mock: option --%s needs a value\n", row->name);
            return 0;
        }
        value = argv[i + 1];
        used = 2;
    }
    if (!assign(row, value)) {
        fprintf(stderr, "sobot-mock: bad value for --%s: '%s'\n", row->name, value);
        return 0;
    }
    return used;
}

static bool https_port_valid(const char *text)
{
    long long port;
    return !strcmp(text, "off") || parse_i64(text, 0, 65535, &port);
}

static bool validate(void)
{
    if (strcmp(config.log_format, "text") && strcmp(config.log_format, "json")) {
        fprintf(stderr, "sobot-mock: --log-format must be text or json\n");
        return false;
    }
    if (config.port > 65535 || config.token_life_s < 1 || config.journal_size < 1 ||
        config.max_body < 1 || config.max_headers < 256) {
        fprintf(stderr, "sobot-mock: a numeric option is out of range (see --help)\n");
        return false;
    }
    if (!https_port_valid(config.https_port)) {
        fprintf(stderr, "sobot-mock: --https-port must be a port number, 0 or off\n");
        return false;
    }
    if (config.sso_link_life_s < 1) {
        fprintf(stderr, "sobot-mock: --sso-link-life must be at least 1 second\n");
        return false;
    }
    if (config.sso_secret && !*config.sso_secret) {
        fprintf(stderr, "sobot-mock: --sso-secret must not be empty\n");
        return false;
    }
    if (!config.tls_cert != !config.tls_key) {
        fprintf(stderr, "sobot-mock: --tls-cert and --tls-key go together\n");
        return false;
    }
    return true;
}

enum config_result config_load(int argc, char **argv)
{
    memset(&config, 0, sizeof config);
    if (!load_defaults_and_env())
        return CONFIG_ERROR;
    for (int i = 1; i < argc;) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            print_help();
            return CONFIG_EXIT_OK;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("sobot-mock %s\n", SOBOT_MOCK_VERSION);
            return CONFIG_EXIT_OK;
        }
        if (strncmp(argv[i], "--", 2)) {
            fprintf(stderr, "sobot-mock: unexpected argument '%s' (see --help)\n", argv[i]);
            return CONFIG_ERROR;
        }
        int used = parse_flag(argc, argv, i);
        if (!used)
            return CONFIG_ERROR;
        i += used;
    }
    return validate() ? CONFIG_OK : CONFIG_ERROR;
}

void config_free(void)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (options[i].kind == OPT_STR) {
            char **field = slot(&options[i]);
            free(*field);
            *field = NULL;
        }
    }
}
