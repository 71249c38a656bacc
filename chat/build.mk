# SPDX-License-Identifier: GPL-2.0-or-later
#
# The chat: chat-server (relay) and chat-client (terminal client, optional
# end-to-end encryption through the crypto library).

CHAT_NET_SRCS := chat/buf.c chat/frame.c chat/net.c
CHAT_SERVER_SRCS := $(CHAT_NET_SRCS) chat/evloop.c chat/server.c

$(eval $(call program,chat-server,$(CHAT_SERVER_SRCS),,bin))
BINS += chat-server

# cryptolib/build.mk is read after this file, so its list may not be known
# yet; every C file of the library is part of it.
CHAT_VCRYPTO_SRCS := $(or $(VCRYPTO_SRCS),$(sort $(wildcard cryptolib/*.c)))
CHAT_CLIENT_SRCS := $(CHAT_NET_SRCS) chat/seal.c chat/client.c \
		    $(CHAT_VCRYPTO_SRCS)

$(eval $(call program,chat-client,$(CHAT_CLIENT_SRCS),$(NETTLE_LIBS),bin))
BINS += chat-client
