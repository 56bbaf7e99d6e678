build/fuzz/obj/common/signals.o: common/signals.c common/signals.h

common/signals.h:
