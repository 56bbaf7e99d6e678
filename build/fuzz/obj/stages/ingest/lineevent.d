build/fuzz/obj/stages/ingest/lineevent.o: stages/ingest/lineevent.c \
  stages/ingest/lineevent.h common/event.h common/buf.h common/opts.h \
  common/wtime.h

stages/ingest/lineevent.h:

common/event.h:

common/buf.h:

common/opts.h:

common/wtime.h:
