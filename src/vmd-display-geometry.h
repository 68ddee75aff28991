/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a guest screen of fb_width x fb_height goes in a widget of
 * width x height: scaled to fit, aspect kept, centred; exactly 1:1 when the
 * sizes match. */
typedef struct
{
  double scale;
  double x;
  double y;
  double width;
  double height;
} VmdDisplayFit;

void     vmd_display_fit                (int            fb_width,
                                         int            fb_height,
                                         int            width,
                                         int            height,
                                         VmdDisplayFit *fit);
gboolean vmd_display_widget_to_guest    (const VmdDisplayFit *fit,
                                         int            fb_width,
                                         int            fb_height,
                                         double         wx,
                                         double         wy,
                                         int           *gx,
                                         int           *gy);
double   vmd_display_fit_edge           (double         origin,
                                         double         scale,
                                         int            scale_factor,
                                         int            guest);

/* Damage kept per tile: an update of a small rectangle costs the tiles it
 * touches, not the screen. */
typedef struct _VmdDamage VmdDamage;

VmdDamage *vmd_damage_new          (int         width,
                                    int         height,
                                    int         tile);
void       vmd_damage_free         (VmdDamage  *damage);
int        vmd_damage_get_columns  (VmdDamage  *damage);
int        vmd_damage_get_rows     (VmdDamage  *damage);
int        vmd_damage_get_tile     (VmdDamage  *damage);
void       vmd_damage_add          (VmdDamage  *damage,
                                    int         x,
                                    int         y,
                                    int         width,
                                    int         height);
void       vmd_damage_add_all      (VmdDamage  *damage);
gboolean   vmd_damage_is_dirty     (VmdDamage  *damage,
                                    int         column,
                                    int         row);
guint      vmd_damage_count        (VmdDamage  *damage);
void       vmd_damage_clear        (VmdDamage  *damage);
void       vmd_damage_tile_rect    (VmdDamage  *damage,
                                    int         column,
                                    int         row,
                                    int        *x,
                                    int        *y,
                                    int        *width,
                                    int        *height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdDamage, vmd_damage_free)

G_END_DECLS
