/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display"

#include "config.h"

#include "vmd-display-private.h"
#include "vmd-keymap.h"

/* Keyboard and mouse from the display to the guest, through the session's
 * VmdSpiceInput. */

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

static gboolean
has_input (VmdDisplay *self)
{
  return self->input != NULL && vmd_spice_input_get_available (self->input);
}

static void
release_all_keys (VmdDisplay *self)
{
  if (self->input != NULL)
    vmd_spice_input_release_all_keys (self->input);
}

/* The desktop's Caps, Num and Scroll Lock; FALSE with no keyboard. */
static gboolean
desktop_locks (VmdDisplay  *self,
               VmdKeyLocks *locks)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GdkSeat *seat = gdk_display_get_default_seat (display);
  GdkDevice *keyboard = seat ? gdk_seat_get_keyboard (seat) : NULL;

  *locks = 0;
  if (keyboard == NULL)
    return FALSE;
  if (gdk_device_get_caps_lock_state (keyboard))
    *locks |= VMD_KEY_LOCK_CAPS;
  if (gdk_device_get_num_lock_state (keyboard))
    *locks |= VMD_KEY_LOCK_NUM;
  if (gdk_device_get_scroll_lock_state (keyboard))
    *locks |= VMD_KEY_LOCK_SCROLL;
  return TRUE;
}

static void
sync_locks (VmdDisplay *self)
{
  VmdKeyLocks locks;

  if (!has_input (self) || !desktop_locks (self, &locks))
    return;
  g_debug ("The guest's lock keys: %s%s%s", locks & VMD_KEY_LOCK_CAPS ? "Caps " : "",
           locks & VMD_KEY_LOCK_NUM ? "Num " : "", locks & VMD_KEY_LOCK_SCROLL ? "Scroll" : "");
  vmd_spice_input_set_locks (self->input, locks);
}

/* A guest that sets its keyboard's lights itself (its kernel or X server
 * starting, a switch of console) would leave its Caps Lock the opposite of
 * the desktop's from then on, each lock key typed turning both over. While
 * its screen has the keyboard, the guest is given the desktop's locks
 * again once its own have differed for a moment with no lock key typed
 * meanwhile: the moment lets a lock key typed twice quickly reach the guest
 * before the two are compared. */
#define LOCKS_SETTLE_MS 500

static gboolean
on_locks_settled (gpointer data)
{
  VmdDisplay *self = data;
  VmdKeyLocks locks;

  self->locks_source = 0;
  if (gtk_widget_has_focus (GTK_WIDGET (self)) && has_input (self) &&
      desktop_locks (self, &locks) && locks != vmd_spice_input_get_guest_locks (self->input))
    sync_locks (self);
  return G_SOURCE_REMOVE;
}

/* The guest's lights changed, or a lock key was typed while a check was
 * waiting. */
void
_vmd_display_queue_locks_check (VmdDisplay *self)
{
  g_clear_handle_id (&self->locks_source, g_source_remove);
  if (gtk_widget_has_focus (GTK_WIDGET (self)) && has_input (self))
    self->locks_source = g_timeout_add (LOCKS_SETTLE_MS, on_locks_settled, self);
}

/* The guest's keyboard came (its screen connected, or again) while the
 * display has the focus: the focus came first, when there was nothing to
 * tell the guest's Caps and Num Lock. */
void
_vmd_display_input_changed (VmdDisplay *self)
{
  if (has_input (self) && gtk_widget_has_focus (GTK_WIDGET (self)))
    sync_locks (self);
}

static void
send_key (VmdDisplay *self,
          guint       keycode,
          gboolean    press)
{
  if (self->input != NULL)
    vmd_spice_input_key (self->input, vmd_keymap_x11_to_xt (keycode), press);
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
  if (!gtk_widget_has_focus (GTK_WIDGET (self)) || !has_input (self))
    return FALSE;

  gboolean ctrl = (state & GDK_CONTROL_MASK) || keyval == GDK_KEY_Control_L || keyval == GDK_KEY_Control_R;
  gboolean alt = (state & GDK_ALT_MASK) || keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R;

  /* Ctrl+Alt: the desktop's shortcuts (and this window's) come back until
   * the display is clicked again. */
  if (ctrl && alt && (keyval == GDK_KEY_Control_L || keyval == GDK_KEY_Control_R ||
                      keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R))
    {
      send_key (self, keycode, TRUE);
      vmd_display_release_shortcuts (self);
      return TRUE;
    }

  if (self->released)
    return FALSE;

  send_key (self, keycode, TRUE);
  if (self->locks_source != 0 &&
      (keyval == GDK_KEY_Caps_Lock || keyval == GDK_KEY_Num_Lock || keyval == GDK_KEY_Scroll_Lock))
    _vmd_display_queue_locks_check (self);
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
  send_key (self, keycode, FALSE);
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
  release_all_keys (self);
  g_clear_handle_id (&self->locks_source, g_source_remove);
  inhibit_shortcuts (self, FALSE);
}

/* -- mouse -------------------------------------------------------------- */

static gboolean
pointer_button (guint             gdk_button,
                VmdPointerButton *button)
{
  switch (gdk_button)
    {
    case GDK_BUTTON_PRIMARY:
      *button = VMD_POINTER_BUTTON_LEFT;
      return TRUE;
    case GDK_BUTTON_MIDDLE:
      *button = VMD_POINTER_BUTTON_MIDDLE;
      return TRUE;
    case GDK_BUTTON_SECONDARY:
      *button = VMD_POINTER_BUTTON_RIGHT;
      return TRUE;
    case 8:
      *button = VMD_POINTER_BUTTON_SIDE;
      return TRUE;
    case 9:
      *button = VMD_POINTER_BUTTON_EXTRA;
      return TRUE;
    default:
      return FALSE;
    }
}

static void
send_motion (VmdDisplay *self,
             double      x,
             double      y)
{
  VmdDisplayFit fit;
  int gx, gy;

  if (self->data == NULL)
    return;

  if (vmd_spice_input_get_absolute (self->input))
    {
      vmd_display_fit (self->width, self->height, gtk_widget_get_width (GTK_WIDGET (self)),
                       gtk_widget_get_height (GTK_WIDGET (self)), &fit);
      vmd_display_widget_to_guest (&fit, self->width, self->height, x, y, &gx, &gy);
      vmd_spice_input_pointer_position (self->input, gx, gy);
    }
  else
    vmd_spice_input_pointer_motion (self->input, (int) (x - self->last_x), (int) (y - self->last_y));
  self->last_x = x;
  self->last_y = y;
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

  if (!has_input (self))
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
        VmdPointerButton button;
        gboolean known = pointer_button (gdk_button_event_get_button (event), &button);

        if (type == GDK_BUTTON_PRESS)
          {
            gtk_widget_grab_focus (GTK_WIDGET (self));
            if (self->released)
              {
                self->released = FALSE;
                inhibit_shortcuts (self, TRUE);
              }
          }
        if (known)
          vmd_spice_input_button (self->input, button, type == GDK_BUTTON_PRESS);
        return TRUE;
      }

    case GDK_SCROLL:
      switch (gdk_scroll_event_get_direction (event))
        {
        case GDK_SCROLL_UP:
          vmd_spice_input_wheel (self->input, -1);
          break;
        case GDK_SCROLL_DOWN:
          vmd_spice_input_wheel (self->input, 1);
          break;
        case GDK_SCROLL_SMOOTH:
          {
            double dx, dy;

            /* Touchpads scroll in fractions: one wheel click per unit. */
            gdk_scroll_event_get_deltas (event, &dx, &dy);
            self->scroll_dy += dy;
            for (; self->scroll_dy >= 1.0; self->scroll_dy -= 1.0)
              vmd_spice_input_wheel (self->input, 1);
            for (; self->scroll_dy <= -1.0; self->scroll_dy += 1.0)
              vmd_spice_input_wheel (self->input, -1);
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

  release_all_keys (self);
  self->released = TRUE;
  inhibit_shortcuts (self, FALSE);
  _vmd_display_notify_shortcuts (self);
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

  release_all_keys (self);
  if (key != NULL)
    {
      g_signal_handlers_disconnect_by_data (key, self);
      gtk_widget_remove_controller (gtk_event_controller_get_widget (key), key);
    }
}
