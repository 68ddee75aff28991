/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-files"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "vmd-files.h"

/* Copies @from to @to, making @to's folder if need be; symbolic links are
 * copied as links, never followed. */
gboolean
_vmd_file_copy (const char  *from,
                const char  *to,
                gboolean     overwrite,
                GError     **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);
  g_autoptr(GFile) parent = g_file_get_parent (dest);
  GFileCopyFlags flags = G_FILE_COPY_NOFOLLOW_SYMLINKS;

  if (overwrite)
    flags |= G_FILE_COPY_OVERWRITE;
  g_file_make_directory_with_parents (parent, NULL, NULL);
  return g_file_copy (source, dest, flags, NULL, NULL, NULL, error);
}

/* Copies the folder @from and what it holds to @to (rwx------). */
gboolean
_vmd_tree_copy (const char  *from,
                const char  *to,
                GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, error);
  const char *entry;

  if (dir == NULL)
    return FALSE;
  if (g_mkdir_with_parents (to, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", to,
                   g_strerror (saved_errno));
      return FALSE;
    }
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, entry, NULL);
      g_autofree char *dest = g_build_filename (to, entry, NULL);
      gboolean is_dir = g_file_test (source, G_FILE_TEST_IS_DIR) &&
                        !g_file_test (source, G_FILE_TEST_IS_SYMLINK);

      if (is_dir ? !_vmd_tree_copy (source, dest, error)
                 : !_vmd_file_copy (source, dest, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

/* Removes the folder @path and what it holds, as far as it can. */
void
_vmd_tree_remove (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        _vmd_tree_remove (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
