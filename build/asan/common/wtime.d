build/asan/common/wtime.o: common/wtime.c common/wtime.h
common/wtime.h:
