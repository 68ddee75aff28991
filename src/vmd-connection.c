/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-connection"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>

#include "vmd-connection-private.h"
#include "vmd-engine.h"
#include "vmd-error.h"
#include "vmd-host.h"
#include "vmd-machine-private.h"
#include "vmd-os-db.h"

#define RECONNECT_FIRST_MS 250
#define RECONNECT_MAX_MS   5000

/* A libvirt connection and the guests it holds, kept live by the daemon's
 * lifecycle events (dispatched on the main loop by libvirt-glib). The model
 * is never polled: the listing at (re)connection and one refresh per event
 * are the only reads. */

G_DEFINE_FINAL_TYPE (VmdConnection, vmd_connection, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VmdConnectionState, vmd_connection_state,
  G_DEFINE_ENUM_VALUE (VMD_CONNECTION_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (VMD_CONNECTION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (VMD_CONNECTION_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (VMD_CONNECTION_STATE_LOST, "lost"))

enum {
  PROP_0,
  PROP_URI,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_MACHINES,
  PROP_READING_SYSTEMS,
  PROP_RESERVE,
  PROP_HOST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  virConnectPtr  conn;
  int            lifecycle_id;
  GPtrArray     *domains;  /* virDomainPtr */
  GPtrArray     *infos;    /* VmdDomainInfo */
  GHashTable    *os_names; /* the systems of the first guests: id -> name */
} OpenResult;

static void on_close (virConnectPtr conn, int reason, void *opaque);
static void start_open (VmdConnection *self);

static void
weak_ref_free (void *data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
open_result_free (OpenResult *result)
{
  g_clear_pointer (&result->domains, g_ptr_array_unref);
  g_clear_pointer (&result->infos, g_ptr_array_unref);
  g_clear_pointer (&result->os_names, g_hash_table_unref);
  if (result->conn != NULL)
    virConnectClose (result->conn);
  g_free (result);
}

/* Blocking: unregisters our callbacks and drops the connection. */
static void
teardown_conn (virConnectPtr conn,
               int           lifecycle_id)
{
  if (lifecycle_id >= 0)
    virConnectDomainEventDeregisterAny (conn, lifecycle_id);
  virConnectUnregisterCloseCallback (conn, on_close);
  virConnectClose (conn);
}

static void
teardown_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  virConnectPtr conn = task_data;

  teardown_conn (conn, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "lifecycle-id")));
  g_task_return_boolean (task, TRUE);
}

static void
teardown_conn_async (virConnectPtr conn,
                     int           lifecycle_id)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_task_data (task, conn, NULL);
  g_object_set_data (G_OBJECT (task), "lifecycle-id", GINT_TO_POINTER (lifecycle_id));
  g_task_run_in_thread (task, teardown_thread);
}

static void
vmd_connection_dispose (GObject *object)
{
  VmdConnection *self = (VmdConnection *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->settle_source, g_source_remove);

  if (self->conn != NULL)
    {
      /* At shutdown: a last round trip on the main thread is acceptable. */
      teardown_conn (self->conn, self->lifecycle_id);
      self->conn = NULL;
    }

  if (self->machines != NULL)
    g_list_store_remove_all (self->machines);
  g_hash_table_remove_all (self->by_uuid);

  G_OBJECT_CLASS (vmd_connection_parent_class)->dispose (object);
}

static void
vmd_connection_finalize (GObject *object)
{
  VmdConnection *self = (VmdConnection *) object;

  g_clear_object (&self->machines);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->by_uuid, g_hash_table_unref);
  g_clear_pointer (&self->event_serial, g_hash_table_unref);
  g_clear_pointer (&self->open_waiters, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->settings);
  g_clear_object (&self->host);
  g_free (self->uri);

  G_OBJECT_CLASS (vmd_connection_parent_class)->finalize (object);
}

static void
vmd_connection_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VmdConnection *self = VMD_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error ? self->error->message : NULL);
      break;
    case PROP_MACHINES:
      g_value_set_object (value, self->machines);
      break;
    case PROP_READING_SYSTEMS:
      g_value_set_boolean (value, self->reading_systems);
      break;
    case PROP_RESERVE:
      g_value_set_uint64 (value, vmd_connection_get_reserve (self));
      break;
    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_connection_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VmdConnection *self = VMD_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      {
        const char *uri = g_value_get_string (value);

        self->uri = g_strdup (uri != NULL && *uri != '\0' ? uri : VMD_DEFAULT_URI);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
_vmd_connection_set_reading_systems (VmdConnection *self,
                                     gboolean       reading)
{
  if (self->reading_systems == !!reading)
    return;
  self->reading_systems = !!reading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READING_SYSTEMS]);
}

void
_vmd_connection_notify (VmdConnection *self,
                        const char    *property)
{
  g_object_notify (G_OBJECT (self), property);
}

gboolean
vmd_connection_get_reading_systems (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), FALSE);
  return self->reading_systems;
}

static void
vmd_connection_class_init (VmdConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vmd_connection_dispose;
  object_class->finalize = vmd_connection_finalize;
  object_class->get_property = vmd_connection_get_property;
  object_class->set_property = vmd_connection_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, VMD_TYPE_CONNECTION_STATE,
                       VMD_CONNECTION_STATE_DISCONNECTED, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_MACHINES] =
    g_param_spec_object ("machines", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  /* Whether machines' systems are still being read after a listing. */
  properties[PROP_READING_SYSTEMS] =
    g_param_spec_boolean ("reading-systems", NULL, NULL, FALSE, ro);
  properties[PROP_RESERVE] =
    g_param_spec_uint64 ("reserve", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_HOST] = g_param_spec_object ("host", NULL, NULL, VMD_TYPE_HOST, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_connection_init (VmdConnection *self)
{
  vmd_engine_init ();

  self->machines = g_list_store_new (VMD_TYPE_MACHINE);
  self->by_uuid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->event_serial = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->open_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->lifecycle_id = -1;
  self->reconnect_delay = RECONNECT_FIRST_MS;
  _vmd_connection_init_host (self);

  /* The systems' names come when looked up, or with the whole database. */
  g_signal_connect_object (vmd_os_db_get_default (), "notify::loaded",
                           G_CALLBACK (_vmd_connection_update_os_names), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vmd_os_db_get_default (), "names-changed",
                           G_CALLBACK (_vmd_connection_update_os_names), self, G_CONNECT_SWAPPED);
}

/**
 * vmd_connection_new:
 * @uri: (nullable): a libvirt URI; %NULL or "" for qemu:///session
 */
VmdConnection *
vmd_connection_new (const char *uri)
{
  return g_object_new (VMD_TYPE_CONNECTION, "uri", uri, NULL);
}

static void
set_state (VmdConnection      *self,
           VmdConnectionState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (VmdConnection *self,
           const GError  *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

/* -- connection life --------------------------------------------------- */

static void
schedule_reconnect (VmdConnection *self);

static void
connection_lost (VmdConnection *self,
                 const GError  *error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->machines));

  if (self->conn != NULL)
    {
      teardown_conn_async (self->conn, self->lifecycle_id);
      self->conn = NULL;
      self->lifecycle_id = -1;
    }

  /* Domain handles of a dead connection are useless: drop them so that
   * actions report "not reachable" at once. States stay as last known. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);
      _vmd_machine_set_domain (machine, NULL);
    }

  set_error (self, error);
  set_state (self, VMD_CONNECTION_STATE_LOST);
  schedule_reconnect (self);
}

typedef struct
{
  GWeakRef      connection;
  virConnectPtr conn;       /* compared, never used: it may be gone */
  int           reason;
} CloseNotice;

static void
close_notice_free (gpointer data)
{
  CloseNotice *notice = data;

  g_weak_ref_clear (&notice->connection);
  g_free (notice);
}

static gboolean
close_in_main (gpointer data)
{
  CloseNotice *notice = data;
  g_autoptr(VmdConnection) self = g_weak_ref_get (&notice->connection);
  g_autoptr(GError) error = NULL;

  if (self == NULL || notice->conn != self->conn)
    return G_SOURCE_REMOVE;

  g_message ("Connection to %s closed (reason %d)", self->uri, notice->reason);
  error = g_error_new (VMD_ERROR, VMD_ERROR_NOT_CONNECTED,
                       _("Lost the connection to the virtualization service (%s)."), self->uri);
  connection_lost (self, error);
  return G_SOURCE_REMOVE;
}

/* libvirt calls this from whichever thread saw the socket close: the main
 * loop's, or a worker's that was in a call then (an action, a thumbnail).
 * The model is the main thread's: the notice goes to its loop, always
 * through an idle (g_main_context_invoke() would run it in a worker that
 * catches the loop between two iterations). */
static void
on_close (virConnectPtr  conn,
          int            reason,
          void          *opaque)
{
  g_autoptr(VmdConnection) self = g_weak_ref_get (opaque);
  CloseNotice *notice;

  if (self == NULL || reason == VIR_CONNECT_CLOSE_REASON_CLIENT)
    return;

  notice = g_new0 (CloseNotice, 1);
  g_weak_ref_init (&notice->connection, self);
  notice->conn = conn;
  notice->reason = reason;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_in_main, notice, close_notice_free);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  VmdConnection *self = user_data;

  self->reconnect_source = 0;
  start_open (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (VmdConnection *self)
{
  if (self->reconnect_source != 0 || self->opening)
    return;

  self->reconnect_source = g_timeout_add (self->reconnect_delay, reconnect_cb, self);
  self->reconnect_delay = MIN (self->reconnect_delay * 2, RECONNECT_MAX_MS);
}

/* A daemon on this machine, reached through its UNIX socket (not through
 * ssh, even to localhost). */
static gboolean
is_local_socket (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme = parsed ? g_uri_get_scheme (parsed) : NULL;
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  return scheme != NULL && (host == NULL || *host == '\0') &&
         (strchr (scheme, '+') == NULL || g_str_has_suffix (scheme, "+unix"));
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *uri = task_data;
  OpenResult *result = g_new0 (OpenResult, 1);
  g_autoptr(GError) error = NULL;
  virDomainPtr *domains = NULL;
  int n;

  result->lifecycle_id = -1;
  result->conn = virConnectOpen (uri);
  if (result->conn == NULL)
    {
      g_task_return_error (task, _vmd_error_from_libvirt_open (uri));
      open_result_free (result);
      return;
    }

  /* Notices a dead remote daemon within ~15 s. A local socket says EOF
   * by itself: no keepalive there (libvirt starts one by itself), whose
   * timer would wake us every 5 s. */
  if (virConnectSetKeepAlive (result->conn, is_local_socket (uri) ? -1 : 5, 3) < 0)
    g_debug ("No keepalive on %s", uri);

  if (virConnectRegisterCloseCallback (result->conn, on_close,
                                       weak_ref_new (source_object), weak_ref_free) < 0)
    g_debug ("No close notification on %s", uri);

  /* Events first, then the listing: nothing can change unseen in between. */
  result->lifecycle_id =
    virConnectDomainEventRegisterAny (result->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                      VIR_DOMAIN_EVENT_CALLBACK (_vmd_connection_on_lifecycle),
                                      weak_ref_new (source_object), weak_ref_free);
  if (result->lifecycle_id < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not watch the machines of %s"), uri);
      g_task_return_error (task, _vmd_error_from_libvirt (what));
      teardown_conn (g_steal_pointer (&result->conn), -1);
      open_result_free (result);
      return;
    }

  /* All guests in a few calls; guest by guest where the daemon cannot. */
  result->infos = _vmd_domain_infos_fetch_all (result->conn, &result->domains, &error);
  if (result->infos != NULL)
    {
      result->os_names = _vmd_domain_infos_fetch_first_os (result->domains, result->infos);
      g_task_return_pointer (task, result, (GDestroyNotify) open_result_free);
      return;
    }
  g_debug ("Reading the guests one by one: %s", error->message);
  g_clear_error (&error);

  n = virConnectListAllDomains (result->conn, &domains, 0);
  if (n < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not list the machines of %s"), uri);
      g_task_return_error (task, _vmd_error_from_libvirt (what));
      teardown_conn (g_steal_pointer (&result->conn), result->lifecycle_id);
      open_result_free (result);
      return;
    }

  result->domains = g_ptr_array_new_with_free_func (_vmd_domain_unref);
  result->infos = g_ptr_array_new_with_free_func ((GDestroyNotify) _vmd_domain_info_free);
  for (int i = 0; i < n; i++)
    {
      VmdDomainInfo *info = _vmd_domain_info_fetch (domains[i], &error);

      /* A guest that vanished since the listing is simply not there. */
      if (info == NULL)
        {
          g_debug ("Skipping a guest: %s", error->message);
          g_clear_error (&error);
          virDomainFree (domains[i]);
          continue;
        }
      g_ptr_array_add (result->domains, domains[i]);
      g_ptr_array_add (result->infos, info);
    }
  free (domains);

  g_task_return_pointer (task, result, (GDestroyNotify) open_result_free);
}

static void
finish_waiters (VmdConnection *self,
                const GError  *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->open_waiters);

  self->open_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* A daemon that restarts reattaches to its running guests in the
 * background and does not announce what it finds (a guest that died while
 * it was away is simply marked off): read each guest again a little later. */
static gboolean
settle_cb (gpointer user_data)
{
  VmdConnection *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->machines));

  for (guint i = 0; i < n && self->conn != NULL; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);
      virDomainPtr domain = _vmd_machine_dup_domain (machine);

      if (domain != NULL)
        {
          _vmd_connection_refresh_domain (self, domain, vmd_machine_get_uuid (machine));
          virDomainFree (domain);
        }
    }

  if (++self->settle_count < 3 && self->conn != NULL)
    return G_SOURCE_CONTINUE;
  self->settle_source = 0;
  return G_SOURCE_REMOVE;
}

static void
on_opened (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  VmdConnection *self = VMD_CONNECTION (object);
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) newcomers = NULL;
  g_autoptr(GError) error = NULL;
  OpenResult *result;
  guint n;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  self->opening = FALSE;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_pointer (&result, open_result_free);
      return;
    }

  if (result == NULL)
    {
      g_message ("%s", error->message);
      connection_lost (self, error);
      finish_waiters (self, error);
      return;
    }

  self->conn = g_steal_pointer (&result->conn);
  self->lifecycle_id = result->lifecycle_id;
  self->reconnect_delay = RECONNECT_FIRST_MS;

  /* Reconcile: the listing is the truth after a (re)connection. The
   * newcomers go in in one change: a view sorts and lays out once. */
  if (result->os_names != NULL)
    vmd_os_db_add_names (vmd_os_db_get_default (), result->os_names);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  newcomers = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < result->infos->len; i++)
    {
      VmdDomainInfo *info = g_ptr_array_index (result->infos, i);

      _vmd_connection_add_or_update (self, g_ptr_array_index (result->domains, i), info,
                                     newcomers);
      g_hash_table_add (seen, info->uuid);
    }
  g_list_store_splice (self->machines, g_list_model_get_n_items (G_LIST_MODEL (self->machines)),
                       0, newcomers->pdata, newcomers->len);
  _vmd_connection_fetch_os_ids (self, result->domains, result->infos);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->machines));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i - 1);

      if (!g_hash_table_contains (seen, vmd_machine_get_uuid (machine)))
        _vmd_connection_remove_machine (self, vmd_machine_get_uuid (machine));
    }

  open_result_free (result);

  if (self->state == VMD_CONNECTION_STATE_LOST)
    {
      g_clear_handle_id (&self->settle_source, g_source_remove);
      self->settle_count = 0;
      self->settle_source = g_timeout_add (1000, settle_cb, self);
    }

  set_error (self, NULL);
  set_state (self, VMD_CONNECTION_STATE_CONNECTED);
  finish_waiters (self, NULL);
}

static void
start_open (VmdConnection *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->opening || self->conn != NULL)
    return;

  self->opening = TRUE;
  if (self->state != VMD_CONNECTION_STATE_LOST)
    set_state (self, VMD_CONNECTION_STATE_CONNECTING);

  task = g_task_new (self, self->cancellable, on_opened, NULL);
  g_task_set_source_tag (task, start_open);
  g_task_set_task_data (task, g_strdup (self->uri), g_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * vmd_connection_open_async:
 *
 * Connects, lists the guests and starts watching them. Completes with the
 * first attempt's outcome; on failure the connection keeps retrying in the
 * background (state %VMD_CONNECTION_STATE_LOST) and connects by itself when
 * the daemon is back.
 */
void
vmd_connection_open_async (VmdConnection       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_connection_open_async);

  if (self->conn != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (self->open_waiters, g_steal_pointer (&task));


  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  start_open (self);
}

gboolean
vmd_connection_open_finish (VmdConnection  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vmd_connection_reconnect:
 *
 * Tries again now instead of waiting for the next scheduled attempt.
 */
void
vmd_connection_reconnect (VmdConnection *self)
{
  g_return_if_fail (VMD_IS_CONNECTION (self));

  if (self->conn != NULL || self->opening)
    return;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_delay = RECONNECT_FIRST_MS;
  start_open (self);
}

const char *
vmd_connection_get_uri (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return self->uri;
}

VmdConnectionState
vmd_connection_get_state (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), VMD_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

const GError *
vmd_connection_get_error (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return self->error;
}

/**
 * vmd_connection_get_machines:
 *
 * Returns: (transfer none): a #GListModel of #VmdMachine, owned by @self.
 */
GListModel *
vmd_connection_get_machines (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return G_LIST_MODEL (self->machines);
}

/* A new reference to the live libvirt connection, or NULL while lost. */
virConnectPtr
_vmd_connection_dup_conn (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);

  if (self->conn != NULL)
    virConnectRef (self->conn);
  return self->conn;
}

