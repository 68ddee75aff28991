/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display"

#include "config.h"

#include <math.h>
#include <string.h>

#include <spice-client.h>

#include "vmd-display-geometry.h"
#include "vmd-display-private.h"
#include "vmd-spice-session.h"

/* The guest's screen, drawn by GTK 4 from spice-client-glib's primary
 * surface. The surface is cut into tiles, each a render node kept from frame
 * to frame: an update remakes only the nodes of the tiles it touches, and
 * GTK's diff of the node tree then redraws only those, so a blinking cursor
 * costs one tile and not a 1920x1080 frame.
 *
 * What a tile is depends on who draws it. For the GL renderer, a texture
 * node: uploaded once, kept on the GPU. For the cairo renderer, a cairo node
 * painting the guest's pixels where they are: GTK 4.8's cairo renderer
 * converts every texture node of the tree through floats on every frame,
 * changed or not, which is 20 ms a frame at 1920x1080; a cairo node only
 * costs where it is drawn.
 * Either way tiles are opaque whatever the surface's X byte holds (GTK 4.8
 * has no X8 format; a straight-alpha format would go through the same slow
 * conversion). Keyboard and mouse go back to the guest; while it has focus
 * the desktop's shortcuts go to the guest too, until Ctrl+Alt gives them
 * back. */

/* Above 128: GTK 4.8's GL renderer packs textures of up to 128 pixels into
 * an atlas, and drawn scaled, tiles from it bleed at their edges
 * (test-display-draw). The damage grid makes no tile smaller. */
#define TILE 160


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
        {
          g_clear_pointer (&self->tiles[i], gsk_render_node_unref);
          /* The guest's surface is about to go: finishing the image makes
           * the snapshots in the nodes GTK may still hold copy the pixels
           * they show, so that none reads the freed surface. */
          if (self->tile_images[i] != NULL)
            cairo_surface_finish (self->tile_images[i]);
          g_clear_pointer (&self->tile_images[i], cairo_surface_destroy);
        }
    }
  g_clear_pointer (&self->tiles, g_free);
  g_clear_pointer (&self->tile_images, g_free);
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
  int n_tiles;

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
  n_tiles = MAX (vmd_damage_get_columns (self->damage) * vmd_damage_get_rows (self->damage), 1);
  self->tiles = g_new0 (GskRenderNode *, n_tiles);
  self->tile_images = g_new0 (cairo_surface_t *, n_tiles);
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

/* Copies one tile out of the guest's surface into a texture, with the X
 * byte made opaque: for renderers that keep textures. */
static GskRenderNode *
make_texture_tile (VmdDisplay *self,
                   int         index,
                   int         x,
                   int         y,
                   int         width,
                   int         height)
{
  gsize row = (gsize) width * 4;
  guint8 *pixels = g_malloc (row * height);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (int r = 0; r < height; r++)
    {
      guint32 *dst = (guint32 *) (pixels + r * row);

      memcpy (dst, self->data + (gsize) (y + r) * self->stride + (gsize) x * 4, row);
      if (self->format == SPICE_SURFACE_FMT_32_xRGB)
        for (int c = 0; c < width; c++)
          dst[c] |= GUINT32_TO_LE (0xff000000u);
    }

  bytes = g_bytes_new_take (pixels, row * height);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, row);
  return gsk_texture_node_new (texture, &GRAPHENE_RECT_INIT (x, y, width, height));
}

/* A cairo node painting the tile straight from the guest's surface, seen
 * as RGB24 (which ignores the X byte): nothing is copied or converted. The
 * image over the tile's pixels is made once per surface; a node records a
 * snapshot of it that reads the pixels when drawn, so the node is remade
 * only to tell GTK the tile changed, or when the fit changes.
 *
 * Nodes are placed in the widget's coordinates, each tile scaled between
 * edges rounded to whole device pixels (vmd_display_fit_edge()): at a scale
 * that puts tile edges between pixels, cairo would antialias each tile's
 * edge, which leaves a grid of faint lines and takes pixman off its fast
 * paths. Each tile's scale then differs from the fit's by under a device
 * pixel over the tile. */
static GskRenderNode *
make_cairo_tile (VmdDisplay *self,
                 int         index,
                 int         x,
                 int         y,
                 int         width,
                 int         height)
{
  const VmdDisplayFit *fit = &self->tile_fit;
  int factor = self->tile_scale_factor;
  double x0 = vmd_display_fit_edge (fit->x, fit->scale, factor, x);
  double x1 = vmd_display_fit_edge (fit->x, fit->scale, factor, x + width);
  double y0 = vmd_display_fit_edge (fit->y, fit->scale, factor, y);
  double y1 = vmd_display_fit_edge (fit->y, fit->scale, factor, y + height);
  /* The image reaches one pixel into the tiles around, where there are
   * any: filtering at the tile's edge reads the neighbours' pixels. */
  int left = x > 0, top = y > 0;
  int right = x + width < self->width, bottom = y + height < self->height;
  GskRenderNode *node;
  cairo_t *cr;

  if (self->tile_images[index] == NULL)
    self->tile_images[index] =
      cairo_image_surface_create_for_data (self->data + (gsize) (y - top) * self->stride +
                                             (gsize) (x - left) * 4,
                                           CAIRO_FORMAT_RGB24, width + left + right,
                                           height + top + bottom, self->stride);

  node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
  if (x1 <= x0 || y1 <= y0)
    return node;
  cr = gsk_cairo_node_get_draw_context (node);
  cairo_translate (cr, x0, y0);
  cairo_scale (cr, (x1 - x0) / width, (y1 - y0) / height);
  cairo_set_source_surface (cr, self->tile_images[index], -left, -top);
  /* PAD: the surface's own edges are not faded. BILINEAR: cairo's default
   * filter box-filters a downscaled image, far too slow for 60 frames. */
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_destroy (cr);
  return node;
}

static gboolean
drawn_by_cairo (VmdDisplay *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}

static void
vmd_display_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  VmdDisplay *self = VMD_DISPLAY (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  VmdDisplayFit fit;
  int columns, rows, scale_factor;
  double right, bottom;
  gboolean cairo_tiles;

  self->draw_queued = FALSE;

  if (self->data == NULL || self->damage == NULL)
    {
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));
      return;
    }

  columns = vmd_damage_get_columns (self->damage);
  rows = vmd_damage_get_rows (self->damage);

  vmd_display_fit (self->width, self->height, width, height, &fit);

  /* Tiles made for the other renderer (the widget moved to another
   * window) are remade; cairo's, placed in the widget, when the fit
   * changes too. */
  cairo_tiles = drawn_by_cairo (self);
  scale_factor = gtk_widget_get_scale_factor (widget);
  if (cairo_tiles != self->cairo_tiles ||
      (cairo_tiles && (memcmp (&fit, &self->tile_fit, sizeof fit) != 0 ||
                       scale_factor != self->tile_scale_factor)))
    {
      self->cairo_tiles = cairo_tiles;
      self->tile_fit = fit;
      self->tile_scale_factor = scale_factor;
      vmd_damage_add_all (self->damage);
    }

  if (vmd_damage_count (self->damage) > 0)
    {
      gint64 start = g_get_monotonic_time ();

      for (int row = 0; row < rows; row++)
        for (int col = 0; col < columns; col++)
          if (vmd_damage_is_dirty (self->damage, col, row))
            {
              int tx, ty, tw, th;

              vmd_damage_tile_rect (self->damage, col, row, &tx, &ty, &tw, &th);
              g_clear_pointer (&self->tiles[row * columns + col], gsk_render_node_unref);
              self->tiles[row * columns + col] = (cairo_tiles ? make_cairo_tile : make_texture_tile)
                (self, row * columns + col, tx, ty, tw, th);
            }
      vmd_damage_clear (self->damage);
      self->frames++;
      self->tile_us += g_get_monotonic_time () - start;
    }

  /* Black bars only where the guest's screen does not cover: every pixel
   * drawn twice costs on a software renderer. The screen may end inside a
   * pixel: the bars start at that pixel, under the screen's edge, or what
   * is behind the widget would show through it. */
  right = fit.x + fit.width;
  bottom = fit.y + fit.height;
  if (fit.x > 0)
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                               &GRAPHENE_RECT_INIT (0, 0, fit.x, height));
  if (right < width)
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                               &GRAPHENE_RECT_INIT (floor (right), 0, width - floor (right), height));
  if (fit.y > 0)
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                               &GRAPHENE_RECT_INIT (0, 0, width, fit.y));
  if (bottom < height)
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                               &GRAPHENE_RECT_INIT (0, floor (bottom), width, height - floor (bottom)));

  if (cairo_tiles)
    {
      for (int i = 0; i < columns * rows; i++)
        gtk_snapshot_append_node (snapshot, self->tiles[i]);
      return;
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (fit.x, fit.y));
  if (fit.scale != 1.0)
    gtk_snapshot_scale (snapshot, fit.scale, fit.scale);
  for (int i = 0; i < columns * rows; i++)
    gtk_snapshot_append_node (snapshot, self->tiles[i]);
  gtk_snapshot_restore (snapshot);
}

/* What the display channel's signals do, for tests that draw a surface of
 * their own: @data (xRGB, the X byte ignored) stays theirs, and NULL takes
 * it away as the guest's primary-destroy does. */
void
_vmd_display_set_surface (VmdDisplay *self,
                          guint8     *data,
                          int         width,
                          int         height,
                          int         stride)
{
  if (data == NULL)
    {
      on_primary_destroy (NULL, self);
      return;
    }
  on_primary_create (NULL, SPICE_SURFACE_FMT_32_xRGB, width, height, stride, -1, data, self);
  set_ready (self, TRUE);
}

void
_vmd_display_invalidate (VmdDisplay *self,
                         int         x,
                         int         y,
                         int         width,
                         int         height)
{
  on_invalidate (NULL, x, y, width, height, self);
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

/* -- guest resolution follows the window ----------------------------------
 * The widget's size in device pixels, exactly: QXL's and virtio-gpu's guest
 * drivers take any size, and a guest a few pixels narrower than the widget
 * would be scaled, so blurred. SPICE hands the size to the display device
 * when the guest's driver takes it there, else to the agent; spice-client-glib
 * sends it only while an agent runs. */

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
  if (main_channel != NULL && width >= 320 && height >= 200 &&
      (width != self->asked_width || height != self->asked_height))
    {
      spice_main_channel_update_display_enabled (main_channel, 0, TRUE, FALSE);
      spice_main_channel_update_display (main_channel, 0, 0, 0, width, height, FALSE);
      spice_main_channel_send_monitor_config (main_channel);
      self->asked_width = width;
      self->asked_height = height;
    }
  return G_SOURCE_REMOVE;
}

static void
queue_guest_resize (VmdDisplay *self)
{
  g_clear_handle_id (&self->resize_source, g_source_remove);
  self->resize_source = g_timeout_add (400, resize_guest_cb, self);
}

/* A new agent (the guest rebooted, or has just started one) knows nothing
 * of what the last one was asked. */
static void
on_agent (VmdDisplay *self)
{
  self->asked_width = self->asked_height = 0;
  queue_guest_resize (self);
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
    _vmd_display_release_all_keys (self);
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
  self->asked_width = self->asked_height = 0;
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::display", G_CALLBACK (on_channels), self);
      g_signal_connect_swapped (session, "notify::inputs", G_CALLBACK (on_channels), self);
      g_signal_connect_swapped (session, "notify::cursor", G_CALLBACK (on_channels), self);
      g_signal_connect_swapped (session, "notify::agent", G_CALLBACK (on_agent), self);
    }
  on_channels (self);
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
  object_class->finalize = vmd_display_finalize;
  object_class->get_property = vmd_display_get_property;
  object_class->set_property = vmd_display_set_property;

  widget_class->snapshot = vmd_display_snapshot;
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
  self->pressed = g_hash_table_new (g_direct_hash, g_direct_equal);
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
