/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-machine.h"
#include "vmd-machine-tile.h"

struct _VmdMachineTile
{
  GtkWidget       parent_instance;

  /* template widgets */
  GtkWidget      *box;
  GtkImage       *icon;
  GtkPopoverMenu *menu;
  GtkLabel       *name_label;
  GtkLabel       *os_label;
  GtkSpinner     *spinner;
  GtkLabel       *state_label;

  /* owned */
  VmdMachine     *machine;
  char           *state_class;
};

G_DEFINE_FINAL_TYPE (VmdMachineTile, vmd_machine_tile, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (VmdMachineTile *self)
{
  VmdMachineState state;
  const char *os_name;
  g_autofree char *css = NULL;
  g_autofree char *tooltip = NULL;

  if (self->machine == NULL)
    return;

  state = vmd_machine_get_state (self->machine);
  os_name = vmd_machine_get_os_name (self->machine);

  gtk_label_set_label (self->name_label, vmd_machine_get_name (self->machine));
  gtk_label_set_label (self->os_label, os_name ? os_name : _("Unknown system"));
  gtk_label_set_label (self->state_label, vmd_machine_state_to_string (state));
  gtk_spinner_set_spinning (self->spinner, vmd_machine_get_busy (self->machine));

  css = g_strdup_printf ("vmd-state-%s",
                         g_enum_get_value (g_type_class_peek (VMD_TYPE_MACHINE_STATE),
                                           state)->value_nick);
  if (self->state_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), self->state_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), css);
  g_free (self->state_class);
  self->state_class = g_steal_pointer (&css);

  tooltip = g_strdup_printf ("%s — %s", vmd_machine_get_name (self->machine),
                             vmd_machine_state_to_string (state));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
}

void
vmd_machine_tile_popup_menu (VmdMachineTile *self,
                             double          x,
                             double          y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  g_return_if_fail (VMD_IS_MACHINE_TILE (self));

  if (self->machine == NULL)
    return;

  /* The window's actions work on the selection: select this one first. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.select-machine", "s",
                              vmd_machine_get_uuid (self->machine));

  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &rect);
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), NULL);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
on_click_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  VmdMachineTile  *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));

  if (n_press != 1 || event == NULL || !gdk_event_triggers_context_menu (event))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  vmd_machine_tile_popup_menu (self, x, y);
}

static void
on_long_press (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               VmdMachineTile      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  vmd_machine_tile_popup_menu (self, x, y);
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  vmd_machine_tile_popup_menu (VMD_MACHINE_TILE (widget), -1, -1);
}

static void
vmd_machine_tile_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  VmdMachineTile *self = VMD_MACHINE_TILE (widget);

  GTK_WIDGET_CLASS (vmd_machine_tile_parent_class)->size_allocate (widget, width, height, baseline);
  gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
vmd_machine_tile_dispose (GObject *object)
{
  VmdMachineTile *self = (VmdMachineTile *) object;

  vmd_machine_tile_set_machine (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_MACHINE_TILE);
  g_clear_pointer (&self->state_class, g_free);

  G_OBJECT_CLASS (vmd_machine_tile_parent_class)->dispose (object);
}

static void
vmd_machine_tile_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VmdMachineTile *self = VMD_MACHINE_TILE (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_tile_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VmdMachineTile *self = VMD_MACHINE_TILE (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      vmd_machine_tile_set_machine (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_tile_class_init (VmdMachineTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_machine_tile_dispose;
  object_class->get_property = vmd_machine_tile_get_property;
  object_class->set_property = vmd_machine_tile_set_property;

  widget_class->size_allocate = vmd_machine_tile_size_allocate;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL, VMD_TYPE_MACHINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-machine-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, box);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, icon);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, menu);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, os_label);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, state_label);

  gtk_widget_class_install_action (widget_class, "tile.menu", NULL, menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "tile.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "tile.menu", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vmd-machine-tile");
}

static void
vmd_machine_tile_init (VmdMachineTile *self)
{
  GtkGesture *click;
  GtkGesture *long_press;

  gtk_widget_init_template (GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));
}

GtkWidget *
vmd_machine_tile_new (void)
{
  return g_object_new (VMD_TYPE_MACHINE_TILE, NULL);
}

VmdMachine *
vmd_machine_tile_get_machine (VmdMachineTile *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_TILE (self), NULL);
  return self->machine;
}

void
vmd_machine_tile_set_machine (VmdMachineTile *self,
                              VmdMachine     *machine)
{
  g_return_if_fail (VMD_IS_MACHINE_TILE (self));
  g_return_if_fail (machine == NULL || VMD_IS_MACHINE (machine));

  if (self->machine == machine)
    return;

  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_func (self->machine, update, self);
  g_set_object (&self->machine, machine);
  if (machine != NULL)
    g_signal_connect_swapped (machine, "notify", G_CALLBACK (update), self);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
}

GtkPopover *
vmd_machine_tile_get_menu (VmdMachineTile *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_TILE (self), NULL);
  return GTK_POPOVER (self->menu);
}
