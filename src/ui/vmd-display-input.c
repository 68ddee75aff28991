/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display"

#include "config.h"

#include <spice-client.h>

#include "vmd-display-geometry.h"
#include "vmd-display-private.h"
#include "vmd-keymap.h"
#include "vmd-spice-session.h"

/* Keyboard and mouse from the display to the guest. */

/* -- keyboard ----------------------------------------------------------- */

static void
inhibit_shortcuts (VmdDisplay *self,
                   gboolean    inhibit)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GdkSurface *surface = native ? gtk_native_get_surface (native) : NULL;

  if (surface == NULL || !GDK_IS_TOPLEVEL (surface) || self->inhibited == inhibit)
    return;

  if (inhibit)
    gdk_toplevel_inhibit_system_shortcuts (GDK_TOPLEVEL (surface), NULL);
  else
    gdk_toplevel_restore_system_shortcuts (GDK_TOPLEVEL (surface));
  self->inhibited = inhibit;
  _vmd_display_notify_shortcuts (self);
}

void
_vmd_display_release_all_keys (VmdDisplay *self)
{
  GHashTableIter iter;
  gpointer key;

  if (self->inputs != NULL)
    {
      g_hash_table_iter_init (&iter, self->pressed);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        spice_inputs_channel_key_release (self->inputs, GPOINTER_TO_UINT (key));
    }
  g_hash_table_remove_all (self->pressed);
}

static void
sync_locks (VmdDisplay *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GdkSeat *seat = gdk_display_get_default_seat (display);
  GdkDevice *keyboard = seat ? gdk_seat_get_keyboard (seat) : NULL;
  guint locks = 0;

  if (keyboard == NULL || self->inputs == NULL)
    return;
  if (gdk_device_get_caps_lock_state (keyboard))
    locks |= SPICE_INPUTS_CAPS_LOCK;
  if (gdk_device_get_num_lock_state (keyboard))
    locks |= SPICE_INPUTS_NUM_LOCK;
  if (gdk_device_get_scroll_lock_state (keyboard))
    locks |= SPICE_INPUTS_SCROLL_LOCK;
  spice_inputs_channel_set_key_locks (self->inputs, locks);
}

static void
send_scancode (VmdDisplay *self,
               guint       scancode,
               gboolean    press)
{
  if (self->inputs == NULL || scancode == 0)
    return;

  if (scancode == VMD_KEYMAP_PAUSE)
    {
      gsize n;
      const VmdKeyStroke *strokes = vmd_keymap_pause_strokes (&n);

      /* Pause is one sequence on press, and nothing on release. */
      for (gsize i = 0; press && i < n; i++)
        {
          if (strokes[i].press)
            spice_inputs_channel_key_press (self->inputs, strokes[i].scancode);
          else
            spice_inputs_channel_key_release (self->inputs, strokes[i].scancode);
        }
      return;
    }

  if (press)
    {
      spice_inputs_channel_key_press (self->inputs, scancode);
      g_hash_table_add (self->pressed, GUINT_TO_POINTER (scancode));
    }
  else if (g_hash_table_remove (self->pressed, GUINT_TO_POINTER (scancode)))
    spice_inputs_channel_key_release (self->inputs, scancode);
}

/* The keys are caught on the window, in the capture phase and ahead of
 * every other controller there: the application's accelerators and the
 * window's own shortcuts (Ctrl+W, Ctrl+Q, F10, Delete…) fire from the
 * window's capture phase too, before any controller of the display would
 * see the key. While the display has the keyboard, nothing of VmDesk's sees
 * a key the guest gets. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                VmdDisplay            *self)
{
  /* With no guest to take them, the keys are VmDesk's. */
  if (!gtk_widget_has_focus (GTK_WIDGET (self)) || self->inputs == NULL)
    return FALSE;

  gboolean ctrl = (state & GDK_CONTROL_MASK) || keyval == GDK_KEY_Control_L || keyval == GDK_KEY_Control_R;
  gboolean alt = (state & GDK_ALT_MASK) || keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R;

  /* Ctrl+Alt: the desktop's shortcuts (and this window's) come back until
   * the display is clicked again. */
  if (ctrl && alt && (keyval == GDK_KEY_Control_L || keyval == GDK_KEY_Control_R ||
                      keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R))
    {
      send_scancode (self, vmd_keymap_x11_to_xt (keycode), TRUE);
      vmd_display_release_shortcuts (self);
      return TRUE;
    }

  if (self->released)
    return FALSE;

  send_scancode (self, vmd_keymap_x11_to_xt (keycode), TRUE);
  return TRUE;
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 VmdDisplay            *self)
{
  /* Only what the guest holds: focus leaving has let go of the rest. */
  send_scancode (self, vmd_keymap_x11_to_xt (keycode), FALSE);
}

static void
on_focus_enter (GtkEventControllerFocus *controller,
                VmdDisplay              *self)
{
  sync_locks (self);
  if (!self->released)
    inhibit_shortcuts (self, TRUE);
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                VmdDisplay              *self)
{
  _vmd_display_release_all_keys (self);
  inhibit_shortcuts (self, FALSE);
}

/* -- mouse -------------------------------------------------------------- */

static int
spice_button (guint gdk_button)
{
  switch (gdk_button)
    {
    case GDK_BUTTON_PRIMARY:
      return SPICE_MOUSE_BUTTON_LEFT;
    case GDK_BUTTON_MIDDLE:
      return SPICE_MOUSE_BUTTON_MIDDLE;
    case GDK_BUTTON_SECONDARY:
      return SPICE_MOUSE_BUTTON_RIGHT;
    case 8:
      return SPICE_MOUSE_BUTTON_SIDE;
    case 9:
      return SPICE_MOUSE_BUTTON_EXTRA;
    default:
      return SPICE_MOUSE_BUTTON_INVALID;
    }
}

static guint
button_mask (int button)
{
  switch (button)
    {
    case SPICE_MOUSE_BUTTON_LEFT:
      return SPICE_MOUSE_BUTTON_MASK_LEFT;
    case SPICE_MOUSE_BUTTON_MIDDLE:
      return SPICE_MOUSE_BUTTON_MASK_MIDDLE;
    case SPICE_MOUSE_BUTTON_RIGHT:
      return SPICE_MOUSE_BUTTON_MASK_RIGHT;
    case SPICE_MOUSE_BUTTON_SIDE:
      return SPICE_MOUSE_BUTTON_MASK_SIDE;
    case SPICE_MOUSE_BUTTON_EXTRA:
      return SPICE_MOUSE_BUTTON_MASK_EXTRA;
    default:
      return 0;
    }
}

static gboolean
client_mouse (VmdDisplay *self)
{
  SpiceMainChannel *main_channel = self->session ? vmd_spice_session_get_main (self->session) : NULL;
  int mode = SPICE_MOUSE_MODE_CLIENT;

  if (main_channel != NULL)
    g_object_get (main_channel, "mouse-mode", &mode, NULL);
  return mode == SPICE_MOUSE_MODE_CLIENT;
}

static void
send_motion (VmdDisplay *self,
             double      x,
             double      y)
{
  VmdDisplayFit fit;
  int gx, gy;

  if (self->inputs == NULL || self->data == NULL)
    return;

  if (client_mouse (self))
    {
      vmd_display_fit (self->width, self->height, gtk_widget_get_width (GTK_WIDGET (self)),
                       gtk_widget_get_height (GTK_WIDGET (self)), &fit);
      vmd_display_widget_to_guest (&fit, self->width, self->height, x, y, &gx, &gy);
      spice_inputs_channel_position (self->inputs, gx, gy, 0, self->buttons);
    }
  else
    spice_inputs_channel_motion (self->inputs, (int) (x - self->last_x), (int) (y - self->last_y),
                                 self->buttons);
  self->last_x = x;
  self->last_y = y;
}

static void
scroll_click (VmdDisplay *self,
              int         button)
{
  spice_inputs_channel_button_press (self->inputs, button, self->buttons);
  spice_inputs_channel_button_release (self->inputs, button, self->buttons);
}

/* Where a pointer event is, in the display's coordinates. An event comes
 * in its surface's: less the surface's offset from the native widget (the
 * window's shadow, where a compositor runs), less the display's place in
 * the native. That place is a translation, subtracted in double precision:
 * graphene's float inverse turns 499 into 498.99997, a pixel off once
 * floored. */
static gboolean
event_position (VmdDisplay *self,
                GdkEvent   *event,
                double     *x,
                double     *y)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  graphene_point_t origin;
  double sx, sy;

  if (native == NULL || !gdk_event_get_position (event, x, y) ||
      !gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (native),
                                 &GRAPHENE_POINT_INIT (0, 0), &origin))
    return FALSE;
  gtk_native_get_surface_transform (native, &sx, &sy);
  *x -= sx + origin.x;
  *y -= sy + origin.y;
  return TRUE;
}

static gboolean
on_legacy_event (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 VmdDisplay               *self)
{
  GdkEventType type = gdk_event_get_event_type (event);
  double x, y;

  if (self->inputs == NULL)
    return FALSE;

  switch ((int) type)
    {
    case GDK_MOTION_NOTIFY:
      if (event_position (self, event, &x, &y))
        send_motion (self, x, y);
      return TRUE;

    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
      {
        int button = spice_button (gdk_button_event_get_button (event));

        if (type == GDK_BUTTON_PRESS)
          {
            gtk_widget_grab_focus (GTK_WIDGET (self));
            if (self->released)
              {
                self->released = FALSE;
                inhibit_shortcuts (self, TRUE);
              }
          }
        if (button == SPICE_MOUSE_BUTTON_INVALID)
          return TRUE;
        if (type == GDK_BUTTON_PRESS)
          {
            self->buttons |= button_mask (button);
            spice_inputs_channel_button_press (self->inputs, button, self->buttons);
          }
        else
          {
            self->buttons &= ~button_mask (button);
            spice_inputs_channel_button_release (self->inputs, button, self->buttons);
          }
        return TRUE;
      }

    case GDK_SCROLL:
      switch (gdk_scroll_event_get_direction (event))
        {
        case GDK_SCROLL_UP:
          scroll_click (self, SPICE_MOUSE_BUTTON_UP);
          break;
        case GDK_SCROLL_DOWN:
          scroll_click (self, SPICE_MOUSE_BUTTON_DOWN);
          break;
        case GDK_SCROLL_SMOOTH:
          {
            double dx, dy;

            /* Touchpads scroll in fractions: one wheel click per unit. */
            gdk_scroll_event_get_deltas (event, &dx, &dy);
            self->scroll_dy += dy;
            for (; self->scroll_dy >= 1.0; self->scroll_dy -= 1.0)
              scroll_click (self, SPICE_MOUSE_BUTTON_DOWN);
            for (; self->scroll_dy <= -1.0; self->scroll_dy += 1.0)
              scroll_click (self, SPICE_MOUSE_BUTTON_UP);
          }
          break;
        case GDK_SCROLL_LEFT:
        case GDK_SCROLL_RIGHT:
        default:
          break;
        }
      return TRUE;

    default:
      return FALSE;
    }
}

/* Ctrl+Alt: the desktop's and the window's shortcuts work again; a click on
 * the display hands them back to the guest. */
void
vmd_display_release_shortcuts (VmdDisplay *self)
{
  g_return_if_fail (VMD_IS_DISPLAY (self));

  _vmd_display_release_all_keys (self);
  self->released = TRUE;
  inhibit_shortcuts (self, FALSE);
  _vmd_display_notify_shortcuts (self);
}

/* Presses the keys in order, then releases them in reverse: what
 * Ctrl+Alt+Del takes. */
void
vmd_display_send_keys (VmdDisplay  *self,
                       const guint *evdev_codes,
                       gsize        n_codes)
{
  g_return_if_fail (VMD_IS_DISPLAY (self));

  if (self->inputs == NULL)
    return;
  for (gsize i = 0; i < n_codes; i++)
    send_scancode (self, vmd_keymap_evdev_to_xt (evdev_codes[i]), TRUE);
  for (gsize i = n_codes; i > 0; i--)
    send_scancode (self, vmd_keymap_evdev_to_xt (evdev_codes[i - 1]), FALSE);
}

void
_vmd_display_init_input (VmdDisplay *self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *legacy = gtk_event_controller_legacy_new ();

  g_signal_connect (focus, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  g_signal_connect (legacy, "event", G_CALLBACK (on_legacy_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), legacy);
}

/* The display's keys are caught on its window (see on_key_pressed): a
 * controller that follows the display from window to window. Added last,
 * it runs first: GTK runs a widget's controllers newest first, and stops at
 * the first one that is not a gesture and takes the event. */
void
_vmd_display_root_input (VmdDisplay *self)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkEventController *key;

  g_assert (self->keys == NULL);
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (key, "vmd-display-keys");
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (key, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (root, key);
  self->keys = key;
}

void
_vmd_display_unroot_input (VmdDisplay *self)
{
  GtkEventController *key = g_steal_pointer (&self->keys);

  _vmd_display_release_all_keys (self);
  if (key != NULL)
    {
      g_signal_handlers_disconnect_by_data (key, self);
      gtk_widget_remove_controller (gtk_event_controller_get_widget (key), key);
    }
}
