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
#include "vmd-media.h"
#include "vmd-os-db.h"

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
};

G_DEFINE_FINAL_TYPE (VmdMedia, vmd_media, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VmdMediaMatch, vmd_media_match,
  G_DEFINE_ENUM_VALUE (VMD_MEDIA_MATCH_EXACT, "exact"),
  G_DEFINE_ENUM_VALUE (VMD_MEDIA_MATCH_FAMILY, "family"),
  G_DEFINE_ENUM_VALUE (VMD_MEDIA_MATCH_UNKNOWN, "unknown"))

/* ISO 9660 puts its volume descriptors from sector 16 on. */
#define ISO_SECTOR         2048
#define ISO_FIRST_VD       (16 * ISO_SECTOR)

static void
vmd_media_finalize (GObject *object)
{
  VmdMedia *self = (VmdMedia *) object;

  g_free (self->path);
  g_free (self->family_label);
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

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* Blocking. libosinfo's own errors for files that are not images are
 * misleading ('No "ppc" directory record extent'), so look first. */
static gboolean
check_file (const char  *path,
            guint64     *size,
            GError     **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  guint8 vd[ISO_SECTOR];
  GStatBuf st;
  gssize n;
  int fd;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT || saved_errno == ENOTDIR)
        g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                     _("“%s” does not exist."), name);
      else
        g_set_error (error, VMD_ERROR, VMD_ERROR_PERMISSION,
                     _("“%s” cannot be read: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not an installer image."), name);
      return FALSE;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, VMD_ERROR, VMD_ERROR_PERMISSION,
                   _("“%s” cannot be read: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }
  n = pread (fd, vd, sizeof vd, ISO_FIRST_VD);
  close (fd);

  /* "CD001": ISO 9660; "BEA01": the start of a UDF volume (DVD images). */
  if (n != (gssize) sizeof vd ||
      (memcmp (vd + 1, "CD001", 5) != 0 && memcmp (vd + 1, "BEA01", 5) != 0))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA,
                   _("“%s” is not an installer image: VmDesk reads ISO disc images."), name);
      return FALSE;
    }

  /* A primary volume descriptor says how big the volume is: an image
   * smaller than that is an interrupted download. */
  if (vd[0] == 1 && memcmp (vd + 1, "CD001", 5) == 0)
    {
      guint64 blocks = read_le32 (vd + 80);
      guint64 block_size = (guint64) vd[128] | (guint64) vd[129] << 8;
      guint64 expected = blocks * (block_size ? block_size : ISO_SECTOR);

      if ((guint64) st.st_size < expected)
        {
          g_autofree char *have = g_format_size (st.st_size);
          g_autofree char *want = g_format_size (expected);

          g_set_error (error, VMD_ERROR, VMD_ERROR_TRUNCATED,
                       _("“%s” is incomplete: it holds %s of %s. Download it again."),
                       name, have, want);
          return FALSE;
        }
    }

  *size = st.st_size;
  return TRUE;
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

/* For releases newer than the database: the distro its label names, and
 * the newest release of that distro the database knows. */
static void
guess_family (VmdMedia *self,
              OsinfoDb *db)
{
  const char *volume_id = self->media ? osinfo_media_get_volume_id (self->media) : NULL;
  g_autoptr(OsinfoOsList) oses = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GMatchInfo) info = NULL;
  g_autoptr(GRegex) number = NULL;
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
      if (distro == NULL || strlen (distro) < 4 || strstr (label, distro) == NULL ||
          !is_released (os))
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

  number = g_regex_new ("[0-9]+(\\.[0-9]+)?", 0, 0, NULL);
  if (g_regex_match (number, volume_id, 0, &info))
    version = g_match_info_fetch (info, 0);

  /* Debian counts releases in whole numbers (12, not 12.2), Ubuntu does not
   * (24.04): follow what the family's known releases look like. */
  if (version != NULL && strchr (osinfo_product_get_version (OSINFO_PRODUCT (best)) ?: "", '.') == NULL)
    {
      char *dot = strchr (version, '.');

      if (dot != NULL)
        *dot = '\0';
    }

  family = family_name (best);
  g_list_store_append (self->candidates, best);
  self->match = VMD_MEDIA_MATCH_FAMILY;
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
      g_autofree char *name = g_filename_display_basename (self->path);

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

  if (oses->len > 0)
    self->match = VMD_MEDIA_MATCH_EXACT;
  else
    guess_family (self, db);
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

static void
on_media_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdMedia *self = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  self->media = osinfo_media_create_from_location_with_flags_finish (result, &error);
  if (self->media == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* A readable disc image without what libosinfo looks for (a UDF-only
       * DVD, say): still usable, as an unknown system. */
      g_debug ("libosinfo cannot read %s: %s", self->path, error->message);
    }

  vmd_os_db_load_async (vmd_os_db_get_default (), g_task_get_cancellable (task),
                        on_db_loaded, g_object_ref (task));
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  VmdMedia *self = task_data;
  GError *error = NULL;

  if (check_file (self->path, &self->size, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdMedia *self = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  osinfo_media_create_from_location_with_flags_async (self->path, G_PRIORITY_DEFAULT,
                                                      g_task_get_cancellable (task),
                                                      on_media_read, 0, g_object_ref (task));
}

/**
 * vmd_media_identify_async:
 * @path: a local file
 *
 * Checks that @path is a readable, complete disc image, reads its labels
 * (libosinfo, asynchronously) and matches them against the OS database.
 */
void
vmd_media_identify_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) check = NULL;
  VmdMedia *self;

  g_return_if_fail (path != NULL);

  self = g_object_new (VMD_TYPE_MEDIA, NULL);
  self->path = g_canonicalize_filename (path, NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_media_identify_async);
  g_task_set_task_data (task, self, g_object_unref);

  check = g_task_new (NULL, cancellable, on_checked, g_steal_pointer (&task));
  g_task_set_task_data (check, g_object_ref (self), g_object_unref);
  g_task_run_in_thread (check, check_thread);
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
  return self->media ? osinfo_media_get_volume_id (self->media) : NULL;
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
