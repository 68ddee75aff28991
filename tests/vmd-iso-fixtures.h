/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What goes into the primary volume descriptor of a test image: the labels
 * libosinfo reads to recognise a release. */
typedef struct
{
  const char *volume_id;       /* -V: at most 32 characters */
  const char *system_id;       /* -sysid, or NULL */
  const char *publisher_id;    /* -publisher, or NULL */
  const char *application_id;  /* -A, or NULL */
  gboolean    with_files;      /* a tiny file tree, as installers have */
} VmdTestIso;

/* Images are bootable (El Torito, no emulation) as release images are:
 * libosinfo's default detection refuses others. Each returns the new file's path in @dir, or NULL with @error set. */
char     *vmd_test_make_iso              (const char        *dir,
                                          const char        *file_name,
                                          const VmdTestIso  *spec,
                                          GError           **error);
/* The first 64 KiB of an image of @spec whose volume is bigger (it holds
 * 1 MiB more): an interrupted download. */
char     *vmd_test_make_truncated_iso    (const char        *dir,
                                          const char        *file_name,
                                          const VmdTestIso  *spec,
                                          GError           **error);
char     *vmd_test_make_empty_file       (const char        *dir,
                                          const char        *file_name,
                                          GError           **error);
char     *vmd_test_make_text_file        (const char        *dir,
                                          const char        *file_name,
                                          GError           **error);
/* Mode 000. Root reads it all the same: check with g_access(). */
char     *vmd_test_make_unreadable_file  (const char        *dir,
                                          const char        *file_name,
                                          GError           **error);
char     *vmd_test_make_directory        (const char        *dir,
                                          const char        *name,
                                          GError           **error);

/* Removes @path and everything under it. */
gboolean  vmd_test_remove_tree           (const char        *path,
                                          GError           **error);

G_END_DECLS
