build/asan/tests/unit/common/test_jsonw: tests/unit/common/test_jsonw.c \
 common/buf.h common/counters.h common/jsonw.h common/buf.h common/utf8.h
common/buf.h:
common/counters.h:
common/jsonw.h:
common/buf.h:
common/utf8.h:
