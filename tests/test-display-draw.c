/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What VmdDisplay draws from a guest's surface, with the renderer this
 * process was given (GSK_RENDERER: the suite runs once with cairo, once with
 * GL): at 1:1 every pixel is the surface's, opaque whatever its X byte; an
 * update remakes only the tiles it touches; a surface taken away leaves
 * nothing that reads it. The guest's own path is test-display's. */
#define G_LOG_DOMAIN "test-display-draw"

#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/mman.h>

#include <adwaita.h>

#include "vmd-application.h"
#include "vmd-display-geometry.h"
#include "vmd-display-private.h"
#include "vmd-test-util.h"

#define WIDTH  640
#define HEIGHT 480
#define STRIDE (WIDTH * 4)

typedef struct
{
  GtkWidget *window;
  GtkWidget *display;
  guint8    *surface;   /* xRGB, X byte 0: what a guest's X byte may hold */
  int        want_width;
  int        want_height;
} Fixture;

static guint32
pattern (int x,
         int y,
         int generation)
{
  return ((guint32) (x * 7 + generation) & 0xff) << 16 |
         ((guint32) (y * 5) & 0xff) << 8 |
         ((guint32) (x ^ y) & 0xff);
}

static void
paint (guint8 *surface,
       int     x0,
       int     y0,
       int     width,
       int     height,
       int     generation)
{
  for (int y = y0; y < y0 + height; y++)
    for (int x = x0; x < x0 + width; x++)
      *(guint32 *) (surface + (gsize) y * STRIDE + (gsize) x * 4) =
        GUINT32_TO_LE (pattern (x, y, generation));
}

static gboolean
has_size (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (fixture->display) &&
         gtk_widget_get_width (fixture->display) == fixture->want_width &&
         gtk_widget_get_height (fixture->display) == fixture->want_height;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  /* Mapped on its own, so that reading it once it is unmapped faults. */
  fixture->surface = mmap (NULL, STRIDE * HEIGHT, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_assert_true (fixture->surface != MAP_FAILED);
  paint (fixture->surface, 0, 0, WIDTH, HEIGHT, 0);

  fixture->window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (fixture->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), WIDTH, HEIGHT);
  fixture->display = vmd_display_new ();
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->display);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->want_width = WIDTH;
  fixture->want_height = HEIGHT;
  g_assert_true (vmd_test_wait_until (has_size, fixture, 10000));

  _vmd_display_set_surface (VMD_DISPLAY (fixture->display), fixture->surface,
                            WIDTH, HEIGHT, STRIDE);
  g_test_message ("renderer: %s",
                  G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (fixture->window))));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  if (fixture->surface != NULL)
    munmap (fixture->surface, STRIDE * HEIGHT);
}

static gboolean
drawn (gpointer data)
{
  Fixture *fixture = data;

  return !VMD_DISPLAY (fixture->display)->draw_queued;
}

/* The widget's render node, as the window's next frame draws it. */
static GskRenderNode *
widget_node (Fixture *fixture)
{
  GtkSnapshot *snapshot;

  g_assert_true (vmd_test_wait_until (drawn, fixture, 10000));
  snapshot = gtk_snapshot_new ();
  gtk_widget_snapshot_child (fixture->window, fixture->display, snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* B G R A on little endian, @width x @height. */
static guint8 *
render (Fixture       *fixture,
        GskRenderNode *node,
        int            width,
        int            height)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));
  g_autoptr(GdkTexture) texture = NULL;
  guint8 *pixels = g_malloc ((gsize) width * height * 4);

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  return pixels;
}

static guint8 *
render_widget (Fixture *fixture)
{
  g_autoptr(GskRenderNode) node = widget_node (fixture);

  return render (fixture, node, WIDTH, HEIGHT);
}

/* Pixels that are not the surface's, or not opaque. */
static int
count_wrong (const guint8 *pixels,
             const guint8 *surface)
{
  int wrong = 0;

  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        const guint8 *ours = pixels + ((gsize) y * WIDTH + x) * 4;
        const guint8 *guest = surface + (gsize) y * STRIDE + (gsize) x * 4;

        if (ours[0] != guest[0] || ours[1] != guest[1] || ours[2] != guest[2] || ours[3] != 0xff)
          wrong++;
      }
  return wrong;
}

static void
test_exact (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree guint8 *pixels = render_widget (fixture);

  g_assert_cmpint (count_wrong (pixels, fixture->surface), ==, 0);
}

/* A 10x10 update inside one tile: that tile's node is remade, the others
 * are kept (GTK's diff then redraws only it), and the pixels follow. */
static void
test_partial_update (Fixture       *fixture,
                     gconstpointer  data)
{
  VmdDisplay *display = VMD_DISPLAY (fixture->display);
  g_autofree guint8 *first = render_widget (fixture);
  g_autofree guint8 *second = NULL;
  g_autofree GskRenderNode **before = NULL;
  int n = vmd_damage_get_columns (display->damage) * vmd_damage_get_rows (display->damage);
  int remade = 0;

  g_assert_cmpint (n, >, 1);
  before = g_memdup2 (display->tiles, sizeof (GskRenderNode *) * n);
  for (int i = 0; i < n; i++)
    gsk_render_node_ref (before[i]);

  paint (fixture->surface, 300, 200, 10, 10, 1);
  _vmd_display_invalidate (display, 300, 200, 10, 10);
  second = render_widget (fixture);

  for (int i = 0; i < n; i++)
    {
      remade += display->tiles[i] != before[i];
      gsk_render_node_unref (before[i]);
    }
  g_assert_cmpint (remade, ==, 1);
  g_assert_cmpint (count_wrong (second, fixture->surface), ==, 0);
  g_assert_cmpint (memcmp (first, second, (gsize) WIDTH * HEIGHT * 4), !=, 0);
}

/* The guest's surface goes away (a reboot, a new resolution): a node GTK
 * still holds from before draws what it showed, without reading the freed
 * surface, and the display draws black. */
static void
test_surface_gone (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GskRenderNode) old = widget_node (fixture);
  g_autofree guint8 *kept = g_memdup2 (fixture->surface, STRIDE * HEIGHT);
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *black = NULL;

  _vmd_display_set_surface (VMD_DISPLAY (fixture->display), NULL, 0, 0, 0);
  munmap (fixture->surface, STRIDE * HEIGHT);
  fixture->surface = NULL;

  pixels = render (fixture, old, WIDTH, HEIGHT);
  g_assert_cmpint (count_wrong (pixels, kept), ==, 0);

  black = render_widget (fixture);
  for (gsize i = 0; i < (gsize) WIDTH * HEIGHT * 4; i += 4)
    g_assert_true (black[i] == 0 && black[i + 1] == 0 && black[i + 2] == 0);
}

/* In a widget half the size, the screen is scaled to fit: a flat colour
 * stays that colour, without seams between tiles. */
/* Scaled down by half, and up by a factor that puts the tiles' edges
 * between pixels (1.214: 640x480 in 777x583): a uniform surface stays
 * uniform, with no seam where tiles meet, and nothing of what is behind
 * shows through anywhere, not even where the screen ends inside a pixel
 * (the last row here: a bar of 0.25 px). */
static void
test_scaled (Fixture       *fixture,
             gconstpointer  data)
{
  const struct { int width, height; } sizes[] = { { WIDTH / 2, HEIGHT / 2 }, { 777, 583 } };

  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      *(guint32 *) (fixture->surface + (gsize) y * STRIDE + (gsize) x * 4) =
        GUINT32_TO_LE (0x00336699);
  _vmd_display_invalidate (VMD_DISPLAY (fixture->display), 0, 0, WIDTH, HEIGHT);

  for (gsize n = 0; n < G_N_ELEMENTS (sizes); n++)
    {
      int w = sizes[n].width, h = sizes[n].height, off = 0, see_through = 0;
      g_autoptr(GskRenderNode) node = NULL;
      g_autofree guint8 *pixels = NULL;

      fixture->want_width = w;
      fixture->want_height = h;
      gtk_window_set_default_size (GTK_WINDOW (fixture->window), w, h);
      g_assert_true (vmd_test_wait_until (has_size, fixture, 10000));

      node = widget_node (fixture);
      pixels = render (fixture, node, w, h);
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            const guint8 *p = pixels + ((gsize) y * w + x) * 4;

            see_through += p[3] != 0xff;
            if (y > 0 && y < h - 1 && x > 0 && x < w - 1)
              off += p[0] != 0x99 || p[1] != 0x66 || p[2] != 0x33;
          }
      g_test_message ("%dx%d: %d pixels off, %d not opaque", w, h, off, see_through);
      g_assert_cmpint (off, ==, 0);
      g_assert_cmpint (see_through, ==, 0);
    }
}

/* Scaled by 1.214, a guest pixel lands where the fit puts it, give or
 * take a device pixel (cairo's tiles are placed on whole pixels), on a
 * tile's edge (160) as within a tile (200), and nothing else shows, not
 * even at the tiles' edges. */
static void
test_scaled_place (Fixture       *fixture,
                   gconstpointer  data)
{
  const int lines[] = { 160, 200 };
  const int w = 777, h = 583;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree guint8 *pixels = NULL;
  VmdDisplayFit fit;
  int stray = 0;

  memset (fixture->surface, 0, STRIDE * HEIGHT);
  for (gsize n = 0; n < G_N_ELEMENTS (lines); n++)
    for (int i = 0; i < HEIGHT; i++)
      {
        *(guint32 *) (fixture->surface + (gsize) i * STRIDE + (gsize) lines[n] * 4) = 0xffffff;
        *(guint32 *) (fixture->surface + (gsize) lines[n] * STRIDE + (gsize) i * 4) = 0xffffff;
      }
  _vmd_display_invalidate (VMD_DISPLAY (fixture->display), 0, 0, WIDTH, HEIGHT);
  fixture->want_width = w;
  fixture->want_height = h;
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), w, h);
  g_assert_true (vmd_test_wait_until (has_size, fixture, 10000));
  vmd_display_fit (WIDTH, HEIGHT, w, h, &fit);

  node = widget_node (fixture);
  pixels = render (fixture, node, w, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        gboolean near = FALSE;

        for (gsize n = 0; n < G_N_ELEMENTS (lines); n++)
          {
            double centre = fit.x + (lines[n] + 0.5) * fit.scale;

            near |= fabs (x + 0.5 - centre) < 2 || fabs (y + 0.5 - centre) < 2;
          }
        /* A line's pixel at most a pixel off its place; black elsewhere. */
        if (!near && pixels[((gsize) y * w + x) * 4 + 1] > 0)
          {
            if (stray < 5)
              g_test_message ("stray pixel at %d,%d: %d", x, y, pixels[((gsize) y * w + x) * 4 + 1]);
            stray++;
          }
      }
  for (gsize n = 0; n < G_N_ELEMENTS (lines); n++)
    {
      int centre = (int) (fit.x + (lines[n] + 0.5) * fit.scale);
      const guint8 *row = pixels + (gsize) 50 * w * 4;
      int best = centre - 2;

      for (int x = centre - 2; x <= centre + 2; x++)
        if (row[x * 4 + 1] > row[best * 4 + 1])
          best = x;
      g_test_message ("guest column %d: brightest at %d (%d), the fit says %d",
                      lines[n], best, row[best * 4 + 1], centre);
      g_assert_cmpint (ABS (best - centre), <=, 1);
      g_assert_cmpint (row[best * 4 + 1], >=, 0x80);
    }
  g_assert_cmpint (stray, ==, 0);
}

/* VmDesk draws with cairo where GL would run on the CPU: no DRM at all, or
 * DRM with no render node (a virtual machine's display-only driver). */
static void
test_renderer_choice (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-dri-XXXXXX", &error);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *card = g_build_filename (dir, "card0", NULL);
  g_autofree char *render = g_build_filename (dir, "renderD128", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (vmd_ui_renderer_for_dri (missing), ==, "cairo");
  g_assert_cmpstr (vmd_ui_renderer_for_dri (dir), ==, "cairo");
  g_assert_true (g_file_set_contents (card, "", 0, NULL));
  g_assert_cmpstr (vmd_ui_renderer_for_dri (dir), ==, "cairo");
  g_assert_true (g_file_set_contents (render, "", 0, NULL));
  g_assert_null (vmd_ui_renderer_for_dri (dir));
  vmd_test_remove_dirs (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();
  vmd_ui_init ();

  g_test_add ("/display-draw/exact", Fixture, NULL, fixture_set_up, test_exact, fixture_tear_down);
  g_test_add ("/display-draw/partial-update", Fixture, NULL,
              fixture_set_up, test_partial_update, fixture_tear_down);
  g_test_add ("/display-draw/surface-gone", Fixture, NULL,
              fixture_set_up, test_surface_gone, fixture_tear_down);
  g_test_add ("/display-draw/scaled", Fixture, NULL, fixture_set_up, test_scaled, fixture_tear_down);
  g_test_add ("/display-draw/scaled-place", Fixture, NULL,
              fixture_set_up, test_scaled_place, fixture_tear_down);
  g_test_add_func ("/display-draw/renderer-choice", test_renderer_choice);

  return g_test_run ();
}
