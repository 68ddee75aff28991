/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-display-geometry"

#include "config.h"

#include "vmd-display-geometry.h"

static void
test_fit_exact (void)
{
  VmdDisplayFit fit;
  int gx, gy;

  /* Same size: 1:1, no offset; every widget pixel is one guest pixel. */
  vmd_display_fit (1920, 1080, 1920, 1080, &fit);
  g_assert_cmpfloat (fit.scale, ==, 1.0);
  g_assert_cmpfloat (fit.x, ==, 0);
  g_assert_cmpfloat (fit.y, ==, 0);
  g_assert_true (vmd_display_widget_to_guest (&fit, 1920, 1080, 0.5, 0.5, &gx, &gy));
  g_assert_cmpint (gx, ==, 0);
  g_assert_cmpint (gy, ==, 0);
  g_assert_true (vmd_display_widget_to_guest (&fit, 1920, 1080, 1919.9, 1079.9, &gx, &gy));
  g_assert_cmpint (gx, ==, 1919);
  g_assert_cmpint (gy, ==, 1079);
}

static void
test_fit_letterbox (void)
{
  VmdDisplayFit fit;
  int gx, gy;

  /* A 4:3 guest in a 16:9 widget: bars left and right, whole-pixel offset. */
  vmd_display_fit (800, 600, 1600, 900, &fit);
  g_assert_cmpfloat (fit.scale, ==, 1.5);
  g_assert_cmpfloat (fit.width, ==, 1200);
  g_assert_cmpfloat (fit.height, ==, 900);
  g_assert_cmpfloat (fit.x, ==, 200);
  g_assert_cmpfloat (fit.y, ==, 0);

  g_assert_true (vmd_display_widget_to_guest (&fit, 800, 600, 200, 0, &gx, &gy));
  g_assert_cmpint (gx, ==, 0);
  g_assert_true (vmd_display_widget_to_guest (&fit, 800, 600, 1399, 899, &gx, &gy));
  g_assert_cmpint (gx, ==, 799);
  g_assert_cmpint (gy, ==, 599);

  /* In the bars: outside, clamped to the edge. */
  g_assert_false (vmd_display_widget_to_guest (&fit, 800, 600, 10, 450, &gx, &gy));
  g_assert_cmpint (gx, ==, 0);
  g_assert_false (vmd_display_widget_to_guest (&fit, 800, 600, 1590, 450, &gx, &gy));
  g_assert_cmpint (gx, ==, 799);
}

static void
test_fit_shrink (void)
{
  VmdDisplayFit fit;

  /* Tall widget: bars above and below, odd leftover rounded down. */
  vmd_display_fit (1920, 1080, 960, 701, &fit);
  g_assert_cmpfloat (fit.scale, ==, 0.5);
  g_assert_cmpfloat (fit.y, ==, 80);
  g_assert_cmpfloat (fit.height, ==, 540);

  /* Nothing to show yet. */
  vmd_display_fit (0, 0, 800, 600, &fit);
  g_assert_cmpfloat (fit.scale, ==, 1.0);
}

/* Tile edges land on whole device pixels, and nowhere else. */
static void
test_fit_edge (void)
{
  VmdDisplayFit fit;

  /* 1:1 with a letterbox: unchanged, offset by the bar. */
  vmd_display_fit (640, 480, 700, 480, &fit);
  g_assert_cmpfloat (vmd_display_fit_edge (fit.x, fit.scale, 1, 128), ==, 30 + 128);
  /* 640x480 in 777x583: 1.2140625, so 128 is at 155.4 and 256 at 310.8. */
  vmd_display_fit (640, 480, 777, 583, &fit);
  g_assert_cmpfloat (vmd_display_fit_edge (fit.x, fit.scale, 1, 128), ==, 155);
  g_assert_cmpfloat (vmd_display_fit_edge (fit.x, fit.scale, 1, 256), ==, 311);
  g_assert_cmpfloat (vmd_display_fit_edge (fit.x, fit.scale, 1, 640), ==, 777);
  /* At scale factor 2, half widget pixels are whole device pixels. */
  g_assert_cmpfloat (vmd_display_fit_edge (fit.x, fit.scale, 2, 128), ==, 155.5);
  g_assert_cmpfloat (vmd_display_fit_edge (0, 0.5, 2, 127), ==, 63.5);
}

static void
test_damage_small_update (void)
{
  g_autoptr(VmdDamage) damage = vmd_damage_new (1920, 1080, 256);

  g_assert_cmpint (vmd_damage_get_columns (damage), ==, 7);
  g_assert_cmpint (vmd_damage_get_rows (damage), ==, 4);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 0);

  /* A text cursor: one tile. */
  vmd_damage_add (damage, 300, 300, 8, 16);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 1);
  g_assert_true (vmd_damage_is_dirty (damage, 1, 1));

  /* Across a corner: four tiles; the same again adds nothing. */
  vmd_damage_add (damage, 250, 250, 10, 10);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 4);
  vmd_damage_add (damage, 250, 250, 10, 10);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 4);

  vmd_damage_clear (damage);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 0);
  g_assert_false (vmd_damage_is_dirty (damage, 1, 1));
}

static void
test_damage_edges (void)
{
  g_autoptr(VmdDamage) damage = vmd_damage_new (1920, 1080, 256);
  int x, y, w, h;

  /* Clipped to the screen; empty and outside rectangles are nothing. */
  vmd_damage_add (damage, -100, -100, 50, 50);
  vmd_damage_add (damage, 2000, 0, 10, 10);
  vmd_damage_add (damage, 10, 10, 0, 10);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 0);
  vmd_damage_add (damage, 1900, 1070, 500, 500);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 1);
  g_assert_true (vmd_damage_is_dirty (damage, 6, 3));

  /* The last column and row take the remainder: 1920 = 7*256 + 128, 1080 =
   * 4*256 + 56, so 6 columns and 3 rows of 256, then 384 and 312. No tile
   * is smaller than asked (GTK's GL renderer packs small textures in an
   * atlas). */
  g_assert_cmpint (vmd_damage_get_columns (damage), ==, 7);
  g_assert_cmpint (vmd_damage_get_rows (damage), ==, 4);
  vmd_damage_tile_rect (damage, 6, 3, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 1536);
  g_assert_cmpint (y, ==, 768);
  g_assert_cmpint (w, ==, 384);
  g_assert_cmpint (h, ==, 312);

  vmd_damage_add_all (damage);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 28);
  vmd_damage_add (damage, G_MAXINT - 10, 0, 100, 100);
  g_assert_cmpuint (vmd_damage_count (damage), ==, 28);

  /* A screen smaller than a tile is one tile. */
  {
    g_autoptr(VmdDamage) small = vmd_damage_new (100, 50, 256);

    g_assert_cmpint (vmd_damage_get_columns (small), ==, 1);
    vmd_damage_add (small, 90, 40, 5, 5);
    vmd_damage_tile_rect (small, 0, 0, &x, &y, &w, &h);
    g_assert_cmpint (w, ==, 100);
    g_assert_cmpint (h, ==, 50);
    g_assert_cmpuint (vmd_damage_count (small), ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/display/fit/exact", test_fit_exact);
  g_test_add_func ("/display/fit/letterbox", test_fit_letterbox);
  g_test_add_func ("/display/fit/shrink", test_fit_shrink);
  g_test_add_func ("/display/fit/edge", test_fit_edge);
  g_test_add_func ("/display/damage/small-update", test_damage_small_update);
  g_test_add_func ("/display/damage/edges", test_damage_edges);

  return g_test_run ();
}
