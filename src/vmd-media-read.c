/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-media"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-iso.h"
#include "vmd-media.h"
#include "vmd-media-private.h"
#include "vmd-text.h"

/* Reading a file a user handed VmDesk: the checks before libosinfo reads
 * it, and the thread and the clock around both. */

static gssize
read_fd (gpointer  user_data,
         void     *buffer,
         gsize     count,
         guint64   offset)
{
  int fd = GPOINTER_TO_INT (user_data);
  gsize done = 0;

  while (done < count)
    {
      gssize n = pread (fd, (char *) buffer + done, count - done, offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += n;
    }
  return done;
}

static gboolean
is_image_file (GStatBuf *st)
{
  /* A pipe, a socket or a terminal can block a reader for ever; a disc
   * drive (a block device) is read like a file. */
  return S_ISREG (st->st_mode) || S_ISBLK (st->st_mode);
}

static void
set_not_a_file (GError     **error,
                const char  *name)
{
  g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA,
               _("“%s” is not a file but a pipe, a socket or a device: "
                 "VmDesk reads ISO disc images saved as files."), name);
}

static void
set_read_error (GError     **error,
                const char  *name,
                int          saved_errno)
{
  g_set_error (error, VMD_ERROR, VMD_ERROR_PERMISSION,
               _("“%s” cannot be read: %s"), name, g_strerror (saved_errno));
}

/* "679.9 kB of 679.9 kB" says nothing when one byte is missing. */
static void
set_truncated (GError     **error,
               const char  *name,
               guint64      have,
               guint64      want)
{
  g_autofree char *have_text = g_format_size (have);
  g_autofree char *want_text = g_format_size (want);

  if (g_str_equal (have_text, want_text))
    {
      g_free (have_text);
      g_free (want_text);
      have_text = g_format_size_full (have, G_FORMAT_SIZE_LONG_FORMAT);
      want_text = g_format_size_full (want, G_FORMAT_SIZE_LONG_FORMAT);
    }
  g_set_error (error, VMD_ERROR, VMD_ERROR_TRUNCATED,
               _("“%s” is incomplete: it holds %s of %s. Download it again."),
               name, have_text, want_text);
}

/* Blocking, on the identification's own thread. Looks at the file's type
 * before opening it, opens it without waiting for a writer, and reads
 * what libosinfo will read before libosinfo does (vmd-iso.c): its own
 * errors for files that are not images are misleading ('No "ppc"
 * directory record extent'), and some images hang it. Returns the open
 * file, or -1. */
static int
check_file (const char  *path,
            guint64     *size,
            gboolean    *labels,
            GError     **error)
{
  g_autofree char *name = vmd_text_dup_display_basename (path);
  VmdIsoVerdict verdict;
  VmdIsoFacts facts;
  GStatBuf st;
  int fd;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT || saved_errno == ENOTDIR)
        g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                     _("“%s” does not exist."), name);
      else
        set_read_error (error, name, saved_errno);
      return -1;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not an installer image."), name);
      return -1;
    }
  if (!is_image_file (&st))
    {
      set_not_a_file (error, name);
      return -1;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_read_error (error, name, errno);
      return -1;
    }

  /* What was opened, if the file changed since it was looked at. */
  if (fstat (fd, &st) != 0 || !is_image_file (&st))
    {
      set_not_a_file (error, name);
      close (fd);
      return -1;
    }
  *size = S_ISBLK (st.st_mode) ? (guint64) MAX (lseek (fd, 0, SEEK_END), 0) : (guint64) st.st_size;

  verdict = vmd_iso_check (read_fd, GINT_TO_POINTER (fd), *size, &facts);
  if (verdict == VMD_ISO_LABELS || verdict == VMD_ISO_NO_LABELS)
    {
      *labels = verdict == VMD_ISO_LABELS;
      return fd;
    }
  _vmd_media_set_check_error (error, verdict, &facts, name, *size,
                              verdict == VMD_ISO_UNREADABLE ? g_strerror (facts.read_errno) : NULL);
  close (fd);
  return -1;
}

/**
 * _vmd_media_set_check_error:
 * @verdict: what vmd_iso_check() said of an image it refused
 * @reason: for %VMD_ISO_UNREADABLE, why a read failed
 *
 * The sentence for an image VmDesk cannot use, wherever it is.
 */
void
_vmd_media_set_check_error (GError            **error,
                            VmdIsoVerdict       verdict,
                            const VmdIsoFacts  *facts,
                            const char         *name,
                            guint64             size,
                            const char         *reason)
{
  switch (verdict)
    {
    case VMD_ISO_TRUNCATED:
      set_truncated (error, name, size, facts->expected_size);
      break;
    case VMD_ISO_DAMAGED:
      g_set_error (error, VMD_ERROR, VMD_ERROR_DAMAGED,
                   _("“%s” is damaged: its table of contents cannot be read. Download it again."),
                   name);
      break;
    case VMD_ISO_UNREADABLE:
      g_set_error (error, VMD_ERROR, VMD_ERROR_PERMISSION, _("“%s” cannot be read: %s"), name,
                   reason);
      break;
    case VMD_ISO_NOT_MEDIA:
    case VMD_ISO_LABELS:
    case VMD_ISO_NO_LABELS:
    default:
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA,
                   _("“%s” is not an installer image: VmDesk reads ISO disc images."), name);
      break;
    }
}

/* One identification's reading of the file. The worker thread is its own,
 * not GLib's shared pool: a file that never answers (a hung network mount)
 * blocks that thread only, and the caller hears of it when the time is up.
 * Shared between the thread and the caller's context. */
typedef struct
{
  /* the caller's context only */
  GTask        *task;        /* NULL once the caller has its answer */
  GSource      *timeout;
  GSource      *cancelled;

  /* set before the thread starts */
  char         *path;
  GCancellable *cancellable;
  GMainContext *context;

  /* the thread's results, read once it is done */
  guint64       size;
  OsinfoMedia  *media;
  GError       *error;
} Reading;

static Reading *
reading_ref (Reading *reading)
{
  return g_atomic_rc_box_acquire (reading);
}

static void
reading_clear (Reading *reading)
{
  g_assert (reading->task == NULL);
  g_free (reading->path);
  g_clear_object (&reading->cancellable);
  g_main_context_unref (reading->context);
  g_clear_object (&reading->media);
  g_clear_error (&reading->error);
}

static void
reading_unref (Reading *reading)
{
  g_atomic_rc_box_release_full (reading, (GDestroyNotify) reading_clear);
}

/* Hands the task over to whoever answers first: the reading, the clock or
 * Cancel. */
static GTask *
reading_steal_task (Reading *reading)
{
  if (reading->timeout != NULL)
    {
      g_source_destroy (reading->timeout);
      g_clear_pointer (&reading->timeout, g_source_unref);
    }
  if (reading->cancelled != NULL)
    {
      g_source_destroy (reading->cancelled);
      g_clear_pointer (&reading->cancelled, g_source_unref);
    }
  return g_steal_pointer (&reading->task);
}

/* How long reading an image may take: 10 s, or VMD_MEDIA_TIMEOUT_MS (read
 * once), or what vmd_media_set_read_timeout() said last. 0 while not known. */
static guint read_timeout;

static guint
timeout_ms (void)
{
  guint ms = g_atomic_int_get (&read_timeout);

  if (ms == 0)
    {
      const char *env = g_getenv ("VMD_MEDIA_TIMEOUT_MS");
      guint64 value;

      if (env == NULL || !g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &value, NULL))
        value = 10000;
      g_atomic_int_compare_and_exchange (&read_timeout, 0, (guint) value);
      ms = g_atomic_int_get (&read_timeout);
    }
  return ms;
}

/**
 * vmd_media_set_read_timeout:
 * @ms: how long reading an image may take before it is given up; 0: the
 *   default
 *
 * For tests, which change it while threads run: unlike the environment,
 * safe at any time.
 */
void
vmd_media_set_read_timeout (guint ms)
{
  g_atomic_int_set (&read_timeout, ms != 0 ? ms : 10000);
}

static gboolean
on_timeout (gpointer user_data)
{
  Reading *reading = user_data;
  g_autoptr(GTask) task = reading_steal_task (reading);
  g_autofree char *name = vmd_text_dup_display_basename (reading->path);

  g_message ("Reading %s did not end in %u ms: giving up on it", reading->path, timeout_ms ());
  g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_TIMED_OUT,
                           _("“%s” does not answer. If it is on a network share or a "
                             "removable disc, copy it to this computer first."), name);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  Reading *reading = user_data;
  g_autoptr(GTask) task = reading_steal_task (reading);

  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_read (gpointer user_data)
{
  Reading *reading = user_data;
  g_autoptr(GTask) task = reading_steal_task (reading);

  if (task == NULL)
    return G_SOURCE_REMOVE;  /* answered already: too late, or cancelled */

  if (reading->error != NULL)
    g_task_return_error (task, g_steal_pointer (&reading->error));
  else
    g_task_return_pointer (task, reading_ref (reading), (GDestroyNotify) reading_unref);
  return G_SOURCE_REMOVE;
}

/**
 * _vmd_media_read_labels:
 * @path: an image vmd_iso_check() let libosinfo read
 *
 * libosinfo's reading of the labels. Blocks: its synchronous call runs a
 * loop on the thread's default context, its own here.
 *
 * Returns: (transfer full) (nullable): what libosinfo read; %NULL when it
 * found nothing it reads (@error is set only when cancelled)
 */
OsinfoMedia *
_vmd_media_read_labels (const char    *path,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) local_error = NULL;
  OsinfoMedia *media;

  g_main_context_push_thread_default (context);
  media = osinfo_media_create_from_location_with_flags (path, cancellable, 0, &local_error);
  g_main_context_pop_thread_default (context);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (local_error != NULL)
    /* A readable disc image without what libosinfo looks for (a UDF-only
     * DVD, say): still usable, as an unknown system. */
    g_debug ("libosinfo cannot read %s: %s", path, local_error->message);
  return media;
}

static gpointer
read_thread (gpointer user_data)
{
  Reading *reading = user_data;
  gboolean labels = FALSE;
  int fd;

  fd = check_file (reading->path, &reading->size, &labels, &reading->error);
  if (fd >= 0 && labels)
    {
      g_autofree char *fd_path = g_strdup_printf ("/proc/self/fd/%d", fd);

      /* libosinfo opens the file again: let it open the one checked. */
      reading->media = _vmd_media_read_labels (g_file_test (fd_path, G_FILE_TEST_EXISTS)
                                                 ? fd_path : reading->path,
                                               reading->cancellable, &reading->error);
    }
  if (fd >= 0)
    close (fd);

  g_main_context_invoke_full (reading->context, G_PRIORITY_DEFAULT, on_read,
                              reading, (GDestroyNotify) reading_unref);
  return NULL;
}

/* Checks @path (see check_file) and reads its labels with libosinfo, on a
 * thread of its own, within a time bound; Cancel answers at once. */
void
_vmd_media_read_async (const char          *path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Reading *reading = g_atomic_rc_box_new0 (Reading);
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GError) error = NULL;

  reading->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (reading->task, _vmd_media_read_async);
  reading->path = g_strdup (path);
  reading->context = g_main_context_ref_thread_default ();
  if (cancellable != NULL)
    {
      reading->cancellable = g_object_ref (cancellable);
      reading->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (reading->cancelled, G_SOURCE_FUNC (on_cancelled),
                             reading_ref (reading), (GDestroyNotify) reading_unref);
      g_source_attach (reading->cancelled, reading->context);
    }
  reading->timeout = g_timeout_source_new (timeout_ms ());
  g_source_set_callback (reading->timeout, on_timeout, reading_ref (reading),
                         (GDestroyNotify) reading_unref);
  g_source_attach (reading->timeout, reading->context);

  thread = g_thread_try_new ("vmd-media", read_thread, reading_ref (reading), &error);
  if (thread == NULL)
    {
      g_autoptr(GTask) failed = reading_steal_task (reading);

      reading_unref (reading);  /* the thread's */
      g_task_return_new_error (failed, VMD_ERROR, VMD_ERROR_FAILED, "%s", error->message);
    }
  reading_unref (reading);
}

/* Returns: whether the file is a usable image; @media (transfer full) is
 * what libosinfo read, or %NULL when it could not read labels there. */
gboolean
_vmd_media_read_finish (GAsyncResult  *result,
                        guint64       *size,
                        OsinfoMedia  **media,
                        GError       **error)
{
  Reading *reading;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  reading = g_task_propagate_pointer (G_TASK (result), error);
  if (reading == NULL)
    return FALSE;
  *size = reading->size;
  *media = g_steal_pointer (&reading->media);
  reading_unref (reading);
  return TRUE;
}

