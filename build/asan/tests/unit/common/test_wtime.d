build/asan/tests/unit/common/test_wtime: tests/unit/common/test_wtime.c \
 common/wtime.h
common/wtime.h:
