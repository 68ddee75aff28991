/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display"

#include "config.h"

#include <string.h>

#include <spice-client.h>

#include "vmd-display-geometry.h"
#include "vmd-display.h"
#include "vmd-keymap.h"
#include "vmd-spice-session.h"

/* The guest's screen, drawn by GTK 4 from spice-client-glib's primary
 * surface. The surface is cut into tiles, each a GdkTexture: an update
 * re-uploads only the tiles it touches, so a blinking cursor costs one tile
 * and not a 1920x1080 frame. Tiles are opaque whatever the surface's X byte
 * holds (GTK 4.8 has no X8 format; a straight-alpha format would send every
 * frame through a CPU conversion). Keyboard and mouse go back to the guest;
 * while it has focus the desktop's shortcuts go to the guest too, until
 * Ctrl+Alt gives them back. */

#define TILE 256

struct _VmdDisplay
{
  GtkWidget            parent_instance;

  VmdSpiceSession     *session;
  SpiceDisplayChannel *display;
  SpiceInputsChannel  *inputs;
  SpiceCursorChannel  *cursor;

  /* the guest's primary surface, owned by spice-client-glib */
  guint8              *data;
  int                  width;
  int                  height;
  int                  stride;
  int                  format;
  gboolean             marked;

  VmdDamage           *damage;
  GdkTexture         **tiles;
  guint                frames;
  guint                invalidates;
  guint                fps_source;
  gint64               tile_us;
  gint64               last_tile_us;
  guint                last_frames;
  guint                last_invalidates;

  GHashTable          *pressed;       /* scancodes held down in the guest */
  guint                buttons;       /* SPICE_MOUSE_BUTTON_MASK_* */
  double               scroll_dy;
  double               last_x;
  double               last_y;
  guint                resize_source;
  guint                inhibited : 1;
  guint                draw_queued : 1;
  guint                released : 1;  /* Ctrl+Alt gave the shortcuts back */
};

G_DEFINE_FINAL_TYPE (VmdDisplay, vmd_display, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_READY,
  PROP_SHORTCUTS_INHIBITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* -- the primary surface --------------------------------------------- */

static void
drop_tiles (VmdDisplay *self)
{
  if (self->tiles != NULL && self->damage != NULL)
    {
      int n = vmd_damage_get_columns (self->damage) * vmd_damage_get_rows (self->damage);

      for (int i = 0; i < n; i++)
        g_clear_object (&self->tiles[i]);
    }
  g_clear_pointer (&self->tiles, g_free);
  g_clear_pointer (&self->damage, vmd_damage_free);
}

static void
set_ready (VmdDisplay *self,
           gboolean    marked)
{
  if (self->marked == marked)
    return;
  self->marked = marked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
on_primary_create (SpiceChannel *channel,
                   int           format,
                   int           width,
                   int           height,
                   int           stride,
                   int           shmid,
                   gpointer      data,
                   VmdDisplay   *self)
{
  drop_tiles (self);

  if (format != SPICE_SURFACE_FMT_32_xRGB && format != SPICE_SURFACE_FMT_32_ARGB)
    {
      g_warning ("Unsupported guest surface format %d", format);
      self->data = NULL;
      return;
    }

  self->data = data;
  self->width = width;
  self->height = height;
  self->stride = stride;
  self->format = format;
  self->damage = vmd_damage_new (width, height, TILE);
  self->tiles = g_new0 (GdkTexture *, MAX (vmd_damage_get_columns (self->damage) *
                                           vmd_damage_get_rows (self->damage), 1));
  vmd_damage_add_all (self->damage);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_primary_destroy (SpiceChannel *channel,
                    VmdDisplay   *self)
{
  drop_tiles (self);
  self->data = NULL;
  self->width = self->height = 0;
  set_ready (self, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_invalidate (SpiceChannel *channel,
               int           x,
               int           y,
               int           width,
               int           height,
               VmdDisplay   *self)
{
  if (self->damage == NULL)
    return;
  self->invalidates++;
  vmd_damage_add (self->damage, x, y, width, height);
  /* Guests send thousands of small updates a second: one redraw request
   * per frame is enough. */
  if (!self->draw_queued)
    {
      self->draw_queued = TRUE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_mark (SpiceChannel *channel,
         int           mark,
         VmdDisplay   *self)
{
  set_ready (self, mark != 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Copies one tile out of the guest's surface, with the X byte made opaque. */
static GdkTexture *
make_tile (VmdDisplay *self,
           int         x,
           int         y,
           int         width,
           int         height)
{
  gsize row = (gsize) width * 4;
  guint8 *pixels = g_malloc (row * height);
  g_autoptr(GBytes) bytes = NULL;

  for (int r = 0; r < height; r++)
    {
      guint32 *dst = (guint32 *) (pixels + r * row);

      memcpy (dst, self->data + (gsize) (y + r) * self->stride + (gsize) x * 4, row);
      if (self->format == SPICE_SURFACE_FMT_32_xRGB)
        for (int c = 0; c < width; c++)
          dst[c] |= GUINT32_TO_LE (0xff000000u);
    }

  bytes = g_bytes_new_take (pixels, row * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, row);
}

static void
vmd_display_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  VmdDisplay *self = VMD_DISPLAY (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  VmdDisplayFit fit;
  int columns, rows;

  self->draw_queued = FALSE;

  if (self->data == NULL || self->damage == NULL)
    {
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));
      return;
    }

  columns = vmd_damage_get_columns (self->damage);
  rows = vmd_damage_get_rows (self->damage);

  if (vmd_damage_count (self->damage) > 0)
    {
      gint64 start = g_get_monotonic_time ();

      for (int row = 0; row < rows; row++)
        for (int col = 0; col < columns; col++)
          if (vmd_damage_is_dirty (self->damage, col, row))
            {
              int tx, ty, tw, th;

              vmd_damage_tile_rect (self->damage, col, row, &tx, &ty, &tw, &th);
              g_clear_object (&self->tiles[row * columns + col]);
              self->tiles[row * columns + col] = make_tile (self, tx, ty, tw, th);
            }
      vmd_damage_clear (self->damage);
      self->frames++;
      self->tile_us += g_get_monotonic_time () - start;
    }

  vmd_display_fit (self->width, self->height, width, height, &fit);

  /* Black bars only where the guest's screen does not cover: every pixel
   * drawn twice costs on a software renderer. */
  if (fit.x > 0)
    {
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                                 &GRAPHENE_RECT_INIT (0, 0, fit.x, height));
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                                 &GRAPHENE_RECT_INIT (fit.x + fit.width, 0,
                                                      width - fit.x - fit.width, height));
    }
  if (fit.y > 0)
    {
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                                 &GRAPHENE_RECT_INIT (0, 0, width, fit.y));
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                                 &GRAPHENE_RECT_INIT (0, fit.y + fit.height,
                                                      width, height - fit.y - fit.height));
    }

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (fit.x, fit.y));
  if (fit.scale != 1.0)
    gtk_snapshot_scale (snapshot, fit.scale, fit.scale);
  for (int row = 0; row < rows; row++)
    for (int col = 0; col < columns; col++)
      {
        int tx, ty, tw, th;

        vmd_damage_tile_rect (self->damage, col, row, &tx, &ty, &tw, &th);
        gtk_snapshot_append_texture (snapshot, self->tiles[row * columns + col],
                                     &GRAPHENE_RECT_INIT (tx, ty, tw, th));
      }
  gtk_snapshot_restore (snapshot);
}

/* -- the guest's cursor ------------------------------------------------ */

static void
cursor_shape_free (SpiceCursorShape *shape)
{
  g_boxed_free (SPICE_TYPE_CURSOR_SHAPE, shape);
}

static void
on_cursor_shape (SpiceCursorChannel *channel,
                 GParamSpec         *pspec,
                 VmdDisplay         *self)
{
  SpiceCursorShape *shape = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkCursor) cursor = NULL;

  g_object_get (channel, "cursor", &shape, NULL);
  if (shape == NULL || shape->data == NULL || shape->width == 0 || shape->height == 0)
    {
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      g_clear_pointer (&shape, cursor_shape_free);
      return;
    }

  /* RGBA, one byte each, as spice-client-glib hands it over. */
  bytes = g_bytes_new (shape->data, (gsize) shape->width * shape->height * 4);
  texture = gdk_memory_texture_new (shape->width, shape->height, GDK_MEMORY_R8G8B8A8, bytes,
                                    shape->width * 4);
  cursor = gdk_cursor_new_from_texture (texture, shape->hot_spot_x, shape->hot_spot_y, NULL);
  gtk_widget_set_cursor (GTK_WIDGET (self), cursor);
  cursor_shape_free (shape);
}

static void
on_cursor_hide (SpiceCursorChannel *channel,
                VmdDisplay         *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
}

static void
on_cursor_reset (SpiceCursorChannel *channel,
                 VmdDisplay         *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHORTCUTS_INHIBITED]);
}

static void
release_all_keys (VmdDisplay *self)
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
      const guint8 *sequence = vmd_keymap_pause_sequence (&n);

      /* Pause has a press sequence and no release. */
      for (gsize i = 0; press && i < n; i++)
        spice_inputs_channel_key_press (self->inputs, sequence[i]);
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

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                VmdDisplay            *self)
{
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
  release_all_keys (self);
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
      if (gdk_event_get_position (event, &x, &y))
        {
          graphene_point_t p;

          if (gtk_widget_compute_point (GTK_WIDGET (gtk_widget_get_native (GTK_WIDGET (self))),
                                        GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &p))
            send_motion (self, p.x, p.y);
        }
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

/* -- guest resolution follows the window (needs spice-vdagent) --------- */

static gboolean
resize_guest_cb (gpointer user_data)
{
  VmdDisplay *self = user_data;
  SpiceMainChannel *main_channel;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self)) * scale;
  int height = gtk_widget_get_height (GTK_WIDGET (self)) * scale;

  self->resize_source = 0;
  if (self->session == NULL || !vmd_spice_session_get_agent (self->session))
    return G_SOURCE_REMOVE;

  main_channel = vmd_spice_session_get_main (self->session);
  if (main_channel != NULL && width >= 320 && height >= 200)
    {
      /* Guests want widths in multiples of 8. */
      spice_main_channel_update_display_enabled (main_channel, 0, TRUE, FALSE);
      spice_main_channel_update_display (main_channel, 0, 0, 0, width & ~7, height, FALSE);
      spice_main_channel_send_monitor_config (main_channel);
    }
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

static void
set_display_channel (VmdDisplay          *self,
                     SpiceDisplayChannel *display)
{
  SpiceDisplayPrimary primary;

  if (self->display == display)
    return;

  if (self->display != NULL)
    g_signal_handlers_disconnect_by_data (self->display, self);
  on_primary_destroy (NULL, self);
  g_set_object (&self->display, display);
  if (display == NULL)
    return;

  g_signal_connect (display, "display-primary-create", G_CALLBACK (on_primary_create), self);
  g_signal_connect (display, "display-primary-destroy", G_CALLBACK (on_primary_destroy), self);
  g_signal_connect (display, "display-invalidate", G_CALLBACK (on_invalidate), self);
  g_signal_connect (display, "display-mark", G_CALLBACK (on_mark), self);

  if (spice_display_channel_get_primary (SPICE_CHANNEL (display), 0, &primary))
    {
      on_primary_create (NULL, primary.format, primary.width, primary.height, primary.stride,
                         primary.shmid, primary.data, self);
      set_ready (self, primary.marked);
    }
}

static void
set_cursor_channel (VmdDisplay         *self,
                    SpiceCursorChannel *cursor)
{
  if (self->cursor == cursor)
    return;
  if (self->cursor != NULL)
    g_signal_handlers_disconnect_by_data (self->cursor, self);
  g_set_object (&self->cursor, cursor);
  if (cursor == NULL)
    return;
  g_signal_connect (cursor, "notify::cursor", G_CALLBACK (on_cursor_shape), self);
  g_signal_connect (cursor, "cursor-hide", G_CALLBACK (on_cursor_hide), self);
  g_signal_connect (cursor, "cursor-reset", G_CALLBACK (on_cursor_reset), self);
}

static void
on_channels (VmdDisplay *self)
{
  set_display_channel (self, self->session ? vmd_spice_session_get_display (self->session) : NULL);
  set_cursor_channel (self, self->session ? vmd_spice_session_get_cursor (self->session) : NULL);
  if (self->inputs != NULL)
    release_all_keys (self);
  g_set_object (&self->inputs,
                (self->session ? vmd_spice_session_get_inputs (self->session) : NULL));
}

void
vmd_display_set_session (VmdDisplay      *self,
                         VmdSpiceSession *session)
{
  g_return_if_fail (VMD_IS_DISPLAY (self));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::display", G_CALLBACK (on_channels), self);
      g_signal_connect_swapped (session, "notify::inputs", G_CALLBACK (on_channels), self);
      g_signal_connect_swapped (session, "notify::cursor", G_CALLBACK (on_channels), self);
      g_signal_connect_swapped (session, "notify::agent", G_CALLBACK (queue_guest_resize), self);
    }
  on_channels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* -- public --------------------------------------------------------------- */

/* Ctrl+Alt: the desktop's and the window's shortcuts work again; a click on
 * the display hands them back to the guest. */
void
vmd_display_release_shortcuts (VmdDisplay *self)
{
  g_return_if_fail (VMD_IS_DISPLAY (self));

  release_all_keys (self);
  self->released = TRUE;
  inhibit_shortcuts (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHORTCUTS_INHIBITED]);
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

  g_message ("display: %.1f frames/s drawn, %.1f updates/s from the guest, "
             "%.1f ms per frame copying tiles",
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
  g_clear_object (&self->inputs);
  drop_tiles (self);

  G_OBJECT_CLASS (vmd_display_parent_class)->dispose (object);
}

static void
vmd_display_finalize (GObject *object)
{
  VmdDisplay *self = (VmdDisplay *) object;

  g_hash_table_unref (self->pressed);

  G_OBJECT_CLASS (vmd_display_parent_class)->finalize (object);
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
  object_class->finalize = vmd_display_finalize;
  object_class->get_property = vmd_display_get_property;
  object_class->set_property = vmd_display_set_property;

  widget_class->snapshot = vmd_display_snapshot;
  widget_class->size_allocate = vmd_display_size_allocate;
  widget_class->measure = vmd_display_measure;

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
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *legacy = gtk_event_controller_legacy_new ();

  self->pressed = g_hash_table_new (g_direct_hash, g_direct_equal);
  if (g_getenv ("VMD_DEBUG_FPS") != NULL)
    self->fps_source = g_timeout_add_seconds (5, log_fps, self);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  /* Before the window's own shortcuts see the keys. */
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (key, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  g_signal_connect (focus, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  g_signal_connect (legacy, "event", G_CALLBACK (on_legacy_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), legacy);
}

GtkWidget *
vmd_display_new (void)
{
  return g_object_new (VMD_TYPE_DISPLAY, NULL);
}
