/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-computers.h"
#include "vmd-connection.h"
#include "vmd-create-dialog.h"
#include "vmd-images-dialog.h"
#include "vmd-machine.h"
#include "vmd-machine-controls.h"
#include "vmd-properties-dialog.h"
#include "vmd-text.h"
#include "vmd-window-private.h"

/* The window's actions beyond those of VmdMachineControls: delete the
 * selected machine (after confirmation), its properties, select a machine,
 * reconnect; and New. */

void
_vmd_window_update_actions (VmdWindow *self)
{
  gboolean connected =
    vmd_connection_get_state (self->connection) == VMD_CONNECTION_STATE_CONNECTED;

  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "delete")),
    connected && self->selected != NULL &&
      vmd_machine_can_run (self->selected, VMD_MACHINE_ACTION_DELETE));
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "properties")),
    connected && self->selected != NULL && !vmd_machine_get_busy (self->selected));
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "reconnect")),
    vmd_connection_get_state (self->connection) == VMD_CONNECTION_STATE_LOST);
}

/* Delete's confirmation: the disks VmDesk made go with the machine; any
 * other (attached from elsewhere) is listed, kept unless ticked. */
static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    VmdWindow        *self)
{
  VmdMachine *machine = g_object_get_data (G_OBJECT (dialog), "machine");
  GPtrArray *checks = g_object_get_data (G_OBJECT (dialog), "others");
  g_autoptr(GStrvBuilder) also = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;

  if (g_strcmp0 (response, "delete") != 0 || machine == NULL)
    return;

  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (also, g_object_get_data (G_OBJECT (check), "path"));
    }
  paths = g_strv_builder_end (also);
  vmd_machine_controls_delete (self->controls, machine, (const char * const *) paths);
}

static GtkWidget *
others_list (GStrv      others,
             GPtrArray *checks)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (_("VmDesk did not make these disks: they are kept unless "
                                      "you tick them."));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  for (guint i = 0; others[i] != NULL; i++)
    {
      g_autofree char *shown = vmd_text_make_printable (others[i], -1);
      GtkWidget *check = gtk_check_button_new_with_label (shown);

      g_object_set_data_full (G_OBJECT (check), "path", g_strdup (others[i]), g_free);
      g_ptr_array_add (checks, check);
      gtk_box_append (GTK_BOX (box), check);
    }
  return box;
}

static void
on_disks_listed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VmdWindow) self = user_data;
  VmdMachine *machine = VMD_MACHINE (object);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) own = NULL;
  g_auto(GStrv) others = NULL;
  AdwMessageDialog *dialog;

  if (!vmd_machine_list_disks_finish (machine, result, &own, &others, &error))
    {
      g_message ("Could not list the disks of “%s”: %s", vmd_machine_get_name (machine),
                 error->message);
      vmd_window_show_error (self, error->message);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"), vmd_machine_get_name (machine));
  adw_message_dialog_set_body (dialog,
                               _("The machine and the disk images VmDesk made for it will be "
                                 "deleted for good. Installer images are kept."));
  if (others[0] != NULL)
    {
      GPtrArray *checks = g_ptr_array_new ();

      adw_message_dialog_set_extra_child (dialog, others_list (others, checks));
      g_object_set_data_full (G_OBJECT (dialog), "others", checks,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "machine", g_object_ref (machine), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (self->selected == NULL || !vmd_machine_can_run (self->selected, VMD_MACHINE_ACTION_DELETE))
    return;

  /* What the confirmation lists comes from the hypervisor, off the main
   * thread: the dialog opens once it is known. */
  vmd_machine_list_disks_async (self->selected, NULL, on_disks_listed, g_object_ref (self));
}

void
_vmd_window_select (VmdWindow  *self,
                    VmdMachine *machine)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n;

  _vmd_window_show_all_tiles (self);
  n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) item = g_list_model_get_item (model, i);

      if (item == machine)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

static void
select_machine_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  VmdWindow *self = user_data;
  VmdMachine *machine = vmd_connection_find_machine (self->connection,
                                                     g_variant_get_string (param, NULL));

  if (machine != NULL)
    _vmd_window_select (self, machine);
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

static const char * const image_suffixes[] = {
  "iso", "qcow2", "qcow", "img", "raw", "vmdk", "vdi", "vhd", "vhdx", "ova",
};

static void
choose_file (VmdWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose an Installer or a Disk Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  /* Installers, and machines' disks to import: both are told apart by
   * their content once chosen; the names only filter the list. */
  gtk_file_filter_set_name (images, _("Installer and disk images"));
  gtk_file_filter_add_mime_type (images, "application/x-cd-image");
  gtk_file_filter_add_mime_type (images, "application/x-iso9660-image");
  for (guint i = 0; i < G_N_ELEMENTS (image_suffixes); i++)
    gtk_file_filter_add_suffix (images, image_suffixes[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_image_chosen (VmdWindow  *self,
                 const char *path)
{
  VmdCreateDialog *dialog = vmd_create_dialog_new_there (GTK_WINDOW (self), self->connection, path);

  _vmd_window_watch_create_dialog (self, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A machine for this computer's session is made from a file of this
 * computer's; on another computer (or this one's system-wide session),
 * from one of the images it has, or a file of this computer's copied
 * there. */
static gboolean
offers_stored_images (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  return !vmd_computer_is_this_one (uri) ||
         (parsed != NULL && g_str_equal (g_uri_get_path (parsed), "/system"));
}

static void
new_action (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  VmdWindow *self = user_data;
  VmdImagesDialog *dialog;

  if (!offers_stored_images (vmd_connection_get_uri (self->connection)))
    {
      choose_file (self);
      return;
    }
  dialog = vmd_images_dialog_new (GTK_WINDOW (self), self->connection);
  g_signal_connect_object (dialog, "chosen", G_CALLBACK (on_image_chosen), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "choose-file", G_CALLBACK (choose_file), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
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

static void
download_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  _vmd_window_download (VMD_WINDOW (user_data));
}

static const GActionEntry win_entries[] = {
  { "new", new_action },
  { "download", download_action },
  { "properties", properties_action },
  { "delete", delete_action },
  { "select-machine", select_machine_action, "s" },
  { "reconnect", reconnect_action },
};

void
_vmd_window_add_actions (VmdWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);
}
