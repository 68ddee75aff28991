/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-connection"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>

#include "vmd-connection-private.h"
#include "vmd-machine-private.h"
#include "vmd-name.h"
#include "vmd-os-db.h"

/* The machines of a connection: the model, kept live by the daemon's
 * lifecycle events (one read per event, never polled), and what adds to
 * it (definitions, lookups). The connection's life is vmd-connection.c. */

typedef struct
{
  virDomainPtr  domain;
  char         *uuid;
  guint         serial;
} RefreshData;

static void
refresh_data_free (RefreshData *data)
{
  g_clear_pointer (&data->domain, virDomainFree);
  g_free (data->uuid);
  g_free (data);
}

static void
update_os_name (VmdMachine *machine)
{
  g_autofree char *name =
    vmd_os_db_dup_os_name (vmd_os_db_get_default (), vmd_machine_get_os_id (machine));

  _vmd_machine_set_os_name (machine, name);
}

/* @machine's name changed: the model says so, for that machine alone (a
 * list model's views do not watch their items' properties), and a sorted
 * view puts it in its place. */
static void
announce_renamed (VmdConnection *self,
                  VmdMachine    *machine)
{
  g_autoptr(VmdMachine) hold = g_object_ref (machine);
  guint position;

  if (g_list_store_find (self->machines, machine, &position))
    g_list_store_splice (self->machines, position, 1, (gpointer *) &machine, 1);
}

/* The systems' names came: each tile shows its own (they watch their
 * machine); views filtering by them filter again (VmdOsDb::names-changed). */
void
_vmd_connection_update_os_names (VmdConnection *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->machines));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);

      update_os_name (machine);
    }
}

/* A newcomer goes into @newcomers when given (the caller adds them to the
 * model in one change), else into the model at once. */
void
_vmd_connection_add_or_update (VmdConnection       *self,
                               virDomainPtr         domain,
                               const VmdDomainInfo *info,
                               GPtrArray           *newcomers)
{
  VmdMachine *machine = g_hash_table_lookup (self->by_uuid, info->uuid);

  if (machine != NULL)
    {
      gboolean renamed = g_strcmp0 (vmd_machine_get_name (machine), info->name) != 0;

      _vmd_machine_set_domain (machine, domain);
      _vmd_machine_apply_info (machine, info);
      update_os_name (machine);
      if (renamed)
        announce_renamed (self, machine);
      return;
    }

  machine = _vmd_machine_new (domain, info);
  update_os_name (machine);
  g_hash_table_insert (self->by_uuid, g_strdup (info->uuid), machine);
  if (newcomers != NULL)
    g_ptr_array_add (newcomers, machine);  /* the caller's to add, with this reference */
  else
    {
      g_list_store_append (self->machines, machine);
      g_object_unref (machine);
    }
}

void
_vmd_connection_remove_machine (VmdConnection *self,
                                const char    *uuid)
{
  VmdMachine *machine = g_hash_table_lookup (self->by_uuid, uuid);
  guint position;

  if (machine == NULL)
    return;

  if (g_list_store_find (self->machines, machine, &position))
    {
      /* Keep it alive until the store's listeners have seen it go. */
      g_autoptr(VmdMachine) hold = g_object_ref (machine);

      g_hash_table_remove (self->by_uuid, uuid);
      g_list_store_remove (self->machines, position);
      _vmd_machine_set_domain (hold, NULL);
    }
}

/* -- systems, after the listing --------------------------------------- */

/* A listing brings every guest's state in one call, not its system (one
 * call per guest). The first guests in name order, those a view shows
 * first, get theirs with the listing (_vmd_domain_infos_fetch_first_os);
 * the others come after, in batches, in name order. */
#define OS_ID_FIRST 64
#define OS_ID_BATCH 64

typedef struct
{
  gboolean installing;
  gboolean installer_defined;
} Install;

typedef struct
{
  GPtrArray *domains;  /* virDomainPtr, in the order to read them */
  GPtrArray *uuids;
  GPtrArray *ids;      /* what a batch read: char *, NULL for none */
  GArray    *installing; /* and each one's express install: Install */
  guint      next;
  guint      serial;
} OsIdFetch;

static void
os_id_fetch_free (OsIdFetch *fetch)
{
  g_ptr_array_unref (fetch->domains);
  g_ptr_array_unref (fetch->uuids);
  g_clear_pointer (&fetch->ids, g_ptr_array_unref);
  g_clear_pointer (&fetch->installing, g_array_unref);
  g_free (fetch);
}

static void
os_ids_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OsIdFetch *fetch = task_data;
  guint end = MIN (fetch->next + OS_ID_BATCH, fetch->domains->len);

  fetch->ids = g_ptr_array_new_with_free_func (g_free);
  fetch->installing = g_array_new (FALSE, TRUE, sizeof (Install));
  for (guint i = fetch->next; i < end && !g_cancellable_is_cancelled (cancellable); i++)
    {
      Install install = { 0 };

      g_ptr_array_add (fetch->ids, _vmd_domain_fetch_os_id (fetch->domains->pdata[i],
                                                            &install.installing,
                                                            &install.installer_defined));
      g_array_append_val (fetch->installing, install);
    }
  g_task_return_boolean (task, TRUE);
}

static void run_os_id_batch (VmdConnection *self,
                             OsIdFetch     *fetch);

static void
on_os_ids (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  VmdConnection *self = VMD_CONNECTION (object);
  OsIdFetch *fetch = g_task_get_task_data (G_TASK (result));

  /* Cancelled, or a later listing has its own fetch: the chain ends. */
  if (!g_task_propagate_boolean (G_TASK (result), NULL) || fetch->serial != self->os_ids_serial)
    {
      if (fetch->serial == self->os_ids_serial)
        _vmd_connection_set_reading_systems (self, FALSE);
      os_id_fetch_free (fetch);
      return;
    }

  for (guint i = 0; i < fetch->ids->len; i++)
    {
      VmdMachine *machine = g_hash_table_lookup (self->by_uuid,
                                                 fetch->uuids->pdata[fetch->next + i]);

      if (machine != NULL)
        {
          _vmd_machine_set_os_id (machine, fetch->ids->pdata[i]);
          Install *install = &g_array_index (fetch->installing, Install, i);

          _vmd_machine_set_installing (machine, install->installing, install->installer_defined);
          update_os_name (machine);
        }
    }
  fetch->next += fetch->ids->len;
  g_clear_pointer (&fetch->ids, g_ptr_array_unref);
  g_clear_pointer (&fetch->installing, g_array_unref);

  if (fetch->next < fetch->domains->len)
    run_os_id_batch (self, fetch);
  else
    {
      os_id_fetch_free (fetch);
      _vmd_connection_set_reading_systems (self, FALSE);
    }
}

static void
run_os_id_batch (VmdConnection *self,
                 OsIdFetch     *fetch)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_os_ids, NULL);

  /* The chain owns @fetch, from batch to batch: freed where it ends. */
  g_task_set_source_tag (task, run_os_id_batch);
  g_task_set_task_data (task, fetch, NULL);
  g_task_run_in_thread (task, os_ids_thread);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const VmdDomainInfo *x = *(VmdDomainInfo * const *) a, *y = *(VmdDomainInfo * const *) b;

  return g_utf8_collate (x->name, y->name);
}

typedef struct
{
  const VmdDomainInfo *info;
  guint                index;
} Ordered;

static int
compare_ordered (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (((const Ordered *) a)->info->name, ((const Ordered *) b)->info->name);
}

/**
 * _vmd_domain_infos_fetch_first_os:
 *
 * In the thread that lists: the systems of the first guests in name
 * order, read into @infos, and the names of those systems, so that the
 * listing's first frame on screen is also its last. The same number of
 * calls whatever the number of guests.
 *
 * Returns: (transfer full) (nullable): id → name, for vmd_os_db_add_names()
 */
GHashTable *
_vmd_domain_infos_fetch_first_os (GPtrArray *domains,
                                  GPtrArray *infos)
{
  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (Ordered), infos->len);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) wanted = NULL;

  for (guint i = 0; i < infos->len; i++)
    {
      Ordered item = { infos->pdata[i], i };

      if (!item.info->os_id_known)
        g_array_append_val (order, item);
    }
  g_array_sort (order, compare_ordered);

  for (guint i = 0; i < MIN (order->len, OS_ID_FIRST); i++)
    {
      guint index = g_array_index (order, Ordered, i).index;
      VmdDomainInfo *info = infos->pdata[index];

      info->os_id = _vmd_domain_fetch_os_id (domains->pdata[index], &info->installing,
                                             &info->installer_defined);
      info->os_id_known = TRUE;
      if (info->os_id != NULL)
        g_strv_builder_add (ids, info->os_id);
    }

  wanted = g_strv_builder_end (ids);
  return wanted[0] != NULL ? vmd_os_db_read_names ((const char * const *) wanted) : NULL;
}

