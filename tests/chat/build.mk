# SPDX-License-Identifier: GPL-2.0-or-later
#
# Chat tests: units (frames, sealing, fan-out over socketpairs, room) and
# loopback integration tests that start build/.../bin/chat-server and
# chat-client (found next to the test binary: <dir of the test>/../bin).

$(eval $(call program,test-chat-frame,tests/chat/test-chat-frame.c $(CHAT_NET_SRCS),$(CMOCKA_LIBS),tests))
UNIT_TESTS += test-chat-frame

$(eval $(call program,test-chat-seal,tests/chat/test-chat-seal.c chat/seal.c $(VCRYPTO_SRCS),$(NETTLE_LIBS) $(CMOCKA_LIBS),tests))
UNIT_TESTS += test-chat-seal

$(eval $(call program,test-chat-fanout,tests/chat/test-chat-fanout.c chat/fanout.c $(CHAT_NET_SRCS),$(CMOCKA_LIBS),tests))
UNIT_TESTS += test-chat-fanout

$(eval $(call program,test-chat-room,tests/chat/test-chat-room.c chat/room.c,$(CMOCKA_LIBS),tests))
UNIT_TESTS += test-chat-room

CHAT_HARNESS_SRCS := tests/chat/harness.c $(CHAT_NET_SRCS)

$(eval $(call program,test-chat-server,tests/chat/test-chat-server.c $(CHAT_HARNESS_SRCS),$(CMOCKA_LIBS),tests))
UNIT_TESTS += test-chat-server
# Needs the server it starts.
$(BUILD)/tests/test-chat-server: | $(BUILD)/bin/chat-server
$(BUILD)/asan/tests/test-chat-server: | $(BUILD)/asan/bin/chat-server

# It seals messages of its own, as a hostile server would relay them.
$(eval $(call program,test-chat-client,tests/chat/test-chat-client.c $(CHAT_HARNESS_SRCS) chat/seal.c $(VCRYPTO_SRCS),$(NETTLE_LIBS) $(CMOCKA_LIBS),tests))
UNIT_TESTS += test-chat-client
$(BUILD)/tests/test-chat-client: | $(BUILD)/bin/chat-server $(BUILD)/bin/chat-client
$(BUILD)/asan/tests/test-chat-client: | $(BUILD)/asan/bin/chat-server $(BUILD)/asan/bin/chat-client

# The server's own source, compiled in, to look at its bookkeeping.
$(eval $(call program,test-chat-server-state,tests/chat/test-chat-server-state.c chat/evloop.c chat/addrs.c chat/room.c $(CHAT_NET_SRCS),$(CMOCKA_LIBS),tests))
UNIT_TESTS += test-chat-server-state
