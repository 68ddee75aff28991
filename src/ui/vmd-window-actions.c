/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-budget.h"
#include "vmd-connection.h"
#include "vmd-host.h"
#include "vmd-machine.h"
#include "vmd-properties-dialog.h"
#include "vmd-window-private.h"

/* The window's actions on the selected machine, enabled from its state:
 * start (through the budget), pause, resume, shut down, force off, delete
 * (after confirmation), properties; and New. */

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
  { "delete", VMD_MACHINE_ACTION_DELETE },
};

void
_vmd_window_update_actions (VmdWindow *self)
{
  gboolean connected =
    vmd_connection_get_state (self->connection) == VMD_CONNECTION_STATE_CONNECTED;

  for (guint i = 0; i < G_N_ELEMENTS (machine_actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), machine_actions[i].name);
      gboolean enabled = connected && self->selected != NULL &&
                         vmd_machine_can_run (self->selected, machine_actions[i].action);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }

  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "properties")),
    connected && self->selected != NULL && !vmd_machine_get_busy (self->selected));
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "reconnect")),
    vmd_connection_get_state (self->connection) == VMD_CONNECTION_STATE_LOST);
}

void
_vmd_window_on_action_done (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(VmdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_run_finish (VMD_MACHINE (object), result, &error))
    {
      g_warning ("%s", error->message);
      vmd_window_show_error (self, error->message);
    }
}

static void
run_on_selected (VmdWindow        *self,
                 VmdMachineAction  action)
{
  if (self->selected == NULL || !vmd_machine_can_run (self->selected, action))
    return;

  vmd_machine_run_async (self->selected, action, NULL, _vmd_window_on_action_done,
                         g_object_ref (self));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    VmdWindow        *self)
{
  VmdMachine *machine = g_object_get_data (G_OBJECT (dialog), "machine");

  if (g_strcmp0 (response, "delete") == 0 && machine != NULL)
    vmd_machine_run_async (machine, VMD_MACHINE_ACTION_DELETE, NULL, _vmd_window_on_action_done,
                           g_object_ref (self));
}

static void
confirm_delete (VmdWindow *self)
{
  AdwMessageDialog *dialog;

  if (self->selected == NULL || !vmd_machine_can_run (self->selected, VMD_MACHINE_ACTION_DELETE))
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"),
                                     vmd_machine_get_name (self->selected));
  adw_message_dialog_set_body (dialog,
                               _("The machine and its disk images will be deleted for good. "
                                 "Installer images are kept."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "machine", g_object_ref (self->selected),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_start_response (AdwMessageDialog *dialog,
                   const char       *response,
                   VmdWindow        *self)
{
  VmdMachine *machine = g_object_get_data (G_OBJECT (dialog), "machine");

  if (g_strcmp0 (response, "start") == 0 && machine != NULL &&
      vmd_machine_can_run (machine, VMD_MACHINE_ACTION_START))
    vmd_machine_run_async (machine, VMD_MACHINE_ACTION_START, NULL, _vmd_window_on_action_done,
                           g_object_ref (self));
}

/* A guest that starts takes its RAM from the host: say so first, with the
 * numbers, when that eats into the host's reserve or beyond. */
void
_vmd_window_start_with_budget (VmdWindow *self)
{
  g_autoptr(VmdBudget) budget = NULL;
  AdwMessageDialog *dialog;

  if (self->selected == NULL || !vmd_machine_can_run (self->selected, VMD_MACHINE_ACTION_START))
    return;

  if (self->host != NULL)
    budget = vmd_host_compute_budget (self->host,
                                      vmd_connection_get_committed_memory (self->connection),
                                      vmd_machine_get_memory (self->selected),
                                      (guint64) g_settings_get_uint (self->settings, "host-reserve") << 20);

  if (budget == NULL || budget->verdict == VMD_BUDGET_FITS)
    {
      run_on_selected (self, VMD_MACHINE_ACTION_START);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, budget->summary));
  adw_message_dialog_format_heading (dialog,
                                     budget->verdict == VMD_BUDGET_OVER
                                       ? _("Not Enough Memory for “%s”")
                                       : _("Memory Is Tight for “%s”"),
                                     vmd_machine_get_name (self->selected));
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
  g_object_set_data_full (G_OBJECT (dialog), "machine", g_object_ref (self->selected),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_start_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
machine_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  VmdWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "delete"))
    {
      confirm_delete (self);
      return;
    }
  if (g_str_equal (name, "start"))
    {
      _vmd_window_start_with_budget (self);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (machine_actions); i++)
    {
      if (g_str_equal (name, machine_actions[i].name))
        run_on_selected (self, machine_actions[i].action);
    }
}

static void
select_machine_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  VmdWindow *self = user_data;
  const char *uuid = g_variant_get_string (param, NULL);
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (model, i);

      if (g_strcmp0 (vmd_machine_get_uuid (machine), uuid) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

static void
start_machine_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  VmdWindow *self = user_data;

  select_machine_action (action, param, user_data);
  if (self->selected != NULL &&
      g_strcmp0 (vmd_machine_get_uuid (self->selected), g_variant_get_string (param, NULL)) == 0)
    _vmd_window_start_with_budget (self);
}

static void
reconnect_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  VmdWindow *self = user_data;

  vmd_connection_reconnect (self->connection);
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                VmdWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        vmd_window_open_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
new_action (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  VmdWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose an Installer Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (images, _("Disc images"));
  gtk_file_filter_add_mime_type (images, "application/x-cd-image");
  gtk_file_filter_add_mime_type (images, "application/x-iso9660-image");
  gtk_file_filter_add_suffix (images, "iso");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
properties_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (self->selected == NULL)
    return;
  gtk_window_present (GTK_WINDOW (vmd_properties_dialog_new (GTK_WINDOW (self), self->connection,
                                                             self->selected, self->host)));
}

static const GActionEntry win_entries[] = {
  { "new", new_action },
  { "properties", properties_action },
  { "start", machine_action },
  { "shutdown", machine_action },
  { "force-off", machine_action },
  { "pause", machine_action },
  { "resume", machine_action },
  { "delete", machine_action },
  { "select-machine", select_machine_action, "s" },
  { "start-machine", start_machine_action, "s" },
  { "reconnect", reconnect_action },
};

void
_vmd_window_add_actions (VmdWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);
}
