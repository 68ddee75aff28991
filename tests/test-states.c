/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-states"

#include "config.h"

#include <signal.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "vmd-connection.h"
#include "vmd-display.h"
#include "vmd-display-page.h"
#include "vmd-machine.h"
#include "vmd-machine-tile.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

/* What the screen page and the tile say in each state of a real guest on
 * a real qemu:///session: paused by a person, paused by QEMU itself,
 * paused on a full host disk, shutting down, saved, crashed, off. The guests
 * are GRUB under TCG; the states are made the way people and accidents make
 * them: virsh, a QEMU monitor command, a disk that answers "no space", and
 * kill -9 of the QEMU process. */

#define URI      "qemu:///session"
#define GUEST    "states"
#define FULL     "disk full"
#define STATE_MS 30000

static char *workdir;
static VmdConnection *connection;
static GtkWidget *window;
static VmdMachine *machine;

static const char *
output_dir (void)
{
  const char *dir = g_getenv ("VMD_OUTPUT_DIR");

  return dir ? dir : workdir;
}

static void
run_ok (const char * const *argv)
{
  g_free (vmd_test_run_ok (argv));
}

static void
virsh (const char *command,
       const char *name)
{
  const char *argv[] = { "virsh", "-c", URI, command, name, NULL };

  run_ok (argv);
}

/* -- widgets ------------------------------------------------------------ */

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static GtkWidget *
find_one (GtkWidget *root,
          GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  g_assert_cmpuint (found->len, >=, 1);
  return g_ptr_array_index (found, 0);
}

static VmdDisplayPage *
page (void)
{
  return VMD_DISPLAY_PAGE (find_one (window, VMD_TYPE_DISPLAY_PAGE));
}

static AdwStatusPage *
status_page (void)
{
  return ADW_STATUS_PAGE (find_one (GTK_WIDGET (page ()), ADW_TYPE_STATUS_PAGE));
}

static GtkWidget *
find_tile (const char *name)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();

  collect (window, VMD_TYPE_MACHINE_TILE, tiles);
  for (guint i = 0; i < tiles->len; i++)
    {
      VmdMachine *m = vmd_machine_tile_get_machine (g_ptr_array_index (tiles, i));

      if (m != NULL && g_strcmp0 (vmd_machine_get_name (m), name) == 0)
        return g_ptr_array_index (tiles, i);
    }
  return NULL;
}

/* The tile's state line, as read on screen. */
static const char *
tile_state (const char *name)
{
  GtkWidget *tile = find_tile (name);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  if (tile == NULL)
    return NULL;
  collect (tile, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "vmd-state"))
        return gtk_label_get_text (GTK_LABEL (label));
    }
  return NULL;
}

/* A button of the screen page that a person sees, by its label. */
static GtkWidget *
page_button (const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (GTK_WIDGET (page ()), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      const char *text = gtk_button_get_label (GTK_BUTTON (button));

      if (g_strcmp0 (text, label) == 0 && gtk_widget_is_drawable (button))
        return button;
    }
  return NULL;
}

typedef struct
{
  const char *title;       /* over the screen, NULL for none */
  const char *tile;        /* the tile's state line */
  const char *button;      /* a button over the screen, or NULL */
  const char *description; /* part of the text under the title, or NULL */
} Shown;

static char *last_seen;

static gboolean
shows (gpointer data)
{
  const Shown *want = data;
  AdwStatusPage *status = status_page ();
  gboolean visible = gtk_widget_is_drawable (GTK_WIDGET (status));
  const char *title = adw_status_page_get_title (status);
  const char *description = adw_status_page_get_description (status);
  const char *tile = tile_state (vmd_machine_get_name (vmd_display_page_get_machine (page ())));

  g_free (last_seen);
  last_seen = g_strdup_printf ("overlay %s “%s” (%s), tile “%s”",
                               visible ? "shown" : "hidden", title, description, tile);
  if (want->title == NULL ? visible : !visible || g_strcmp0 (title, want->title) != 0)
    return FALSE;
  if (want->description != NULL &&
      (description == NULL || strstr (description, want->description) == NULL))
    return FALSE;
  if (want->button != NULL && page_button (want->button) == NULL)
    return FALSE;
  return g_strcmp0 (tile, want->tile) == 0;
}

static void
assert_shows (const char *title,
              const char *description,
              const char *button,
              const char *tile)
{
  Shown want = { title, tile, button, description };

  if (!vmd_test_wait_until (shows, &want, STATE_MS))
    g_error ("waited for “%s” with a “%s” button and tile “%s”; seen: %s",
             title, button, tile, last_seen);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_mapped (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* What the X server shows, from outside the program. */
static void
screenshot (const char *name)
{
  g_autofree char *file = g_strdup_printf ("screenshot-states-%s.png", name);
  g_autofree char *path = g_build_filename (output_dir (), file, NULL);
  const char *argv[] = { "import", "-window", "root", path, NULL };

  /* A frame or two for the last change to be drawn. */
  vmd_test_wait_until (never, NULL, 300);
  run_ok (argv);
  g_test_message ("screenshot: %s", path);
}

static gboolean
display_ready (gpointer data)
{
  return vmd_display_get_ready (vmd_display_page_get_display (page ()));
}

static gboolean
machine_is (gpointer data)
{
  return (int) vmd_machine_get_state (machine) == GPOINTER_TO_INT (data);
}

static void
wait_state (VmdMachineState state)
{
  if (!vmd_test_wait_until (machine_is, GINT_TO_POINTER (state), STATE_MS))
    g_error ("waited for state %d, machine is %d", state, vmd_machine_get_state (machine));
}

static void
click (const char *label)
{
  GtkWidget *button = page_button (label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

/* -- the guests ---------------------------------------------------------- */

static char *
make_iso (const char *name,
          const char *cfg_text)
{
  g_autofree char *root = g_build_filename (workdir, name, NULL);
  g_autofree char *tree = g_build_filename (root, "boot", "grub", NULL);
  g_autofree char *cfg = g_build_filename (tree, "grub.cfg", NULL);
  char *iso = g_strdup_printf ("%s.iso", root);
  const char *argv[] = { "grub-mkrescue", "-o", iso, root, NULL };

  g_assert_cmpint (g_mkdir_with_parents (tree, 0755), ==, 0);
  g_assert_true (g_file_set_contents (cfg, cfg_text, -1, NULL));
  run_ok (argv);
  return iso;
}

/* GRUB under TCG, with a screen VmDesk can show. */
static void
define (const char *name,
        const char *iso,
        const char *extra_devices)
{
  g_autofree char *xml_name = g_markup_escape_text (name, -1);
  g_autofree char *xml = g_strdup_printf (
    "<domain type='qemu'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>64</memory>"
    "  <vcpu>1</vcpu>"
    "  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='cdrom'/></os>"
    "  <devices>"
    "    <disk type='file' device='cdrom'>"
    "      <source file='%s'/><target dev='sda' bus='sata'/><readonly/>"
    "    </disk>"
    "    %s"
    "    <graphics type='spice'><listen type='none'/></graphics>"
    "    <video><model type='qxl'/></video>"
    "  </devices>"
    "</domain>", xml_name, iso, extra_devices);
  g_autofree char *path = g_build_filename (workdir, "domain.xml", NULL);
  const char *argv[] = { "virsh", "-c", URI, "define", path, NULL };

  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  run_ok (argv);
}

static GPid
qemu_pid (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.pid", name);
  g_autofree char *path = g_build_filename (g_get_user_runtime_dir (), "libvirt", "qemu", "run",
                                            file, NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return (GPid) g_ascii_strtoll (text, NULL, 10);
}

static void
show_library (void)
{
  gtk_widget_activate_action (GTK_WIDGET (page ()), "page.back", NULL);
}

/* Enter or a double click on a tile: the grid's activation. */
static void
activate_tile (const char *name)
{
  GtkGridView *grid = GTK_GRID_VIEW (find_one (window, GTK_TYPE_GRID_VIEW));
  GListModel *model = G_LIST_MODEL (gtk_grid_view_get_model (grid));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VmdMachine) m = g_list_model_get_item (model, i);

      if (g_strcmp0 (vmd_machine_get_name (m), name) == 0)
        {
          g_signal_emit_by_name (grid, "activate", i);
          return;
        }
    }
  g_assert_not_reached ();
}

/* -- the states ---------------------------------------------------------- */

/* `virsh suspend`: "Paused" over the last frame, which stays seen, and
 * Resume, which resumes. */
static void
test_paused (void)
{
  AdwStatusPage *status;

  assert_shows (NULL, NULL, NULL, "Running");
  g_assert_true (vmd_test_wait_until (display_ready, NULL, STATE_MS));

  virsh ("suspend", GUEST);
  assert_shows ("Paused", "until it is resumed", "_Resume", "Paused");
  status = status_page ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "vmd-over-frame"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (status), "vmd-problem"));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (vmd_display_page_get_display (page ()))));
  g_assert_true (vmd_display_get_ready (vmd_display_page_get_display (page ())));
  g_assert_null (page_button ("_Start"));
  g_assert_null (page_button ("_Force Off"));
  screenshot ("paused");

  click ("_Resume");
  wait_state (VMD_MACHINE_STATE_RUNNING);
  assert_shows (NULL, NULL, NULL, "Running");
}

/* QEMU's own view: whether a SPICE client is connected to the guest. */
static gboolean
qemu_has_client (gpointer data)
{
  const char *argv[] = { "virsh", "-c", URI, "qemu-monitor-command", "--hmp", GUEST, "info spice",
                         NULL };
  static gint64 last_us;
  static gboolean had;
  g_autofree char *out = NULL;

  /* Once a second: each monitor command takes the domain's job, which
   * VmDesk's own calls for the screen's sockets wait for. */
  if (g_get_monotonic_time () - last_us < G_USEC_PER_SEC)
    return had == GPOINTER_TO_INT (data);
  last_us = g_get_monotonic_time ();
  out = vmd_test_run_capture (argv, NULL);
  had = strstr (out, "channel name:") != NULL;
  return had == GPOINTER_TO_INT (data);
}

static gboolean
window_minimized (gpointer data)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  return ((gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED) != 0) ==
         GPOINTER_TO_INT (data);
}

/* A screen nobody can see costs nothing: minimized, VmDesk lets go of the
 * guest's screen (QEMU sees its client go), and takes it again when the
 * window comes back. */
static void
test_minimized (void)
{
  if (g_getenv ("VMD_TEST_WM") == NULL)
    {
      g_test_skip ("Minimizing needs a window manager: run through tests/with-wm.sh");
      return;
    }
  g_assert_true (vmd_test_wait_until (display_ready, NULL, STATE_MS));
  g_assert_true (vmd_test_wait_until (qemu_has_client, GINT_TO_POINTER (TRUE), STATE_MS));

  /* Once the window manager has taken the window on. */
  g_assert_true (vmd_test_wait_until ((VmdTestCondition) gtk_window_is_active, window, STATE_MS));
  gtk_window_minimize (GTK_WINDOW (window));
  g_assert_true (vmd_test_wait_until (window_minimized, GINT_TO_POINTER (TRUE), STATE_MS));
  g_assert_true (vmd_test_wait_until (qemu_has_client, GINT_TO_POINTER (FALSE), STATE_MS));

  gtk_window_unminimize (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (vmd_test_wait_until (window_minimized, GINT_TO_POINTER (FALSE), STATE_MS));
  g_assert_true (vmd_test_wait_until (qemu_has_client, GINT_TO_POINTER (TRUE), STATE_MS));
  g_assert_true (vmd_test_wait_until (display_ready, NULL, STATE_MS));
  assert_shows (NULL, NULL, NULL, "Running");
}

/* QEMU stops the guest by itself, as after a KVM emulation failure (which
 * leaves libvirt's reason "unknown" too): said as an error, with what to do. */
static void
test_paused_by_hypervisor (void)
{
  const char *argv[] = { "virsh", "-c", URI, "qemu-monitor-command", "--hmp", GUEST, "stop", NULL };

  run_ok (argv);
  assert_shows ("Paused: hypervisor error", "internal error", "_Force Off",
                "Paused: hypervisor error");
  g_assert_nonnull (page_button ("_Resume"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status_page ()), "vmd-problem"));
  screenshot ("hypervisor-error");

  click ("_Resume");
  wait_state (VMD_MACHINE_STATE_RUNNING);
  assert_shows (NULL, NULL, NULL, "Running");
}

