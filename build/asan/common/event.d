build/asan/common/event.o: common/event.c common/event.h common/buf.h \
 common/jsonw.h common/wtime.h
common/event.h:
common/buf.h:
common/jsonw.h:
common/wtime.h:
