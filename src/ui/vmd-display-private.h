/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "vmd-display-geometry.h"
#include "vmd-display.h"
#include "vmd-spice-session.h"

G_BEGIN_DECLS

/* The display is cut in three: vmd-display.c (the widget: size, the
 * guest's resolution, focus), vmd-display-tiles.c (the guest's pixels made
 * into render nodes), vmd-display-surface.c (the one place that reads
 * spice-client-glib's primary surface and cursor), and vmd-display-input.c
 * (keys and pointer, through VmdSpiceInput). */
struct _VmdDisplay
{
  GtkWidget            parent_instance;

  VmdSpiceSession     *session;
  VmdSpiceInput       *input;
  GObject             *display_channel; /* vmd-display-surface.c's */
  GObject             *cursor_channel;

  /* the guest's primary surface, owned by spice-client-glib */
  guint8              *data;
  int                  width;
  int                  height;
  int                  stride;
  gboolean             alpha;       /* ARGB, else xRGB: the X byte is not read */
  gboolean             marked;

  VmdDamage           *damage;
  GskRenderNode      **tiles;       /* one per tile, kept until it changes */
  cairo_surface_t    **tile_images; /* cairo renderer: each tile's pixels in data */
  VmdDisplayFit        tile_fit;      /* cairo: the fit its tiles were placed for */
  int                  tile_scale_factor;
  guint                frames;
  guint                invalidates;
  guint                fps_source;
  gint64               tile_us;
  gint64               last_tile_us;
  guint                last_frames;
  guint                last_invalidates;

  GtkEventController  *keys;          /* on the root: the guest's keys */
  double               scroll_dy;
  double               last_x;
  double               last_y;
  guint                resize_source;
  guint                locks_source;  /* the guest's lights to compare */
  guint                inhibited : 1;
  guint                draw_queued : 1;
  guint                cairo_tiles : 1;  /* tiles made for the cairo renderer */
  guint                released : 1;  /* Ctrl+Alt gave the shortcuts back */
};

/* vmd-display.c */
void _vmd_display_set_ready          (VmdDisplay  *self,
                                      gboolean     marked);
void _vmd_display_notify_shortcuts   (VmdDisplay  *self);

/* vmd-display-tiles.c */
void _vmd_display_surface_created    (VmdDisplay  *self,
                                      guint8      *data,
                                      int          width,
                                      int          height,
                                      int          stride,
                                      gboolean     alpha);
void _vmd_display_surface_destroyed  (VmdDisplay  *self);
void _vmd_display_drop_tiles         (VmdDisplay  *self);
void _vmd_display_snapshot           (GtkWidget   *widget,
                                      GtkSnapshot *snapshot);
/* for tests: a surface of their own (xRGB), NULL to take it away */
void _vmd_display_set_surface        (VmdDisplay  *self,
                                      guint8      *data,
                                      int          width,
                                      int          height,
                                      int          stride);
void _vmd_display_invalidate         (VmdDisplay  *self,
                                      int          x,
                                      int          y,
                                      int          width,
                                      int          height);

/* vmd-display-surface.c */
void _vmd_display_follow_channels    (VmdDisplay  *self);

/* vmd-display-input.c */
void _vmd_display_init_input         (VmdDisplay  *self);
void _vmd_display_root_input         (VmdDisplay  *self);
void _vmd_display_unroot_input       (VmdDisplay  *self);
void _vmd_display_input_changed      (VmdDisplay  *self);
void _vmd_display_queue_locks_check  (VmdDisplay  *self);

G_END_DECLS
