/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-display"

#include "config.h"

#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-creator.h"
#include "vmd-display.h"
#include "vmd-spice-session.h"
#include "vmd-machine-tile.h"
#include "vmd-window.h"
#include "vmd-display-page.h"
#include "vmd-guest-spec.h"
#include "vmd-host.h"
#include "vmd-media.h"
#include "vmd-spice-session.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"

/* The guest's screen in our GTK 4 widget, end to end: a GRUB ISO that opens
 * at a "grub>" prompt boots on a real qemu:///session; VmDesk shows it;
 * keys typed with xdotool (real X events through GTK) reach the guest,
 * which virsh screenshot and tesseract confirm without trusting our widget;
 * at 1:1 the widget's pixels are the guest's framebuffer. */

#define URI    "qemu:///session"
#define GUEST  "grub prompt"

static char *workdir;
static VmdConnection *connection;
static VmdMachine *machine;

/* Where screenshots go: the build dir's test-output (see as-test-user.sh). */
static const char *
output_dir (void)
{
  const char *dir = g_getenv ("VMD_OUTPUT_DIR");

  return dir ? dir : workdir;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
pause_ms (guint ms)
{
  vmd_test_wait_until (never, NULL, ms);
}

/* A command run while our main loop keeps GTK and SPICE going. */
typedef struct
{
  gboolean exited;
  int      status;
} Child;

static void
on_child (GPid pid, int status, gpointer data)
{
  Child *child = data;

  child->exited = TRUE;
  child->status = status;
  g_spawn_close_pid (pid);
}

static gboolean
child_exited (gpointer data)
{
  return ((Child *) data)->exited;
}

static void
run_in_loop (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  Child child = { 0 };
  GPid pid;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, on_child, &child);
  g_assert_true (vmd_test_wait_until (child_exited, &child, 60000));
}

static GdkPixbuf *
guest_screenshot (void)
{
  return vmd_test_guest_screenshot (URI, GUEST, workdir);
}

static char *
ocr (GdkPixbuf *pixbuf)
{
  return vmd_test_ocr (pixbuf, workdir);
}

static gboolean
wait_guest_shows (const char *needle,
                  guint       timeout_ms)
{
  return vmd_test_wait_guest_shows (URI, GUEST, workdir, needle, timeout_ms);
}

static void
make_guest (void)
{
  g_autofree char *tree = g_build_filename (workdir, "iso", "boot", "grub", NULL);
  g_autofree char *cfg = g_build_filename (tree, "grub.cfg", NULL);
  g_autofree char *iso = g_build_filename (workdir, "grub-prompt.iso", NULL);
  g_autofree char *root = g_build_filename (workdir, "iso", NULL);
  const char *argv[] = { "grub-mkrescue", "-o", iso, root, NULL };
  g_autoptr(VmdMedia) media = NULL;
  g_autoptr(VmdHost) host = NULL;
  g_autoptr(VmdGuestSpec) spec = NULL;
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  /* No menu entries: GRUB opens at its prompt at once. */
  g_assert_cmpint (g_mkdir_with_parents (tree, 0755), ==, 0);
  g_assert_true (g_file_set_contents (cfg, "set timeout=0\nset pager=0\n", -1, NULL));
  out = vmd_test_run_capture (argv, &status);
  g_assert_cmpint (status, ==, 0);

  connection = vmd_connection_new (URI);
  g_assert_true (vmd_test_open (connection, NULL));

  media = vmd_test_identify (iso, &error);
  g_assert_no_error (error);
  host = vmd_test_query_host (connection, &error);
  g_assert_no_error (error);

  spec = vmd_guest_spec_new_for_media (media, host, NULL);
  vmd_guest_spec_set_name (spec, GUEST);
  vmd_guest_spec_set_memory (spec, 256 << 20);
  vmd_guest_spec_set_vcpus (spec, 1);
  vmd_guest_spec_set_disk_size (spec, G_GUINT64_CONSTANT (1) << 30);
  vmd_guest_spec_set_host_cpu (spec, FALSE);
  /* Under TCG, not KVM: GRUB's BIOS prompt runs real-mode code on every
   * key and every character it prints, which a nested KVM without
   * unrestricted guest emulates one instruction at a time. There the prompt
   * took 45 s to come up and each key 2 to 3 s to show; under TCG, 2 s and
   * at once. What is tested here is the display, not the accelerator. */
  vmd_guest_spec_set_platform (spec, vmd_guest_spec_get_os_id (spec),
                               vmd_guest_spec_get_os_label (spec),
                               vmd_guest_spec_get_iso (spec),
                               vmd_guest_spec_get_firmware (spec), FALSE, FALSE, FALSE);

  creator = vmd_creator_new (connection, spec);
  machine = vmd_test_create (creator, &error);
  g_assert_no_error (error);
}

typedef struct
{
  const char *shot;
  const char *needle;
  char       *last;
} ScreenWait;

/* What is on the X screen (not what we think we drew). */
static gboolean
x_screen_shows (gpointer data)
{
  ScreenWait *wait = data;
  const char *import[] = { "import", "-window", "root", wait->shot, NULL };
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_unlink (wait->shot);
  run_in_loop (import);
  pixbuf = gdk_pixbuf_new_from_file (wait->shot, NULL);
  if (pixbuf == NULL)
    return FALSE;
  g_free (wait->last);
  wait->last = ocr (pixbuf);
  return strstr (wait->last, wait->needle) != NULL;
}

/* `vmdesk --show NAME`, the program itself, shows the guest's screen. */
static void
test_show (void)
{
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  g_autofree char *shot = g_build_filename (workdir, "screenshot-show.png", NULL);
  g_autofree char *kept = g_build_filename (output_dir (), "screenshot-show.png", NULL);
  const char *argv[] = { binary, "--show", GUEST, NULL };
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GError) error = NULL;
  ScreenWait wait = { shot, "GNU GRUB", NULL };
  gboolean shown;

  g_assert_true (wait_guest_shows ("grub>", 90000));

  app = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  /* However loaded the machine, until the screen shows GRUB. */
  shown = vmd_test_wait_until (x_screen_shows, &wait, 120000);
  g_test_message ("the X screen reads:\n%s", wait.last);
  g_free (wait.last);
  g_assert_true (shown);
  {
    g_autoptr(GFile) from = g_file_new_for_path (shot);
    g_autoptr(GFile) to = g_file_new_for_path (kept);

    g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL);
  }

  g_subprocess_force_exit (app);
  g_subprocess_wait (app, NULL, NULL);
}

typedef struct
{
  VmdDisplay *display;
} ReadyWait;

static gboolean
display_ready (gpointer data)
{
  return vmd_display_get_ready (data);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_mapped (data);
}

/* The widget is at 1:1: exactly the guest's size. */
static gboolean
has_guest_size (gpointer data)
{
  int gw, gh;

  vmd_display_get_guest_size (data, &gw, &gh);
  return gtk_widget_get_width (data) == gw && gtk_widget_get_height (data) == gh;
}

/* How many pixels of @texture differ from @guest's (the same size). */
static int
pixels_differing (GdkTexture *texture,
                  GdkPixbuf  *guest)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  int n = gdk_pixbuf_get_n_channels (guest);
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);
  int differing = 0;

  if (gdk_pixbuf_get_width (guest) != width || gdk_pixbuf_get_height (guest) != height)
    return width * height;
  gdk_texture_download (texture, pixels, (gsize) width * 4);  /* B G R A on little endian */
  for (int y = 0; y < height; y++)
    {
      const guint8 *g = gdk_pixbuf_get_pixels (guest) + (gsize) y * gdk_pixbuf_get_rowstride (guest);

      for (int x = 0; x < width; x++)
        {
          const guint8 *o = pixels + ((gsize) y * width + x) * 4;
          const guint8 *p = g + (gsize) x * n;

          if (o[2] != p[0] || o[1] != p[1] || o[0] != p[2])
            differing++;
        }
    }
  return differing;
}

/* Typing into our window reaches the guest; our pixels are the guest's. */
static void
test_keyboard_and_pixels (void)
{
  g_autoptr(VmdSpiceSession) session = vmd_spice_session_dup_for_machine (machine);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *display = vmd_display_new ();
  const char *title = "VmDesk display test";
  const char *focus[] = { "xdotool", "search", "--sync", "--name", title, "windowfocus", "--sync",
                          NULL };
  const char *type[] = { "xdotool", "type", "--delay", "350", "echo vmdesk typed", NULL };
  const char *enter[] = { "xdotool", "key", "--delay", "350", "Return", NULL };
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) ours = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int gw, gh, differing = 0;
  gint64 deadline;
  g_autofree char *path = NULL;

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), display);
  vmd_display_set_session (VMD_DISPLAY (display), session);
  vmd_spice_session_connect (session);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (vmd_test_wait_until (display_ready, display, 30000));
  vmd_display_get_guest_size (VMD_DISPLAY (display), &gw, &gh);
  g_test_message ("guest screen %dx%d", gw, gh);
  g_assert_cmpint (gw, >, 0);

  /* 1:1: the window is exactly the guest's size. */
  gtk_window_set_default_size (GTK_WINDOW (window), gw, gh);
  g_assert_true (vmd_test_wait_until (has_size, display, 5000));
  g_assert_true (vmd_test_wait_until (has_guest_size, display, 30000));
  g_assert_cmpint (gtk_widget_get_width (display), ==, gw);
  g_assert_cmpint (gtk_widget_get_height (display), ==, gh);

  run_in_loop (focus);
  gtk_widget_grab_focus (display);
  g_assert_true (vmd_test_wait_until ((VmdTestCondition) vmd_display_get_shortcuts_inhibited,
                                      display, 30000));
  run_in_loop (type);
  run_in_loop (enter);
  g_assert_true (wait_guest_shows ("vmdesk typed", 20000));

  /* Pixel for pixel: what the widget draws against libvirt's screenshot.
   * GRUB's cursor blinks, and on loaded cores a screenshot can straddle a
   * blink: the widget must match one of the two guest screenshots taken
   * around its rendering, at some moment before the deadline. */
  path = g_build_filename (output_dir (), "screenshot-display.png", NULL);
  paintable = gtk_widget_paintable_new (display);
  deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  do
    {
      g_autoptr(GdkPixbuf) before = guest_screenshot ();
      g_autoptr(GdkPixbuf) after = NULL;

      g_clear_object (&ours);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, gw, gh);
      node = gtk_snapshot_free_to_node (snapshot);
      ours = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                          &GRAPHENE_RECT_INIT (0, 0, gw, gh));
      gsk_render_node_unref (node);
      after = guest_screenshot ();

      g_assert_cmpint (gdk_pixbuf_get_width (before), ==, gw);
      g_assert_cmpint (gdk_pixbuf_get_height (before), ==, gh);
      differing = MIN (pixels_differing (ours, before), pixels_differing (ours, after));
      g_test_message ("%d of %d pixels differ between the widget and the guest", differing,
                      gw * gh);
      pause_ms (100);
    }
  while (differing != 0 && g_get_monotonic_time () < deadline);
  gdk_texture_save_to_png (ours, path);
  g_assert_cmpint (differing, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  vmd_spice_session_disconnect (session);
}

static void
collect_tiles (GtkWidget *widget,
               GPtrArray *tiles)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (VMD_IS_MACHINE_TILE (child))
        g_ptr_array_add (tiles, child);
      collect_tiles (child, tiles);
    }
}

static gboolean
tile_has_thumbnail (gpointer data)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();

  collect_tiles (data, tiles);
  return tiles->len == 1 && vmd_machine_tile_has_thumbnail (g_ptr_array_index (tiles, 0));
}

static GtkWidget *
the_tile (GtkWidget *window)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();

  collect_tiles (window, tiles);
  return tiles->len == 1 ? g_ptr_array_index (tiles, 0) : NULL;
}

static gboolean
tile_is_mapped (gpointer data)
{
  GtkWidget *tile = the_tile (data);

  return tile != NULL && gtk_widget_get_mapped (tile);
}

static gboolean
changed (gpointer data)
{
  return *(guint *) data > 0;
}

static void
count_change (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
no_tile (gpointer data)
{
  return the_tile (data) == NULL;
}

typedef struct
{
  guint tiles;         /* tiles mapped */
  guint with_picture;  /* of those, showing the guest's screen as they map */
} MapSeen;

/* Before the tile's own map: what it shows as it comes on screen. */
static gboolean
tile_mapped (GSignalInvocationHint *hint,
             guint                  n_values,
             const GValue          *values,
             gpointer               data)
{
  MapSeen *seen = data;
  GObject *widget = g_value_get_object (&values[0]);

  if (VMD_IS_MACHINE_TILE (widget))
    {
      seen->tiles++;
      if (vmd_machine_tile_has_thumbnail (VMD_MACHINE_TILE (widget)))
        seen->with_picture++;
    }
  return TRUE;
}

static gboolean
has_page (gpointer data)
{
  g_autoptr(GPtrArray) pages = vmd_test_find_widgets (data, VMD_TYPE_DISPLAY_PAGE);

  return pages->len == 1;
}

static gboolean
page_shows_screen (gpointer data)
{
  return vmd_display_get_ready (vmd_display_page_get_display (data));
}

static void
test_thumbnail (void)
{
  GtkWidget *window = GTK_WIDGET (vmd_window_new (NULL, connection));

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 560);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (vmd_test_wait_until (tile_has_thumbnail, window, 20000));
  /* Once GTK has drawn the window with its thumbnail. */
  vmd_test_save_screenshot (window, "screenshot-thumbnail.png");

  /* Its screen opened, then closed: the tile still shows the guest. */
  vmd_window_show_machine (VMD_WINDOW (window), machine);
  {
    g_autoptr(GPtrArray) pages = vmd_test_find_widgets (window, VMD_TYPE_DISPLAY_PAGE);
    GtkWidget *page;

    g_assert_cmpuint (pages->len, ==, 1);
    page = g_ptr_array_index (pages, 0);
    g_assert_true (vmd_test_wait_until (page_shows_screen, page, 60000));
    g_assert_false (tile_is_mapped (window));
    gtk_widget_activate_action (page, "page.back", NULL);
  }
  g_assert_true (vmd_test_wait_until (tile_is_mapped, window, 20000));
  g_assert_true (tile_has_thumbnail (window));
  /* And after the next screenshot, which a mapped tile takes at once. */
  {
    g_autoptr(GPtrArray) pictures = vmd_test_find_widgets (the_tile (window), GTK_TYPE_PICTURE);
    guint changes = 0;

    g_assert_cmpuint (pictures->len, ==, 1);
    g_signal_connect (pictures->pdata[0], "notify::paintable", G_CALLBACK (count_change),
                      &changes);
    g_assert_true (vmd_test_wait_until (changed, &changes, 20000));
    g_signal_handlers_disconnect_by_data (pictures->pdata[0], &changes);
    g_assert_true (tile_has_thumbnail (window));
  }
  /* A search hides the machine, then shows it again, in a tile bound to
   * it anew: that tile shows the guest's screen from the moment it is on
   * screen, not the icon until its own first screenshot. */
  {
    GtkEditable *entry = GTK_EDITABLE (vmd_test_find_widget (window, GTK_TYPE_SEARCH_ENTRY));
    guint map_signal = g_signal_lookup ("map", GTK_TYPE_WIDGET);
    MapSeen seen = { 0, 0 };
    gulong hook;

    gtk_editable_set_text (entry, "no machine is named so");
    g_assert_true (vmd_test_wait_until (no_tile, window, 20000));
    hook = g_signal_add_emission_hook (map_signal, 0, tile_mapped, &seen, NULL);
    gtk_editable_set_text (entry, "");
    g_assert_true (vmd_test_wait_until (tile_is_mapped, window, 20000));
    g_signal_remove_emission_hook (map_signal, hook);
    g_assert_cmpuint (seen.tiles, ==, 1);
    g_assert_cmpuint (seen.with_picture, ==, 1);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* As `vmdesk --show NAME` opens it: straight onto the screen, the library
 * never drawn; going back, the tile shows the guest's screen. */
static void
test_thumbnail_after_show (void)
{
  GtkWidget *window = GTK_WIDGET (vmd_window_new (NULL, connection));
  g_autoptr(GPtrArray) pages = NULL;
  GtkWidget *page;

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 560);
  gtk_window_present (GTK_WINDOW (window));
  vmd_window_show_machine_by_name (VMD_WINDOW (window), GUEST);
  g_assert_true (vmd_test_wait_until (has_page, window, 60000));
  pages = vmd_test_find_widgets (window, VMD_TYPE_DISPLAY_PAGE);
  page = g_ptr_array_index (pages, 0);
  g_assert_true (vmd_test_wait_until (page_shows_screen, page, 60000));
  gtk_widget_activate_action (page, "page.back", NULL);
  g_assert_true (vmd_test_wait_until (tile_is_mapped, window, 20000));
  g_assert_true (vmd_test_wait_until (tile_has_thumbnail, window, 20000));
  vmd_test_save_screenshot (window, "screenshot-thumbnail-after-show.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The QEMU process of the guest, as libvirt knows it: 0 when it is not
 * running. A new pid means QEMU died and came back. */
static char *
guest_state (void)
{
  const char *argv[] = { "virsh", "-c", URI, "domstate", "--reason", GUEST, NULL };

  return g_strstrip (vmd_test_run_capture (argv, NULL));
}

typedef struct
{
  GtkWidget *page;
} PageWait;

static gboolean
page_ready (gpointer data)
{
  return vmd_display_get_ready (vmd_display_page_get_display (data));
}

/* QEMU's own view: whether a SPICE client is connected to the guest. */
static gboolean
qemu_has_no_client (gpointer data)
{
  const char *argv[] = { "virsh", "-c", URI, "qemu-monitor-command", "--hmp", GUEST, "info spice",
                         NULL };
  g_autofree char *out = vmd_test_run_capture (argv, NULL);

  return strstr (out, "channel name:") == NULL;
}

/* Opening a running guest's screen and going back to the library, faster
 * than its channels link, a hundred times: the guest's QEMU lives through
 * it, nothing logs a critical (fatal here), and the screen opens at the
 * end as at the start. The time on the screen goes from none to 150 ms, so
 * that going back falls on every step of the channels' handshakes. */
static void
test_open_close (void)
{
  g_autoptr(VmdApplication) app = vmd_test_application_new ();
  GtkWidget *page = NULL;
  GtkWidget *window = vmd_test_show_in_app_window (app, "VmDesk open and close", 800, 600, GUEST,
                                                   &page);
  g_autoptr(VmdMachine) shown = g_object_ref (vmd_display_page_get_machine (VMD_DISPLAY_PAGE (page)));
  g_autofree char *before = guest_state ();
  g_autofree char *after = NULL;

  g_assert_cmpstr (before, ==, "running (booted)");
  g_assert_true (vmd_test_wait_until (page_ready, page, 60000));

  /* As VmDesk runs, where a session nobody shows lingers a few seconds;
   * then with sessions torn down as soon as nobody shows them, so that
   * going back falls in the middle of channels linking. */
  for (guint round = 0; round < 2; round++)
    {
      if (round == 1)
        vmd_spice_session_set_linger (0);
      for (guint i = 0; i < 100; i++)
        {
          /* What the user does, at the user's speed: not waits for a result. */
          g_assert_true (gtk_widget_activate_action (page, "page.back", NULL));
          vmd_test_wait_until (never, NULL, ((i * 7) % 16) * 10);
          vmd_window_show_machine (VMD_WINDOW (window), shown);
          vmd_test_wait_until (never, NULL, (i % 16) * 10);
        }
      if (!vmd_test_wait_until (page_ready, page, 60000))
        {
          VmdSpiceSession *session = vmd_display_get_session (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page)));

          g_autofree char *state = guest_state ();
          g_autofree char *log_path = g_build_filename (g_get_user_cache_dir (), "libvirt", "qemu",
                                                        "log", GUEST ".log", NULL);
          g_autofree char *log = NULL;

          g_file_get_contents (log_path, &log, NULL, NULL);
          g_error ("the screen did not come back after round %u: session in state %d (%s), "
                   "the machine %d, libvirt says %s; QEMU's log:\n%s",
                   round, session ? (int) vmd_spice_session_get_state (session) : -1,
                   session ? vmd_spice_session_get_error (session) : "",
                   vmd_machine_get_state (shown), state, log);
        }
      after = guest_state ();
      g_test_message ("the guest after 100 cycles: %s", after);
      g_assert_cmpstr (after, ==, "running (booted)");
      g_clear_pointer (&after, g_free);
    }
  vmd_spice_session_set_linger (-1);

  g_assert_true (wait_guest_shows ("grub>", 30000));

  /* Back on the library, the session goes after its linger, and QEMU
   * sees every channel of it close. */
  g_assert_true (gtk_widget_activate_action (page, "page.back", NULL));
  g_assert_true (vmd_test_wait_until (qemu_has_no_client, NULL, 30000));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_isolate_short_dirs ();
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (!vmd_test_gui_init_as_user ())
    return g_test_run ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  workdir = g_dir_make_tmp ("vmd-display-XXXXXX", &error);
  g_assert_no_error (error);
  make_guest ();

  g_test_add_func ("/display/show", test_show);
  g_test_add_func ("/display/keyboard-and-pixels", test_keyboard_and_pixels);
  g_test_add_func ("/display/thumbnail-after-show", test_thumbnail_after_show);
  g_test_add_func ("/display/thumbnail", test_thumbnail);
  g_test_add_func ("/display/open-close", test_open_close);

  status = g_test_run ();

  if (machine != NULL)
    vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, NULL);
  g_clear_object (&machine);
  g_clear_object (&connection);
  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