/* GRUB ignores the ACPI power button: the machine says it was asked, at
 * the bottom of the screen, and offers to force it off. */
static void
test_shutting_down (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_SHUTDOWN, &error));
  g_assert_no_error (error);
  assert_shows ("Shutting down", "asked to shut down", "_Force Off", "Shutting down");
  g_assert_cmpint (gtk_widget_get_valign (GTK_WIDGET (status_page ())), ==, GTK_ALIGN_END);
  screenshot ("shutting-down");

  click ("_Force Off");
  wait_state (VMD_MACHINE_STATE_SHUT_OFF);
  assert_shows ("“" GUEST "” Is Not Running", "Off", "_Start", "Off");
  screenshot ("off");

  click ("_Start");
  wait_state (VMD_MACHINE_STATE_RUNNING);
  assert_shows (NULL, NULL, NULL, "Running");
}

/* `virsh managedsave`: saved, and starting picks up again. */
static void
test_saved (void)
{
  g_assert_true (vmd_test_wait_until (display_ready, NULL, STATE_MS));
  virsh ("managedsave", GUEST);
  assert_shows ("“" GUEST "” Is Not Running", "memory was saved", "_Start", "Saved");
  screenshot ("saved");

  click ("_Start");
  wait_state (VMD_MACHINE_STATE_RUNNING);
  assert_shows (NULL, NULL, NULL, "Running");
}

/* Keys typed into the guest from outside VmDesk (virsh send-key). */
static void
send_keys (const char *keys)
{
  g_autofree char *command = g_strdup_printf ("virsh -c %s send-key %s --codeset linux %s",
                                              URI, GUEST, keys);
  g_auto(GStrv) argv = g_strsplit (command, " ", -1);

  run_ok ((const char * const *) argv);
}

static gboolean
can_save (gpointer data)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), "save");
}

/* Save, then Start: the guest is where it was, what was typed at its
 * prompt still there. Saved once as a script does (vmdesk --save NAME,
 * the program itself), once from the screen's menu (win.save). */
static void
test_save_resume (void)
{
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  const char *save[] = { binary, "--save", GUEST, NULL };

  g_assert_true (vmd_test_wait_until (display_ready, NULL, STATE_MS));
  g_assert_true (vmd_test_wait_guest_shows (URI, GUEST, workdir, "grub>", 90000));
  send_keys ("KEY_K KEY_E KEY_P KEY_T");
  g_assert_true (vmd_test_wait_guest_shows (URI, GUEST, workdir, "kept", 30000));

  vmd_test_run_command (save);
  assert_shows ("“" GUEST "” Is Not Running", "memory was saved", "_Start", "Saved");
  g_assert_cmpint (vmd_machine_get_reason (machine), ==, VMD_MACHINE_REASON_SAVED);
  click ("_Start");
  wait_state (VMD_MACHINE_STATE_RUNNING);
  g_assert_true (vmd_test_wait_guest_shows (URI, GUEST, workdir, "kept", 30000));

  send_keys ("KEY_SPACE KEY_T KEY_O KEY_O");
  g_assert_true (vmd_test_wait_guest_shows (URI, GUEST, workdir, "kept too", 30000));
  g_assert_true (vmd_test_wait_until (can_save, NULL, STATE_MS));
  g_action_group_activate_action (G_ACTION_GROUP (window), "save", NULL);
  assert_shows ("“" GUEST "” Is Not Running", "memory was saved", "_Start", "Saved");
  g_assert_false (can_save (NULL));
  click ("_Start");
  wait_state (VMD_MACHINE_STATE_RUNNING);
  g_assert_true (vmd_test_wait_guest_shows (URI, GUEST, workdir, "kept too", 30000));
  assert_shows (NULL, NULL, NULL, "Running");
}

/* kill -9 of QEMU: libvirt says "shut off (crashed)". Said so; activating
 * the tile shows it, and does not start the machine. */
static void
test_crashed (void)
{
  GPid pid;

  g_assert_true (vmd_test_wait_until (display_ready, NULL, STATE_MS));
  pid = qemu_pid (GUEST);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  assert_shows ("“" GUEST "” Crashed", "hypervisor process ended", "_Start", "Crashed");
  g_assert_cmpint (vmd_machine_get_reason (machine), ==, VMD_MACHINE_REASON_CRASHED);
  screenshot ("crashed");

  show_library ();
  g_assert_true (vmd_test_wait_until (has_size, find_tile (GUEST), STATE_MS));
  g_assert_cmpstr (tile_state (GUEST), ==, "Crashed");
  screenshot ("crashed-tile");

  activate_tile (GUEST);
  /* Starting would hold the machine busy from this very call. */
  g_assert_false (vmd_machine_get_busy (machine));
  g_assert_true (vmd_display_page_get_machine (page ()) == machine);
  assert_shows ("“" GUEST "” Crashed", NULL, "_Start", "Crashed");
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_CRASHED);

  click ("_Start");
  wait_state (VMD_MACHINE_STATE_RUNNING);
  assert_shows (NULL, NULL, NULL, "Running");
}

/* A guest writes to a disk whose server answers ENOSPC (QEMU's blkdebug
 * behind qemu-nbd), with error_policy='stop': QEMU pauses it on an I/O
 * error, libvirt's disk errors say "no space". */
static void
test_disk_full (void)
{
  g_autofree char *disk = g_build_filename (workdir, "full.raw", NULL);
  g_autofree char *env = g_build_filename (workdir, "grubenv", NULL);
  g_autofree char *conf = g_build_filename (workdir, "blkdebug.conf", NULL);
  g_autofree char *sock = g_build_filename (workdir, "nbd.sock", NULL);
  g_autofree char *opts = g_strdup_printf ("driver=raw,file.driver=blkdebug,file.config=%s,"
                                           "file.image.driver=file,file.image.filename=%s",
                                           conf, disk);
  g_autofree char *devices = NULL;
  g_autofree char *iso = NULL;
  g_autoptr(GSubprocess) nbd = NULL;
  g_autoptr(GError) error = NULL;
  VmdMachine *full;
  const char *editenv[] = { "grub-editenv", env, "create", NULL };
  const char *mformat[] = { "mformat", "-C", "-T", "131072", "-i", disk, "::", NULL };
  const char *mcopy[] = { "mcopy", "-i", disk, env, "::grubenv", NULL };

  /* A FAT disk with a GRUB environment block, which save_env writes. */
  run_ok (mformat);
  run_ok (editenv);
  run_ok (mcopy);
  g_assert_true (g_file_set_contents (conf, "[inject-error]\nevent = \"write_aio\"\nerrno = \"28\"\n",
                                      -1, NULL));
  nbd = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "qemu-nbd", "--image-opts", opts,
                          "-k", sock, "-t", NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 100 && !g_file_test (sock, G_FILE_TEST_EXISTS); i++)
    vmd_test_wait_until (never, NULL, 100);
  g_assert_true (g_file_test (sock, G_FILE_TEST_EXISTS));

  iso = make_iso ("full", "set timeout=0\nset pager=0\ninsmod fat\n"
                          "save_env -f (hd0)/grubenv written\n");
  devices = g_strdup_printf ("<disk type='network' device='disk'>"
                             "<driver name='qemu' type='raw' error_policy='stop'/>"
                             "<source protocol='nbd'><host transport='unix' socket='%s'/></source>"
                             "<target dev='sdb' bus='sata'/></disk>", sock);
  define (FULL, iso, devices);
  full = vmd_test_wait_for_machine (connection, FULL, STATE_MS);
  g_assert_nonnull (full);

  show_library ();
  activate_tile (FULL);  /* off: Enter starts it */
  g_assert_true (vmd_display_page_get_machine (page ()) == full);
  assert_shows ("Paused: host disk full", "Free some space", "_Force Off", "Paused: host disk full");
  g_assert_cmpint (vmd_machine_get_reason (full), ==, VMD_MACHINE_REASON_NO_SPACE);
  g_assert_nonnull (page_button ("_Resume"));
  screenshot ("disk-full");

  click ("_Force Off");
  assert_shows ("“" FULL "” Is Not Running", NULL, "_Start", "Off");
  virsh ("undefine", FULL);
  g_subprocess_force_exit (nbd);
  g_subprocess_wait (nbd, NULL, NULL);
}

/* spice-client-glib warns when QEMU dies or stops under a channel that is
 * still linking, as kill -9 makes it: its header or its reply cut short
 * ("incomplete link header (0/16)", "cursor-4:0:
 * spice_channel_recv_link_msg: incomplete link reply (0/182)"). Expected
 * here, and nothing of ours. */
static gboolean
is_link_warning (const char *domain,
                 const char *message)
{
  return g_strcmp0 (domain, "GSpice") == 0 &&
         (strstr (message, "incomplete link header") != NULL ||
          strstr (message, "incomplete link reply") != NULL);
}

static gboolean
fatal_log (const char     *domain,
           GLogLevelFlags  level,
           const char     *message,
           gpointer        data)
{
  return !is_link_warning (domain, message);
}

static void
log_spice (const char     *domain,
           GLogLevelFlags  level,
           const char     *message,
           gpointer        data)
{
  if (is_link_warning (domain, message))
    g_test_message ("spice-client-glib, as QEMU goes: %s", message);
  else
    g_log_default_handler (domain, level, message, data);
}

/* GLib forgets the fatal-log handler at each test case. */
static void
run_test (gconstpointer data)
{
  g_test_log_set_fatal_handler (fatal_log, NULL);
  ((GTestFunc) data) ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_isolate_short_dirs ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *iso = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_log_set_handler ("GSpice", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, log_spice, NULL);

  if (!vmd_test_gui_init_as_user ())
    return g_test_run ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* What AdwApplication loads for the program: the screenshots look like it. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/com/example/VmDesk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  workdir = g_dir_make_tmp ("vmd-states-XXXXXX", &error);
  g_assert_no_error (error);
  iso = make_iso ("prompt", "set timeout=0\nset pager=0\n");
  define (GUEST, iso, "");

  connection = vmd_connection_new (URI);
  g_assert_true (vmd_test_open (connection, NULL));
  machine = g_object_ref (vmd_test_wait_for_machine (connection, GUEST, STATE_MS));
  g_assert_nonnull (machine);
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_START, NULL));

  window = GTK_WIDGET (vmd_window_new (NULL, connection));
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (vmd_test_wait_until (has_size, window, STATE_MS));
  vmd_window_show_machine (VMD_WINDOW (window), machine);

  /* In order: each runs on the guest the one before left running. */
  g_test_add_data_func ("/states/minimized", test_minimized, run_test);
  g_test_add_data_func ("/states/paused", test_paused, run_test);
  g_test_add_data_func ("/states/paused-by-hypervisor", test_paused_by_hypervisor, run_test);
  g_test_add_data_func ("/states/shutting-down", test_shutting_down, run_test);
  g_test_add_data_func ("/states/saved", test_saved, run_test);
  g_test_add_data_func ("/states/save-resume", test_save_resume, run_test);
  g_test_add_data_func ("/states/crashed", test_crashed, run_test);
  g_test_add_data_func ("/states/disk-full", test_disk_full, run_test);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  if (machine != NULL)
    vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, NULL);
  g_clear_object (&machine);
  g_clear_object (&connection);
  g_clear_pointer (&last_seen, g_free);
  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
