/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "vmd-media.h"

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
  gboolean    no_boot;         /* no El Torito boot record: libosinfo then walks the root directory */
  gboolean    ppc;             /* /ppc/bootinfo.txt, what that walk looks for */
} VmdTestIso;

/* Images are bootable (El Torito, no emulation) as release images are,
 * unless @spec says no_boot. Each returns the new file's path in @dir, or NULL with @error set. */
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
char     *vmd_test_make_debian_installer (const char        *dir,
                                          const char        *file_name,
                                          const char        *kernel_at,
                                          const char        *kernel,
                                          const char        *initrd);
VmdMedia *vmd_test_identify_iso          (const char        *dir,
                                          const char        *file_name,
                                          const VmdTestIso  *spec);
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

/* g_test_init with isolated dirs, and a temporary folder (made from
 * @tmpl) for the images a test program makes. */
char     *vmd_test_init_with_dir         (int               *argc,
                                          char            ***argv,
                                          const char        *tmpl);
/* g_test_run, then the folder and everything in it go. */
int       vmd_test_run_and_remove        (char             **dir);

/* Removes @path and everything under it. */
gboolean  vmd_test_remove_tree           (const char        *path,
                                          GError           **error);

G_END_DECLS
