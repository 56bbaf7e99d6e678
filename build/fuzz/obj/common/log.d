build/fuzz/obj/common/log.o: common/log.c common/log.h common/wtime.h

common/log.h:

common/wtime.h:
