/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `vmdesk --identify PATH` and `vmdesk --plan PATH`: what VmDesk finds in an
 * image and what it would create, for scripts. No window opens. */
typedef enum
{
  VMD_CLI_IDENTIFY,
  VMD_CLI_PLAN,
} VmdCliCommand;

int vmd_cli_run (VmdCliCommand  command,
                 const char    *path,
                 const char    *uri,
                 gboolean       json);

G_END_DECLS
