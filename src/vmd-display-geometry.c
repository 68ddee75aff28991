/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display-geometry"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vmd-display-geometry.h"

void
vmd_display_fit (int            fb_width,
                 int            fb_height,
                 int            width,
                 int            height,
                 VmdDisplayFit *fit)
{
  g_return_if_fail (fit != NULL);

  if (fb_width <= 0 || fb_height <= 0 || width <= 0 || height <= 0)
    {
      *fit = (VmdDisplayFit) { 1.0, 0, 0, MAX (fb_width, 0), MAX (fb_height, 0) };
      return;
    }

  fit->scale = MIN ((double) width / fb_width, (double) height / fb_height);
  fit->width = fb_width * fit->scale;
  fit->height = fb_height * fit->scale;
  /* Whole pixels: at 1:1 every guest pixel lands on one widget pixel. */
  fit->x = floor ((width - fit->width) / 2);
  fit->y = floor ((height - fit->height) / 2);
}

/* Where the edge before the guest's pixel @guest (a column, or a row)
 * falls in the widget, @origin and @scale being the fit's along that axis,
 * rounded to a whole device pixel (@scale_factor of them a widget pixel).
 * Tiles drawn between such edges meet on whole pixels: a renderer that
 * antialiases (cairo) leaves no pixel on a tile's edge partly covered,
 * where what is behind would show through as a faint line. */
double
vmd_display_fit_edge (double origin,
                      double scale,
                      int    scale_factor,
                      int    guest)
{
  g_return_val_if_fail (scale_factor > 0, origin);

  return origin + round (guest * scale * scale_factor) / scale_factor;
}

/* Returns FALSE when (wx, wy) is outside the guest's screen; the guest
 * coordinates are clamped to it all the same. */
gboolean
vmd_display_widget_to_guest (const VmdDisplayFit *fit,
                             int                  fb_width,
                             int                  fb_height,
                             double               wx,
                             double               wy,
                             int                 *gx,
                             int                 *gy)
{
  double x, y;

  g_return_val_if_fail (fit != NULL && fit->scale > 0, FALSE);

  x = floor ((wx - fit->x) / fit->scale);
  y = floor ((wy - fit->y) / fit->scale);
  *gx = (int) CLAMP (x, 0, MAX (fb_width - 1, 0));
  *gy = (int) CLAMP (y, 0, MAX (fb_height - 1, 0));
  return x >= 0 && y >= 0 && x < fb_width && y < fb_height;
}

struct _VmdDamage
{
  int     width;
  int     height;
  int     tile;
  int     columns;
  int     rows;
  guint   count;
  guint8 *dirty;
};

VmdDamage *
vmd_damage_new (int width,
                int height,
                int tile)
{
  VmdDamage *damage;

  g_return_val_if_fail (width >= 0 && height >= 0 && tile > 0, NULL);

  damage = g_new0 (VmdDamage, 1);
  damage->width = width;
  damage->height = height;
  damage->tile = tile;
  /* A remainder goes to the last column (row): no tile is narrower than
   * @tile unless the screen is. */
  damage->columns = MAX (width / tile, width > 0);
  damage->rows = MAX (height / tile, height > 0);
  damage->dirty = g_new0 (guint8, MAX (damage->columns * damage->rows, 1));
  return damage;
}

void
vmd_damage_free (VmdDamage *damage)
{
  if (damage == NULL)
    return;
  g_free (damage->dirty);
  g_free (damage);
}

int
vmd_damage_get_columns (VmdDamage *damage)
{
  return damage->columns;
}

int
vmd_damage_get_rows (VmdDamage *damage)
{
  return damage->rows;
}

int
vmd_damage_get_tile (VmdDamage *damage)
{
  return damage->tile;
}

/* Marks the tiles that the rectangle, clipped to the screen, touches. */
void
vmd_damage_add (VmdDamage *damage,
                int        x,
                int        y,
                int        width,
                int        height)
{
  int x0 = MAX (x, 0), y0 = MAX (y, 0);
  int x1 = MIN ((gint64) x + width, damage->width);
  int y1 = MIN ((gint64) y + height, damage->height);

  if (width <= 0 || height <= 0 || x1 <= x0 || y1 <= y0)
    return;

  int last_col = MIN ((x1 - 1) / damage->tile, damage->columns - 1);
  int last_row = MIN ((y1 - 1) / damage->tile, damage->rows - 1);

  for (int row = MIN (y0 / damage->tile, last_row); row <= last_row; row++)
    for (int col = MIN (x0 / damage->tile, last_col); col <= last_col; col++)
      {
        guint8 *cell = &damage->dirty[row * damage->columns + col];

        if (!*cell)
          {
            *cell = 1;
            damage->count++;
          }
      }
}

void
vmd_damage_add_all (VmdDamage *damage)
{
  vmd_damage_add (damage, 0, 0, damage->width, damage->height);
}

gboolean
vmd_damage_is_dirty (VmdDamage *damage,
                     int        column,
                     int        row)
{
  g_return_val_if_fail (column >= 0 && column < damage->columns, FALSE);
  g_return_val_if_fail (row >= 0 && row < damage->rows, FALSE);

  return damage->dirty[row * damage->columns + column];
}

guint
vmd_damage_count (VmdDamage *damage)
{
  return damage->count;
}

void
vmd_damage_clear (VmdDamage *damage)
{
  memset (damage->dirty, 0, MAX (damage->columns * damage->rows, 1));
  damage->count = 0;
}

/* The pixels a tile covers; edge tiles are cut to the screen. */
void
vmd_damage_tile_rect (VmdDamage *damage,
                      int        column,
                      int        row,
                      int       *x,
                      int       *y,
                      int       *width,
                      int       *height)
{
  *x = column * damage->tile;
  *y = row * damage->tile;
  *width = column == damage->columns - 1 ? damage->width - *x : damage->tile;
  *height = row == damage->rows - 1 ? damage->height - *y : damage->tile;
}
