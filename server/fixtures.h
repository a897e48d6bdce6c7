/*
 * fixtures.h - JSON fixtures into the store, and reset.
 *
 * A fixtures file is one JSON object whose sections each belong to a product
 * area ("apps", ...). Each section has a loader; fixtures.c lists them. The
 * default fixtures (fixtures/default.json) are compiled into the binary.
 */
#ifndef SOBOT_FIXTURES_H
#define SOBOT_FIXTURES_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/* Loads one section's array/object into the store. On failure writes a
 * message naming the offending entry into err and returns false. */
typedef bool (*fixtures_section_loader)(const cJSON *section, char *err, size_t err_size);

/* Replaces the store's state with a fixtures file (path NULL = the built-in
 * defaults), remembering the source for fixtures_reset. All or nothing: on
 * failure the store keeps the state it had. */
bool fixtures_load(const char *path, char *err, size_t err_size);

/* Replaces the store's state with the remembered fixtures, read again;
 * all or nothing, as fixtures_load. */
bool fixtures_reset(char *err, size_t err_size);

/* Forgets the remembered source (at exit). */
void fixtures_free(void);

/* Reads one agent object (email required; nick, name, phone, role_id,
 * password, max_accept, status, created, agent_id optional) for the agents
 * section and for areas that nest agents under their companies.
 * company_id, when not NULL, is the default owner. */
bool fixtures_agent_from_json(const cJSON *entry, const char *company_id, struct store_agent *agent,
                              char *err, size_t err_size);

/* The "platforms" section: tenantpro platforms and their tenants
 * (fixtures_platforms.c). */
bool fixtures_load_platforms(const cJSON *section, char *err, size_t err_size);

/* The "customers" section: CRM customers (fixtures_customers.c). */
bool fixtures_load_customers(const cJSON *section, char *err, size_t err_size);

/* Small helpers for loaders: a string member or "" / a fallback. */
const char *fixtures_string(const cJSON *obj, const char *name, const char *fallback);
double fixtures_number(const cJSON *obj, const char *name, double fallback);

#endif
