build/asan/common/transport_loki.o: common/transport_loki.c \
 common/transport.h
common/transport.h:
