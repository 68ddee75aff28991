/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-folder-group"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-folder-group.h"
#include "vmd-machine-settings.h"
#include "vmd-machine.h"
#include "vmd-spice-session.h"

/* The folder of this computer a machine reaches (SPICE WebDAV), in its
 * Properties: whether it shares one, which, and what the guest needs for
 * it. This computer's business, not the machine's: applied at once, kept in
 * the machine's settings, never in its definition. */

struct _VmdFolderGroup
{
  AdwPreferencesGroup   parent_instance;

  /* template */
  GtkWidget            *add_button;
  AdwActionRow         *channel_row;
  GtkWidget            *choose_button;
  AdwActionRow         *folder_row;
  GtkWidget            *share_switch;

  /* owned */
  VmdMachine           *machine;
  GSettings            *settings;
  VmdSpiceSession      *session;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdFolderGroup, vmd_folder_group, ADW_TYPE_PREFERENCES_GROUP)

static const char *
describe (VmdFolderGroup *self)
{
  if (!g_settings_get_boolean (self->settings, "share-folder"))
    return _("The machine reaches no folder of this computer.");

  switch (vmd_spice_session_get_folder (self->session))
    {
    case VMD_SPICE_FOLDER_SHARED:
      return _("The machine reaches this folder now.");
    case VMD_SPICE_FOLDER_WAITING:
      return _("The machine does not answer for the folder: it needs the SPICE WebDAV daemon "
               "(the spice-webdavd package on Linux, spice-webdavd from spice-space.org on "
               "Windows).");
    case VMD_SPICE_FOLDER_UNAVAILABLE:
      if (vmd_spice_session_get_state (self->session) == VMD_SPICE_STATE_CONNECTED)
        return _("This machine was made without a channel for a shared folder.");
      G_GNUC_FALLTHROUGH;
    case VMD_SPICE_FOLDER_OFF:
    default:
      return _("While its screen is shown, the machine reaches this folder over SPICE WebDAV, "
               "with the SPICE WebDAV daemon (spice-webdavd) in it.");
    }
}

static void
update (VmdFolderGroup *self)
{
  g_autofree char *folder = NULL;
  gboolean shared;

  if (self->settings == NULL)
    return;
  shared = g_settings_get_boolean (self->settings, "share-folder");
  folder = vmd_machine_settings_dup_folder (self->settings, FALSE);
  adw_action_row_set_subtitle (self->folder_row, folder != NULL ? folder : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->folder_row), shared);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), describe (self));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     VmdFolderGroup  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL)
    g_settings_set_string (self->settings, "shared-folder", path);
  g_clear_object (&self->chooser);
}

static void
choose_clicked (VmdFolderGroup *self)
{
  g_autofree char *folder = vmd_machine_settings_dup_folder (self->settings, FALSE);
  g_autoptr(GFile) current = folder != NULL ? g_file_new_for_path (folder) : NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Folder to Share"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Share"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (current != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->chooser), current, NULL);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* The machine's definition has the folder's channel, or has it now. */
static void
on_channel (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdFolderGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean adding = !gtk_widget_get_sensitive (self->add_button);
  gboolean has = FALSE;

  if (!vmd_machine_folder_channel_finish (VMD_MACHINE (object), result, &has, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_action_row_set_subtitle (self->channel_row, error->message);
      gtk_widget_set_sensitive (self->add_button, TRUE);
      return;
    }
  if (adding)
    {
      adw_action_row_set_subtitle (self->channel_row,
                                   _("Added: the machine reaches the folder from its next start."));
      gtk_widget_set_visible (self->add_button, FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->channel_row), !has);
}

static void
add_clicked (VmdFolderGroup *self)
{
  gtk_widget_set_sensitive (self->add_button, FALSE);
  vmd_machine_folder_channel_async (self->machine, TRUE, self->cancellable, on_channel,
                                    g_object_ref (self));
}

void
vmd_folder_group_set_machine (VmdFolderGroup *self,
                              VmdMachine     *machine)
{
  g_return_if_fail (VMD_IS_FOLDER_GROUP (self));
  g_return_if_fail (self->machine == NULL);

  self->machine = g_object_ref (machine);
  self->settings = vmd_machine_settings_new (machine);
  gtk_widget_set_visible (GTK_WIDGET (self), self->settings != NULL);
  if (self->settings == NULL)
    return;
  self->session = vmd_spice_session_dup_for_machine (machine);
  vmd_machine_folder_channel_async (machine, FALSE, self->cancellable, on_channel,
                                    g_object_ref (self));
  g_settings_bind (self->settings, "share-folder", self->share_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::folder", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
}

static void
vmd_folder_group_dispose (GObject *object)
{
  VmdFolderGroup *self = (VmdFolderGroup *) object;

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->machine);
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_FOLDER_GROUP);

  G_OBJECT_CLASS (vmd_folder_group_parent_class)->dispose (object);
}

static void
vmd_folder_group_class_init (VmdFolderGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_folder_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-folder-group.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdFolderGroup, add_button);
  gtk_widget_class_bind_template_child (widget_class, VmdFolderGroup, channel_row);
  gtk_widget_class_bind_template_child (widget_class, VmdFolderGroup, choose_button);
  gtk_widget_class_bind_template_child (widget_class, VmdFolderGroup, folder_row);
  gtk_widget_class_bind_template_child (widget_class, VmdFolderGroup, share_switch);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked);
}

static void
vmd_folder_group_init (VmdFolderGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
