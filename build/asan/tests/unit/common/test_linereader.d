build/asan/tests/unit/common/test_linereader: \
 tests/unit/common/test_linereader.c common/buf.h common/linereader.h
common/buf.h:
common/linereader.h:
