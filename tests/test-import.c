/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-create-dialog.h"
#include "vmd-display.h"
#include "vmd-display-page.h"
#include "vmd-machine.h"
#include "vmd-spice-session.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

/* Import in VmDesk's own application window, on a real qemu:///session:
 * a machine's disk (a VMDK named "disk.bin": told by its content) dropped
 * on the window opens the review of an import; the system chosen from the
 * list, a name typed, Import: the machine is listed, runs, has that system,
 * and its disk is a qcow2 copy holding the original's bytes. A text file
 * dropped is neither an installer nor a disk: said in the window. */

#define WAIT_MS  60000
#define NAME     "imported “disk” & co"
#define SYSTEM   "Debian 11"
#define MIB      (G_GUINT64_CONSTANT (1) << 20)

static char *workdir;

/* QEMU's own view: whether a SPICE client is connected to the guest. Once
 * a second at most: each monitor command takes the domain's job. */
static gboolean
qemu_has_no_client (gpointer data)
{
  const char *argv[] = { "virsh", "-c", "qemu:///session", "qemu-monitor-command", "--hmp", NAME,
                         "info spice", NULL };
  static gint64 last;
  g_autofree char *out = NULL;

  if (g_get_monotonic_time () - last < G_USEC_PER_SEC)
    return FALSE;
  last = g_get_monotonic_time ();
  out = vmd_test_run_capture (argv, NULL);
  return strstr (out, "channel name:") == NULL;
}

static void
run_ok (const char * const *argv)
{
  g_free (vmd_test_run_ok (argv));
}

/* A 64 MiB disk with a partition table and marks at 1 and 40 MiB. */
static char *
make_raw_disk (void)
{
  g_autofree char *path = g_build_filename (workdir, "disk.raw", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileIOStream) io = g_file_replace_readwrite (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                          NULL, &error);
  GOutputStream *out;
  GSeekable *seek;
  const guint8 signature[] = { 0x55, 0xaa };
  const char mark[] = "VmDesk import mark";

  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (io));
  seek = G_SEEKABLE (io);
  g_assert_true (g_seekable_seek (seek, 510, G_SEEK_SET, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, signature, 2, NULL, NULL, &error));
  g_assert_true (g_seekable_seek (seek, 1 * MIB, G_SEEK_SET, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, mark, sizeof mark, NULL, NULL, &error));
  g_assert_true (g_seekable_seek (seek, 40 * MIB, G_SEEK_SET, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, mark, sizeof mark, NULL, NULL, &error));
  g_assert_true (g_seekable_truncate (seek, 64 * MIB, NULL, &error));
  g_assert_true (g_io_stream_close (G_IO_STREAM (io), NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static VmdCreateDialog *
find_create_dialog (void)
{
  return (VmdCreateDialog *) vmd_test_find_toplevel (VMD_TYPE_CREATE_DIALOG, NULL);
}

static gboolean
dialog_on_page (gpointer data)
{
  VmdCreateDialog *dialog = find_create_dialog ();

  return dialog != NULL && g_str_equal (vmd_create_dialog_get_page (dialog), data);
}

static gboolean
no_dialog (gpointer data)
{
  return find_create_dialog () == NULL;
}

static gboolean
systems_listed (gpointer data)
{
  GListModel *model = gtk_drop_down_get_model (data);

  return model != NULL && g_list_model_get_n_items (model) > 100;
}

typedef struct
{
  VmdConnection *connection;
  const char    *name;
} MachineWait;

static gboolean
machine_listed (gpointer data)
{
  MachineWait *wait = data;

  return vmd_connection_find_machine_by_name (wait->connection, wait->name) != NULL;
}

static gboolean
is_running (gpointer data)
{
  return vmd_machine_get_state (data) == VMD_MACHINE_STATE_RUNNING;
}

static gboolean
page_ready (gpointer data)
{
  VmdDisplayPage *page = data;

  return vmd_display_page_get_machine (page) != NULL &&
         vmd_display_get_ready (vmd_display_page_get_display (page));
}

static gboolean
has_system (gpointer data)
{
  return g_strcmp0 (vmd_machine_get_os_name (data), SYSTEM) == 0;
}

/* The path of the machine's first disk, as libvirt has it. */
static char *
disk_path (const char *name)
{
  const char *argv[] = { "virsh", "-c", "qemu:///session", "domblklist", name, "--details",
                         NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  out = vmd_test_run_capture (argv, &status);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      g_auto(GStrv) fields = NULL;
      guint n;

      for (guint j = 0; words[j] != NULL; j++)
        if (*words[j] != '\0')
          g_strv_builder_add (builder, words[j]);
      fields = g_strv_builder_end (builder);
      n = g_strv_length (fields);

      if (n >= 4 && g_str_equal (fields[0], "file") && g_str_equal (fields[1], "disk"))
        return g_strdup (fields[n - 1]);
    }
  g_error ("no disk in: %s", out);
}

static void
test_drop_disk (void)
{
  g_autoptr(VmdApplication) app = vmd_test_application_new ();
  VmdConnection *connection = vmd_application_get_connection (app);
  g_autofree char *raw = make_raw_disk ();
  g_autofree char *image = g_build_filename (workdir, "disk.bin", NULL);
  g_autofree char *copy = NULL;
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;
  GtkWidget *window;
  VmdCreateDialog *dialog;
  GtkDropDown *systems;
  GtkWidget *name_row;
  GtkWidget *page;
  GListModel *names;
  VmdMachine *machine;
  MachineWait listed = { connection, NAME };
  guint chosen = GTK_INVALID_LIST_POSITION;
  int status;

  run_ok ((const char *[]) { "qemu-img", "convert", "-f", "raw", "-O", "vmdk", raw, image, NULL });
  window = GTK_WIDGET (vmd_window_new (app, connection));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));

  vmd_test_drop_file (window, image);
  g_assert_true (vmd_test_wait_until (dialog_on_page, "review", WAIT_MS));
  dialog = find_create_dialog ();
  g_assert_cmpstr (vmd_create_dialog_get_os_label (dialog), ==, "A disk image (VMDK, 67.1\u00a0MB)");
  text = vmd_test_visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "Import"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Import a Machine");

  /* The system, from libosinfo's list, searched by name. */
  systems = GTK_DROP_DOWN (vmd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN));
  g_assert_true (vmd_test_wait_until (systems_listed, systems, WAIT_MS));
  names = gtk_drop_down_get_model (systems);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "Unknown");
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), SYSTEM))
      chosen = i;
  g_assert_cmpuint (chosen, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (systems, chosen);
  name_row = vmd_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (name_row), NAME);
  vmd_test_settle ();
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-import.png");

  vmd_create_dialog_create (dialog);
  g_assert_true (vmd_test_wait_until (machine_listed, &listed, WAIT_MS));
  g_assert_true (vmd_test_wait_until (no_dialog, NULL, WAIT_MS));
  machine = vmd_connection_find_machine_by_name (connection, NAME);
  /* It starts, as a new machine does, and has the system chosen. */
  g_assert_true (vmd_test_wait_until (is_running, machine, WAIT_MS));
  g_assert_true (vmd_test_wait_until (has_system, machine, WAIT_MS));
  /* Its screen shows in the window; then back to the library. */
  page = vmd_test_find_widget (window, VMD_TYPE_DISPLAY_PAGE);
  g_assert_true (vmd_test_wait_until (page_ready, page, WAIT_MS));
  g_assert_true (vmd_display_page_get_machine (VMD_DISPLAY_PAGE (page)) == machine);
  g_assert_true (gtk_widget_activate_action (page, "page.back", NULL));
  /* The screen's channels are gone before the machine is deleted below:
   * QEMU killed under a channel still linking makes spice-client-glib
   * warn (seen once in a fresh clone). */
  g_assert_true (vmd_test_wait_until (qemu_has_no_client, NULL, WAIT_MS));

  /* A copy, in qcow2, with the original's bytes; the original as it was. */
  copy = disk_path (NAME);
  g_assert_cmpstr (copy, !=, image);
  info = vmd_test_run_capture ((const char *[]) { "qemu-img", "info", "-U", "--output=json",
                                                  copy, NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (info, "\"format\": \"qcow2\""));
  run_ok ((const char *[]) { "qemu-img", "compare", "-U", raw, copy, NULL });
  run_ok ((const char *[]) { "qemu-img", "compare", "-f", "raw", "-F", "vmdk", raw, image, NULL });

  g_object_ref (machine);
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, NULL));
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (image, G_FILE_TEST_EXISTS));
  g_object_unref (machine);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_not_a_disk (void)
{
  g_autoptr(VmdApplication) app = vmd_test_application_new ();
  VmdConnection *connection = vmd_application_get_connection (app);
  g_autofree char *path = g_build_filename (workdir, "notes.txt", NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  VmdCreateDialog *dialog;
  guint n;

  g_assert_true (g_file_set_contents (path, "Not a disk, not an installer.\n", -1, &error));
  window = GTK_WIDGET (vmd_window_new (app, connection));
  gtk_window_present (GTK_WINDOW (window));
  n = g_list_model_get_n_items (vmd_connection_get_machines (connection));

  vmd_test_drop_file (window, path);
  g_assert_true (vmd_test_wait_until (dialog_on_page, "error", WAIT_MS));
  dialog = find_create_dialog ();
  g_assert_cmpstr (vmd_create_dialog_get_message (dialog), ==,
                   "“notes.txt” is neither an installer image (ISO) nor a disk image VmDesk "
                   "knows (qcow2, VMDK, VDI, VHD, OVA, or a raw disk with a partition table).");
  /* Nothing made. */
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, n);
  gtk_window_destroy (GTK_WINDOW (dialog));
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
  /* A screen nobody shows goes at once: the machine deleted after it. */
  vmd_spice_session_set_linger (0);

  workdir = g_dir_make_tmp ("vmd-import-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/import/drop-disk", test_drop_disk);
  g_test_add_func ("/import/not-a-disk", test_not_a_disk);

  status = g_test_run ();

  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
