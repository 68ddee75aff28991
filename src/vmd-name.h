/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a machine may be called. A name becomes libvirt's file names
 * (NAME.xml, NAME_VARS.fd, snapshot folders), so it obeys the file
 * system's rules as well as libvirt's; VmDesk checks it as it is typed. */
#define VMD_NAME_MAX_CHARS 100
#define VMD_NAME_MAX_BYTES 200

char     *vmd_name_normalize    (const char  *typed);
gboolean  vmd_name_check        (const char  *name,
                                 GError     **error);
char     *vmd_name_to_file_base (const char  *name);

G_END_DECLS
