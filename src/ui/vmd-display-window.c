/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-display.h"
#include "vmd-display-page.h"
#include "vmd-application.h"
#include "vmd-display-window.h"
#include "vmd-machine.h"
#include "vmd-machine-controls.h"

/* A guest's screen in a window of its own ("Open in New Window"): what the
 * main window's screen page does, Start through the memory budget, full
 * screen, pause, resume, shut down and force off with the same keys, its
 * title the guest's name; it closes when the guest is deleted. */
struct _VmdDisplayWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  VmdDisplayPage       *page;
  AdwToastOverlay      *toast_overlay;

  /* owned */
  VmdConnection        *connection;
  VmdMachine           *machine;
  VmdMachineControls   *controls;
};

G_DEFINE_FINAL_TYPE (VmdDisplayWindow, vmd_display_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_error (VmdDisplayWindow *self,
          const char       *message)
{
  vmd_ui_show_error_toast (self->toast_overlay, message);
}

/* A copy of this guest: in the main window's library. */
static void
on_cloned (VmdDisplayWindow *self,
           VmdMachine       *copy)
{
  g_autofree char *text = g_strdup_printf (_("“%s” is ready"), vmd_machine_get_name (copy));

  vmd_ui_show_toast (self->toast_overlay, text);
}

static void
on_page_back (VmdDisplayWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* Deleted (from the main window, or elsewhere): nothing left to show. */
static void
on_machines_changed (VmdDisplayWindow *self)
{
  if (vmd_connection_find_machine (self->connection, vmd_machine_get_uuid (self->machine)) !=
      self->machine)
    gtk_window_close (GTK_WINDOW (self));
}

static void
fullscreen_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  VmdDisplayWindow *self = user_data;

  gtk_widget_activate_action (GTK_WIDGET (self->page), "page.fullscreen", NULL);
}

static void
vmd_display_window_constructed (GObject *object)
{
  VmdDisplayWindow *self = (VmdDisplayWindow *) object;

  G_OBJECT_CLASS (vmd_display_window_parent_class)->constructed (object);

  g_assert (VMD_IS_CONNECTION (self->connection));
  g_assert (VMD_IS_MACHINE (self->machine));

  self->controls = vmd_machine_controls_new (GTK_APPLICATION_WINDOW (self), self->connection);
  vmd_machine_controls_set_machine (self->controls, self->machine);
  g_signal_connect_object (self->controls, "error", G_CALLBACK (on_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls, "cloned", G_CALLBACK (on_cloned), self,
                           G_CONNECT_SWAPPED);

  g_object_bind_property (self->machine, "name", self, "title", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (vmd_connection_get_machines (self->connection), "items-changed",
                           G_CALLBACK (on_machines_changed), self, G_CONNECT_SWAPPED);

  vmd_display_page_set_detachable (self->page, FALSE);
  vmd_display_page_set_machine (self->page, self->machine);
  gtk_widget_grab_focus (GTK_WIDGET (vmd_display_page_get_display (self->page)));
}

static void
vmd_display_window_dispose (GObject *object)
{
  VmdDisplayWindow *self = (VmdDisplayWindow *) object;

  g_clear_object (&self->controls);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (vmd_connection_get_machines (self->connection), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_DISPLAY_WINDOW);

  g_clear_object (&self->machine);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (vmd_display_window_parent_class)->dispose (object);
}

static void
vmd_display_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VmdDisplayWindow *self = VMD_DISPLAY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_display_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  VmdDisplayWindow *self = VMD_DISPLAY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_MACHINE:
      self->machine = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_display_window_class_init (VmdDisplayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vmd_display_window_constructed;
  object_class->dispose = vmd_display_window_dispose;
  object_class->get_property = vmd_display_window_get_property;
  object_class->set_property = vmd_display_window_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, VMD_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL, VMD_TYPE_MACHINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-display-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayWindow, page);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_page_back);
}

static void
vmd_display_window_init (VmdDisplayWindow *self)
{
  static const GActionEntry entries[] = { { "fullscreen", fullscreen_action } };

  g_type_ensure (VMD_TYPE_DISPLAY_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}

VmdDisplayWindow *
vmd_display_window_new (GtkApplication *application,
                        VmdConnection  *connection,
                        VmdMachine     *machine)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);

  return g_object_new (VMD_TYPE_DISPLAY_WINDOW,
                       "application", application,
                       "connection", connection,
                       "machine", machine,
                       NULL);
}

/**
 * vmd_display_window_find:
 *
 * The window of its own that shows @machine, if one does: a guest's screen
 * has one viewer at a time.
 */
VmdDisplayWindow *
vmd_display_window_find (GtkApplication *application,
                         VmdMachine     *machine)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);

  if (application == NULL)
    return NULL;
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    {
      if (VMD_IS_DISPLAY_WINDOW (l->data) && VMD_DISPLAY_WINDOW (l->data)->machine == machine)
        return l->data;
    }
  return NULL;
}

VmdMachine *
vmd_display_window_get_machine (VmdDisplayWindow *self)
{
  g_return_val_if_fail (VMD_IS_DISPLAY_WINDOW (self), NULL);
  return self->machine;
}

VmdDisplayPage *
vmd_display_window_get_page (VmdDisplayWindow *self)
{
  g_return_val_if_fail (VMD_IS_DISPLAY_WINDOW (self), NULL);
  return self->page;
}
