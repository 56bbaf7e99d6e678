build/asan/tests/unit/common/test_opts: tests/unit/common/test_opts.c \
 common/opts.h common/wtime.h
common/opts.h:
common/wtime.h:
