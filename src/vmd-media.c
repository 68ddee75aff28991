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
#include "vmd-os-db.h"
#include "vmd-text.h"

/* An installer image and what it holds: the OS libosinfo recognises, or the
 * family its label names when the release is newer than the database. */
struct _VmdMedia
{
  GObject        parent_instance;

  char          *path;
  guint64        size;
  OsinfoMedia   *media;       /* what libosinfo read off the image, or NULL */
  OsinfoMedia   *db_media;    /* the database entry it matched, or NULL */
  GListStore    *candidates;  /* OsinfoOs */
  guint          selected;
  VmdMediaMatch  match;
  char          *family_label;
  gboolean       family_numbered;  /* the label names a release newer than the database */
  char          *volume_id;        /* printable */
};

G_DEFINE_FINAL_TYPE (VmdMedia, vmd_media, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VmdMediaMatch, vmd_media_match,
  G_DEFINE_ENUM_VALUE (VMD_MEDIA_MATCH_EXACT, "exact"),
  G_DEFINE_ENUM_VALUE (VMD_MEDIA_MATCH_FAMILY, "family"),
  G_DEFINE_ENUM_VALUE (VMD_MEDIA_MATCH_UNKNOWN, "unknown"))

static void
vmd_media_finalize (GObject *object)
{
  VmdMedia *self = (VmdMedia *) object;

  g_free (self->path);
  g_free (self->family_label);
  g_free (self->volume_id);
  g_clear_object (&self->media);
  g_clear_object (&self->db_media);
  g_clear_object (&self->candidates);

  G_OBJECT_CLASS (vmd_media_parent_class)->finalize (object);
}

static void
vmd_media_class_init (VmdMediaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_media_finalize;
}

static void
vmd_media_init (VmdMedia *self)
{
  self->candidates = g_list_store_new (OSINFO_TYPE_OS);
  self->match = VMD_MEDIA_MATCH_UNKNOWN;
}

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

  switch (vmd_iso_check (read_fd, GINT_TO_POINTER (fd), *size, &facts))
    {
    case VMD_ISO_LABELS:
      *labels = TRUE;
      return fd;
    case VMD_ISO_NO_LABELS:
      *labels = FALSE;
      return fd;
    case VMD_ISO_TRUNCATED:
      set_truncated (error, name, *size, facts.expected_size);
      break;
    case VMD_ISO_DAMAGED:
      g_set_error (error, VMD_ERROR, VMD_ERROR_DAMAGED,
                   _("“%s” is damaged: its table of contents cannot be read. Download it again."),
                   name);
      break;
    case VMD_ISO_UNREADABLE:
      set_read_error (error, name, facts.read_errno);
      break;
    case VMD_ISO_NOT_MEDIA:
    default:
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA,
                   _("“%s” is not an installer image: VmDesk reads ISO disc images."), name);
      break;
    }
  close (fd);
  return -1;
}
static gboolean
host_runs_arch (const char *arch)
{
  static const char * const x86[] = { "x86_64", "i386", "i486", "i586", "i686", "x86", NULL };

  return arch == NULL || g_str_equal (arch, "all") || g_strv_contains (x86, arch);
}

static int
compare_release_desc (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  GDate *da = osinfo_product_get_release_date (OSINFO_PRODUCT ((gpointer) a));
  GDate *db = osinfo_product_get_release_date (OSINFO_PRODUCT ((gpointer) b));

  if (da == NULL || db == NULL)
    return (da == NULL) - (db == NULL);
  return g_date_compare (db, da);
}

static gboolean
is_released (OsinfoOs *os)
{
  GDate *date = osinfo_product_get_release_date (OSINFO_PRODUCT (os));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate today;

  if (osinfo_os_get_release_status (os) != OSINFO_RELEASE_STATUS_RELEASED || date == NULL)
    return FALSE;
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
  return g_date_compare (date, &today) <= 0;
}

/* "Debian 11" with version "11" -> "Debian". */
static char *
family_name (OsinfoOs *os)
{
  const char *name = osinfo_product_get_name (OSINFO_PRODUCT (os));
  const char *version = osinfo_product_get_version (OSINFO_PRODUCT (os));
  g_autofree char *suffix = version ? g_strconcat (" ", version, NULL) : NULL;

  const char *at = suffix ? strstr (name, suffix) : NULL;

  /* "Ubuntu 22.04 LTS" -> "Ubuntu" too. */
  if (at != NULL)
    return g_strndup (name, at - name);
  return g_strdup (name);
}

/* "24.04" against "22.04", "12" against "11": numerically, part by part. */
static int
compare_versions (const char *a,
                  const char *b)
{
  g_auto(GStrv) pa = g_strsplit (a, ".", -1);
  g_auto(GStrv) pb = g_strsplit (b, ".", -1);

  for (guint i = 0; pa[i] != NULL || pb[i] != NULL; i++)
    {
      guint64 na = pa[i] ? g_ascii_strtoull (pa[i], NULL, 10) : 0;
      guint64 nb = pb[i] ? g_ascii_strtoull (pb[i], NULL, 10) : 0;

      if (na != nb)
        return na < nb ? -1 : 1;
      if (pa[i] == NULL || pb[i] == NULL)
        break;
    }
  return 0;
}

/* libosinfo's catch-all entries ("Fedora", fedora-unknown) match any
 * release of a family, with no number and no settings of their own. */
static gboolean
is_catch_all (OsinfoOs *os)
{
  return g_strcmp0 (osinfo_product_get_version (OSINFO_PRODUCT (os)), "unknown") == 0 ||
         g_str_has_suffix (osinfo_product_get_short_id (OSINFO_PRODUCT (os)) ?: "", "unknown");
}

/* The release number a label gives, if it is one that can be newer than
 * @newest: a label's first number, in the form of the family's numbers
 * (Debian counts in whole numbers, 12 and not 12.2; Ubuntu does not,
 * 24.04), newer than @newest, and not absurdly so. */
static char *
newer_version (const char *volume_id,
               OsinfoOs   *newest)
{
  const char *known = osinfo_product_get_version (OSINFO_PRODUCT (newest));
  g_autoptr(GRegex) number = g_regex_new ("[0-9]{1,4}(\\.[0-9]{1,4})?", 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *version = NULL;

  if (known == NULL || !g_ascii_isdigit (known[0]) ||
      !g_regex_match (number, volume_id, 0, &info))
    return NULL;
  version = g_match_info_fetch (info, 0);

  if (strchr (known, '.') == NULL)
    {
      char *dot = strchr (version, '.');

      if (dot != NULL)
        *dot = '\0';
    }

  if (compare_versions (version, known) <= 0 ||
      g_ascii_strtoull (version, NULL, 10) > g_ascii_strtoull (known, NULL, 10) + 20)
    return NULL;
  return g_steal_pointer (&version);
}

/* Whether @os is a numbered release of the family @catch_all stands for:
 * fedora37 for fedora-unknown, rhel9.1 for rhel9-unknown (but not
 * silverblue37, whose distro is fedora too). */
static gboolean
is_release_of (OsinfoOs *os,
               OsinfoOs *catch_all)
{
  const char *id = osinfo_product_get_short_id (OSINFO_PRODUCT (os));
  g_autofree char *prefix = g_strdup (osinfo_product_get_short_id (OSINFO_PRODUCT (catch_all)));
  gsize len;

  if (id == NULL || prefix == NULL || !g_str_has_suffix (prefix, "unknown"))
    return FALSE;
  len = strlen (prefix) - strlen ("unknown");
  if (len > 0 && prefix[len - 1] == '-')
    len--;
  prefix[len] = '\0';
  return len > 0 && g_str_has_prefix (id, prefix) && g_ascii_isdigit (id[len]);
}

/* For releases newer than the database: the distro its label names (or
 * the family of @catch_all, the entry libosinfo matched), and the newest
 * release of that distro the database knows. */
static void
guess_family (VmdMedia *self,
              OsinfoDb *db,
              OsinfoOs *catch_all)
{
  const char *volume_id = self->volume_id;  /* valid UTF-8, as GRegex needs */
  g_autoptr(OsinfoOsList) oses = NULL;
  g_autofree char *label = NULL;
  g_autofree char *family = NULL;
  g_autofree char *version = NULL;
  const char *best_distro = NULL;
  OsinfoOs *best = NULL;

  if (volume_id == NULL)
    return;

  label = g_ascii_strdown (volume_id, -1);
  g_strdelimit (label, "_-.", ' ');

  oses = osinfo_db_get_os_list (db);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (oses)); i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (oses), i));
      const char *distro = osinfo_os_get_distro (os);

      /* Short distro ids ("win", "rhl") would match anything. */
      if (distro == NULL || !is_released (os) || is_catch_all (os))
        continue;
      if (catch_all != NULL ? !is_release_of (os, catch_all)
                            : strlen (distro) < 4 || strstr (label, distro) == NULL)
        continue;

      if (best == NULL || strlen (distro) > strlen (best_distro) ||
          (g_str_equal (distro, best_distro) && compare_release_desc (os, best, NULL) < 0))
        {
          best = os;
          best_distro = distro;
        }
    }

  if (best == NULL)
    return;

  version = newer_version (volume_id, best);
  family = family_name (best);
  g_list_store_remove_all (self->candidates);
  g_list_store_append (self->candidates, best);
  self->match = VMD_MEDIA_MATCH_FAMILY;
  self->family_numbered = version != NULL;
  self->family_label = version ? g_strdup_printf ("%s %s", family, version)
                               : g_steal_pointer (&family);
}

static void
identify (VmdMedia  *self,
          OsinfoDb  *db,
          GError   **error)
{
  g_autoptr(OsinfoMediaList) matches = NULL;
  g_autoptr(GPtrArray) oses = g_ptr_array_new ();
  const char *foreign_arch = NULL;

  if (self->media != NULL)
    matches = osinfo_db_identify_medialist (db, self->media);

  for (int i = 0; matches != NULL && i < osinfo_list_get_length (OSINFO_LIST (matches)); i++)
    {
      OsinfoMedia *media = OSINFO_MEDIA (osinfo_list_get_nth (OSINFO_LIST (matches), i));
      g_autoptr(OsinfoOs) os = NULL;
      const char *arch = osinfo_media_get_architecture (media);

      if (!host_runs_arch (arch))
        {
          foreign_arch = arch;
          continue;
        }
      if (self->db_media == NULL)
        self->db_media = g_object_ref (media);

      g_object_get (media, "os", &os, NULL);
      if (os != NULL && !g_ptr_array_find (oses, os, NULL))
        g_ptr_array_add (oses, os);
    }

  if (oses->len == 0 && foreign_arch != NULL)
    {
      g_autofree char *name = vmd_text_dup_display_basename (self->path);

      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_ARCH,
                   _("“%s” is for %s computers: this computer cannot run it."),
                   name, foreign_arch);
      return;
    }

  /* Newest first: a freshly downloaded image is most likely the latest of
   * the releases that share its label. */
  for (guint i = 0; i < oses->len; i++)
    g_list_store_insert_sorted (self->candidates, g_ptr_array_index (oses, i),
                                compare_release_desc, NULL);

  if (oses->len == 1 && is_catch_all (g_ptr_array_index (oses, 0)))
    guess_family (self, db, g_ptr_array_index (oses, 0));
  if (oses->len > 0 && self->match == VMD_MEDIA_MATCH_UNKNOWN)
    self->match = VMD_MEDIA_MATCH_EXACT;
  else if (oses->len == 0)
    guess_family (self, db, NULL);
}

static void
on_db_loaded (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdMedia *self = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vmd_os_db_load_finish (VMD_OS_DB (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  identify (self, vmd_os_db_get_db (VMD_OS_DB (object)), &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (self), g_object_unref);
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

static guint
timeout_ms (void)
{
  const char *env = g_getenv ("VMD_MEDIA_TIMEOUT_MS");
  guint64 ms;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &ms, NULL))
    return ms;
  return 10000;
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

static void
on_db_ready (VmdMedia *self,
             GTask    *task)
{
  vmd_os_db_load_async (vmd_os_db_get_default (), g_task_get_cancellable (task),
                        on_db_loaded, task);
}

static gboolean
on_read (gpointer user_data)
{
  Reading *reading = user_data;
  GTask *task = reading_steal_task (reading);
  VmdMedia *self;

  if (task == NULL)
    return G_SOURCE_REMOVE;  /* answered already: too late, or cancelled */

  if (reading->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&reading->error));
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  self = g_task_get_task_data (task);
  self->size = reading->size;
  self->media = g_steal_pointer (&reading->media);
  if (self->media != NULL && osinfo_media_get_volume_id (self->media) != NULL)
    self->volume_id = vmd_text_make_printable (osinfo_media_get_volume_id (self->media), -1);
  on_db_ready (self, task);
  return G_SOURCE_REMOVE;
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
      g_autoptr(GMainContext) context = g_main_context_new ();
      g_autofree char *fd_path = g_strdup_printf ("/proc/self/fd/%d", fd);
      g_autoptr(GError) error = NULL;

      /* libosinfo opens the file again: let it open the one checked. Its
       * synchronous call runs a loop on the thread's default context. */
      g_main_context_push_thread_default (context);
      reading->media = osinfo_media_create_from_location_with_flags (
          g_file_test (fd_path, G_FILE_TEST_EXISTS) ? fd_path : reading->path,
          reading->cancellable, 0, &error);
      g_main_context_pop_thread_default (context);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        reading->error = g_steal_pointer (&error);
      else if (error != NULL)
        /* A readable disc image without what libosinfo looks for (a
         * UDF-only DVD, say): still usable, as an unknown system. */
        g_debug ("libosinfo cannot read %s: %s", reading->path, error->message);
    }
  if (fd >= 0)
    close (fd);

  g_main_context_invoke_full (reading->context, G_PRIORITY_DEFAULT, on_read,
                              reading, (GDestroyNotify) reading_unref);
  return NULL;
}

static void
start_reading (GTask *task)
{
  VmdMedia *self = g_task_get_task_data (task);
  Reading *reading = g_atomic_rc_box_new0 (Reading);
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GError) error = NULL;

  reading->task = task;
  reading->path = g_strdup (self->path);
  reading->context = g_main_context_ref_thread_default ();
  if (g_task_get_cancellable (task) != NULL)
    {
      reading->cancellable = g_object_ref (g_task_get_cancellable (task));
      reading->cancelled = g_cancellable_source_new (reading->cancellable);
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

/**
 * vmd_media_identify_async:
 * @path: a local file
 *
 * Checks that @path is a readable, complete disc image, reads its labels
 * (libosinfo, on a thread of its own, within a time bound) and matches
 * them against the OS database.
 */
void
vmd_media_identify_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  VmdMedia *self;

  g_return_if_fail (path != NULL);

  self = g_object_new (VMD_TYPE_MEDIA, NULL);
  self->path = g_canonicalize_filename (path, NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_media_identify_async);
  g_task_set_task_data (task, self, g_object_unref);
  start_reading (task);
}

VmdMedia *
vmd_media_identify_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
vmd_media_get_path (VmdMedia *self)
{
  g_return_val_if_fail (VMD_IS_MEDIA (self), NULL);
  return self->path;
}

