/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-remote"

#include "config.h"

#include <signal.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-computer-list.h"
#include "vmd-computers.h"
#include "vmd-connection.h"
#include "vmd-display.h"
#include "vmd-display-page.h"
#include "vmd-machine.h"
#include "vmd-spice-session.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

#include "test-remote.h"

/* A guest on another computer, over SSH: tests/with-sshd.sh makes the other
 * computer (sshd on 127.0.0.1, a second user whose qemu:///session is that
 * host's) and hands over its URI, qemu+ssh://vmdesk-remote@127.0.0.1:PORT/
 * session. On it a GRUB guest whose SPICE server listens on a UNIX socket
 * there. `vmdesk --list` lists it over the URI; VmDesk's own window starts
 * it and shows its screen through VmDesk's ssh tunnel; keys typed into the
 * window reach it (libvirt's screenshot of the guest, read by OCR, says
 * so); no TCP port is opened for the screen; the tunnel's ssh killed while
 * the screen shows is said in the window, and the screen comes back. The
 * library shows that computer beside this one, added in its window. */

#define TITLE "VmDesk remote test"

const char *uri;
char *workdir;
VmdConnection *connection;
static VmdMachine *machine;
VmdApplication *app;
static GtkWidget *window;
static GtkWidget *page;
static VmdDisplay *display;

/* A GRUB rescue CD that opens at its prompt, as @path. */
void
make_grub_iso (const char *path)
{
  g_autofree char *tree = g_build_filename (workdir, "iso", "boot", "grub", NULL);
  g_autofree char *cfg = g_build_filename (tree, "grub.cfg", NULL);
  g_autofree char *root = g_build_filename (workdir, "iso", NULL);
  const char *mkrescue[] = { "grub-mkrescue", "-o", path, root, NULL };
  g_autofree char *out = NULL;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (tree, 0755), ==, 0);
  g_assert_true (g_file_set_contents (cfg, "set timeout=0\nset pager=0\n", -1, NULL));
  out = vmd_test_run_capture (mkrescue, &status);
  g_assert_cmpint (status, ==, 0);
}

static void
make_guest (void)
{
  const char *share = g_getenv ("VMD_REMOTE_SHARE");
  /* Where the other computer's QEMU, another user, reads it. */
  g_autofree char *iso = g_build_filename (share, "grub-prompt.iso", NULL);
  g_autofree char *xml = NULL;
  virConnectPtr conn;
  virDomainPtr old;

  make_grub_iso (iso);
  g_assert_cmpint (g_chmod (iso, 0644), ==, 0);

  /* As a person would have it there: SPICE on a UNIX socket of that host
   * (libvirt picks its path), nothing listening on the network. */
  xml = g_markup_printf_escaped (
    "<domain type='qemu'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>128</memory>"
    "  <vcpu>1</vcpu>"
    "  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='cdrom'/></os>"
    "  <devices>"
    "    <disk type='file' device='cdrom'>"
    "      <source file='%s'/><target dev='hdc' bus='ide'/><readonly/>"
    "    </disk>"
    "    <graphics type='spice'><listen type='socket'/></graphics>"
    "    <video><model type='qxl'/></video>"
    "    <input type='tablet' bus='usb'/>"
    "  </devices>"
    "</domain>", GUEST, iso);

  conn = virConnectOpen (uri);
  g_assert_nonnull (conn);
  /* What a run that failed half way left there. */
  old = virDomainLookupByName (conn, GUEST);
  if (old != NULL)
    {
      virDomainDestroy (old);
      virDomainUndefine (old);
      virDomainFree (old);
    }
  old = virDomainDefineXML (conn, xml);
  g_assert_nonnull (old);
  virDomainFree (old);
  virConnectClose (conn);
}

static void
remove_guest (void)
{
  virConnectPtr conn = virConnectOpen (uri);
  virDomainPtr domain = conn ? virDomainLookupByName (conn, GUEST) : NULL;

  if (domain != NULL)
    {
      virDomainDestroy (domain);
      virDomainUndefine (domain);
      virDomainFree (domain);
    }
  if (conn != NULL)
    virConnectClose (conn);
}

/* The TCP ports something listens on, on this computer (both "hosts"). */
static GHashTable *
listening_ports (void)
{
  const char *argv[] = { "ss", "-Hltn", NULL };
  g_autofree char *out = vmd_test_run_ok (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GHashTable *ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      guint n = 0;

      /* State Recv-Q Send-Q Local:Port Peer:Port: the fourth field. */
      for (guint f = 0; fields[f] != NULL; f++)
        if (*fields[f] != '\0' && ++n == 4)
          g_hash_table_add (ports, g_strdup (fields[f]));
    }
  return ports;
}

static guint
count_new_ports (GHashTable *before)
{
  g_autoptr(GHashTable) after = listening_ports ();
  GHashTableIter iter;
  gpointer port;
  guint n = 0;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &port, NULL))
    if (!g_hash_table_contains (before, port))
      {
        g_test_message ("a new TCP port listens: %s", (const char *) port);
        n++;
      }
  return n;
}

/* The ssh of VmDesk's tunnel (this test's user runs no other). */
static GPid
tunnel_pid (void)
{
  g_autofree char *user = g_strdup_printf ("%u", getuid ());
  const char *argv[] = { "pgrep", "-u", user, "-f", "vmdesk-tunnel-ready", NULL };
  g_autofree char *out = vmd_test_run_capture (argv, NULL);

  return (GPid) g_ascii_strtoll (out, NULL, 10);
}

static gboolean
display_ready (gpointer data)
{
  return vmd_display_get_ready (VMD_DISPLAY (data));
}

static gboolean
shortcuts_inhibited (gpointer data)
{
  return vmd_display_get_shortcuts_inhibited (VMD_DISPLAY (data));
}

static gboolean
wait_guest_shows (const char *needle,
                  guint       timeout_ms)
{
  return vmd_test_wait_guest_shows (uri, GUEST, workdir, needle, timeout_ms);
}

/* What the X screen shows, by OCR: our window, not what we think we drew. */
static char *x_screen_text;

static gboolean
x_screen_shows (gpointer data)
{
  const char *dir = g_getenv ("VMD_OUTPUT_DIR");
  g_autofree char *shot = g_build_filename (dir ? dir : workdir, "remote-x-screen.png", NULL);
  const char *import[] = { "import", "-window", "root", shot, NULL };
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  vmd_test_run_command (import);
  pixbuf = gdk_pixbuf_new_from_file (shot, NULL);
  if (pixbuf == NULL)
    return FALSE;
  g_free (x_screen_text);
  x_screen_text = vmd_test_ocr (pixbuf, workdir);
  return strstr (x_screen_text, data) != NULL;
}

static void
assert_x_screen_shows (const char *needle)
{
  gboolean shown = vmd_test_wait_until (x_screen_shows, (gpointer) needle, 60000);

  if (!shown)
    g_test_message ("the X screen reads:\n%s", x_screen_text);
  g_assert_true (shown);
}

static void
type_line (const char *text)
{
  const char *focus[] = { "xdotool", "search", "--sync", "--name", "^" TITLE "$",
                          "windowfocus", "--sync", NULL };
  const char *type[] = { "xdotool", "type", "--delay", "300", text, NULL };
  const char *enter[] = { "xdotool", "key", "--delay", "300", "Return", NULL };

  vmd_test_run_command (focus);
  gtk_widget_grab_focus (GTK_WIDGET (display));
  g_assert_true (vmd_test_wait_until (shortcuts_inhibited, display, 30000));
  vmd_test_run_command (type);
  vmd_test_run_command (enter);
}

/* `vmdesk --list` over the same URI. */
static void
test_list (void)
{
  const char *args[] = { "--list", NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = vmd_test_vmdesk (uri, args, NULL, &out, &err);

  g_test_message ("vmdesk --list: %s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, GUEST));
}

/* Started from VmDesk's window, its screen shown there, keys typed into it. */
static void
test_screen (void)
{
  g_autoptr(GHashTable) ports = listening_ports ();
  gint64 shown;

  machine = vmd_test_wait_for_machine (connection, GUEST, 30000);
  g_assert_nonnull (machine);
  g_object_ref (machine);
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_START, NULL));
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, 60000));

  window = GTK_WIDGET (vmd_window_new (app, connection));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  shown = g_get_monotonic_time ();
  vmd_window_show_machine_by_name (VMD_WINDOW (window), GUEST);
  page = vmd_test_find_widget (window, VMD_TYPE_DISPLAY_PAGE);
  g_assert_nonnull (page);
  display = VMD_DISPLAY (vmd_test_find_widget (page, VMD_TYPE_DISPLAY));
  g_assert_nonnull (display);
  g_assert_true (vmd_test_wait_until (display_ready, display, 120000));
  g_test_message ("the remote guest's first frame %.2f s after its screen was opened",
                  (g_get_monotonic_time () - shown) / 1e6);
  gtk_window_set_title (GTK_WINDOW (window), TITLE);

  g_assert_true (wait_guest_shows ("grub>", 120000));
  assert_x_screen_shows ("GNU GRUB");
  vmd_test_save_screenshot (window, "remote-screen");

  type_line ("echo remote typed");
  g_assert_true (wait_guest_shows ("remote typed", 60000));
  assert_x_screen_shows ("remote typed");

  /* The guest's screen came through ssh: nothing listens for it. */
  g_assert_cmpuint (count_new_ports (ports), ==, 0);
}

typedef struct
{
  GtkWidget  *window;
  const char *uri;
} Showing;

/* The window shows the machines of the computer @uri. */
static gboolean
window_shows (gpointer data)
{
  Showing *showing = data;

  return g_strcmp0 (vmd_connection_get_uri (vmd_window_get_connection (VMD_WINDOW (showing->window))),
                    showing->uri) == 0;
}

static gboolean
has_tile (gpointer data)
{
  Showing *showing = data;

  return vmd_test_find_tile (showing->window, GUEST) != NULL;
}

/* Keys into the dialog titled "Add a Computer" (no window manager here
 * to activate it: focused as it is mapped). */
static void
into_dialog (const char *what,
             const char *keys)
{
  const char *focus[] = { "xdotool", "search", "--sync", "--onlyvisible", "--name",
                          "^Add a Computer$", "windowfocus", "--sync", NULL };
  const char *type[] = { "xdotool", what, "--delay", "60", keys, NULL };

  vmd_test_run_command (focus);
  vmd_test_run_command (type);
}

static gboolean
has_dialog (gpointer data)
{
  return vmd_test_find_dialog (GTK_WINDOW (data)) != NULL;
}

static gboolean
sidebar_shown (gpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (data));
}

static gboolean
sidebar_hidden (gpointer data)
{
  return !gtk_revealer_get_reveal_child (GTK_REVEALER (data));
}

/* The library with this computer and the other: added through the
 * window's "Add a Computer…" (an address typed, checked as it is typed),
 * a sidebar then, the other's machines and memory when it is chosen, an
 * unreachable one saying why, and each removed again. */
static void
test_library (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("com.example.VmDesk");
  g_autoptr(VmdComputers) computers = vmd_computers_new (settings, "qemu:///session");
  g_autofree char *address = g_strdup_printf ("vmdesk-remote@127.0.0.1:%s",
                                              g_getenv ("VMD_SSH_PORT"));
  g_autofree char *nowhere = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *meter = NULL;
  g_autofree char *has = NULL;
  VmdConnection *local = vmd_computers_get_primary (computers);
  GtkWidget *library;
  GtkWidget *list;
  GtkWidget *sidebar;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  Showing showing;

  vmd_computers_open (computers);
  library = GTK_WIDGET (vmd_window_new (app, local));
  vmd_window_set_computers (VMD_WINDOW (library), computers);
  gtk_window_set_title (GTK_WINDOW (library), "VmDesk library test");
  gtk_window_set_default_size (GTK_WINDOW (library), 900, 600);
  gtk_window_present (GTK_WINDOW (library));
  list = vmd_test_find_widget (library, VMD_TYPE_COMPUTER_LIST);
  sidebar = gtk_widget_get_ancestor (list, GTK_TYPE_REVEALER);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (sidebar)));

  /* The main menu's item. */
  g_assert_true (gtk_widget_activate_action (library, "win.add-computer", NULL));
  g_assert_true (vmd_test_wait_until (has_dialog, library, 30000));
  dialog = vmd_test_find_dialog (GTK_WINDOW (library));
  entry = vmd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  into_dialog ("type", "ada@my server");
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog), "is not a computer"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  into_dialog ("type", address);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
  into_dialog ("key", "Return");

  /* There, chosen: its machines, its state, its memory. */
  showing.window = library;
  showing.uri = uri;
  g_assert_true (vmd_test_wait_until (window_shows, &showing, 30000));
  g_assert_true (vmd_test_wait_until (sidebar_shown, sidebar, 30000));
  g_assert_true (vmd_test_wait_until (has_tile, &showing, 60000));
  g_assert_true (vmd_test_wait_for_text (list, address));
  g_assert_true (vmd_test_wait_for_text (list, "1 machine"));
  /* Its memory is its own (nothing runs there yet). */
  has = g_strdup_printf ("No machine is running · %s has ", address);
  g_assert_true (vmd_test_wait_for_part (library, has));
  meter = vmd_test_visible_text (library);
  g_test_message ("the library shows:\n%s", meter);
  vmd_test_save_screenshot (library, "remote-library");
  g_auto(GStrv) saved = g_settings_get_strv (settings, "computers");
  g_assert_cmpstr (saved[0], ==, uri);
  g_assert_null (saved[1]);

  /* This computer's machines again. */
  vmd_computer_list_select (VMD_COMPUTER_LIST (list), local);
  showing.uri = vmd_connection_get_uri (local);
  g_assert_true (vmd_test_wait_until (window_shows, &showing, 30000));

  /* One that does not answer says why. */
  nowhere = vmd_computers_add (computers, "vmdesk-remote@127.0.0.1:1", &error);
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_for_part (list, "Unreachable: ssh: connect to host 127.0.0.1 port 1: "
                                               "Connection refused"));

  /* The rows' Remove. */
  g_assert_true (gtk_widget_activate_action (library, "win.remove-computer", "s", nowhere));
  g_assert_true (gtk_widget_activate_action (library, "win.remove-computer", "s", uri));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (computers)), ==, 1);
  g_assert_true (vmd_test_wait_until (sidebar_hidden, sidebar, 30000));
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "computers");
  g_assert_null (saved[0]);

  gtk_window_destroy (GTK_WINDOW (library));
}

typedef struct
{
  gboolean said;
  char    *last;
} CutWatch;

/* Whenever the session changes: what the window says then. */
static void
on_session_state (VmdSpiceSession *session,
                  GParamSpec      *pspec,
                  CutWatch        *watch)
{
  g_autofree char *text = vmd_test_visible_text (page);

  /* Said, and the header no longer says that keys go to the machine. */
  if (strstr (text, "Reconnecting to the screen") != NULL &&
      strstr (text, "SSH link") != NULL && strstr (text, "Not connected to the screen") != NULL &&
      strstr (text, "Keys go to the machine") == NULL)
    watch->said = TRUE;
  g_free (watch->last);
  watch->last = g_steal_pointer (&text);
}

static gboolean
back_after_cut (gpointer data)
{
  VmdSpiceSession *session = data;

  return vmd_spice_session_get_state (session) == VMD_SPICE_STATE_CONNECTED &&
         vmd_display_get_ready (display);
}

/* The link cut under the screen: said, and the screen back by itself. */
static void
test_link_cut (void)
{
  g_autoptr(GHashTable) ports = listening_ports ();
  VmdSpiceSession *session;
  CutWatch watch = { FALSE, NULL };
  GPid before;
  gulong id;

  if (display == NULL)
    {
      g_test_skip ("No screen shown");
      return;
    }
  session = vmd_display_get_session (display);
  before = tunnel_pid ();
  g_assert_cmpint (before, >, 0);
  id = g_signal_connect_after (session, "notify::state", G_CALLBACK (on_session_state), &watch);

  g_assert_cmpint (kill (before, SIGKILL), ==, 0);
  g_assert_true (vmd_test_wait_until (vmd_test_is_true, &watch.said, 60000));
  g_assert_true (vmd_test_wait_until (back_after_cut, session, 120000));
  g_signal_handler_disconnect (session, id);
  g_test_message ("the window said: %s", watch.last);
  g_free (watch.last);

  g_assert_cmpint (tunnel_pid (), >, 0);
  g_assert_cmpint (tunnel_pid (), !=, before);
  type_line ("echo back again");
  g_assert_true (wait_guest_shows ("back again", 60000));
  g_assert_cmpuint (count_new_ports (ports), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_isolate_short_dirs ();
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  uri = g_getenv ("VMD_SSH_URI");
  if (uri == NULL || g_getenv ("VMD_REMOTE_SHARE") == NULL)
    {
      g_test_skip ("No other computer: run through tests/with-sshd.sh");
      return g_test_run ();
    }
  /* libvirt's remote driver starts ssh with work between fork and exec
   * that allocates, and GCC 12's ASan allocator is not fork-safe: the
   * child can wait for ever on a lock another thread held (as for the
   * session daemon, see vmd_test_start_daemon()). */
  if (vmd_test_sanitized ())
    {
      g_test_skip ("libvirt forks ssh: not under AddressSanitizer");
      return g_test_run ();
    }
  if (!vmd_test_gui_init_as_user ())
    return g_test_run ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  workdir = g_dir_make_tmp ("vmd-remote-XXXXXX", &error);
  g_assert_no_error (error);
  make_guest ();
  connection = vmd_connection_new (uri);
  g_assert_true (vmd_test_open (connection, NULL));
  app = vmd_test_application_new ();

  g_test_add_func ("/remote/list", test_list);
  g_test_add_func ("/remote/library", test_library);
  g_test_add_func ("/remote/screen", test_screen);
  g_test_add_func ("/remote/link-cut", test_link_cut);
  g_test_add_func ("/remote/create", test_create);
  g_test_add_func ("/remote/images-there", test_images_there);
  g_test_add_func ("/remote/new-there", test_new_there);
  g_test_add_func ("/remote/agent-there", test_agent_there);
  status = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&machine);
  g_clear_object (&connection);
  g_clear_object (&app);
  remove_guest ();
  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
