/* Unit tests: the same scanner tests against the portable 8-byte word
 * scanner, which x86-64 builds never use otherwise. */
#undef __SSE2__
#include "test_jsonscan.c"
