build/fuzz/obj/common/wtime.o: common/wtime.c common/wtime.h

common/wtime.h:
