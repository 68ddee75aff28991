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
  GtkOverlay     *overlay;
  GtkLabel       *state_label;

  /* owned, made when first needed */
  GtkWidget      *icon_ref;     /* while the thumbnail takes its place */
  GtkPicture     *thumbnail;
  GtkSpinner     *spinner;

  /* owned */
  VmdMachine     *machine;
  char           *state_class;
  GCancellable   *cancellable;
  guint           thumbnail_source;
};

G_DEFINE_FINAL_TYPE (VmdMachineTile, vmd_machine_tile, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define THUMBNAIL_SECONDS 5
#define THUMBNAIL_WIDTH   320

static void refresh_thumbnail (VmdMachineTile *self);

/* A running machine's last picture, kept on the machine: a tile bound to
 * it anew (the grid recycles tiles as it scrolls or as a search hides and
 * shows them) shows it at once instead of the icon until its own first
 * screenshot. Forgotten as the machine stops, whether a tile shows it or
 * not. */
static GQuark
picture_quark (void)
{
  return g_quark_from_static_string ("vmd-machine-tile-picture");
}

static void
forget_picture (VmdMachine *machine)
{
  if (!vmd_machine_get_is_active (machine))
    g_object_set_qdata (G_OBJECT (machine), picture_quark (), NULL);
}

static void
keep_picture (VmdMachine *machine,
              GdkTexture *texture)
{
  if (g_signal_handler_find (machine, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, forget_picture, NULL) == 0)
    g_signal_connect (machine, "notify::is-active", G_CALLBACK (forget_picture), NULL);
  g_object_set_qdata_full (G_OBJECT (machine), picture_quark (), g_object_ref (texture),
                           g_object_unref);
}

/* The guest's screen in the icon's place, or the icon back (NULL). */
static void
show_thumbnail (VmdMachineTile *self,
                GdkPaintable   *paintable)
{
  if (paintable == NULL)
    {
      if (self->thumbnail != NULL)
        gtk_picture_set_paintable (self->thumbnail, NULL);
      if (gtk_overlay_get_child (self->overlay) != GTK_WIDGET (self->icon))
        gtk_overlay_set_child (self->overlay, GTK_WIDGET (self->icon));
      return;
    }

  if (self->thumbnail == NULL)
    {
      self->thumbnail = GTK_PICTURE (g_object_ref_sink (gtk_picture_new ()));
      gtk_widget_set_size_request (GTK_WIDGET (self->thumbnail), 160, 120);
      gtk_picture_set_content_fit (self->thumbnail, GTK_CONTENT_FIT_CONTAIN);
      gtk_widget_add_css_class (GTK_WIDGET (self->thumbnail), "vmd-live-thumbnail");
    }
  gtk_picture_set_paintable (self->thumbnail, paintable);
  if (gtk_overlay_get_child (self->overlay) != GTK_WIDGET (self->thumbnail))
    gtk_overlay_set_child (self->overlay, GTK_WIDGET (self->thumbnail));
}

static void
set_busy (VmdMachineTile *self,
          gboolean        busy)
{
  if (self->spinner == NULL && !busy)
    return;
  if (self->spinner == NULL)
    {
      self->spinner = GTK_SPINNER (gtk_spinner_new ());
      gtk_widget_set_halign (GTK_WIDGET (self->spinner), GTK_ALIGN_CENTER);
      gtk_widget_set_valign (GTK_WIDGET (self->spinner), GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (GTK_WIDGET (self->spinner), 32, 32);
      gtk_overlay_add_overlay (self->overlay, GTK_WIDGET (self->spinner));
    }
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (task_data);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  /* Decoded and scaled here, off the main thread: a 1920x1080 PNG is
   * not for the frame clock's time. */
  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, THUMBNAIL_WIDTH, -1, TRUE, cancellable, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

static void
on_decoded (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  VmdMachineTile *self = user_data;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  if (texture == NULL || self->machine == NULL || !vmd_machine_get_is_active (self->machine))
    return;
  keep_picture (self->machine, texture);
  show_thumbnail (self, GDK_PAINTABLE (texture));
}

static void
on_screenshot (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  VmdMachineTile *self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  bytes = vmd_machine_screenshot_finish (VMD_MACHINE (object), result, NULL, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail: %s", error->message);
      return;
    }

  task = g_task_new (NULL, self->cancellable, on_decoded, self);
  g_task_set_task_data (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, decode_thread);
}

static gboolean
thumbnail_tick (gpointer user_data)
{
  refresh_thumbnail (user_data);
  return G_SOURCE_CONTINUE;
}

static void
stop_thumbnails (VmdMachineTile *self)
{
  g_clear_handle_id (&self->thumbnail_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* Live thumbnails: a screenshot every few seconds while the tile is on
 * screen and its guest runs. The hypervisor takes it, not the SPICE
 * display, so an open display keeps its frame rate. */
static void
refresh_thumbnail (VmdMachineTile *self)
{
  gboolean active = self->machine != NULL && vmd_machine_get_is_active (self->machine);

  if (!active || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      stop_thumbnails (self);
      if (!active)
        show_thumbnail (self, NULL);
      return;
    }

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  if (self->thumbnail_source == 0)
    self->thumbnail_source = g_timeout_add_seconds (THUMBNAIL_SECONDS, thumbnail_tick, self);
  vmd_machine_screenshot_async (self->machine, self->cancellable, on_screenshot, self);
}

static void
vmd_machine_tile_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vmd_machine_tile_parent_class)->map (widget);
  refresh_thumbnail (VMD_MACHINE_TILE (widget));
}

static void
vmd_machine_tile_unmap (GtkWidget *widget)
{
  stop_thumbnails (VMD_MACHINE_TILE (widget));
  GTK_WIDGET_CLASS (vmd_machine_tile_parent_class)->unmap (widget);
}

/* For tests and screen readers: whether the tile shows the guest's screen. */
gboolean
vmd_machine_tile_has_thumbnail (VmdMachineTile *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_TILE (self), FALSE);
  return self->thumbnail != NULL && gtk_picture_get_paintable (self->thumbnail) != NULL &&
         gtk_overlay_get_child (self->overlay) == GTK_WIDGET (self->thumbnail);
}

static void
on_machine_state (VmdMachineTile *self)
{
  refresh_thumbnail (self);
}

static void
update (VmdMachineTile *self)
{
  VmdMachineState state;
  const char *os_name;
  g_autofree char *css = NULL;
  g_autofree char *tooltip = NULL;
  const char *explanation;

  if (self->machine == NULL)
    return;

  state = vmd_machine_get_state (self->machine);
  os_name = vmd_machine_get_os_name (self->machine);

  gtk_label_set_label (self->name_label, vmd_machine_get_name (self->machine));
  gtk_label_set_label (self->os_label, os_name ? os_name : _("Unknown system"));
  gtk_label_set_label (self->state_label, vmd_machine_get_summary (self->machine));
  if (vmd_machine_get_has_problem (self->machine))
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "vmd-problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "vmd-problem");
  set_busy (self, vmd_machine_get_busy (self->machine));

  css = g_strdup_printf ("vmd-state-%s",
                         g_enum_get_value (g_type_class_peek (VMD_TYPE_MACHINE_STATE),
                                           state)->value_nick);
  /* Only what changed: a style class or a tooltip set again costs a
   * restyle, and a tooltip a round trip to the X server. */
  if (g_strcmp0 (self->state_class, css) != 0)
    {
      if (self->state_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), self->state_class);
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), css);
      g_free (self->state_class);
      self->state_class = g_steal_pointer (&css);
    }

  explanation = vmd_machine_get_explanation (self->machine);
  tooltip = g_strdup_printf ("%s — %s%s%s", vmd_machine_get_name (self->machine),
                             vmd_machine_get_summary (self->machine),
                             explanation ? "\n" : "", explanation ? explanation : "");
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self)), tooltip) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
}

/* Built when first opened: a library lays out hundreds of tiles. */
static void
ensure_menu (VmdMachineTile *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->menu != NULL)
    return;
  builder = gtk_builder_new_from_resource ("/com/example/VmDesk/vmd-machine-tile-menu.ui");
  self->menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (
    G_MENU_MODEL (gtk_builder_get_object (builder, "machine_menu"))));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->menu), GTK_WIDGET (self));
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

  ensure_menu (self);
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

/* Every tile is as wide as every other, whatever its labels say: the
 * library's columns then follow from its width alone (VMD_MACHINE_TILE_WIDTH). */
static void
vmd_machine_tile_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  VmdMachineTile *self = VMD_MACHINE_TILE (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, VMD_MACHINE_TILE_WIDTH);
}

static GtkSizeRequestMode
vmd_machine_tile_get_request_mode (GtkWidget *widget)
{
  return gtk_widget_get_request_mode (VMD_MACHINE_TILE (widget)->box);
}

static void
vmd_machine_tile_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  VmdMachineTile *self = VMD_MACHINE_TILE (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
vmd_machine_tile_dispose (GObject *object)
{
  VmdMachineTile *self = (VmdMachineTile *) object;

  stop_thumbnails (self);
  vmd_machine_tile_set_machine (self, NULL);
  if (self->menu != NULL)
    gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->menu)));
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_MACHINE_TILE);
  g_clear_object (&self->icon_ref);
  g_clear_object (&self->thumbnail);
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

  widget_class->get_request_mode = vmd_machine_tile_get_request_mode;
  widget_class->measure = vmd_machine_tile_measure;
  widget_class->size_allocate = vmd_machine_tile_size_allocate;
  widget_class->map = vmd_machine_tile_map;
  widget_class->unmap = vmd_machine_tile_unmap;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL, VMD_TYPE_MACHINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-machine-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, box);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, icon);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, os_label);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, overlay);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineTile, state_label);

  gtk_widget_class_install_action (widget_class, "tile.menu", NULL, menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "tile.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "tile.menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "vmd-machine-tile");
}

static void
vmd_machine_tile_init (VmdMachineTile *self)
{
  GtkGesture *click;
  GtkGesture *long_press;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->icon_ref = g_object_ref (GTK_WIDGET (self->icon));

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
    g_signal_handlers_disconnect_by_data (self->machine, self);
  stop_thumbnails (self);
  show_thumbnail (self, NULL);
  g_set_object (&self->machine, machine);
  if (machine != NULL)
    {
      g_signal_connect_swapped (machine, "notify", G_CALLBACK (update), self);
      g_signal_connect_swapped (machine, "notify::is-active", G_CALLBACK (on_machine_state), self);
    }

  update (self);
  if (machine != NULL && vmd_machine_get_is_active (machine) &&
      g_object_get_qdata (G_OBJECT (machine), picture_quark ()) != NULL)
    show_thumbnail (self, g_object_get_qdata (G_OBJECT (machine), picture_quark ()));
  refresh_thumbnail (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
}

GtkPopover *
vmd_machine_tile_get_menu (VmdMachineTile *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_TILE (self), NULL);
  ensure_menu (self);
  return GTK_POPOVER (self->menu);
}
