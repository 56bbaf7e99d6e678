build/asan/tests/unit/common/test_event: tests/unit/common/test_event.c \
 common/buf.h common/event.h common/buf.h common/utf8.h
common/buf.h:
common/event.h:
common/buf.h:
common/utf8.h:
