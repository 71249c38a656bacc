# SPDX-License-Identifier: GPL-2.0-or-later
#
# The chat: chat-server (relay) and chat-client (terminal client, optional
# end-to-end encryption through the crypto library).

CHAT_NET_SRCS := chat/buf.c chat/frame.c chat/net.c
CHAT_SERVER_SRCS := $(CHAT_NET_SRCS) chat/evloop.c chat/addrs.c \
		    chat/fanout.c chat/room.c chat/server.c

$(eval $(call program,chat-server,$(CHAT_SERVER_SRCS),,bin))
BINS += chat-server

# cryptolib/build.mk is read after this file, so its list may not be known
# yet; every C file of the library is part of it.
CHAT_VCRYPTO_SRCS := $(or $(VCRYPTO_SRCS),$(sort $(wildcard cryptolib/*.c)))
CHAT_CLIENT_SRCS := $(CHAT_NET_SRCS) chat/seal.c chat/client.c \
		    $(CHAT_VCRYPTO_SRCS)

$(eval $(call program,chat-client,$(CHAT_CLIENT_SRCS),$(NETTLE_LIBS),bin))
BINS += chat-client

# The fan-out benchmark: `make bench` runs bench/chat/run, which writes
# bench/results/chat.md.
$(eval $(call program,chat-load,bench/chat/chat-load.c chat/seal.c $(CHAT_NET_SRCS) $(CHAT_VCRYPTO_SRCS),$(NETTLE_LIBS),bin))
BENCH_BINS += chat-load

.PHONY: bench-chat
bench-chat: $(BUILD)/bin/chat-server $(BUILD)/bin/chat-load
	scripts/install-deps bench
	bench/chat/run
bench: bench-chat
