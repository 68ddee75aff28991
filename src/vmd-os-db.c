/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-os-db"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vmd-error.h"
#include "vmd-os-db.h"

/* The libosinfo database, loaded once per process in a worker thread
 * (loading the system, local and user databases takes ~0.4 s and ~40 MB),
 * when an installer is identified. The library only needs the names of its
 * machines' systems: those come from the few files of each system's vendor
 * (its <os> entries' names, nothing else), read in the background. */
struct _VmdOsDb
{
  GObject     parent_instance;

  OsinfoDb   *db;
  GPtrArray  *waiting;    /* GTask: loads asked for while one runs */
  GHashTable *names;      /* id → name; "" where it is not found, NULL while looked up */
  GHashTable *wanted;     /* ids asked for and not yet looked up */
  gboolean    resolving;
};

G_DEFINE_FINAL_TYPE (VmdOsDb, vmd_os_db, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  NAMES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vmd_os_db_finalize (GObject *object)
{
  VmdOsDb *self = (VmdOsDb *) object;

  g_clear_object (&self->db);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->wanted, g_hash_table_unref);

  G_OBJECT_CLASS (vmd_os_db_parent_class)->finalize (object);
}

static void
vmd_os_db_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VmdOsDb *self = VMD_OS_DB (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->db != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_os_db_class_init (VmdOsDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_os_db_finalize;
  object_class->get_property = vmd_os_db_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VmdOsDb::names-changed:
   *
   * Names asked for with vmd_os_db_dup_os_name() are known now.
   */
  signals[NAMES_CHANGED] =
    g_signal_new ("names-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_os_db_init (VmdOsDb *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

VmdOsDb *
vmd_os_db_get_default (void)
{
  static VmdOsDb *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, g_object_new (VMD_TYPE_OS_DB, NULL));

  return instance;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  g_autoptr(GError) error = NULL;

  osinfo_loader_process_system_path (loader, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Databases added by osinfo-db-import --local or --user: a broken one must
   * not cost the system's. */
  osinfo_loader_process_local_path (loader, &error);
  if (error != NULL)
    g_message ("Skipping the local libosinfo database: %s", error->message);
  g_clear_error (&error);
  osinfo_loader_process_user_path (loader, &error);
  if (error != NULL)
    g_message ("Skipping the user's libosinfo database: %s", error->message);

  g_task_return_pointer (task, g_object_ref (osinfo_loader_get_db (loader)), g_object_unref);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  VmdOsDb *self = VMD_OS_DB (object);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  g_autoptr(GError) error = NULL;
  OsinfoDb *db;

  db = g_task_propagate_pointer (G_TASK (result), &error);
  if (db != NULL)
    {
      self->db = db;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  else
    g_warning ("Cannot load the libosinfo database: %s", error->message);

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

void
vmd_os_db_load_async (VmdOsDb             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_OS_DB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_os_db_load_async);

  if (self->db != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->waiting == NULL)
    {
      g_autoptr(GTask) load = g_task_new (self, NULL, on_loaded, NULL);

      self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
      g_task_run_in_thread (load, load_thread);
    }

  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
}

gboolean
vmd_os_db_load_finish (VmdOsDb       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
vmd_os_db_is_loaded (VmdOsDb *self)
{
  g_return_val_if_fail (VMD_IS_OS_DB (self), FALSE);
  return self->db != NULL;
}

OsinfoDb *
vmd_os_db_get_db (VmdOsDb *self)
{
  g_return_val_if_fail (VMD_IS_OS_DB (self), NULL);
  return self->db;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const char *name_a = osinfo_product_get_name (*(OsinfoProduct **) a);
  const char *name_b = osinfo_product_get_name (*(OsinfoProduct **) b);

  return g_utf8_collate (name_a ? name_a : "", name_b ? name_b : "");
}

/* Every system the loaded database knows, by name as people read them:
 * what a person picks from when VmDesk cannot tell. */
GPtrArray *
vmd_os_db_list_by_name (VmdOsDb *self)
{
  g_autoptr(OsinfoOsList) list = NULL;
  GPtrArray *systems;
  int n;

  g_return_val_if_fail (VMD_IS_OS_DB (self), NULL);

  systems = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->db == NULL)
    return systems;
  list = osinfo_db_get_os_list (self->db);
  n = osinfo_list_get_length (OSINFO_LIST (list));
  for (int i = 0; i < n; i++)
    g_ptr_array_add (systems, g_object_ref (osinfo_list_get_nth (OSINFO_LIST (list), i)));
  g_ptr_array_sort (systems, compare_names);
  return systems;
}

/* -- what can be downloaded ---------------------------------------------- */

/* The medium to download for @os: a 64-bit PC installer the database has an
 * address for, else a live image; NULL when there is none. */
static OsinfoMedia *
download_media (OsinfoOs *os)
{
  g_autoptr(OsinfoMediaList) medias = osinfo_os_get_media_list (os);
  OsinfoMedia *best = NULL;
  int n = osinfo_list_get_length (OSINFO_LIST (medias));

  for (int i = 0; i < n; i++)
    {
      OsinfoMedia *media = OSINFO_MEDIA (osinfo_list_get_nth (OSINFO_LIST (medias), i));
      const char *url = osinfo_media_get_url (media);

      if (url == NULL || !g_str_has_prefix (url, "http") ||
          g_strcmp0 (osinfo_media_get_architecture (media), "x86_64") != 0)
        continue;
      if (best == NULL || (osinfo_media_get_installer (media) &&
                           !osinfo_media_get_installer (best)))
        best = media;
    }
  return best != NULL ? g_object_ref (best) : NULL;
}

/* Released on or before @today, and not past its end of life. */
static gboolean
is_current (OsinfoOs    *os,
            const GDate *today)
{
  GDate *released = osinfo_product_get_release_date (OSINFO_PRODUCT (os));
  GDate *eol = osinfo_product_get_eol_date (OSINFO_PRODUCT (os));
  gboolean current;

  current = osinfo_os_get_release_status (os) == OSINFO_RELEASE_STATUS_RELEASED &&
            released != NULL && g_date_compare (released, today) <= 0 &&
            (eol == NULL || g_date_compare (eol, today) > 0);
  g_clear_pointer (&released, g_date_free);
  g_clear_pointer (&eol, g_date_free);
  return current;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  g_autoptr(OsinfoOs) os_a = osinfo_media_get_os (*(OsinfoMedia **) a);
  g_autoptr(OsinfoOs) os_b = osinfo_media_get_os (*(OsinfoMedia **) b);
  const char *date_a = osinfo_product_get_release_date_string (OSINFO_PRODUCT (os_a));
  const char *date_b = osinfo_product_get_release_date_string (OSINFO_PRODUCT (os_b));
  int by_date = g_strcmp0 (date_b, date_a);  /* ISO dates sort as strings */

  return by_date != 0 ? by_date : compare_names (&os_a, &os_b);
}

/**
 * vmd_os_db_list_downloads:
 * @today: the date that decides what is released and what is past its end
 *
 * The systems of the loaded database that can be downloaded, released and
 * supported on @today, newest first: one medium each (its system is
 * osinfo_media_get_os()).
 *
 * Returns: (transfer full) (element-type OsinfoMedia):
 */
GPtrArray *
vmd_os_db_list_downloads (VmdOsDb     *self,
                          const GDate *today)
{
  g_autoptr(OsinfoOsList) list = NULL;
  GPtrArray *medias;
  int n;

  g_return_val_if_fail (VMD_IS_OS_DB (self), NULL);

  medias = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->db == NULL)
    return medias;
  list = osinfo_db_get_os_list (self->db);
  n = osinfo_list_get_length (OSINFO_LIST (list));
  for (int i = 0; i < n; i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i));
      OsinfoMedia *media;

      if (!is_current (os, today))
        continue;
      media = download_media (os);
      if (media != NULL)
        g_ptr_array_add (medias, media);
    }
  g_ptr_array_sort (medias, compare_newest_first);
  return medias;
}

/**
 * vmd_os_db_find_download:
 * @id: a system's short id ("debian12") or full id
 *   ("http://debian.org/debian/12")
 *
 * The medium to download for one system, whatever its date.
 *
 * Returns: (transfer full): the medium, or %NULL with @error saying why
 */
OsinfoMedia *
vmd_os_db_find_download (VmdOsDb     *self,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(OsinfoOsList) list = NULL;
  OsinfoOs *os = NULL;
  OsinfoMedia *media;
  int n;

  g_return_val_if_fail (VMD_IS_OS_DB (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (self->db != NULL)
    os = osinfo_db_get_os (self->db, id);
  if (os == NULL && self->db != NULL)
    {
      list = osinfo_db_get_os_list (self->db);
      n = osinfo_list_get_length (OSINFO_LIST (list));
      for (int i = 0; i < n && os == NULL; i++)
        {
          OsinfoProduct *product = OSINFO_PRODUCT (osinfo_list_get_nth (OSINFO_LIST (list), i));
          g_autoptr(GList) ids = osinfo_product_get_short_id_list (product);

          if (g_list_find_custom (ids, id, (GCompareFunc) g_strcmp0) != NULL)
            os = OSINFO_OS (product);
        }
    }
  if (os == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                   _("libosinfo knows no system “%s” (try a short id such as “debian11”)."), id);
      return NULL;
    }
  media = download_media (os);
  if (media == NULL)
    g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                 _("libosinfo has no download address for %s."),
                 osinfo_product_get_name (OSINFO_PRODUCT (os)));
  return media;
}

/* -- names without the whole database ----------------------------------- */

/* Where libosinfo's loader looks, in its order (later ones win), with the
 * same variables to move them. */
static GPtrArray *
database_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  const char *system = g_getenv ("OSINFO_SYSTEM_DIR");
  const char *local = g_getenv ("OSINFO_LOCAL_DIR");
  const char *user = g_getenv ("OSINFO_USER_DIR");

  g_ptr_array_add (dirs, g_strdup (system ? system : "/usr/share/osinfo"));
  g_ptr_array_add (dirs, g_strdup (local ? local : "/etc/osinfo"));
  g_ptr_array_add (dirs, user ? g_strdup (user)
                              : g_build_filename (g_get_user_config_dir (), "osinfo", NULL));
  return dirs;
}

/* osinfo-db keeps each system in os/VENDOR/, VENDOR the host of its id
 * ("http://debian.org/debian/12" in os/debian.org/). */
static char *
vendor_of (const char *os_id)
{
  g_autoptr(GUri) uri = g_uri_parse (os_id, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host == NULL || *host == '\0' || strchr (host, '/') != NULL || host[0] == '.')
    return NULL;
  return g_strdup (host);
}

/* The names of the systems that @path (one osinfo-db file) describes,
 * those of @wanted, into @names. Only the <os> entries' own <name> is
 * read: a name does not depend on the rest of the database. */
static void
read_names (const char *path,
            GHashTable *wanted,
            GHashTable *names)
{
  xmlDocPtr doc = xmlReadFile (path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                             XML_PARSE_NOWARNING);
  xmlNodePtr root = doc ? xmlDocGetRootElement (doc) : NULL;

  for (xmlNodePtr os = root ? root->children : NULL; os != NULL; os = os->next)
    {
      xmlChar *id;

      if (os->type != XML_ELEMENT_NODE || !xmlStrEqual (os->name, BAD_CAST "os"))
        continue;
      id = xmlGetProp (os, BAD_CAST "id");
      if (id != NULL && g_hash_table_contains (wanted, id))
        {
          for (xmlNodePtr child = os->children; child != NULL; child = child->next)
            {
              xmlChar *lang, *name;

              if (child->type != XML_ELEMENT_NODE || !xmlStrEqual (child->name, BAD_CAST "name"))
                continue;
              lang = xmlNodeGetLang (child);
              name = lang == NULL ? xmlNodeGetContent (child) : NULL;
              if (name != NULL && g_utf8_validate ((const char *) name, -1, NULL))
                g_hash_table_replace (names, g_strdup ((const char *) id),
                                      g_strstrip (g_strdup ((const char *) name)));
              xmlFree (name);
              xmlFree (lang);
            }
        }
      xmlFree (id);
    }
  if (doc != NULL)
    xmlFreeDoc (doc);
}

/**
 * vmd_os_db_read_names:
 * @ids: the systems' ids
 *
 * Reads the names of the systems @ids from osinfo-db's files, without
 * loading the database: only the files of their vendors. Safe from any
 * thread; slow (files), so not on the main one.
 *
 * Returns: (transfer full): id → name, "" for an id not found
 */
GHashTable *
vmd_os_db_read_names (const char * const *ids)
{
  g_autoptr(GPtrArray) dirs = database_dirs ();
  g_autoptr(GHashTable) vendors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer vendor;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      char *name = vendor_of (ids[i]);

      g_hash_table_add (wanted, (gpointer) ids[i]);
      if (name != NULL)
        g_hash_table_add (vendors, name);
    }

  /* In libosinfo's order: the local and the user's databases win. */
  for (guint d = 0; d < dirs->len; d++)
    {
      g_hash_table_iter_init (&iter, vendors);
      while (g_hash_table_iter_next (&iter, &vendor, NULL))
        {
          g_autofree char *path = g_build_filename (dirs->pdata[d], "os", vendor, NULL);
          g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
          const char *file;

          while (dir != NULL && (file = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *full = g_build_filename (path, file, NULL);

              if (g_str_has_suffix (file, ".xml"))
                read_names (full, wanted, names);
            }
        }
    }

  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_hash_table_contains (names, ids[i]))
      g_hash_table_insert (names, g_strdup (ids[i]), g_strdup (""));

  return names;
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_task_return_pointer (task, vmd_os_db_read_names (task_data),
                         (GDestroyNotify) g_hash_table_unref);
}

/**
 * vmd_os_db_add_names:
 * @names: id → name, as vmd_os_db_read_names() gives
 *
 * Takes names read elsewhere (by a thread that had the ids first), and
 * says so (#VmdOsDb::names-changed).
 */
void
vmd_os_db_add_names (VmdOsDb    *self,
                     GHashTable *names)
{
  GHashTableIter iter;
  gpointer id, name;

  g_return_if_fail (VMD_IS_OS_DB (self));

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &id, &name))
    {
      g_hash_table_remove (self->wanted, id);
      g_hash_table_replace (self->names, g_strdup (id), g_strdup (name));
    }
  g_signal_emit (self, signals[NAMES_CHANGED], 0);
}

static void resolve_wanted (VmdOsDb *self);

static void
on_resolved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  VmdOsDb *self = VMD_OS_DB (object);
  g_autoptr(GHashTable) names = g_task_propagate_pointer (G_TASK (result), NULL);

  self->resolving = FALSE;
  vmd_os_db_add_names (self, names);
  resolve_wanted (self);
}

static void
resolve_wanted (VmdOsDb *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) ids = NULL;
  GHashTableIter iter;
  gpointer id;

  if (self->resolving || g_hash_table_size (self->wanted) == 0)
    return;

  ids = g_strv_builder_new ();
  g_hash_table_iter_init (&iter, self->wanted);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_strv_builder_add (ids, id);
  g_hash_table_remove_all (self->wanted);

  self->resolving = TRUE;
  task = g_task_new (self, NULL, on_resolved, NULL);
  g_task_set_source_tag (task, resolve_wanted);
  g_task_set_task_data (task, g_strv_builder_end (ids), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, resolve_thread);
}

static gboolean
resolve_idle (gpointer user_data)
{
  resolve_wanted (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * vmd_os_db_dup_os_name:
 *
 * The name people know an OS by ("Debian 11"), or %NULL when it is not
 * known yet or not at all. One not known yet is looked up in the
 * background, without loading the whole database: #VmdOsDb::names-changed
 * says when.
 */
char *
vmd_os_db_dup_os_name (VmdOsDb    *self,
                       const char *os_id)
{
  const char *name;

  g_return_val_if_fail (VMD_IS_OS_DB (self), NULL);

  if (os_id == NULL)
    return NULL;

  if (self->db != NULL)
    {
      OsinfoOs *os = osinfo_db_get_os (self->db, os_id);

      return os ? g_strdup (osinfo_product_get_name (OSINFO_PRODUCT (os))) : NULL;
    }

  /* NULL while being looked up, "" where it is not found. */
  if (g_hash_table_lookup_extended (self->names, os_id, NULL, (gpointer *) &name))
    return name && *name ? g_strdup (name) : NULL;
  g_hash_table_insert (self->names, g_strdup (os_id), NULL);

  /* Many machines ask at once (a library opening): one lookup for all. */
  if (g_hash_table_size (self->wanted) == 0 && !self->resolving)
    g_idle_add_full (G_PRIORITY_DEFAULT, resolve_idle, g_object_ref (self), g_object_unref);
  g_hash_table_add (self->wanted, g_strdup (os_id));
  return NULL;
}
