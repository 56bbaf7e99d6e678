build/asan/tests/unit/common/test_ipaddr: tests/unit/common/test_ipaddr.c \
 common/ipaddr.h
common/ipaddr.h:
