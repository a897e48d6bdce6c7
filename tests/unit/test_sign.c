/* sign.c: the vendor's documented md5 example, case, masking, randomness. */
#include "check.h"
#include "sign.h"

static void documented_example(void)
{
    char out[33];
    const char *parts[] = {"1", "1569397773", "2"};
    sign_md5_concat(parts, 3, out);
    CHECK_STR(out, "258eec3118705112b2c53dc8043d4d34");
    sign_md5_hex("115693977732", 12, out);
    CHECK_STR(out, "258eec3118705112b2c53dc8043d4d34");
}

static void matching(void)
{
    const char *want = "258eec3118705112b2c53dc8043d4d34";
    CHECK(sign_matches("258eec3118705112b2c53dc8043d4d34", want));
    CHECK(sign_matches("258EEC3118705112B2C53DC8043D4D34", want));
    CHECK(!sign_matches("258eec3118705112b2c53dc8043d4d35", want));
    CHECK(!sign_matches("258eec3118705112b2c53dc8043d4d3", want));
    CHECK(!sign_matches("258eec3118705112b2c53dc8043d4d344", want));
    CHECK(!sign_matches("", want));
    CHECK(!sign_matches(NULL, want));
}

static void masking(void)
{
    char out[64];
    sign_mask("2", out, sizeof out);
    CHECK_STR(out, "*");
    sign_mask("Qm9sdC1Nb2NrLUtleS0yMDI2", out, sizeof out);
    CHECK_STR(out, "Qm**********************");
    sign_mask("", out, sizeof out);
    CHECK_STR(out, "");
    sign_mask("abcdefghij", out, 4);
    CHECK_STR(out, "ab*");
}

static void random_tokens(void)
{
    char a[33], b[33];
    CHECK(sign_random_hex(a));
    CHECK(sign_random_hex(b));
    CHECK(strlen(a) == 32 && strspn(a, "0123456789abcdef") == 32);
    CHECK(strcmp(a, b) != 0);
}

int main(void)
{
    documented_example();
    matching();
    masking();
    random_tokens();
    return check_summary();
}
