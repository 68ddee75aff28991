/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-application.h"
#include "vmd-computers.h"
#include "vmd-connection.h"
#include "vmd-window-private.h"

/* The window's computers: "Add a Computer…" (an address checked as it is
 * typed, the computer then chosen in the sidebar) and Remove. The list
 * and the settings are VmdComputers', which `vmdesk --add-computer` and
 * `--remove-computer` use too. */

typedef struct
{
  VmdWindow        *window;
  AdwMessageDialog *dialog;   /* which owns this */
  GtkEntry         *entry;
  GtkLabel  *problem;
} AddDialog;

static void
add_dialog_free (gpointer data)
{
  AddDialog *add = data;

  g_object_unref (add->window);
  g_free (add);
}

/* What is wrong with the address, under it, as it is typed: Add is
 * possible only with one VmDesk can use. */
static void
on_address_changed (GtkEntry   *entry,
                    GParamSpec *pspec,
                    AddDialog  *add)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = vmd_computer_uri_for_address (text, &error);

  gtk_label_set_label (add->problem, uri == NULL && *trimmed != '\0' ? error->message : "");
  adw_message_dialog_set_response_enabled (add->dialog, "add", uri != NULL);
}

static void
on_add_response (AdwMessageDialog *dialog,
                 const char       *response,
                 AddDialog        *add)
{
  VmdWindow *self = add->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  if (!g_str_equal (response, "add") || self->computers == NULL)
    return;
  uri = vmd_computers_add (self->computers,
                           gtk_editable_get_text (GTK_EDITABLE (add->entry)), &error);
  if (uri == NULL)
    {
      vmd_window_show_error (self, error->message);
      return;
    }
  vmd_computer_list_select (self->computer_list, vmd_computers_find (self->computers, uri));
}

static void
add_computer_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  VmdWindow *self = user_data;
  AdwMessageDialog *dialog;
  GtkWidget *box;
  AddDialog *add;

  dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_WINDOW (self), _("Add a Computer"),
                            _("Its machines join the library. VmDesk reaches it over SSH, "
                              "with your keys; it needs libvirt and QEMU there.")));
  gtk_window_set_title (GTK_WINDOW (dialog), _("Add a Computer"));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "add");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "add", FALSE);

  add = g_new0 (AddDialog, 1);
  add->window = g_object_ref (self);
  add->dialog = dialog;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  add->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (add->entry, _("user@server.local"));
  gtk_entry_set_activates_default (add->entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (add->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The computer’s address"), -1);
  add->problem = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (add->problem, TRUE);
  gtk_label_set_xalign (add->problem, 0);
  gtk_widget_add_css_class (GTK_WIDGET (add->problem), "error");
  gtk_widget_add_css_class (GTK_WIDGET (add->problem), "caption");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (add->entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (add->problem));
  adw_message_dialog_set_extra_child (dialog, box);
  g_object_set_data_full (G_OBJECT (dialog), "add", add, add_dialog_free);

  g_signal_connect (add->entry, "notify::text", G_CALLBACK (on_address_changed), add);
  g_signal_connect (dialog, "response", G_CALLBACK (on_add_response), add);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (add->entry));
}

static void
remove_computer_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  VmdWindow *self = user_data;
  const char *uri = g_variant_get_string (param, NULL);
  g_autofree char *title = vmd_computer_dup_title (uri);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (self->computers == NULL)
    return;
  if (!vmd_computers_remove (self->computers, uri, &error))
    {
      vmd_window_show_error (self, error->message);
      return;
    }
  text = g_strdup_printf (_("“%s” is no longer in the library; its machines stay on it"), title);
  vmd_ui_show_toast (self->toast_overlay, text);
}

void
_vmd_window_add_computer_actions (VmdWindow *self)
{
  static const GActionEntry entries[] = {
    { "add-computer", add_computer_action },
    { "remove-computer", remove_computer_action, "s" },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}

static void
on_computer_selected (VmdWindow *self)
{
  _vmd_window_show_connection (self, vmd_computer_list_get_selected (self->computer_list));
}

static void
update_sidebar (VmdWindow *self)
{
  gtk_revealer_set_reveal_child (self->sidebar,
                                 g_list_model_get_n_items (G_LIST_MODEL (self->computers)) > 1);
}

/**
 * vmd_window_set_computers:
 *
 * The library's computers, in a sidebar once there is more than this one:
 * the window shows the machines of the one chosen there.
 */
void
vmd_window_set_computers (VmdWindow    *self,
                          VmdComputers *computers)
{
  g_return_if_fail (VMD_IS_WINDOW (self));
  g_return_if_fail (VMD_IS_COMPUTERS (computers));
  g_return_if_fail (self->computers == NULL);

  self->computers = g_object_ref (computers);
  vmd_computer_list_set_computers (self->computer_list, computers);
  vmd_computer_list_select (self->computer_list, self->connection);
  g_signal_connect_object (self->computer_list, "notify::selected",
                           G_CALLBACK (on_computer_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (computers, "items-changed", G_CALLBACK (update_sidebar), self,
                           G_CONNECT_SWAPPED);
  update_sidebar (self);
  _vmd_window_update_computer_actions (self);
}

/**
 * vmd_window_get_computers:
 *
 * Returns: (transfer none) (nullable): the library's computers
 */
VmdComputers *
vmd_window_get_computers (VmdWindow *self)
{
  g_return_val_if_fail (VMD_IS_WINDOW (self), NULL);
  return self->computers;
}

/**
 * vmd_window_get_home_connection:
 *
 * This computer's connection (or --connect's), whichever computer the
 * window shows: what quitting asks about, since the machines of another
 * computer run on there whatever VmDesk does.
 *
 * Returns: (transfer none): the connection
 */
VmdConnection *
vmd_window_get_home_connection (VmdWindow *self)
{
  g_return_val_if_fail (VMD_IS_WINDOW (self), NULL);
  return self->computers ? vmd_computers_get_primary (self->computers) : self->connection;
}

/* Started on one connection (--connect), the library keeps no others. */
void
_vmd_window_update_computer_actions (VmdWindow *self)
{
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "add-computer")),
    self->computers != NULL && vmd_computers_can_add (self->computers));
}
