/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-computer-list"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "vmd-computer-list.h"
#include "vmd-connection.h"

/* The library's computers, beside its machines: one row each, this
 * computer's first, with its state (connecting, how many machines,
 * unreachable and why) and, for the computers
 * added, a Remove button (win.remove-computer). The row selected is the
 * computer whose machines the window shows. */

struct _VmdComputerList
{
  GtkWidget     parent_instance;

  /* template */
  GtkListBox   *list;

  /* owned */
  VmdComputers *computers;
  VmdConnection *selected;
};

G_DEFINE_FINAL_TYPE (VmdComputerList, vmd_computer_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * vmd_computer_dup_state_text:
 *
 * Returns: (transfer full): what the library says of @connection's
 *   computer: its state, or how many machines it has (the window's meter
 *   has their memory)
 */
char *
vmd_computer_dup_state_text (VmdConnection *connection)
{
  const GError *error = vmd_connection_get_error (connection);
  guint n = g_list_model_get_n_items (vmd_connection_get_machines (connection));

  switch (vmd_connection_get_state (connection))
    {
    case VMD_CONNECTION_STATE_DISCONNECTED:
    case VMD_CONNECTION_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));
    case VMD_CONNECTION_STATE_LOST:
      if (n > 0)
        return g_strdup_printf (_("Reconnecting… %s"),
                                error ? error->message : _("The computer does not answer."));
      return g_strdup_printf (_("Unreachable: %s"),
                              error ? error->message : _("The computer does not answer."));
    case VMD_CONNECTION_STATE_CONNECTED:
    default:
      break;
    }
  if (n == 0)
    return g_strdup (_("No machines"));
  return g_strdup_printf (g_dngettext (NULL, "%u machine", "%u machines", n), n);
}

static void
update_row (AdwActionRow *row)
{
  VmdConnection *connection = g_object_get_data (G_OBJECT (row), "connection");
  g_autofree char *text = vmd_computer_dup_state_text (connection);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_action_row_set_subtitle (row, escaped);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), text);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  VmdComputerList *self = user_data;
  VmdConnection *connection = item;
  const char *uri = vmd_connection_get_uri (connection);
  g_autofree char *title = vmd_computer_dup_title (uri);
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (row, 2);
  g_object_set_data_full (G_OBJECT (row), "connection", g_object_ref (connection), g_object_unref);
  if (connection != vmd_computers_get_primary (self->computers))
    {
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *label = g_strdup_printf (_("Remove “%s” From the Library"), title);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "win.remove-computer");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", uri);
      adw_action_row_add_suffix (row, remove);
    }

  g_signal_connect_object (connection, "notify::state", G_CALLBACK (update_row), row,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::error-message", G_CALLBACK (update_row), row,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (vmd_connection_get_machines (connection), "items-changed",
                           G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  update_row (row);
  return GTK_WIDGET (row);
}

static GtkListBoxRow *
find_row (VmdComputerList *self,
          VmdConnection   *connection)
{
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, i);

      if (row == NULL || g_object_get_data (G_OBJECT (row), "connection") == connection)
        return row;
    }
}

static void
set_selected (VmdComputerList *self,
              VmdConnection   *connection)
{
  if (g_set_object (&self->selected, connection))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
on_row_selected (VmdComputerList *self,
                 GtkListBoxRow   *row)
{
  /* Rows rebuilt after a change leave nothing selected for a moment: the
   * computer shown stays until another is chosen or it is gone. */
  if (row != NULL)
    set_selected (self, g_object_get_data (G_OBJECT (row), "connection"));
}

/* The list changed (a computer added or removed): the one shown stays
 * selected, or this computer's is when it went. */
static void
on_items_changed (VmdComputerList *self)
{
  GtkListBoxRow *row = self->selected ? find_row (self, self->selected) : NULL;

  if (row == NULL)
    {
      row = gtk_list_box_get_row_at_index (self->list, 0);
      set_selected (self, vmd_computers_get_primary (self->computers));
    }
  gtk_list_box_select_row (self->list, row);
}

void
vmd_computer_list_set_computers (VmdComputerList *self,
                                 VmdComputers    *computers)
{
  g_return_if_fail (VMD_IS_COMPUTER_LIST (self));
  g_return_if_fail (VMD_IS_COMPUTERS (computers));
  g_return_if_fail (self->computers == NULL);

  self->computers = g_object_ref (computers);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (computers), create_row, self, NULL);
  g_signal_connect_object (computers, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  on_items_changed (self);
}

/**
 * vmd_computer_list_get_selected:
 *
 * Returns: (transfer none) (nullable): the computer chosen
 */
VmdConnection *
vmd_computer_list_get_selected (VmdComputerList *self)
{
  g_return_val_if_fail (VMD_IS_COMPUTER_LIST (self), NULL);
  return self->selected;
}

void
vmd_computer_list_select (VmdComputerList *self,
                          VmdConnection   *connection)
{
  GtkListBoxRow *row;

  g_return_if_fail (VMD_IS_COMPUTER_LIST (self));

  row = find_row (self, connection);
  if (row != NULL)
    gtk_list_box_select_row (self->list, row);
}

static void
vmd_computer_list_dispose (GObject *object)
{
  VmdComputerList *self = (VmdComputerList *) object;

  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_COMPUTER_LIST);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->computers);
  g_clear_object (&self->selected);

  G_OBJECT_CLASS (vmd_computer_list_parent_class)->dispose (object);
}

static void
vmd_computer_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VmdComputerList *self = VMD_COMPUTER_LIST (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_object (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_computer_list_class_init (VmdComputerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_computer_list_dispose;
  object_class->get_property = vmd_computer_list_get_property;

  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, VMD_TYPE_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-computer-list.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdComputerList, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "computers");
}

static void
vmd_computer_list_init (VmdComputerList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
