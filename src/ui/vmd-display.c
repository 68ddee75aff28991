/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display"

#include "config.h"

#include "vmd-display-private.h"

/* The guest's screen: a widget drawing the guest's pixels (see
 * vmd-display-tiles.c) at the size of the window, which the guest's
 * resolution follows. Keyboard and mouse go back to the guest
 * (vmd-display-input.c); while it has focus the desktop's shortcuts go to
 * the guest too, until Ctrl+Alt gives them back. */

G_DEFINE_FINAL_TYPE (VmdDisplay, vmd_display, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_READY,
  PROP_SHORTCUTS_INHIBITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_vmd_display_set_ready (VmdDisplay *self,
                        gboolean    marked)
{
  if (self->marked == marked)
    return;
  self->marked = marked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/* -- guest resolution follows the window ----------------------------------
 * The widget's size in device pixels, exactly: QXL's and virtio-gpu's guest
 * drivers take any size, and a guest a few pixels narrower than the widget
 * would be scaled, so blurred. Asked once the size has held for a moment:
 * a guest takes a while to change its resolution. */

static gboolean
resize_guest_cb (gpointer user_data)
{
  VmdDisplay *self = user_data;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  self->resize_source = 0;
  if (self->session != NULL)
    vmd_spice_session_set_resolution (self->session,
                                      gtk_widget_get_width (GTK_WIDGET (self)) * scale,
                                      gtk_widget_get_height (GTK_WIDGET (self)) * scale);
  return G_SOURCE_REMOVE;
}

static void
queue_guest_resize (VmdDisplay *self)
{
  g_clear_handle_id (&self->resize_source, g_source_remove);
  self->resize_source = g_timeout_add (400, resize_guest_cb, self);
}

static void
vmd_display_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  queue_guest_resize (VMD_DISPLAY (widget));
}

/* -- channels ------------------------------------------------------------ */

void
vmd_display_set_session (VmdDisplay      *self,
                         VmdSpiceSession *session)
{
  g_return_if_fail (VMD_IS_DISPLAY (self));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->input != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->input, self);
      vmd_spice_input_release_all_keys (self->input);
    }
  g_clear_handle_id (&self->locks_source, g_source_remove);
  g_set_object (&self->session, session);
  g_set_object (&self->input, (session ? vmd_spice_session_get_input (session) : NULL));
  if (session != NULL)
    {
      g_signal_connect_swapped (self->input, "notify::available",
                                G_CALLBACK (_vmd_display_input_changed), self);
      g_signal_connect_swapped (self->input, "notify::guest-locks",
                                G_CALLBACK (_vmd_display_queue_locks_check), self);
      g_signal_connect_swapped (session, "notify::display",
                                G_CALLBACK (_vmd_display_follow_channels), self);
      g_signal_connect_swapped (session, "notify::cursor",
                                G_CALLBACK (_vmd_display_follow_channels), self);
      queue_guest_resize (self);
    }
  _vmd_display_follow_channels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* -- public --------------------------------------------------------------- */

void
_vmd_display_notify_shortcuts (VmdDisplay *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHORTCUTS_INHIBITED]);
}

VmdSpiceSession *
vmd_display_get_session (VmdDisplay *self)
{
  g_return_val_if_fail (VMD_IS_DISPLAY (self), NULL);
  return self->session;
}

/* Whether the guest's screen is there to see. */
gboolean
vmd_display_get_ready (VmdDisplay *self)
{
  g_return_val_if_fail (VMD_IS_DISPLAY (self), FALSE);
  return self->data != NULL && self->marked;
}

void
vmd_display_get_guest_size (VmdDisplay *self,
                            int        *width,
                            int        *height)
{
  g_return_if_fail (VMD_IS_DISPLAY (self));
  *width = self->data ? self->width : 0;
  *height = self->data ? self->height : 0;
}

gboolean
vmd_display_get_shortcuts_inhibited (VmdDisplay *self)
{
  g_return_val_if_fail (VMD_IS_DISPLAY (self), FALSE);
  return !self->released && gtk_widget_has_focus (GTK_WIDGET (self));
}

/* Frames drawn with new content since the display was made. */
guint
vmd_display_get_frames (VmdDisplay *self)
{
  g_return_val_if_fail (VMD_IS_DISPLAY (self), 0);
  return self->frames;
}

/* VMD_DEBUG_FPS=1: frames drawn and updates received, every 5 s. */
static gboolean
log_fps (gpointer user_data)
{
  VmdDisplay *self = user_data;

  guint frames = self->frames - self->last_frames;

  g_message ("display: %dx%d shown in %dx%d; %.1f frames/s drawn, %.1f updates/s from the guest, "
             "%.1f ms per frame making tiles",
             self->width, self->height,
             gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)),
             frames / 5.0, (self->invalidates - self->last_invalidates) / 5.0,
             frames ? (self->tile_us - self->last_tile_us) / 1000.0 / frames : 0.0);
  self->last_tile_us = self->tile_us;
  self->last_frames = self->frames;
  self->last_invalidates = self->invalidates;
  return G_SOURCE_CONTINUE;
}

/* -- GObject ---------------------------------------------------------------- */

static void
vmd_display_dispose (GObject *object)
{
  VmdDisplay *self = (VmdDisplay *) object;

  g_clear_handle_id (&self->resize_source, g_source_remove);
  g_clear_handle_id (&self->fps_source, g_source_remove);
  vmd_display_set_session (self, NULL);
  _vmd_display_drop_tiles (self);

  G_OBJECT_CLASS (vmd_display_parent_class)->dispose (object);
}

static void
vmd_display_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VmdDisplay *self = VMD_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_READY:
      g_value_set_boolean (value, vmd_display_get_ready (self));
      break;
    case PROP_SHORTCUTS_INHIBITED:
      g_value_set_boolean (value, vmd_display_get_shortcuts_inhibited (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_display_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VmdDisplay *self = VMD_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      vmd_display_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_display_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vmd_display_parent_class)->root (widget);
  _vmd_display_root_input (VMD_DISPLAY (widget));
}

static void
vmd_display_unroot (GtkWidget *widget)
{
  _vmd_display_unroot_input (VMD_DISPLAY (widget));
  GTK_WIDGET_CLASS (vmd_display_parent_class)->unroot (widget);
}

static void
vmd_display_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  VmdDisplay *self = VMD_DISPLAY (widget);

  /* Shrinks to anything; would like the guest's size. */
  *minimum = 64;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = self->data ? self->width : 640;
  else
    *natural = self->data ? self->height : 480;
}

static void
vmd_display_class_init (VmdDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_display_dispose;
  object_class->get_property = vmd_display_get_property;
  object_class->set_property = vmd_display_set_property;

  widget_class->snapshot = _vmd_display_snapshot;
  widget_class->size_allocate = vmd_display_size_allocate;
  widget_class->measure = vmd_display_measure;
  widget_class->root = vmd_display_root;
  widget_class->unroot = vmd_display_unroot;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, VMD_TYPE_SPICE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHORTCUTS_INHIBITED] =
    g_param_spec_boolean ("shortcuts-inhibited", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "vmd-display");
}

static void
vmd_display_init (VmdDisplay *self)
{
  if (g_getenv ("VMD_DEBUG_FPS") != NULL)
    self->fps_source = g_timeout_add_seconds (5, log_fps, self);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  _vmd_display_init_input (self);
}

GtkWidget *
vmd_display_new (void)
{
  return g_object_new (VMD_TYPE_DISPLAY, NULL);
}