const char *
vmd_media_get_volume_id (VmdMedia *self)
{
  g_return_val_if_fail (VMD_IS_MEDIA (self), NULL);
  return self->volume_id;
}

const char *
vmd_media_get_architecture (VmdMedia *self)
{
  const char *arch = NULL;

  g_return_val_if_fail (VMD_IS_MEDIA (self), NULL);

  if (self->db_media != NULL)
    arch = osinfo_media_get_architecture (self->db_media);
  if (arch == NULL || g_str_equal (arch, "all"))
    arch = "x86_64";
  return arch;
}

gboolean
vmd_media_get_installer (VmdMedia *self)
{
  g_return_val_if_fail (VMD_IS_MEDIA (self), FALSE);
  return self->db_media ? osinfo_media_get_installer (self->db_media) : TRUE;
}

gboolean
vmd_media_get_live (VmdMedia *self)
{
  g_return_val_if_fail (VMD_IS_MEDIA (self), FALSE);
  return self->db_media ? osinfo_media_get_live (self->db_media) : FALSE;
}

guint64
vmd_media_get_size (VmdMedia *self)
{
  g_return_val_if_fail (VMD_IS_MEDIA (self), 0);
  return self->size;
}

VmdMediaMatch
vmd_media_get_match (VmdMedia *self)
{
  g_return_val_if_fail (VMD_IS_MEDIA (self), VMD_MEDIA_MATCH_UNKNOWN);
  return self->match;
}

GListModel *
vmd_media_get_candidates (VmdMedia *self)
{
  g_return_val_if_fail (VMD_IS_MEDIA (self), NULL);
  return G_LIST_MODEL (self->candidates);
}

/**
 * vmd_media_get_os:
 *
 * Returns: (transfer none) (nullable): the OS whose settings the new guest
 * gets: the chosen candidate, or %NULL for an unknown system.
 */
OsinfoOs *
vmd_media_get_os (VmdMedia *self)
{
  g_autoptr(OsinfoOs) os = NULL;

  g_return_val_if_fail (VMD_IS_MEDIA (self), NULL);

  os = g_list_model_get_item (G_LIST_MODEL (self->candidates), self->selected);
  return os;  /* the store keeps it alive */
}

void
vmd_media_select_os (VmdMedia *self,
                     guint     position)
{
  g_return_if_fail (VMD_IS_MEDIA (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->candidates)));

  self->selected = position;
}

const char *
vmd_media_get_os_label (VmdMedia *self)
{
  OsinfoOs *os;

  g_return_val_if_fail (VMD_IS_MEDIA (self), NULL);

  if (self->match == VMD_MEDIA_MATCH_FAMILY)
    return self->family_label;
  os = vmd_media_get_os (self);
  if (os == NULL)
    return _("Unknown operating system");
  return osinfo_product_get_name (OSINFO_PRODUCT (os));
}

char *
vmd_media_dup_explanation (VmdMedia *self)
{
  OsinfoOs *os;

  g_return_val_if_fail (VMD_IS_MEDIA (self), NULL);

  os = vmd_media_get_os (self);
  switch (self->match)
    {
    case VMD_MEDIA_MATCH_FAMILY:
      if (!self->family_numbered)
        return g_strdup_printf (_("VmDesk does not know this release of %s: "
                                  "using the settings of %s."),
                                self->family_label,
                                osinfo_product_get_name (OSINFO_PRODUCT (os)));
      return g_strdup_printf (_("%s is newer than this computer’s list of systems: "
                                "using the settings of %s."),
                              self->family_label,
                              osinfo_product_get_name (OSINFO_PRODUCT (os)));
    case VMD_MEDIA_MATCH_UNKNOWN:
      return g_strdup (_("VmDesk does not recognise this system: the machine gets "
                         "general-purpose settings. You can change them."));
    case VMD_MEDIA_MATCH_EXACT:
    default:
      return NULL;
    }
}
