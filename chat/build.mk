# SPDX-License-Identifier: GPL-2.0-or-later
#
# The chat: chat-server (relay) and chat-client (terminal client, optional
# end-to-end encryption through the crypto library).

CHAT_NET_SRCS := chat/buf.c chat/frame.c chat/net.c
CHAT_SERVER_SRCS := $(CHAT_NET_SRCS) chat/evloop.c chat/server.c

$(eval $(call program,chat-server,$(CHAT_SERVER_SRCS),,bin))
BINS += chat-server
