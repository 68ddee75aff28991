/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "vmd-application.h"
#include "vmd-connection.h"

/* test-remote.c: the other computer and this one's application */
extern const char     *uri;        /* qemu+ssh://… of the other computer */
extern char           *workdir;
extern VmdConnection  *connection;  /* to the other computer */
extern VmdApplication *app;

#define GUEST "remote grub"

void make_grub_iso (const char *path);

/* test-remote-create.c */
void test_create       (void);
void test_images_there (void);
void test_new_there    (void);

/* test-remote-agent.c */
void test_agent_there  (void);
