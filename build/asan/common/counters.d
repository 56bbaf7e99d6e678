build/asan/common/counters.o: common/counters.c common/counters.h
common/counters.h:
