/*
 * fixtures.c - reads a fixtures file and hands each section to its loader,
 * all in one pass so a broken file fails at start, naming the entry.
 */
#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sign.h"
#include "store/store.h"

extern const unsigned char default_fixtures_json[];
extern const size_t default_fixtures_json_len;

static bool load_apps(const cJSON *section, char *err, size_t err_size);
static bool load_agents(const cJSON *section, char *err, size_t err_size);

struct section {
    const char *name;
    fixtures_section_loader load;
};

/* Every section a fixtures file may hold, loaded in this order. */
static const struct section sections[] = {
    {"apps", load_apps},
    {"agents", load_agents},
    {"platforms", fixtures_load_platforms},
    {"customers", fixtures_load_customers},
};

static char *source_path = NULL;

const char *fixtures_string(const cJSON *obj, const char *name, const char *fallback)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (cJSON_IsString(item))
        return item->valuestring;
    return fallback;
}

double fixtures_number(const cJSON *obj, const char *name, double fallback)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (cJSON_IsNumber(item))
        return item->valuedouble;
    if (cJSON_IsString(item) && *item->valuestring)
        return atof(item->valuestring);
    return fallback;
}

static bool put_company(const char *company_id, const char *name)
{
    struct store_company company = {0};
    snprintf(company.company_id, sizeof company.company_id, "%s", company_id);
    snprintf(company.name, sizeof company.name, "%s", name);
    return store_company_put(&company) == STORE_OK;
}

static bool load_apps(const cJSON *section, char *err, size_t err_size)
{
    int index = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, section)
    {
        struct store_app app = {0};
        const char *appid = fixtures_string(entry, "appid", NULL);
        const char *app_key = fixtures_string(entry, "app_key", NULL);
        if (!appid || !*appid || !app_key || !*app_key) {
            snprintf(err, err_size, "apps[%d]: appid and app_key are required strings", index);
            return false;
        }
        /* A value cut to fit would make every signature of the app fail. */
        const char *company_id = fixtures_string(entry, "company_id", "");
        if (strlen(appid) >= sizeof app.appid || strlen(app_key) >= sizeof app.app_key ||
            strlen(company_id) >= sizeof app.company_id) {
            snprintf(err, err_size,
                     "apps[%d]: appid, app_key or company_id is too long (at most "
                     "%zu, %zu and %zu bytes)",
                     index, sizeof app.appid - 1, sizeof app.app_key - 1,
                     sizeof app.company_id - 1);
            return false;
        }
        snprintf(app.appid, sizeof app.appid, "%s", appid);
        snprintf(app.app_key, sizeof app.app_key, "%s", app_key);
        snprintf(app.company_id, sizeof app.company_id, "%s", company_id);
        if (app.company_id[0] &&
            !put_company(app.company_id, fixtures_string(entry, "company_name", ""))) {
            snprintf(err, err_size, "apps[%d]: the store refused company %s", index,
                     app.company_id);
            return false;
        }
        if (store_app_put(&app) != STORE_OK) {
            snprintf(err, err_size, "apps[%d]: the store refused app %s", index, appid);
            return false;
        }
        index++;
    }
    return true;
}

/* Copies a string member into a bounded field. */
#define COPY_FIELD(dst, obj, name, fallback)                                                       \
    snprintf((dst), sizeof(dst), "%s", fixtures_string((obj), (name), (fallback)))

