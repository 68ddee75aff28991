/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-express"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-express.h"

/* How the answers reach the installer, made with libraries and argument
 * vectors, never a shell line:
 * - into the initrd: the kernel and the initrd read out of the image with
 *   libarchive, and the answer file appended to the initrd as a second
 *   compressed cpio archive (the kernel unpacks one after the other, so the
 *   answers land in the installer's root, where it looks);
 * - on a CD: an ISO 9660 image of the answer file, made by xorriso.
 * Every file is the user's alone (0600) and goes once the install is done. */

void
vmd_express_files_clear (VmdExpressFiles *files)
{
  g_clear_pointer (&files->kernel, g_free);
  g_clear_pointer (&files->initrd, g_free);
  g_clear_pointer (&files->cdrom, g_free);
  g_clear_pointer (&files->command_line, g_free);
}

/* Removes what vmd_express_write_files() made; missing files are fine. */
void
vmd_express_files_remove (const VmdExpressFiles *files)
{
  const char *paths[] = { files->kernel, files->initrd, files->cdrom };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (paths[i] != NULL && g_unlink (paths[i]) != 0 && errno != ENOENT)
      g_message ("Could not remove %s: %s", paths[i], g_strerror (errno));
}

static gboolean
fail_errno (GError     **error,
            const char  *path)
{
  int saved = errno;
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Could not write “%s”: %s"), display, g_strerror (saved));
  return FALSE;
}

static int
create_private (const char  *path,
                GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    fail_errno (error, path);
  return fd;
}

static gboolean
write_all (int          fd,
           const void  *data,
           gsize        size,
           const char  *path,
           GError     **error)
{
  const char *p = data;

  while (size > 0)
    {
      gssize n = write (fd, p, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return fail_errno (error, path);
      p += n;
      size -= n;
    }
  return TRUE;
}

/* "install.amd/vmlinuz" as an ISO's entry names it ("./install.amd/…"). */
static gboolean
same_path (const char *entry,
           const char *wanted)
{
  while (*entry == '.' && entry[1] == '/')
    entry += 2;
  while (*entry == '/')
    entry++;
  while (*wanted == '/')
    wanted++;
  return g_ascii_strcasecmp (entry, wanted) == 0;
}

/* The kernel and the initrd, copied out of the image in one pass. */
static gboolean
copy_boot_files (const char  *iso,
                 const char  *kernel_in,
                 const char  *initrd_in,
                 const char  *kernel_out,
                 int          initrd_fd,
                 const char  *initrd_out,
                 GError     **error)
{
  struct archive *reader = archive_read_new ();
  struct archive_entry *entry;
  gboolean found_kernel = FALSE, found_initrd = FALSE;
  gboolean ok = TRUE;

  archive_read_support_format_iso9660 (reader);
  if (archive_read_open_filename (reader, iso, 64 * 1024) != ARCHIVE_OK)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_DAMAGED,
                   _("Could not read the installer image: %s"), archive_error_string (reader));
      archive_read_free (reader);
      return FALSE;
    }
  while (ok && !(found_kernel && found_initrd) &&
         archive_read_next_header (reader, &entry) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);
      gboolean is_kernel = !found_kernel && same_path (name, kernel_in);
      gboolean is_initrd = !found_initrd && same_path (name, initrd_in);
      const char *out = is_kernel ? kernel_out : initrd_out;
      int fd;
      const void *block;
      size_t size;
      la_int64_t offset;
      int status = ARCHIVE_OK;

      if (!is_kernel && !is_initrd)
        continue;
      fd = is_kernel ? create_private (kernel_out, error) : initrd_fd;
      if (fd < 0)
        {
          ok = FALSE;
          break;
        }
      while (ok && (status = archive_read_data_block (reader, &block, &size, &offset)) == ARCHIVE_OK)
        ok = write_all (fd, block, size, out, error);
      if (ok && status != ARCHIVE_EOF)
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_DAMAGED,
                       _("Could not read the installer image: %s"),
                       archive_error_string (reader));
          ok = FALSE;
        }
      if (is_kernel)
        {
          if (close (fd) != 0 && ok)
            ok = fail_errno (error, kernel_out);
          found_kernel = TRUE;
        }
      else
        found_initrd = TRUE;
    }
  archive_read_free (reader);
  if (ok && !(found_kernel && found_initrd))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_DAMAGED,
                   _("The installer image has no “%s”, where its system keeps it."),
                   found_kernel ? initrd_in : kernel_in);
      ok = FALSE;
    }
  return ok;
}

typedef struct
{
  int         fd;
  const char *path;
  GError    **error;
} Sink;

static la_ssize_t
sink_write (struct archive *archive,
            void           *data,
            const void     *buffer,
            size_t          length)
{
  Sink *sink = data;

  if (!write_all (sink->fd, buffer, length, sink->path, sink->error))
    return -1;
  return length;
}

/* The answer file as a gzip-compressed cpio archive ("newc", the format
 * the kernel unpacks), written at the end of the initrd. */
static gboolean
append_answers (int          fd,
                const char  *path,
                const char  *name,
                const char  *answers,
                GError     **error)
{
  struct archive *writer = archive_write_new ();
  struct archive_entry *entry = archive_entry_new ();
  gsize size = strlen (answers);
  Sink sink = { fd, path, error };
  gboolean ok;

  archive_write_set_format_cpio_newc (writer);
  archive_write_add_filter_gzip (writer);
  archive_write_set_bytes_in_last_block (writer, 1);
  ok = archive_write_open (writer, &sink, NULL, sink_write, NULL) == ARCHIVE_OK;
  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0600);
  archive_entry_set_size (entry, size);
  ok = ok && archive_write_header (writer, entry) == ARCHIVE_OK;
  ok = ok && archive_write_data (writer, answers, size) == (la_ssize_t) size;
  ok = archive_write_close (writer) == ARCHIVE_OK && ok;
  if (!ok && (error == NULL || *error == NULL))
    g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("Could not write “%s”: %s"), path,
                 archive_error_string (writer));
  archive_entry_free (entry);
  archive_write_free (writer);
  return ok;
}

static gboolean
write_initrd_files (VmdExpress       *self,
                    const char       *iso,
                    const char       *answers,
                    VmdExpressFiles  *files,
                    GError          **error)
{
  int fd = create_private (files->initrd, error);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = copy_boot_files (iso, vmd_express_get_kernel_path (self),
                        vmd_express_get_initrd_path (self), files->kernel, fd, files->initrd,
                        error) &&
       append_answers (fd, files->initrd, vmd_express_get_filename (self), answers, error);
  if (close (fd) != 0 && ok)
    ok = fail_errno (error, files->initrd);
  return ok;
}

/* A CD image holding the answer file: xorriso, given arguments, no shell. */
static gboolean
write_cdrom (VmdExpress       *self,
             const char       *answers,
             VmdExpressFiles  *files,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autofree char *staging = g_strconcat (files->cdrom, ".d", NULL);
  g_autofree char *answer_path = g_build_filename (staging, vmd_express_get_filename (self),
                                                   NULL);
  g_autoptr(GSubprocess) xorriso = NULL;
  g_autofree char *output = NULL;
  gboolean ok = FALSE;
  int fd;

  if (g_mkdir (staging, 0700) != 0)
    return fail_errno (error, staging);
  fd = create_private (answer_path, error);
  if (fd >= 0)
    {
      ok = write_all (fd, answers, strlen (answers), answer_path, error);
      if (close (fd) != 0 && ok)
        ok = fail_errno (error, answer_path);
    }
  if (ok)
    {
      xorriso = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, error,
                                  "xorriso", "-as", "mkisofs", "-quiet", "-J", "-r",
                                  "-V", "VMDESK_ANSWERS", "-o", files->cdrom, staging, NULL);
      ok = xorriso != NULL &&
           g_subprocess_communicate_utf8 (xorriso, NULL, cancellable, NULL, &output, error);
      if (ok && !g_subprocess_get_successful (xorriso))
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED,
                       _("Could not make the answers’ CD image: %s"),
                       output != NULL ? g_strstrip (output) : "");
          ok = FALSE;
        }
      if (ok && g_chmod (files->cdrom, 0600) != 0)
        ok = fail_errno (error, files->cdrom);
    }
  g_unlink (answer_path);
  g_rmdir (staging);
  return ok;
}

/**
 * vmd_express_write_files:
 * @iso: the installer image
 * @password: (nullable): the user's password
 * @dir: where the files go (the machines' images folder)
 * @prefix: the start of their names, for one machine
 * @files: (out caller-allocates): what was made
 *
 * Writes what the install needs, blocking: call it off the main thread.
 * On failure nothing is left behind.
 */
gboolean
vmd_express_write_files (VmdExpress       *self,
                         const char       *iso,
                         const char       *password,
                         const char       *dir,
                         const char       *prefix,
                         VmdExpressFiles  *files,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_autofree char *answers = NULL;
  gboolean ok;

  g_return_val_if_fail (VMD_IS_EXPRESS (self), FALSE);
  g_return_val_if_fail (files != NULL, FALSE);

  memset (files, 0, sizeof *files);
  answers = vmd_express_generate (self, password, error);
  if (answers == NULL)
    return FALSE;

  if (vmd_express_get_injection (self) == VMD_EXPRESS_INITRD)
    {
      g_autofree char *kernel = g_strconcat (prefix, "-install-kernel", NULL);
      g_autofree char *initrd = g_strconcat (prefix, "-install-initrd", NULL);

      files->kernel = g_build_filename (dir, kernel, NULL);
      files->initrd = g_build_filename (dir, initrd, NULL);
      files->command_line = vmd_express_dup_command_line (self, password);
      ok = write_initrd_files (self, iso, answers, files, error);
    }
  else
    {
      g_autofree char *cdrom = g_strconcat (prefix, "-install-answers.iso", NULL);

      files->cdrom = g_build_filename (dir, cdrom, NULL);
      ok = write_cdrom (self, answers, files, cancellable, error);
    }
  /* The answers hold the password: the only copy is the one the installer reads. */
  memset (answers, 0, strlen (answers));
  if (!ok)
    {
      vmd_express_files_remove (files);
      vmd_express_files_clear (files);
    }
  return ok;
}