/* Reads the systems of the guests of a listing that came without them. */
void
_vmd_connection_fetch_os_ids (VmdConnection *self,
                              GPtrArray     *domains,
                              GPtrArray     *infos)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GHashTable) domain_of = g_hash_table_new (g_str_hash, g_str_equal);
  OsIdFetch *fetch;

  self->os_ids_serial++;
  for (guint i = 0; i < infos->len; i++)
    {
      VmdDomainInfo *info = infos->pdata[i];

      if (!info->os_id_known)
        {
          g_ptr_array_add (order, info);
          g_hash_table_insert (domain_of, info->uuid, domains->pdata[i]);
        }
    }
  if (order->len == 0)
    {
      _vmd_connection_set_reading_systems (self, FALSE);
      return;
    }

  g_ptr_array_sort (order, compare_names);
  fetch = g_new0 (OsIdFetch, 1);
  fetch->serial = self->os_ids_serial;
  fetch->domains = g_ptr_array_new_with_free_func (_vmd_domain_unref);
  fetch->uuids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < order->len; i++)
    {
      VmdDomainInfo *info = order->pdata[i];
      virDomainPtr domain = g_hash_table_lookup (domain_of, info->uuid);

      virDomainRef (domain);
      g_ptr_array_add (fetch->domains, domain);
      g_ptr_array_add (fetch->uuids, g_strdup (info->uuid));
    }
  _vmd_connection_set_reading_systems (self, TRUE);
  run_os_id_batch (self, fetch);
}

/* -- events ------------------------------------------------------------ */

static void
on_refreshed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  VmdConnection *self = VMD_CONNECTION (object);
  RefreshData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(VmdDomainInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  guint serial;

  info = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The connection it was read on is gone: the next listing tells. */
  if (virDomainGetConnect (data->domain) != self->conn)
    return;

  /* A later event for this guest has been seen: its own refresh will tell. */
  serial = GPOINTER_TO_UINT (g_hash_table_lookup (self->event_serial, data->uuid));
  if (serial != data->serial)
    return;

  if (info != NULL)
    _vmd_connection_add_or_update (self, data->domain, info, NULL);
  else if (g_error_matches (error, VMD_ERROR, VMD_ERROR_NOT_FOUND))
    _vmd_connection_remove_machine (self, data->uuid);
  else
    g_debug ("Cannot refresh %s: %s", data->uuid, error->message);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshData *data = task_data;

  _vmd_task_return_domain_info (task, data->domain);
}

void
_vmd_connection_refresh_domain (VmdConnection *self,
                                virDomainPtr   domain,
                                const char    *uuid)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_refreshed, NULL);
  RefreshData *data = g_new0 (RefreshData, 1);

  virDomainRef (domain);
  data->domain = domain;
  data->uuid = g_strdup (uuid);
  data->serial = GPOINTER_TO_UINT (g_hash_table_lookup (self->event_serial, uuid));
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

int
_vmd_connection_on_lifecycle (virConnectPtr  conn,
                              virDomainPtr   domain,
                              int            event,
                              int            detail,
                              void          *opaque)
{
  g_autoptr(VmdConnection) self = g_weak_ref_get (opaque);
  char uuid[VIR_UUID_STRING_BUFLEN];
  VmdMachine *machine;
  VmdMachineState state;
  VmdMachineReason reason;

  if (self == NULL || conn != self->conn || virDomainGetUUIDString (domain, uuid) < 0)
    return 0;

  g_debug ("%s: event %d detail %d", virDomainGetName (domain), event, detail);

  g_hash_table_insert (self->event_serial, g_strdup (uuid), GUINT_TO_POINTER (++self->serial));
  machine = g_hash_table_lookup (self->by_uuid, uuid);

  /* Renamed: the same guest, whose new name the "defined" event that
   * follows brings. */
  if (event == VIR_DOMAIN_EVENT_UNDEFINED && detail == VIR_DOMAIN_EVENT_UNDEFINED_RENAMED)
    return 0;

  if (event == VIR_DOMAIN_EVENT_UNDEFINED)
    {
      /* A running guest that loses its definition lives on, transient,
       * until it stops. */
      if (machine != NULL && vmd_machine_get_is_active (machine))
        _vmd_machine_set_persistent (machine, FALSE);
      else
        _vmd_connection_remove_machine (self, uuid);
      return 0;
    }

  if (event == VIR_DOMAIN_EVENT_STOPPED && machine != NULL &&
      !_vmd_machine_get_persistent (machine))
    {
      _vmd_connection_remove_machine (self, uuid);
      return 0;
    }

  if (machine != NULL && event == VIR_DOMAIN_EVENT_STARTED)
    _vmd_machine_set_shutdown_asked (machine, FALSE);
  if (machine != NULL && _vmd_machine_state_from_event (event, detail, &state))
    _vmd_machine_set_state (machine, state);
  if (machine != NULL && _vmd_machine_reason_from_event (event, detail, &reason))
    _vmd_machine_set_reason (machine, reason);

  /* Name, RAM, vCPUs, OS, and a newcomer's whole record come from a read. */
  _vmd_connection_refresh_domain (self, domain, uuid);

  return 0;
}

typedef struct
{
  virConnectPtr  conn;
  char          *xml;
  virDomainPtr   domain;
} DefineData;

static void
define_data_free (DefineData *data)
{
  if (data->conn != NULL)
    virConnectClose (data->conn);
  g_clear_pointer (&data->domain, _vmd_domain_unref);
  g_free (data->xml);
  g_free (data);
}

static void
define_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DefineData *data = task_data;

  data->domain = virDomainDefineXML (data->conn, data->xml);
  if (data->domain == NULL)
    {
      g_task_return_error (task, _vmd_error_from_libvirt (_("Could not create the machine")));
      return;
    }
  _vmd_task_return_domain_info (task, data->domain);
}

/**
 * vmd_connection_define_async:
 * @xml: a complete libvirt domain description
 *
 * Defines (creates, without starting) a guest. The finish function hands
 * back its #VmdMachine, already in the model.
 */
void
vmd_connection_define_async (VmdConnection       *self,
                             const char          *xml,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DefineData *data;

  g_return_if_fail (VMD_IS_CONNECTION (self));
  g_return_if_fail (xml != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_connection_define_async);

  if (self->conn == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, "%s",
                               _vmd_not_connected_message ());
      return;
    }

  data = g_new0 (DefineData, 1);
  data->conn = self->conn;
  virConnectRef (data->conn);
  data->xml = g_strdup (xml);
  g_task_set_task_data (task, data, (GDestroyNotify) define_data_free);
  g_task_run_in_thread (task, define_thread);
}

VmdMachine *
vmd_connection_define_finish (VmdConnection  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_autoptr(VmdDomainInfo) info = NULL;
  DefineData *data;
  VmdMachine *machine;

  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  info = g_task_propagate_pointer (G_TASK (result), error);
  if (info == NULL)
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  machine = _vmd_connection_add_domain (self, data->domain, info);

  return g_object_ref (machine);
}

/* The machine for a domain we just defined or started: the DEFINED event
 * may not have arrived yet, and nobody should wait for it. */
VmdMachine *
_vmd_connection_add_domain (VmdConnection       *self,
                            virDomainPtr         domain,
                            const VmdDomainInfo *info)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);

  _vmd_connection_add_or_update (self, domain, info, NULL);
  return g_hash_table_lookup (self->by_uuid, info->uuid);
}

VmdMachine *
vmd_connection_find_machine (VmdConnection *self,
                             const char    *uuid)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);
  return g_hash_table_lookup (self->by_uuid, uuid);
}

VmdMachine *
vmd_connection_find_machine_by_name (VmdConnection *self,
                                     const char    *name)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_hash_table_iter_init (&iter, self->by_uuid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (g_strcmp0 (vmd_machine_get_name (value), name) == 0)
        return value;
    }
  return NULL;
}

/**
 * vmd_connection_check_new_name:
 * @typed: the name as the person typed it
 * @keeper: (nullable): the machine that is to have it, which may have it now
 * @out_name: (out) (optional): the name as the machine will have it
 *
 * Whether a machine of this connection can be called @typed: the rules of
 * vmd_name_check(), and no other machine called so. The one check of the
 * create, clone and properties windows and of the scripts.
 */
gboolean
vmd_connection_check_new_name (VmdConnection  *self,
                               const char     *typed,
                               VmdMachine     *keeper,
                               char          **out_name,
                               GError        **error)
{
  g_autofree char *name = NULL;
  VmdMachine *other;

  g_return_val_if_fail (VMD_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (typed != NULL, FALSE);

  name = vmd_name_normalize (typed);
  if (!vmd_name_check (name, error))
    return FALSE;
  other = vmd_connection_find_machine_by_name (self, name);
  if (other != NULL && other != keeper)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                           _("A machine with this name exists already."));
      return FALSE;
    }
  if (out_name != NULL)
    *out_name = g_steal_pointer (&name);
  return TRUE;
}
