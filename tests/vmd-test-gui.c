/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the tests that show a guest in VmDesk's widgets share. */
#define G_LOG_DOMAIN "vmd-test-gui"

#include "config.h"

#include <unistd.h>

#include <adwaita.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-display.h"
#include "vmd-display-page.h"
#include "vmd-machine.h"
#include "vmd-machine-tile.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

/* GTK and VmDesk's widgets, for a test on a real qemu:///session. Returns
 * FALSE, the test skipped with the reason, where that cannot be. */
gboolean
vmd_test_gui_init_as_user (void)
{
  if (getuid () == 0)
    {
      g_test_skip ("qemu:///session as root reaches the system daemon: "
                   "run this through tests/as-test-user.sh");
      return FALSE;
    }
  /* The renderer VmDesk itself would draw with on this machine. */
  vmd_ui_choose_renderer ();
  if (!gtk_init_check ())
    {
      g_test_skip ("No display: run under Xvfb (build-aux/dev.sh test does)");
      return FALSE;
    }
  adw_init ();
  vmd_ui_init ();
  return TRUE;
}

/* What a file manager's drop does: the widget's drop targets receive the
 * file. (Synthesising X drag-and-drop itself is beyond Xvfb's tools.) */
void
vmd_test_drop_file (GtkWidget  *widget,
                    const char *path)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GSList *files = g_slist_prepend (NULL, file);
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_slist_free (files);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &handled);
    }
  g_value_unset (&value);
  g_assert_true (handled);
}

/* The first widget of a type under root, depth first. */
GtkWidget *
vmd_test_find_widget (GtkWidget *root,
                      GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = vmd_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* VmDesk as it runs: its application registered (its actions and
 * accelerators installed, its own connection opened on qemu:///session),
 * and not a bare widget in a bare window. One for the test program, as
 * D-Bus knows one VmDesk: each call returns a new reference to it. */
VmdApplication *
vmd_test_application_new (void)
{
  static VmdApplication *app;
  g_autoptr(GError) error = NULL;

  if (app != NULL)
    return g_object_ref (app);

  app = vmd_application_new ();
  /* A test's private D-Bus session has no other VmDesk on it. */
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  return g_object_ref (app);
}

typedef struct
{
  GtkWidget  *page;
  const char *name;
} ShownWait;

static gboolean
page_shows (gpointer data)
{
  ShownWait *wait = data;
  VmdMachine *machine = vmd_display_page_get_machine (VMD_DISPLAY_PAGE (wait->page));

  return machine != NULL && g_strcmp0 (vmd_machine_get_name (machine), wait->name) == 0;
}

/* The application's main window, titled title, on the screen of machine
 * name, as `vmdesk --show NAME` opens. Returns the window; *page is its
 * display page. */
GtkWidget *
vmd_test_show_in_app_window (VmdApplication *app,
                             const char     *title,
                             int             width,
                             int             height,
                             const char     *name,
                             GtkWidget     **page)
{
  VmdWindow *window = vmd_window_new (app, vmd_application_get_connection (app));
  ShownWait wait = { NULL, name };

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  vmd_window_show_machine_by_name (window, name);
  wait.page = vmd_test_find_widget (GTK_WIDGET (window), VMD_TYPE_DISPLAY_PAGE);
  g_assert_nonnull (wait.page);
  g_assert_true (vmd_test_wait_until (page_shows, &wait, 30000));
  *page = wait.page;
  return GTK_WIDGET (window);
}

/* The button a person reads as label (its mnemonic included) under root. */
GtkWidget *
vmd_test_find_button (GtkWidget  *root,
                      const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = vmd_test_find_button (child, label)) != NULL)
        return found;
    }
  return NULL;
}

/* A shown toplevel window of @type (over @parent, if not %NULL), if
 * there is one. */
GtkWindow *
vmd_test_find_toplevel (GType      type,
                        GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          gtk_widget_get_visible (GTK_WIDGET (window)) &&
          (parent == NULL || gtk_window_get_transient_for (GTK_WINDOW (window)) == parent))
        return GTK_WINDOW (window);
    }
  return NULL;
}

/* The message dialog shown over parent, if one is. */
AdwMessageDialog *
vmd_test_find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          gtk_window_get_transient_for (window) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* The host's reserve set so high that any guest more makes memory
 * "tight": what the budget asks about before a start. */
void
vmd_test_make_memory_tight (VmdConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdHost) host = vmd_test_query_host (connection, &error);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_assert_no_error (error);
  g_settings_set_uint (settings, "host-reserve", (guint) (vmd_host_get_total_ram (host) >> 20) - 64);
}

static gboolean
find_widget_cb (GtkWidget *widget,
                GType      type,
                GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      find_widget_cb (child, type, found);
    }
  return found->len > 0;
}

GPtrArray *
vmd_test_find_widgets (GtkWidget *root,
                       GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  find_widget_cb (root, type, found);
  return found;
}

/* Every label a person can read inside @root, joined by '|'. */
char *
vmd_test_visible_text (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = vmd_test_find_widgets (root, GTK_TYPE_LABEL);
  GString *text = g_string_new ("|");

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_is_drawable (label))
        g_string_append_printf (text, "%s|", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (text, FALSE);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
  gboolean    part;   /* in a label, or a label's whole text */
} TextWait;

static gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *text = vmd_test_visible_text (wait->root);
  g_autofree char *needle = wait->part ? g_strdup (wait->text)
                                       : g_strdup_printf ("|%s|", wait->text);

  return strstr (text, needle) != NULL;
}

static gboolean
wait_for_text (GtkWidget  *root,
               const char *text,
               gboolean    part)
{
  TextWait wait = { root, text, part };

  if (vmd_test_wait_until (shows_text, &wait, VMD_TEST_GUI_WAIT_MS))
    return TRUE;

  {
    g_autofree char *all = vmd_test_visible_text (root);
    g_test_message ("Waited for “%s”, window shows: %s", text, all);
  }
  return FALSE;
}

/* Some label a person can read says @text, all of it. */
gboolean
vmd_test_wait_for_text (GtkWidget  *root,
                        const char *text)
{
  return wait_for_text (root, text, FALSE);
}

/* Some label a person can read holds @part. */
gboolean
vmd_test_wait_for_part (GtkWidget  *root,
                        const char *part)
{
  return wait_for_text (root, part, TRUE);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
vmd_test_settle (void)
{
  vmd_test_wait_until (never, NULL, 300);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_mapped (data);
}

void
vmd_test_save_screenshot (GtkWidget  *window,
                          const char *name)
{
  /* Where the test's user may write (tests/as-test-user.sh), or the build's. */
  const char *dir = g_getenv ("VMD_OUTPUT_DIR") ? g_getenv ("VMD_OUTPUT_DIR")
                                                : g_getenv ("VMD_BUILD_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int width, height;

  g_assert_true (vmd_test_wait_until (has_size, window, VMD_TEST_GUI_WAIT_MS));
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  /* Under load the first frame may not be there yet. */
  for (int attempt = 0; ; attempt++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL || attempt == 50)
        break;
      vmd_test_settle ();
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  path = g_build_filename (dir ? dir : ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

GtkWidget *
vmd_test_open_window (VmdApplication  *app,
                      const char      *uri,
                      VmdConnection  **out_connection)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new (uri);
  GtkWidget *window;

  vmd_test_open (connection, NULL);
  window = GTK_WIDGET (vmd_window_new (app, connection));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 560);
  gtk_window_present (GTK_WINDOW (window));
  if (out_connection)
    *out_connection = g_object_ref (connection);
  return window;
}

/* GTest with private XDG dirs, and VmDesk's application registered as in
 * real use (its style sheet, accelerators and the window's menus come from
 * it), its own connection on libvirt's test driver. NULL, the test
 * skipped, without a display. */
VmdApplication *
vmd_test_app_init (int    *argc,
                   char ***argv)
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  g_autoptr(GSettings) settings = NULL;
  VmdApplication *app;

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Icons and fonts come from the system's data dirs. */
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  if (!gtk_init_check ())
    {
      g_test_skip ("No display: run under Xvfb (build-aux/dev.sh test does)");
      return NULL;
    }
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "uri", "test:///default");
  app = vmd_application_new ();
  /* Screenshots of pages, not of cross-fades between them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  return app;
}

/* A command run while GTK goes on: X requests reach the server, windows
 * draw. */
void
vmd_test_run_command (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  gboolean done = FALSE;

  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, vmd_test_set_flag, &done);
  g_assert_true (vmd_test_wait_until (vmd_test_is_true, &done, 30000));
  g_assert_true (g_subprocess_get_successful (process));
}

static void
activate_window (const char *title)
{
  g_autofree char *pattern = g_strdup_printf ("^%s$", title);
  const char *activate[] = { "xdotool", "search", "--sync", "--name", pattern,
                             "windowactivate", "--sync", NULL };

  vmd_test_run_command (activate);
}

/* What a person presses on the keyboard ("ctrl+f", "Home Delete": one
 * after the other), into the window titled @title: real X events
 * (xdotool). Needs a window manager (tests/with-wm.sh) to activate the
 * window. */
void
vmd_test_press (const char *title,
                const char *keys)
{
  g_auto(GStrv) each = g_strsplit (keys, " ", -1);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) command = NULL;

  g_strv_builder_add_many (argv, "xdotool", "key", NULL);
  g_strv_builder_addv (argv, (const char **) each);
  command = g_strv_builder_end (argv);
  activate_window (title);
  vmd_test_run_command ((const char * const *) command);
}

/* What a person types, into the window titled @title. */
void
vmd_test_type (const char *title,
               const char *text)
{
  const char *type[] = { "xdotool", "type", "--delay", "60", text, NULL };

  activate_window (title);
  vmd_test_run_command (type);
}

/* -- what a guest's screen shows, without trusting our widget ----------- */

/* The guest's framebuffer as libvirt grabs it (`virsh screenshot`), into
 * @workdir. */
GdkPixbuf *
vmd_test_guest_screenshot (const char *uri,
                           const char *name,
                           const char *workdir)
{
  g_autofree char *ppm = g_build_filename (workdir, "guest.ppm", NULL);
  const char *argv[] = { "virsh", "-c", uri, "screenshot", name, ppm, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;
  GdkPixbuf *pixbuf;

  out = vmd_test_run_capture (argv, &status);
  g_assert_cmpint (status, ==, 0);
  pixbuf = gdk_pixbuf_new_from_file (ppm, &error);
  g_assert_no_error (error);
  return pixbuf;
}

/* What tesseract reads on @pixbuf (scaled up: VGA text is small). */
char *
vmd_test_ocr (GdkPixbuf  *pixbuf,
              const char *workdir)
{
  g_autofree char *png = g_build_filename (workdir, "ocr.png", NULL);
  int width = gdk_pixbuf_get_width (pixbuf), height = gdk_pixbuf_get_height (pixbuf);
  g_autoptr(GdkPixbuf) big = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                             width * 2 + 80, height * 2 + 80);
  const char *argv[] = { "tesseract", png, "-", "--psm", "6", NULL };
  g_autoptr(GError) error = NULL;

  /* Twice the size, in a black frame: text touching the edge (the guest's
   * "grub>" starts at x = 0) is lost on tesseract otherwise. */
  gdk_pixbuf_fill (big, 0x000000ff);
  gdk_pixbuf_scale (pixbuf, big, 40, 40, width * 2, height * 2, 40, 40, 2, 2, GDK_INTERP_NEAREST);
  g_assert_true (gdk_pixbuf_save (big, png, "png", &error, NULL));
  return vmd_test_run_capture (argv, NULL);
}

typedef struct
{
  const char *uri, *name, *workdir, *needle;
  char       *last;
} OcrWait;

static gboolean
guest_shows (gpointer data)
{
  OcrWait *wait = data;
  g_autoptr(GdkPixbuf) shot = vmd_test_guest_screenshot (wait->uri, wait->name, wait->workdir);

  g_free (wait->last);
  wait->last = vmd_test_ocr (shot, wait->workdir);
  return strstr (wait->last, wait->needle) != NULL;
}

/* Whether the guest's screen shows @needle within @timeout_ms; what it
 * showed instead goes to the test's log. */
gboolean
vmd_test_wait_guest_shows (const char *uri,
                           const char *name,
                           const char *workdir,
                           const char *needle,
                           guint       timeout_ms)
{
  OcrWait wait = { uri, name, workdir, needle, NULL };
  gboolean ok = vmd_test_wait_until (guest_shows, &wait, timeout_ms);

  if (!ok)
    g_test_message ("waited for “%s” on the guest's screen; tesseract read:\n%s", needle, wait.last);
  g_free (wait.last);
  return ok;
}

/* The tile of the machine named @name in @window's library, if shown. */
GtkWidget *
vmd_test_find_tile (GtkWidget  *window,
                    const char *name)
{
  g_autoptr(GPtrArray) tiles = vmd_test_find_widgets (window, VMD_TYPE_MACHINE_TILE);

  for (guint i = 0; i < tiles->len; i++)
    {
      VmdMachine *machine = vmd_machine_tile_get_machine (g_ptr_array_index (tiles, i));

      if (machine != NULL && g_strcmp0 (vmd_machine_get_name (machine), name) == 0)
        return g_ptr_array_index (tiles, i);
    }
  return NULL;
}

/* The entry of an open popover menu that people read as @label. */
GtkWidget *
vmd_test_find_menu_item (GtkWidget  *popover,
                         const char *label)
{
  g_autoptr(GPtrArray) widgets = vmd_test_find_widgets (popover, GTK_TYPE_WIDGET);

  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);
      g_autofree char *text = NULL;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "text") == NULL ||
          !gtk_widget_get_visible (widget))
        continue;
      g_object_get (widget, "text", &text, NULL);
      if (g_strcmp0 (text, label) == 0)
        return widget;
    }
  return NULL;
}

static gboolean
popover_shown (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* What a right click on @name's tile does: selects it and opens its menu;
 * returns the menu once GTK shows it (on a loaded machine, after a while). */
GtkPopover *
vmd_test_popup_tile_menu (GtkWidget  *window,
                          const char *name)
{
  GtkWidget *tile = vmd_test_find_tile (window, name);
  GtkPopover *menu;

  g_assert_nonnull (tile);
  vmd_machine_tile_popup_menu (VMD_MACHINE_TILE (tile), 20, 20);
  menu = vmd_machine_tile_get_menu (VMD_MACHINE_TILE (tile));
  g_assert_true (vmd_test_wait_until (popover_shown, menu, VMD_TEST_GUI_WAIT_MS));
  return menu;
}

typedef struct
{
  gboolean done;
  char    *out;
} Read;

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  Read *read = data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &read->out, NULL, NULL);
  read->done = TRUE;
}

static void
on_waited (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  ((Read *) data)->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((Read *) data)->done;
}

char *
vmd_test_desktop_clipboard (void)
{
  g_autoptr(GSubprocess) xclip = NULL;
  Read read = { FALSE, NULL };

  xclip = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            NULL, "xclip", "-o", "-selection", "clipboard", NULL);
  if (xclip == NULL)
    return NULL;
  g_subprocess_communicate_utf8_async (xclip, NULL, NULL, on_read, &read);
  if (!vmd_test_wait_until (read_done, &read, 10000))
    {
      g_subprocess_force_exit (xclip);
      vmd_test_wait_until (read_done, &read, 10000);
    }
  return read.out;
}

gboolean
vmd_test_desktop_holds (gpointer text)
{
  g_autofree char *held = vmd_test_desktop_clipboard ();

  return g_strcmp0 (held, text) == 0;
}

void
vmd_test_desktop_copy (const char *text)
{
  g_autofree char *script = g_strdup_printf ("printf '%%s' '%s' | xclip -selection clipboard -i",
                                             text);
  const char *argv[] = { "sh", "-c", script, NULL };
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
}

void
vmd_test_run_serving (const char * const *argv,
                      guint               timeout_ms)
{
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, NULL);
  Read done = { FALSE, NULL };

  g_assert_nonnull (process);
  g_subprocess_wait_async (process, NULL, on_waited, &done);
  if (!vmd_test_wait_until (read_done, &done, timeout_ms))
    {
      g_subprocess_force_exit (process);
      vmd_test_wait_until (read_done, &done, 10000);
    }
}

gboolean
vmd_test_guest_fills_display (gpointer display)
{
  int scale = gtk_widget_get_scale_factor (display);
  int width, height;

  vmd_display_get_guest_size (display, &width, &height);
  return width == gtk_widget_get_width (display) * scale &&
         height == gtk_widget_get_height (display) * scale;
}

/* spice-client-glib syncs the guest's volume with the desktop's when an
 * agent connects, through GStreamer, even with audio off; without a sound
 * card GStreamer's automatic sink has no volume to read, and GObject says
 * so. That one warning is the library's, not ours. */
static gboolean
is_volume_warning (const char *domain,
                   const char *message)
{
  return g_strcmp0 (domain, "GLib-GObject") == 0 && strstr (message, "GstAutoAudio") != NULL &&
         strstr (message, "'volume'") != NULL;
}

static gboolean
fatal_log (const char     *domain,
           GLogLevelFlags  level,
           const char     *message,
           gpointer        data)
{
  return !is_volume_warning (domain, message);
}

static void
log_gobject (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        data)
{
  if (is_volume_warning (domain, message))
    g_test_message ("spice-client-glib's volume sync: %s", message);
  else
    g_log_default_handler (domain, level, message, data);
}

/* Every other warning stays fatal. GLib forgets the fatal-log handler at
 * each test: called at the start of each that shows a guest with an agent. */
void
vmd_test_allow_volume_warning (void)
{
  static gsize handler;

  g_test_log_set_fatal_handler (fatal_log, NULL);
  if (g_once_init_enter (&handler))
    g_once_init_leave (&handler, g_log_set_handler ("GLib-GObject",
                                                    G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL,
                                                    log_gobject, NULL));
}

gboolean
vmd_test_width_changed (gpointer data)
{
  VmdTestWidth *was = data;

  return gtk_widget_get_width (was->widget) != was->width;
}
