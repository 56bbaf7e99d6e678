build/fuzz/obj/common/transport_fdio.o: common/transport_fdio.c \
  common/transport.h common/buf.h common/counters.h common/event.h \
  common/linereader.h common/log.h

common/transport.h:

common/buf.h:

common/counters.h:

common/event.h:

common/linereader.h:

common/log.h:
