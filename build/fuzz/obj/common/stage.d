build/fuzz/obj/common/stage.o: common/stage.c common/stage.h common/buf.h \
  common/counters.h common/event.h common/log.h common/opts.h \
  common/transport.h common/exitcodes.h common/signals.h common/wtime.h

common/stage.h:

common/buf.h:

common/counters.h:

common/event.h:

common/log.h:

common/opts.h:

common/transport.h:

common/exitcodes.h:

common/signals.h:

common/wtime.h:
