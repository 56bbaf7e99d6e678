build/asan/common/transport_kafka.o: common/transport_kafka.c \
 common/transport.h
common/transport.h:
