/*
 * config.h - every setting of the mock, from flags, SOBOT_MOCK_* environment
 * variables and defaults, in that order of precedence.
 *
 * The option table in config.c is the one list: --help, parsing and the
 * environment names all come from it. A new setting is a new field here and
 * one row there.
 */
#ifndef SOBOT_CONFIG_H
#define SOBOT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

struct config {
    /* listeners */
    char *listen;     /* address, default 127.0.0.1 */
    int port;         /* HTTP port; 0 = any free port */
    char *https_port; /* "8443", "0" or "off" */
    char *tls_cert;   /* PEM files; absent = a self-signed one is made */
    char *tls_key;
    char *tls_cert_out; /* where to write the certificate in use */
    char *port_file;
    int threads; /* worker threads; 0 = number of cores */
    /* request limits */
    int max_body;    /* bytes */
    int max_headers; /* bytes */
    int timeout_s;   /* read/write timeout of a connection */
    /* state */
    char *fixtures; /* JSON file; absent = the built-in defaults */
    char *db;       /* SQLite file; absent = in memory */
    /* vendor rules */
    int token_life_s;
    bool keep_old_tokens;
    int sso_link_life_s;
    bool sso_reusable_links;
    char *sso_secret;    /* HMAC key of SSO link JWTs; absent = random per start */
    char *report_sign;   /* formula of the tenantpro report/batch sign */
    int chat_rate_limit; /* chatIndexPage calls a minute per platform */
    int64_t seed;        /* deterministic ids and fault draws */
    /* control plane */
    char *faults_file;
    bool no_header_faults;
    int journal_size;
    int journal_body_limit;
    bool strict;
    char *admin_token;
    /* logging */
    char *log_format; /* text | json */
    bool quiet;       /* no per-request log lines */
};

/* The process-wide settings, filled once by config_load before any thread
 * starts and read-only after. */
extern struct config config;

/* Result of config_load. */
enum config_result { CONFIG_OK, CONFIG_EXIT_OK, CONFIG_ERROR };

/* Fills `config` from defaults, then the environment, then argv. Prints --help
 * or --version (CONFIG_EXIT_OK) or a usage error (CONFIG_ERROR). */
enum config_result config_load(int argc, char **argv);
void config_free(void);

#endif
