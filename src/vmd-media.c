/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-media"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-media-private.h"
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
  GPtrArray     *db_medias;   /* every entry it matched, for any system (OsinfoMedia) */
  GListStore    *candidates;  /* OsinfoOs */
  guint          selected;
  VmdMediaMatch  match;
  char          *family_label;
  gboolean       family_numbered;  /* the label names a release newer than the database */
  char          *volume_id;        /* printable */
  gboolean       remote;           /* path is on another computer, read through libvirt */
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
  g_clear_pointer (&self->db_medias, g_ptr_array_unref);
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
  self->db_medias = g_ptr_array_new_with_free_func (g_object_unref);
  self->match = VMD_MEDIA_MATCH_UNKNOWN;
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
      g_ptr_array_add (self->db_medias, g_object_ref (media));

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

  if (oses->len == 0)
    {
      guess_family (self, db, NULL);
      return;
    }
  if (oses->len == 1 && is_catch_all (g_ptr_array_index (oses, 0)))
    guess_family (self, db, g_ptr_array_index (oses, 0));
  if (self->match == VMD_MEDIA_MATCH_UNKNOWN)
    self->match = VMD_MEDIA_MATCH_EXACT;
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

/* The image is read: its labels against the OS database. */
static void
read_done (GTask *task)
{
  VmdMedia *self = g_task_get_task_data (task);

  if (self->media != NULL && osinfo_media_get_volume_id (self->media) != NULL)
    self->volume_id = vmd_text_make_printable (osinfo_media_get_volume_id (self->media), -1);
  vmd_os_db_load_async (vmd_os_db_get_default (), g_task_get_cancellable (task), on_db_loaded,
                        task);
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  VmdMedia *self = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean read;

  read = g_task_get_source_tag (G_TASK (result)) == _vmd_media_read_there_async
         ? _vmd_media_read_there_finish (result, &self->size, &self->media, &error)
         : _vmd_media_read_finish (result, &self->size, &self->media, &error);
  if (!read)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  read_done (task);
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
  _vmd_media_read_async (self->path, cancellable, on_read, task);
}

/**
 * vmd_media_identify_there_async:
 * @connection: the computer the image is on
 * @path: the image's path there, a volume of one of its storage pools
 *   (vmd_connection_list_images_async())
 *
 * As vmd_media_identify_async(), for an image on the computer of
 * @connection, once it is connected: VmDesk reads only what identification
 * needs of it, through libvirt, and a machine made from it there uses it
 * where it is (vmd_media_get_remote()).
 */
void
vmd_media_identify_there_async (VmdConnection       *connection,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  VmdMedia *self;

  g_return_if_fail (VMD_IS_CONNECTION (connection));
  g_return_if_fail (path != NULL);

  self = g_object_new (VMD_TYPE_MEDIA, NULL);
  self->path = g_strdup (path);
  self->remote = TRUE;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_media_identify_async);
  g_task_set_task_data (task, self, g_object_unref);
  _vmd_media_read_there_async (connection, self->path, cancellable, on_read, task);
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

/* Whether the image is on another computer (vmd_media_identify_there_async()). */
gboolean
vmd_media_get_remote (VmdMedia *self)
{
  g_return_val_if_fail (VMD_IS_MEDIA (self), FALSE);
  return self->remote;
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

/**
 * vmd_media_get_osinfo_media:
 *
 * Returns: (nullable) (transfer none): libosinfo's entry for this image,
 * when it is of the chosen system (its kernel, initrd, install scripts)
 */
OsinfoMedia *
vmd_media_get_osinfo_media (VmdMedia *self)
{
  OsinfoOs *chosen;

  g_return_val_if_fail (VMD_IS_MEDIA (self), NULL);

  chosen = vmd_media_get_os (self);
  for (guint i = 0; chosen != NULL && i < self->db_medias->len; i++)
    {
      g_autoptr(OsinfoOs) os = NULL;

      g_object_get (self->db_medias->pdata[i], "os", &os, NULL);
      if (os == chosen)
        return self->db_medias->pdata[i];
    }
  return NULL;
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
