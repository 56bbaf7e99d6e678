build/asan/common/linereader.o: common/linereader.c common/linereader.h \
 common/buf.h common/signals.h
common/linereader.h:
common/buf.h:
common/signals.h:
