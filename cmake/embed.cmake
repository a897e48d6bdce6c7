# Turns a file into a C translation unit holding its bytes and length, so the
# binary carries its default fixtures and needs no file beside it.
file(READ ${IN} content HEX)
string(LENGTH "${content}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUT} "/* Generated from fixtures/default.json; do not edit. */\n#include <stddef.h>\n"
  "const unsigned char ${SYMBOL}[] = {${bytes}0x00};\nconst size_t ${SYMBOL}_len = ${len};\n")
