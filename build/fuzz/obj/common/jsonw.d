build/fuzz/obj/common/jsonw.o: common/jsonw.c common/jsonw.h common/buf.h \
  common/utf8.h

common/jsonw.h:

common/buf.h:

common/utf8.h:
