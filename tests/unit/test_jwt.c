/*
 * test_jwt.c - base64url and HS256 JWTs: the RFC vectors, the vendor's
 * header, and every way a token is refused.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jwt.h"

static void base64url_vectors(void)
{
    /* RFC 4648 section 10, in the URL alphabet without padding. */
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const coded[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char out[16];
        unsigned char back[16];
        size_t n;
        CHECK(jwt_base64url_encode((const unsigned char *)plain[i], strlen(plain[i]), out,
                                   sizeof out) == strlen(coded[i]));
        CHECK_STR(out, coded[i]);
        CHECK(jwt_base64url_decode(coded[i], strlen(coded[i]), back, sizeof back, &n));
        CHECK(n == strlen(plain[i]) && !memcmp(back, plain[i], n));
    }
    /* The URL alphabet: '-' and '_' where standard base64 has '+' and '/'. */
    const unsigned char bytes[] = {0xfb, 0xff};
    char out[8];
    jwt_base64url_encode(bytes, 2, out, sizeof out);
    CHECK_STR(out, "-_8");
    unsigned char back[8];
    size_t n;
    CHECK(!jwt_base64url_decode("ab+/", 4, back, sizeof back, &n));
    CHECK(!jwt_base64url_decode("abcde", 5, back, sizeof back, &n));
    CHECK(!jwt_base64url_decode("Zm9vYmFy", 8, back, 5, &n)); /* too small */
    /* Only the canonical spelling: "Zh" and "Zm9" + 'w' carry stray bits. */
    CHECK(!jwt_base64url_decode("Zh", 2, back, sizeof back, &n));
    CHECK(!jwt_base64url_decode("Zm9w", 3, back, sizeof back, &n));
    CHECK(jwt_base64url_encode(bytes, 2, out, 3) == 0);
}

/* RFC 7515 appendix A.1: an HS256 JWS made by someone else verifies. */
static void rfc7515_example(void)
{
    static const char token[] =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0"
        "cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static const char k[] =
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    unsigned char key[64];
    size_t key_len;
    CHECK(jwt_base64url_decode(k, strlen(k), key, sizeof key, &key_len) && key_len == 64);
    cJSON *claims = NULL;
    CHECK(jwt_verify(token, key, key_len, &claims) == JWT_OK);
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(claims, "iss");
    CHECK(cJSON_IsString(iss) && !strcmp(iss->valuestring, "joe"));
    CHECK(cJSON_GetObjectItemCaseSensitive(claims, "exp")->valuedouble == 1300819380);
    cJSON_Delete(claims);
}

static char *sign_example(const char *key)
{
    cJSON *claims = cJSON_CreateObject();
    cJSON_AddStringToObject(claims, "iss", "xiaoming@sobot.io");
    cJSON_AddNumberToObject(claims, "exp", 1573271176);
    char *token = jwt_sign(claims, (const unsigned char *)key, strlen(key));
    cJSON_Delete(claims);
    return token;
}

static void sign_and_verify(void)
{
    char *token = sign_example("secret");
    CHECK(token != NULL);
    if (!token)
        return;
    /* The vendor's example link starts with exactly this header. */
    CHECK(!strncmp(token, "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.", 37));
    cJSON *claims = NULL;
    CHECK(jwt_verify(token, (const unsigned char *)"secret", 6, &claims) == JWT_OK);
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(claims, "iss");
    CHECK(cJSON_IsString(iss) && !strcmp(iss->valuestring, "xiaoming@sobot.io"));
    cJSON_Delete(claims);

    CHECK(jwt_verify(token, (const unsigned char *)"other", 5, &claims) == JWT_BAD_SIGNATURE);
    CHECK(claims == NULL);

    /* The signature's last character carries two unused bits: a token
     * whose last character differs only there is another spelling of the
     * same MAC, and must not verify as a second, different link. */
    size_t len = strlen(token);
    char last = token[len - 1];
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    token[len - 1] = alphabet[(strchr(alphabet, last) - alphabet) ^ 1];
    CHECK(jwt_verify(token, (const unsigned char *)"secret", 6, &claims) != JWT_OK);
    CHECK(claims == NULL);
    token[len - 1] = last;

    /* Altering one payload character breaks the signature. */
    char *dot = strchr(token, '.');
    dot[3] = dot[3] == 'A' ? 'B' : 'A';
    enum jwt_result r = jwt_verify(token, (const unsigned char *)"secret", 6, &claims);
    CHECK(r == JWT_BAD_SIGNATURE || r == JWT_MALFORMED);
    free(token);
}

static void refusals(void)
{
    cJSON *claims = NULL;
    const unsigned char *key = (const unsigned char *)"secret";
    CHECK(jwt_verify(NULL, key, 6, &claims) == JWT_MALFORMED);
    CHECK(jwt_verify("", key, 6, &claims) == JWT_MALFORMED);
    CHECK(jwt_verify("abc", key, 6, &claims) == JWT_MALFORMED);
    CHECK(jwt_verify("a.b", key, 6, &claims) == JWT_MALFORMED);
    CHECK(jwt_verify("a.b.c.d", key, 6, &claims) == JWT_MALFORMED);
    CHECK(jwt_verify("!!!.e30.abc", key, 6, &claims) == JWT_MALFORMED);
    /* {"alg":"none"} . {} . (empty): the unsigned-token trick. */
    CHECK(jwt_verify("eyJhbGciOiJub25lIn0.e30.", key, 6, &claims) == JWT_BAD_ALGORITHM);
    /* A payload that is JSON but not an object. */
    CHECK(jwt_verify("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.WzFd.abc", key, 6, &claims) ==
          JWT_MALFORMED);
    char *huge = malloc(JWT_MAX_LEN + 10);
    memset(huge, 'a', JWT_MAX_LEN + 9);
    huge[JWT_MAX_LEN + 9] = '\0';
    huge[10] = huge[20] = '.';
    CHECK(jwt_verify(huge, key, 6, &claims) == JWT_MALFORMED);
    free(huge);
    CHECK(claims == NULL);
    CHECK(strstr(jwt_result_text(JWT_BAD_SIGNATURE), "signature") != NULL);
}

int main(void)
{
    base64url_vectors();
    rfc7515_example();
    sign_and_verify();
    refusals();
    return check_summary();
}
