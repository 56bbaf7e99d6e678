build/asan/stages/ingest/main.o: stages/ingest/main.c common/exitcodes.h \
 common/stage.h common/buf.h common/counters.h common/event.h \
 common/log.h common/opts.h common/transport.h stages/ingest/lineevent.h \
 common/event.h common/opts.h common/wtime.h
common/exitcodes.h:
common/stage.h:
common/buf.h:
common/counters.h:
common/event.h:
common/log.h:
common/opts.h:
common/transport.h:
stages/ingest/lineevent.h:
common/event.h:
common/opts.h:
common/wtime.h:
