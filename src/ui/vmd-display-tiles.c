/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vmd-display-private.h"

/* The guest's pixels, drawn by GTK 4. The surface is cut into tiles, each
 * a render node kept from frame to frame: an update remakes only the nodes
 * of the tiles it touches, and GTK's diff of the node tree then redraws
 * only those, so a blinking cursor costs one tile and not a 1920x1080
 * frame.
 *
 * What a tile is depends on who draws it. For the GL renderer, a texture
 * node: uploaded once, kept on the GPU. For the cairo renderer, a cairo node
 * painting the guest's pixels where they are: GTK 4.8's cairo renderer
 * converts every texture node of the tree through floats on every frame,
 * changed or not, which is 20 ms a frame at 1920x1080; a cairo node only
 * costs where it is drawn.
 * Either way tiles are opaque whatever the surface's X byte holds (GTK 4.8
 * has no X8 format; a straight-alpha format would go through the same slow
 * conversion). */

/* Above 128: GTK 4.8's GL renderer packs textures of up to 128 pixels into
 * an atlas, and drawn scaled, tiles from it bleed at their edges
 * (test-display-draw). The damage grid makes no tile smaller. */
#define TILE 160

void
_vmd_display_drop_tiles (VmdDisplay *self)
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

/* The guest's surface, 32 bits a pixel, B G R X/A in memory; owned by
 * whoever hands it, until _vmd_display_surface_destroyed(). */
void
_vmd_display_surface_created (VmdDisplay *self,
                              guint8     *data,
                              int         width,
                              int         height,
                              int         stride,
                              gboolean    alpha)
{
  int n_tiles;

  _vmd_display_drop_tiles (self);

  self->data = data;
  self->width = width;
  self->height = height;
  self->stride = stride;
  self->alpha = alpha;
  self->damage = vmd_damage_new (width, height, TILE);
  n_tiles = MAX (vmd_damage_get_columns (self->damage) * vmd_damage_get_rows (self->damage), 1);
  self->tiles = g_new0 (GskRenderNode *, n_tiles);
  self->tile_images = g_new0 (cairo_surface_t *, n_tiles);
  vmd_damage_add_all (self->damage);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_vmd_display_surface_destroyed (VmdDisplay *self)
{
  _vmd_display_drop_tiles (self);
  self->data = NULL;
  self->width = self->height = 0;
  _vmd_display_set_ready (self, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_vmd_display_invalidate (VmdDisplay *self,
                         int         x,
                         int         y,
                         int         width,
                         int         height)
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
      if (!self->alpha)
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

void
_vmd_display_snapshot (GtkWidget   *widget,
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

/* For tests that draw a surface of their own: @data (xRGB, the X byte
 * ignored) stays theirs, and NULL takes it away as the guest's
 * primary-destroy does. */
void
_vmd_display_set_surface (VmdDisplay *self,
                          guint8     *data,
                          int         width,
                          int         height,
                          int         stride)
{
  if (data == NULL)
    {
      _vmd_display_surface_destroyed (self);
      return;
    }
  _vmd_display_surface_created (self, data, width, height, stride, FALSE);
  _vmd_display_set_ready (self, TRUE);
}
