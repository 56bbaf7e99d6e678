build/asan/tests/unit/ingest/test_lineevent: \
 tests/unit/ingest/test_lineevent.c stages/ingest/lineevent.h \
 common/event.h common/buf.h common/opts.h common/wtime.h
stages/ingest/lineevent.h:
common/event.h:
common/buf.h:
common/opts.h:
common/wtime.h:
