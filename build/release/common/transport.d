build/release/common/transport.o: common/transport.c common/transport.h
common/transport.h:
