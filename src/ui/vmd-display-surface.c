/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display"

#include "config.h"

#include <spice-client.h>

#include "vmd-display-private.h"
#include "vmd-spice-session-screen.h"

/* The one place of the window that reads spice-client-glib: the guest's
 * primary surface, drawn from its memory by vmd-display-tiles.c, and the
 * guest's cursor. */

/* -- the primary surface --------------------------------------------- */

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
  if (format != SPICE_SURFACE_FMT_32_xRGB && format != SPICE_SURFACE_FMT_32_ARGB)
    {
      g_warning ("Unsupported guest surface format %d", format);
      _vmd_display_surface_destroyed (self);
      return;
    }
  _vmd_display_surface_created (self, data, width, height, stride,
                                format == SPICE_SURFACE_FMT_32_ARGB);
}

static void
on_primary_destroy (SpiceChannel *channel,
                    VmdDisplay   *self)
{
  _vmd_display_surface_destroyed (self);
}

static void
on_invalidate (SpiceChannel *channel,
               int           x,
               int           y,
               int           width,
               int           height,
               VmdDisplay   *self)
{
  _vmd_display_invalidate (self, x, y, width, height);
}

static void
on_mark (SpiceChannel *channel,
         int           mark,
         VmdDisplay   *self)
{
  _vmd_display_set_ready (self, mark != 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
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

static void
set_display_channel (VmdDisplay          *self,
                     SpiceDisplayChannel *display)
{
  SpiceDisplayPrimary primary;

  if (self->display_channel == (GObject *) display)
    return;

  if (self->display_channel != NULL)
    g_signal_handlers_disconnect_by_data (self->display_channel, self);
  _vmd_display_surface_destroyed (self);
  g_set_object (&self->display_channel, (GObject *) display);
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
      _vmd_display_set_ready (self, primary.marked);
    }
}

static void
set_cursor_channel (VmdDisplay         *self,
                    SpiceCursorChannel *cursor)
{
  if (self->cursor_channel == (GObject *) cursor)
    return;
  if (self->cursor_channel != NULL)
    g_signal_handlers_disconnect_by_data (self->cursor_channel, self);
  g_set_object (&self->cursor_channel, (GObject *) cursor);
  if (cursor == NULL)
    return;
  g_signal_connect (cursor, "notify::cursor", G_CALLBACK (on_cursor_shape), self);
  g_signal_connect (cursor, "cursor-hide", G_CALLBACK (on_cursor_hide), self);
  g_signal_connect (cursor, "cursor-reset", G_CALLBACK (on_cursor_reset), self);
}

/* The session's display and cursor channels, whenever they change. */
void
_vmd_display_follow_channels (VmdDisplay *self)
{
  VmdSpiceSession *session = self->session;

  set_display_channel (self, session ? vmd_spice_session_get_display_channel (session) : NULL);
  set_cursor_channel (self, session ? vmd_spice_session_get_cursor_channel (session) : NULL);
}