bool fixtures_agent_from_json(const cJSON *entry, const char *company_id, struct store_agent *agent,
                              char *err, size_t err_size)
{
    memset(agent, 0, sizeof *agent);
    const char *email = fixtures_string(entry, "email", NULL);
    if (!email || !*email || !strchr(email, '@')) {
        snprintf(err, err_size, "an agent needs an email address");
        return false;
    }
    COPY_FIELD(agent->email, entry, "email", "");
    COPY_FIELD(agent->company_id, entry, "company_id", company_id ? company_id : "");
    if (!agent->company_id[0]) {
        snprintf(err, err_size, "agent %s has no company_id", email);
        return false;
    }
    /* A stable id derived from the email unless the fixture gives one. */
    char derived[SIGN_HEX_LEN + 1];
    sign_md5_hex(email, strlen(email), derived);
    COPY_FIELD(agent->agent_id, entry, "agent_id", derived);
    COPY_FIELD(agent->nick, entry, "nick", "");
    COPY_FIELD(agent->name, entry, "name", "");
    COPY_FIELD(agent->phone, entry, "phone", "");
    COPY_FIELD(agent->role_id, entry, "role_id", "1111");
    COPY_FIELD(agent->password, entry, "password", "");
    agent->max_accept = (int)fixtures_number(entry, "max_accept", 10);
    agent->status = (int)fixtures_number(entry, "status", 1);
    agent->created_s = (int64_t)fixtures_number(entry, "created", 0);
    return true;
}

static bool load_agents(const cJSON *section, char *err, size_t err_size)
{
    int index = 0;
    const cJSON *entry;
    char why[256];
    cJSON_ArrayForEach(entry, section)
    {
        struct store_agent agent;
        if (!fixtures_agent_from_json(entry, NULL, &agent, why, sizeof why)) {
            snprintf(err, err_size, "agents[%d]: %s", index, why);
            return false;
        }
        if (store_agent_insert(&agent) != STORE_OK) {
            snprintf(err, err_size, "agents[%d]: %s is a duplicate email or the store failed",
                     index, agent.email);
            return false;
        }
        index++;
    }
    return true;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)size + 1))) {
            *len = fread(data, 1, (size_t)size, f);
            data[*len] = '\0';
        }
    }
    fclose(f);
    return data;
}

static bool load_sections(const cJSON *root, char *err, size_t err_size)
{
    if (!cJSON_IsObject(root)) {
        snprintf(err, err_size, "the fixtures are not a JSON object");
        return false;
    }
    for (const cJSON *item = root->child; item; item = item->next) {
        bool known = false;
        for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
            known = known || !strcmp(item->string, sections[i].name);
        if (!known && item->string[0] != '_')
            log_warn("fixtures: unknown section '%s' ignored", item->string);
    }
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        const cJSON *section = cJSON_GetObjectItemCaseSensitive(root, sections[i].name);
        if (section && !sections[i].load(section, err, err_size))
            return false;
    }
    return store_mark_seeded() == STORE_OK;
}

/* The fixtures as parsed JSON; NULL with err set when unreadable. */
static cJSON *parse_fixtures(const char *path, char *err, size_t err_size)
{
    size_t len = default_fixtures_json_len;
    char *owned = NULL;
    const char *text = (const char *)default_fixtures_json;
    if (path) {
        text = owned = read_file(path, &len);
        if (!owned) {
            snprintf(err, err_size, "cannot read fixtures file %s", path);
            return NULL;
        }
    }
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(owned);
    if (!root)
        snprintf(err, err_size, "fixtures %s: not valid JSON", path ? path : "(built-in)");
    return root;
}

struct fill_job {
    const cJSON *root;
    char *err;
    size_t err_size;
};

static bool fill(void *arg)
{
    const struct fill_job *job = arg;
    return load_sections(job->root, job->err, job->err_size);
}

/* Parsed first, then stored in place of the whole state in one
 * transaction: a broken file or a failing store leaves the old state. */
static bool load_from(const char *path, char *err, size_t err_size)
{
    cJSON *root = parse_fixtures(path, err, err_size);
    if (!root)
        return false;
    struct fill_job job = {root, err, err_size};
    err[0] = '\0';
    bool ok = store_refill(fill, &job) == STORE_OK;
    if (!ok && !err[0])
        snprintf(err, err_size, "the store failed replacing the state with the fixtures");
    cJSON_Delete(root);
    return ok;
}

bool fixtures_load(const char *path, char *err, size_t err_size)
{
    free(source_path);
    source_path = path ? strdup(path) : NULL;
    return load_from(path, err, err_size);
}

bool fixtures_reset(char *err, size_t err_size)
{
    return load_from(source_path, err, err_size);
}

void fixtures_free(void)
{
    free(source_path);
    source_path = NULL;
}
