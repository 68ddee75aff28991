/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine-controls"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "vmd-budget.h"
#include "vmd-clone-dialog.h"
#include "vmd-connection.h"
#include "vmd-host.h"
#include "vmd-machine-controls.h"
#include "vmd-snapshots-dialog.h"

/* A window's actions on one machine: start (through the memory budget),
 * shut down, force off, pause, resume, enabled from the machine's state and
 * the connection's; its snapshots; a copy of it; start-machine(uuid) for a
 * screen's Start button. The main window and a guest's own window both put
 * them in their "win." group, where the application's accelerators find
 * them. */
struct _VmdMachineControls
{
  GObject               parent_instance;

  /* borrowed: the window owns the controls */
  GtkApplicationWindow *window;

  /* owned */
  VmdConnection        *connection;
  VmdMachine           *machine;
  VmdHost              *host;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdMachineControls, vmd_machine_controls, G_TYPE_OBJECT)

enum {
  SIGNAL_CLONED,
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct
{
  const char       *name;
  VmdMachineAction  action;
} machine_actions[] = {
  { "start", VMD_MACHINE_ACTION_START },
  { "shutdown", VMD_MACHINE_ACTION_SHUTDOWN },
  { "force-off", VMD_MACHINE_ACTION_FORCE_OFF },
  { "pause", VMD_MACHINE_ACTION_PAUSE },
  { "resume", VMD_MACHINE_ACTION_RESUME },
  { "save", VMD_MACHINE_ACTION_SAVE },
};

static gboolean
connected (VmdMachineControls *self)
{
  return vmd_connection_get_state (self->connection) == VMD_CONNECTION_STATE_CONNECTED;
}

static void
update_actions (VmdMachineControls *self)
{
  GActionMap *map;

  if (self->window == NULL)
    return;

  map = G_ACTION_MAP (self->window);
  for (guint i = 0; i < G_N_ELEMENTS (machine_actions); i++)
    g_simple_action_set_enabled (
      G_SIMPLE_ACTION (g_action_map_lookup_action (map, machine_actions[i].name)),
      connected (self) && self->machine != NULL &&
        vmd_machine_can_run (self->machine, machine_actions[i].action));
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (map, "snapshots")),
    connected (self) && self->machine != NULL);
  /* The dialog says when the machine must be shut down first. */
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (map, "clone")),
    connected (self) && self->machine != NULL);
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (map, "start-machine")), connected (self));
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VmdMachineControls) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_run_finish (VMD_MACHINE (object), result, &error))
    {
      g_warning ("%s", error->message);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
    }
}

/**
 * vmd_machine_controls_run:
 *
 * Runs @action on @machine, what the user asked for (Start goes through
 * vmd_machine_controls_start()); a failure is the "error" signal's.
 */
void
vmd_machine_controls_run (VmdMachineControls *self,
                          VmdMachine         *machine,
                          VmdMachineAction    action)
{
  g_return_if_fail (VMD_IS_MACHINE_CONTROLS (self));
  g_return_if_fail (VMD_IS_MACHINE (machine));

  if (vmd_machine_can_run (machine, action))
    vmd_machine_run_async (machine, action, NULL, on_run_done, g_object_ref (self));
}

/* Deletes @machine with the disks VmDesk made for it and those of @also,
 * which the person ticked. */
void
vmd_machine_controls_delete (VmdMachineControls *self,
                             VmdMachine         *machine,
                             const char * const *also)
{
  g_return_if_fail (VMD_IS_MACHINE_CONTROLS (self));
  g_return_if_fail (VMD_IS_MACHINE (machine));

  if (vmd_machine_can_run (machine, VMD_MACHINE_ACTION_DELETE))
    vmd_machine_delete_async (machine, also, NULL, on_run_done, g_object_ref (self));
}

static void
on_start_response (AdwMessageDialog   *dialog,
                   const char         *response,
                   VmdMachineControls *self)
{
  VmdMachine *machine = g_object_get_data (G_OBJECT (dialog), "machine");

  if (g_strcmp0 (response, "start") == 0 && machine != NULL)
    vmd_machine_controls_run (self, machine, VMD_MACHINE_ACTION_START);
}

/* A guest that starts takes its RAM from the host: say so first, with the
 * numbers, when that eats into the host's reserve or beyond. */
static void
start_with_budget (VmdMachineControls *self,
                   VmdMachine         *machine)
{
  g_autoptr(VmdBudget) budget = NULL;
  AdwMessageDialog *dialog;

  if (!vmd_machine_can_run (machine, VMD_MACHINE_ACTION_START))
    return;

  if (self->host != NULL)
    budget = vmd_connection_compute_budget (self->connection, self->host, G_MAXUINT64,
                                            vmd_machine_get_memory (machine));

  if (budget == NULL || budget->verdict == VMD_BUDGET_FITS || self->window == NULL)
    {
      vmd_machine_controls_run (self, machine, VMD_MACHINE_ACTION_START);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self->window), NULL,
                                                       budget->summary));
  adw_message_dialog_format_heading (dialog,
                                     budget->verdict == VMD_BUDGET_OVER
                                       ? _("Not Enough Memory for “%s”")
                                       : _("Memory Is Tight for “%s”"),
                                     vmd_machine_get_name (machine));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "start", _("_Start Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "start",
                                              budget->verdict == VMD_BUDGET_OVER
                                                ? ADW_RESPONSE_DESTRUCTIVE
                                                : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "machine", g_object_ref (machine), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_start_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  VmdMachineControls *self;
  VmdMachine         *machine;
} StartData;

static void
start_data_free (StartData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->machine);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StartData, start_data_free)

static void
on_host (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(StartData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdHost) host = vmd_host_query_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (host == NULL)
    g_message ("Starting with the memory figures read before: %s", error->message);
  else
    g_set_object (&data->self->host, host);
  start_with_budget (data->self, data->machine);
}

/**
 * vmd_machine_controls_start:
 *
 * Starts @machine, first asking whether to when the host's memory would not
 * be enough. The host's figures are read again first: other programs may
 * have taken memory since they were last read.
 */
void
vmd_machine_controls_start (VmdMachineControls *self,
                            VmdMachine         *machine)
{
  StartData *data;

  g_return_if_fail (VMD_IS_MACHINE_CONTROLS (self));
  g_return_if_fail (VMD_IS_MACHINE (machine));

  if (!vmd_machine_can_run (machine, VMD_MACHINE_ACTION_START))
    return;

  data = g_new0 (StartData, 1);
  data->self = g_object_ref (self);
  data->machine = g_object_ref (machine);
  vmd_host_query_async (self->connection, self->cancellable, on_host, data);
}

static void
machine_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  VmdMachineControls *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (self->machine == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (machine_actions); i++)
    {
      if (!g_str_equal (name, machine_actions[i].name))
        continue;
      if (machine_actions[i].action == VMD_MACHINE_ACTION_START)
        vmd_machine_controls_start (self, self->machine);
      else
        vmd_machine_controls_run (self, self->machine, machine_actions[i].action);
    }
}

static void
snapshots_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  VmdMachineControls *self = user_data;

  if (self->machine == NULL || self->window == NULL)
    return;
  gtk_window_present (GTK_WINDOW (vmd_snapshots_dialog_new (GTK_WINDOW (self->window),
                                                            self->machine)));
}

static void
on_cloned (VmdMachineControls *self,
           VmdMachine         *copy)
{
  g_signal_emit (self, signals[SIGNAL_CLONED], 0, copy);
}

static void
clone_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  VmdMachineControls *self = user_data;
  VmdCloneDialog *dialog;

  if (self->machine == NULL || self->window == NULL)
    return;
  dialog = vmd_clone_dialog_new (GTK_WINDOW (self->window), self->connection, self->machine);
  g_signal_connect_object (dialog, "cloned", G_CALLBACK (on_cloned), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
start_machine_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  VmdMachineControls *self = user_data;
  VmdMachine *machine = vmd_connection_find_machine (self->connection,
                                                     g_variant_get_string (param, NULL));

  if (machine != NULL)
    vmd_machine_controls_start (self, machine);
}

static const GActionEntry entries[] = {
  { "start", machine_action },
  { "shutdown", machine_action },
  { "force-off", machine_action },
  { "pause", machine_action },
  { "resume", machine_action },
  { "save", machine_action },
  { "snapshots", snapshots_action },
  { "clone", clone_action },
  { "start-machine", start_machine_action, "s" },
};

VmdMachine *
vmd_machine_controls_get_machine (VmdMachineControls *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_CONTROLS (self), NULL);
  return self->machine;
}

/* The machine the window's actions act on: the selected one, or the one
 * the window shows. */
void
vmd_machine_controls_set_machine (VmdMachineControls *self,
                                  VmdMachine         *machine)
{
  g_return_if_fail (VMD_IS_MACHINE_CONTROLS (self));
  g_return_if_fail (machine == NULL || VMD_IS_MACHINE (machine));

  if (self->machine == machine)
    return;

  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_set_object (&self->machine, machine);
  if (machine != NULL)
    {
      g_signal_connect_swapped (machine, "notify::state", G_CALLBACK (update_actions), self);
      g_signal_connect_swapped (machine, "notify::busy", G_CALLBACK (update_actions), self);
    }
  update_actions (self);
}

void
vmd_machine_controls_set_host (VmdMachineControls *self,
                               VmdHost            *host)
{
  g_return_if_fail (VMD_IS_MACHINE_CONTROLS (self));
  g_set_object (&self->host, host);
}

static void
vmd_machine_controls_dispose (GObject *object)
{
  VmdMachineControls *self = (VmdMachineControls *) object;

  vmd_machine_controls_set_machine (self, NULL);
  g_cancellable_cancel (self->cancellable);
  if (self->window != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
        g_action_map_remove_action (G_ACTION_MAP (self->window), entries[i].name);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->host);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vmd_machine_controls_parent_class)->dispose (object);
}

static void
vmd_machine_controls_class_init (VmdMachineControlsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_machine_controls_dispose;

  /* A copy of a machine was made, through the window's Clone: the copy. */
  signals[SIGNAL_CLONED] = g_signal_new ("cloned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, VMD_TYPE_MACHINE);

  /* An action failed: the message, written for the user. */
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vmd_machine_controls_init (VmdMachineControls *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * vmd_machine_controls_new:
 *
 * Adds the machine actions to @window, which owns what this returns.
 */
VmdMachineControls *
vmd_machine_controls_new (GtkApplicationWindow *window,
                          VmdConnection        *connection)
{
  VmdMachineControls *self;

  g_return_val_if_fail (GTK_IS_APPLICATION_WINDOW (window), NULL);
  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);

  self = g_object_new (VMD_TYPE_MACHINE_CONTROLS, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->connection = g_object_ref (connection);
  g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries), self);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);

  return self;
}
