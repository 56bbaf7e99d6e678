build/asan/common/transport.o: common/transport.c common/transport.h
common/transport.h:
