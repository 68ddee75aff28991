/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-planner"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-libvirt.h"
#include "vmd-planner.h"

/* The plan for a new machine, the one place the new-machine review and the
 * command line make it: what the file is (VmdMedia), what this computer
 * has (VmdHost, read through the connection once it is up), the machine
 * proposed for both (VmdGuestSpec, then the person's changes), and the
 * budget's verdict with the connection's reserve and the warnings. */
struct _VmdPlanner
{
  GObject        parent_instance;

  VmdConnection *connection;
  char          *path;
  gboolean       there;          /* path is on the connection's computer */
  VmdMedia      *media;
  VmdHost       *host;
  VmdGuestSpec  *spec;
  VmdExpress    *express;        /* the install libosinfo can answer, or NULL: */
  GError        *express_error;  /* why not */

  GTask         *loading;      /* the load in flight */
  GCancellable  *cancellable;  /* the load's, for the host's reading too */
  GError        *host_error;   /* the host could not be read */
  gulong         state_handler;
  gulong         cancel_handler;
  guint          reading_host : 1;
};

G_DEFINE_FINAL_TYPE (VmdPlanner, vmd_planner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MEDIA,
  PROP_HOST,
  PROP_SPEC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void read_host (VmdPlanner *self);

/* The proposal for the media's chosen system, and its express install. */
static void
propose (VmdPlanner *self)
{
  g_clear_object (&self->spec);
  g_clear_object (&self->express);
  g_clear_error (&self->express_error);
  self->spec = vmd_guest_spec_new_for_media (self->media, self->host,
                                             vmd_connection_get_machines (self->connection));
  /* Its files are written next to the installer, on this computer. */
  if (_vmd_uri_screen_needs_tunnel (vmd_connection_get_uri (self->connection)))
    g_set_error (&self->express_error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                 _("Express install is not available on another computer yet"));
  else
    self->express = vmd_express_new_for_media (self->media, &self->express_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
}

static void
stop_waiting (VmdPlanner *self)
{
  if (self->cancellable != NULL)
    g_clear_signal_handler (&self->cancel_handler, self->cancellable);
}

/* The load ends: with the plan, or with what stopped it. */
static void
finish_loading (VmdPlanner *self,
                GError     *error)
{
  g_autoptr(GTask) task = NULL;

  if (self->loading == NULL)
    {
      g_clear_error (&error);
      return;
    }
  stop_waiting (self);
  task = g_steal_pointer (&self->loading);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  propose (self);
  g_task_return_boolean (task, TRUE);
}

static void
maybe_finish (VmdPlanner *self)
{
  if (self->media == NULL)
    return;
  if (self->host != NULL)
    finish_loading (self, NULL);
  else if (self->host_error != NULL)
    finish_loading (self, g_error_copy (self->host_error));
}

static void
on_identified (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VmdPlanner) self = user_data;
  GError *error = NULL;

  self->media = vmd_media_identify_finish (result, &error);
  if (self->media == NULL)
    {
      /* Said at once: what the file is matters before this computer's numbers. */
      finish_loading (self, error);
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA]);
  maybe_finish (self);
}

static void
on_host (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(VmdPlanner) self = user_data;
  g_autoptr(VmdHost) host = NULL;

  self->reading_host = FALSE;
  g_clear_error (&self->host_error);
  host = vmd_host_query_finish (result, &self->host_error);
  if (host != NULL && g_set_object (&self->host, host))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
  maybe_finish (self);
}

/* This computer's numbers, once the connection is up (the application may
 * still be connecting when a file is opened). */
static void
read_host (VmdPlanner *self)
{
  if (self->reading_host || self->host != NULL ||
      vmd_connection_get_state (self->connection) != VMD_CONNECTION_STATE_CONNECTED)
    return;
  g_clear_signal_handler (&self->state_handler, self->connection);
  self->reading_host = TRUE;
  vmd_host_query_async (self->connection, self->cancellable, on_host, g_object_ref (self));
}

static void
on_cancelled (GCancellable *cancellable,
              VmdPlanner   *self)
{
  finish_loading (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "Operation was cancelled"));
}

static void
read_desktop_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  vmd_express_read_desktop ();
  g_task_return_boolean (task, TRUE);
}

/**
 * vmd_planner_load_async:
 *
 * Identifies the file and, once the connection is up, reads this
 * computer's numbers, then proposes the machine. A file that is no
 * installer fails at once (the host's numbers still come: #VmdPlanner:host).
 */
void
vmd_planner_load_async (VmdPlanner          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (VMD_IS_PLANNER (self));
  g_return_if_fail (self->loading == NULL);

  self->loading = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->loading, vmd_planner_load_async);
  g_set_object (&self->cancellable, cancellable);
  if (cancellable != NULL)
    self->cancel_handler = g_signal_connect_object (cancellable, "cancelled",
                                                    G_CALLBACK (on_cancelled), self, 0);
  if (self->there)
    vmd_media_identify_there_async (self->connection, self->path, cancellable, on_identified,
                                    g_object_ref (self));
  else
    vmd_media_identify_async (self->path, cancellable, on_identified, g_object_ref (self));
  /* The express install's language, keyboard and time zone, meanwhile. */
  {
    g_autoptr(GTask) desktop = g_task_new (NULL, NULL, NULL, NULL);

    g_task_run_in_thread (desktop, read_desktop_thread);
  }
  self->state_handler = g_signal_connect_object (self->connection, "notify::state",
                                                 G_CALLBACK (read_host), self, G_CONNECT_SWAPPED);
  read_host (self);
}

gboolean
vmd_planner_load_finish (VmdPlanner    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_rechecked (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdPlanner *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdHost) host = vmd_host_query_finish (result, &error);
  VmdBudgetVerdict seen = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(VmdBudget) after = NULL;
  g_autofree char *disk_before = vmd_planner_dup_disk_warning (self);
  g_autofree char *disk_after = NULL;

  if (host == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_set_object (&self->host, host))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
  after = vmd_planner_dup_budget (self);
  disk_after = vmd_planner_dup_disk_warning (self);
  g_task_return_boolean (task, after->verdict > seen ||
                               (disk_after != NULL && disk_before == NULL));
}

/**
 * vmd_planner_recheck_async:
 * @seen: the memory verdict the person decided on
 *
 * Reads this computer's numbers again, now that the person decided: what
 * was true when they saw the plan may not be any more (another machine
 * started meanwhile, the disk filled).
 */
void
vmd_planner_recheck_async (VmdPlanner          *self,
                           VmdBudgetVerdict     seen,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (VMD_IS_PLANNER (self));
  g_return_if_fail (self->spec != NULL && self->host != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_planner_recheck_async);
  g_task_set_task_data (task, GINT_TO_POINTER (seen), NULL);
  vmd_host_query_async (self->connection, cancellable, on_rechecked, task);
}

/**
 * vmd_planner_recheck_finish:
 * @out_worse: (out): whether the verdict got worse, or a disk warning came
 *
 * Returns: %FALSE if the numbers could not be read (the plan's stand)
 */
gboolean
vmd_planner_recheck_finish (VmdPlanner    *self,
                            GAsyncResult  *result,
                            gboolean      *out_worse,
                            GError       **error)
{
  GError *local = NULL;
  gboolean worse;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  worse = g_task_propagate_boolean (G_TASK (result), &local);
  if (out_worse != NULL)
    *out_worse = local == NULL && worse;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/**
 * vmd_planner_dup_budget:
 *
 * Returns: (nullable): the memory verdict for the machine as planned, with
 * the connection's reserve; %NULL before there is a plan
 */
VmdBudget *
vmd_planner_dup_budget (VmdPlanner *self)
{
  g_return_val_if_fail (VMD_IS_PLANNER (self), NULL);

  if (self->spec == NULL || self->host == NULL)
    return NULL;
  return vmd_connection_compute_budget (self->connection, self->host, G_MAXUINT64,
                                        vmd_guest_spec_get_memory (self->spec));
}

/* Returns: (nullable): whether the disk could outgrow the free space */
char *
vmd_planner_dup_disk_warning (VmdPlanner *self)
{
  g_return_val_if_fail (VMD_IS_PLANNER (self), NULL);

  if (self->spec == NULL || self->host == NULL)
    return NULL;
  return vmd_budget_check_disk (vmd_guest_spec_get_disk_size (self->spec),
                                vmd_host_get_free_disk (self->host));
}

/* Returns: (nullable): what the person should know before creating, a
 * line each: the disk's space, emulation without KVM */
char *
vmd_planner_dup_warnings (VmdPlanner *self)
{
  g_autoptr(GString) warnings = g_string_new (NULL);
  g_autofree char *disk = vmd_planner_dup_disk_warning (self);

  if (disk != NULL)
    g_string_append (warnings, disk);
  if (self->spec != NULL && !vmd_guest_spec_get_kvm (self->spec))
    g_string_append_printf (warnings, "%s%s", warnings->len ? "\n" : "",
                            _("This computer cannot use hardware virtualization (KVM): "
                              "the machine will run emulated, and slowly."));
  return warnings->len > 0 ? g_string_free (g_steal_pointer (&warnings), FALSE) : NULL;
}

/* Another of the systems the media may hold: the proposal again, for it. */
void
vmd_planner_select_os (VmdPlanner *self,
                       guint       position)
{
  g_return_if_fail (VMD_IS_PLANNER (self));
  g_return_if_fail (self->media != NULL && self->host != NULL);

  vmd_media_select_os (self->media, position);
  propose (self);
}

/* A machine planned otherwise (an import), judged the same way. */
void
vmd_planner_set_spec (VmdPlanner   *self,
                      VmdGuestSpec *spec)
{
  g_return_if_fail (VMD_IS_PLANNER (self));

  if (g_set_object (&self->spec, spec))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
}

/**
 * vmd_planner_get_express:
 * @out_why_not: (out) (optional) (transfer none): why there is none
 *
 * Returns: (nullable) (transfer none): the express install for the
 * planned system, with the machine's name as host name and its disk bus
 */
VmdExpress *
vmd_planner_get_express (VmdPlanner    *self,
                         const GError **out_why_not)
{
  g_return_val_if_fail (VMD_IS_PLANNER (self), NULL);

  if (out_why_not != NULL)
    *out_why_not = self->express_error;
  if (self->express != NULL && self->spec != NULL)
    {
      vmd_express_set_hostname (self->express, vmd_guest_spec_get_name (self->spec));
      vmd_express_set_disk_bus (self->express, vmd_guest_spec_get_disk_bus (self->spec));
    }
  return self->express;
}

VmdConnection *
vmd_planner_get_connection (VmdPlanner *self)
{
  g_return_val_if_fail (VMD_IS_PLANNER (self), NULL);
  return self->connection;
}

/* Returns: (nullable): what the file is, once identified */
VmdMedia *
vmd_planner_get_media (VmdPlanner *self)
{
  g_return_val_if_fail (VMD_IS_PLANNER (self), NULL);
  return self->media;
}

/* Returns: (nullable): this computer's numbers, once read */
VmdHost *
vmd_planner_get_host (VmdPlanner *self)
{
  g_return_val_if_fail (VMD_IS_PLANNER (self), NULL);
  return self->host;
}

/* Returns: (nullable): the machine planned, which the person may change */
VmdGuestSpec *
vmd_planner_get_spec (VmdPlanner *self)
{
  g_return_val_if_fail (VMD_IS_PLANNER (self), NULL);
  return self->spec;
}

static void
vmd_planner_dispose (GObject *object)
{
  VmdPlanner *self = (VmdPlanner *) object;

  stop_waiting (self);
  g_clear_signal_handler (&self->state_handler, self->connection);
  g_clear_object (&self->loading);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vmd_planner_parent_class)->dispose (object);
}

static void
vmd_planner_finalize (GObject *object)
{
  VmdPlanner *self = (VmdPlanner *) object;

  g_clear_object (&self->connection);
  g_clear_object (&self->media);
  g_clear_object (&self->host);
  g_clear_object (&self->spec);
  g_clear_object (&self->express);
  g_clear_error (&self->express_error);
  g_clear_error (&self->host_error);
  g_free (self->path);

  G_OBJECT_CLASS (vmd_planner_parent_class)->finalize (object);
}

static void
vmd_planner_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VmdPlanner *self = VMD_PLANNER (object);

  switch (prop_id)
    {
    case PROP_MEDIA:
      g_value_set_object (value, self->media);
      break;
    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;
    case PROP_SPEC:
      g_value_set_object (value, self->spec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_planner_class_init (VmdPlannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vmd_planner_dispose;
  object_class->finalize = vmd_planner_finalize;
  object_class->get_property = vmd_planner_get_property;

  properties[PROP_MEDIA] = g_param_spec_object ("media", NULL, NULL, VMD_TYPE_MEDIA, ro);
  properties[PROP_HOST] = g_param_spec_object ("host", NULL, NULL, VMD_TYPE_HOST, ro);
  properties[PROP_SPEC] = g_param_spec_object ("spec", NULL, NULL, VMD_TYPE_GUEST_SPEC, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_planner_init (VmdPlanner *self)
{
}

/**
 * vmd_planner_new:
 * @path: the file to make a machine from
 */
VmdPlanner *
vmd_planner_new (VmdConnection *connection,
                 const char    *path)
{
  VmdPlanner *self;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (VMD_TYPE_PLANNER, NULL);
  self->connection = g_object_ref (connection);
  self->path = g_strdup (path);
  return self;
}

/**
 * vmd_planner_new_there:
 * @path: an installer image on the computer of @connection
 *   (vmd_connection_list_images_async()), used there as it is
 */
VmdPlanner *
vmd_planner_new_there (VmdConnection *connection,
                       const char    *path)
{
  VmdPlanner *self = vmd_planner_new (connection, path);

  if (self != NULL)
    self->there = TRUE;
  return self;
}
