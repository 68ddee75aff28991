/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <spice-client.h>

#include "vmd-display-geometry.h"
#include "vmd-display.h"

G_BEGIN_DECLS

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
  GHashTable          *pressed;       /* scancodes held down in the guest */
  guint                buttons;       /* SPICE_MOUSE_BUTTON_MASK_* */
  double               scroll_dy;
  double               last_x;
  double               last_y;
  guint                resize_source;
  int                  asked_width;   /* what the guest was last asked for */
  int                  asked_height;
  guint                inhibited : 1;
  guint                draw_queued : 1;
  guint                cairo_tiles : 1;  /* tiles made for the cairo renderer */
  guint                released : 1;  /* Ctrl+Alt gave the shortcuts back */
};

void _vmd_display_init_input        (VmdDisplay *self);
void _vmd_display_set_surface       (VmdDisplay *self,
                                     guint8     *data,
                                     int         width,
                                     int         height,
                                     int         stride);
void _vmd_display_invalidate        (VmdDisplay *self,
                                     int         x,
                                     int         y,
                                     int         width,
                                     int         height);
void _vmd_display_root_input        (VmdDisplay *self);
void _vmd_display_unroot_input      (VmdDisplay *self);
void _vmd_display_release_all_keys  (VmdDisplay *self);
void _vmd_display_notify_shortcuts  (VmdDisplay *self);

G_END_DECLS
