/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-os-db"

#include "config.h"

#include "vmd-os-db.h"

/* The libosinfo database, loaded once per process in a worker thread
 * (loading the system, local and user databases takes ~0.4 s). */
struct _VmdOsDb
{
  GObject   parent_instance;

  OsinfoDb *db;
  GPtrArray *waiting;   /* GTask: loads asked for while one runs */
};

G_DEFINE_FINAL_TYPE (VmdOsDb, vmd_os_db, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vmd_os_db_finalize (GObject *object)
{
  VmdOsDb *self = (VmdOsDb *) object;

  g_clear_object (&self->db);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

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
}

static void
vmd_os_db_init (VmdOsDb *self)
{
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

/**
 * vmd_os_db_dup_os_name:
 *
 * The name people know an OS by ("Debian 11"), or %NULL when the database
 * is not loaded yet or does not know @os_id.
 */
char *
vmd_os_db_dup_os_name (VmdOsDb    *self,
                       const char *os_id)
{
  OsinfoOs *os;

  g_return_val_if_fail (VMD_IS_OS_DB (self), NULL);

  if (self->db == NULL || os_id == NULL)
    return NULL;

  os = osinfo_db_get_os (self->db, os_id);
  if (os == NULL)
    return NULL;

  return g_strdup (osinfo_product_get_name (OSINFO_PRODUCT (os)));
}
