/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `vmdesk --identify PATH` and `vmdesk --plan PATH`: what VmDesk finds in an
 * image and what it would create, for scripts; `vmdesk --list` and
 * `vmdesk --save NAME`, `--snapshot NAME --label LABEL`…: the machines, and
 * what the window does to one.
 * No window opens. */
typedef enum
{
  VMD_CLI_IDENTIFY,
  VMD_CLI_PLAN,
  VMD_CLI_LIST,
  VMD_CLI_SAVE,
  VMD_CLI_SNAPSHOT,
  VMD_CLI_SNAPSHOTS,
  VMD_CLI_REVERT,
  VMD_CLI_DELETE_SNAPSHOT,
  VMD_CLI_CLONE,
  VMD_CLI_CREATE,
  VMD_CLI_IMPORT,
  VMD_CLI_RENAME,
} VmdCliCommand;

/* `vmdesk --create ISO`: what the person may change of the plan; 0 and
 * NULL keep VmDesk's choice. */
typedef struct
{
  const char *name;
  guint64     memory_mib;
  guint       cpus;
  guint64     disk_gb;
  gboolean    force;   /* past the memory budget and the free disk space */
  gboolean    express; /* --plan: whether the installer can be answered in advance;
                        * --create: answer it */
  const char *user;           /* --create --express: the user's login, or the desktop's */
  const char *password_file;  /* --create --express: its first line is the password */
  gboolean    there;          /* the image is on the connection's computer (--images) */
} VmdCliCreate;

int vmd_cli_run (VmdCliCommand        command,
                 const char          *path,
                 const char          *uri,
                 const VmdCliCreate  *create,
                 gboolean             json);
int vmd_cli_run_machines (VmdCliCommand  command,
                          const char    *name,
                          const char    *label,
                          const char    *new_name,
                          const char    *uri,
                          gboolean       json);

int vmd_cli_download (const char *id,
                      gboolean    json);

/* `vmdesk --computers`, `--add-computer ADDRESS`, `--remove-computer
 * ADDRESS`: the library's computers, this one first. */
typedef enum
{
  VMD_CLI_COMPUTERS,
  VMD_CLI_ADD_COMPUTER,
  VMD_CLI_REMOVE_COMPUTER,
} VmdCliComputers;

int vmd_cli_computers (VmdCliComputers  command,
                       const char      *address,
                       const char      *uri,
                       gboolean         json);

/* `vmdesk --images`: the installer images of the connection's computer. */
int vmd_cli_images (const char *uri,
                    gboolean    json);

G_END_DECLS
