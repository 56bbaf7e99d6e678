build/asan/common/opts.o: common/opts.c common/opts.h common/buf.h \
 common/linereader.h common/log.h common/wtime.h
common/opts.h:
common/buf.h:
common/linereader.h:
common/log.h:
common/wtime.h:
