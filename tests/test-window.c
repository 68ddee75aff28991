/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-host.h"
#include "vmd-properties-dialog.h"
#include "vmd-machine.h"
#include "vmd-machine-tile.h"
#include "vmd-iso-fixtures.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

/* The main window under a real X server (Xvfb), on libvirt's test driver. */

static VmdApplication *app;

#define WAIT_MS 5000

static const char *
visible_page (GtkWidget *window)
{
  g_autoptr(GPtrArray) stacks = vmd_test_find_widgets (window, GTK_TYPE_STACK);

  for (guint i = 0; i < stacks->len; i++)
    {
      GtkStack *stack = g_ptr_array_index (stacks, i);

      if (gtk_stack_get_child_by_name (stack, "empty") != NULL)
        return gtk_stack_get_visible_child_name (stack);
    }
  g_assert_not_reached ();
}

/* Spinners that spin where nobody sees them: each keeps GTK laying the
 * window out again on every frame. */
static guint
hidden_spinners (GtkWidget *window)
{
  g_autoptr(GPtrArray) spinners = vmd_test_find_widgets (window, GTK_TYPE_SPINNER);
  guint hidden = 0;

  for (guint i = 0; i < spinners->len; i++)
    {
      GtkWidget *spinner = g_ptr_array_index (spinners, i);

      hidden += gtk_spinner_get_spinning (GTK_SPINNER (spinner)) && !gtk_widget_get_mapped (spinner);
    }
  return hidden;
}

static void
restore_test_guest (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  virDomainPtr dom = virDomainLookupByName (conn, "test");
  int state, reason;

  virDomainGetState (dom, &state, &reason, 0);
  if (state == VIR_DOMAIN_PAUSED)
    virDomainResume (dom);
  else if (state == VIR_DOMAIN_SHUTOFF)
    virDomainCreate (dom);
  virDomainFree (dom);
  virConnectClose (conn);
}

static void
test_library (void)
{
  GtkWidget *window = vmd_test_open_window (app, "test:///default", NULL);

  g_assert_true (vmd_test_wait_for_text (window, "test"));
  g_assert_true (vmd_test_wait_for_text (window, "Running"));
  g_assert_true (vmd_test_wait_for_text (window, "Unknown system"));
  g_assert_cmpstr (visible_page (window), ==, "library");
  g_assert_cmpuint (hidden_spinners (window), ==, 0);
  g_assert_nonnull (vmd_test_find_tile (window, "test"));

  vmd_test_settle ();
  vmd_test_save_screenshot (window, "screenshot-library.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The memory meter under the library: the guests' memory against this
 * computer's, and the reserve as the person sets it, followed live. */
static void
test_meter_follows_reserve (void)
{
  GtkWidget *window = vmd_test_open_window (app, "test:///default", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *reserve = g_format_size_full ((guint64) 3000 << 20, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *kept = g_strdup_printf ("· %s kept for it", reserve);

  g_assert_true (vmd_test_wait_for_text (window, "Running"));
  g_assert_true (vmd_test_wait_for_part (window, "of this computer’s"));
  g_settings_set_uint (settings, "host-reserve", 3000);
  g_assert_true (vmd_test_wait_for_part (window, kept));
  g_settings_reset (settings, "host-reserve");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_context_menu (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  GtkWidget *window = vmd_test_open_window (app, "test:///default", &connection);
  GtkWidget *item;
  GtkPopover *menu;

  g_assert_true (vmd_test_wait_for_text (window, "Running"));

  /* What a right click does: select the guest and open its menu. */
  menu = vmd_test_popup_tile_menu (window, "test");

  /* A running guest offers Pause and Shut Down, not Start or Resume. */
  g_assert_nonnull (vmd_test_find_menu_item (GTK_WIDGET (menu), "Pause"));
  g_assert_nonnull (vmd_test_find_menu_item (GTK_WIDGET (menu), "Shut Down"));
  g_assert_null (vmd_test_find_menu_item (GTK_WIDGET (menu), "Start"));
  g_assert_null (vmd_test_find_menu_item (GTK_WIDGET (menu), "Resume"));

  item = vmd_test_find_menu_item (GTK_WIDGET (menu), "Pause");
  g_signal_emit_by_name (item, "clicked");
  g_assert_true (vmd_test_wait_for_text (window, "Paused"));
  g_assert_cmpint (vmd_machine_get_state (vmd_connection_find_machine_by_name (connection, "test")),
                   ==, VMD_MACHINE_STATE_PAUSED);

  /* The window's actions follow the state. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "pause"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "resume"));

  /* And the keyboard path: the same action as Ctrl+Shift+R. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "resume", NULL);
  g_assert_true (vmd_test_wait_for_text (window, "Running"));

  gtk_window_destroy (GTK_WINDOW (window));
  restore_test_guest ();
}

static void
test_empty (void)
{
  const char *data = g_getenv ("VMD_TEST_DATA");
  g_autofree char *uri = g_strdup_printf ("test://%s/empty-host.xml", data);
  GtkWidget *window = vmd_test_open_window (app, uri, NULL);

  g_assert_true (vmd_test_wait_for_text (window, "No Machines Yet"));
  g_assert_cmpstr (visible_page (window), ==, "empty");
  g_assert_cmpuint (hidden_spinners (window), ==, 0);
  g_assert_null (vmd_test_find_tile (window, "test"));

  vmd_test_settle ();
  vmd_test_save_screenshot (window, "screenshot-empty.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unreachable (void)
{
  GtkWidget *window = vmd_test_open_window (app, "test:///no/such/host.xml", NULL);

  g_assert_true (vmd_test_wait_for_text (window, "Cannot Reach the Virtualization Service"));
  g_assert_cmpstr (visible_page (window), ==, "unreachable");
  g_assert_cmpuint (hidden_spinners (window), ==, 0);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "reconnect"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));

  vmd_test_settle ();
  vmd_test_save_screenshot (window, "screenshot-unreachable.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
memory_is_one_gib (gpointer data)
{
  return vmd_machine_get_memory (data) == G_GUINT64_CONSTANT (1) << 30;
}

static gboolean
is_renamed (gpointer data)
{
  return g_strcmp0 (vmd_machine_get_name (data), "props renamed") == 0;
}

static GtkWidget *
name_row (VmdPropertiesDialog *dialog)
{
  g_autoptr(GPtrArray) rows = vmd_test_find_widgets (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);

  g_assert_cmpuint (rows->len, ==, 1);
  return g_ptr_array_index (rows, 0);
}

/* Properties: the verdict follows the values; past the host it takes a
 * confirmation; a name is checked as typed, with its reason; saving
 * reaches the guest's definition and its name. */
static void
test_properties (void)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("test:///default");
  g_autoptr(VmdHost) host = vmd_host_new_for_testing (G_GUINT64_CONSTANT (16) << 30,
                                                      G_GUINT64_CONSTANT (12) << 30, 4,
                                                      G_GUINT64_CONSTANT (100) << 30, TRUE);
  virConnectPtr other = virConnectOpen ("test:///default");
  virDomainPtr dom = virDomainDefineXML (other, "<domain type='test'><name>props</name>"
                                                "<memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                                                "<os><type>hvm</type></os></domain>");
  VmdPropertiesDialog *dialog;
  VmdMachine *machine;
  gpointer weak;
  GtkWidget *save;

  g_assert_true (vmd_test_open (connection, NULL));
  machine = vmd_test_wait_for_machine (connection, "props", WAIT_MS);
  g_assert_nonnull (machine);

  dialog = vmd_properties_dialog_new (NULL, connection, machine, host);
  gtk_window_present (GTK_WINDOW (dialog));

  /* Made without the shared folder's channel: Properties offers it, and
   * it lands in the definition. */
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog),
                                         "This machine has no channel for a shared folder"));
  gtk_widget_activate (vmd_test_find_button (GTK_WIDGET (dialog), "_Add"));
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "Added: the machine reaches the "
                                         "folder from its next start."));
  {
    g_autofree char *xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);

    g_assert_nonnull (strstr (xml, "org.spice-space.webdav.0"));
  }

  /* 24 GiB on a 16 GiB host: "over", and Save waits for a confirmation. */
  vmd_properties_dialog_set_values (dialog, G_GUINT64_CONSTANT (24) << 30, 2);
  g_assert_nonnull (strstr (vmd_properties_dialog_get_verdict (dialog), "more than the"));
  {
    /* The header bar's buttons come first: Cancel, then Save. */
    g_autoptr(GPtrArray) buttons = vmd_test_find_widgets (GTK_WIDGET (dialog), GTK_TYPE_BUTTON);

    save = g_ptr_array_index (buttons, 1);
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "_Save");
    g_assert_false (gtk_widget_get_sensitive (save));
  }

  vmd_properties_dialog_set_values (dialog, G_GUINT64_CONSTANT (1) << 30, 2);
  g_assert_nonnull (strstr (vmd_properties_dialog_get_verdict (dialog), "leaving"));
  g_assert_true (gtk_widget_get_sensitive (save));

  /* A name no machine may have, then one another machine has: Save waits,
   * the reason shows. */
  g_assert_true (gtk_widget_get_sensitive (name_row (dialog)));
  gtk_editable_set_text (GTK_EDITABLE (name_row (dialog)), "props/1");
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "A name cannot contain “/”."));
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (name_row (dialog)), "test");
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog),
                                         "A machine with this name exists already."));
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (name_row (dialog)), " props  renamed ");
  g_assert_true (gtk_widget_get_sensitive (save));

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  vmd_properties_dialog_save (dialog);
  g_assert_true (vmd_test_wait_until (window_gone, &weak, WAIT_MS));
  g_assert_true (vmd_test_wait_until (memory_is_one_gib, machine, WAIT_MS));
  g_assert_cmpuint (vmd_machine_get_vcpus (machine), ==, 2);
  g_assert_true (vmd_test_wait_until (is_renamed, machine, WAIT_MS));

  /* A running machine keeps its name, and the window says why. */
  dialog = vmd_properties_dialog_new (NULL, connection,
                                      vmd_connection_find_machine_by_name (connection, "test"),
                                      host);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog),
                                         "Shut the machine down to rename it."));
  g_assert_false (gtk_widget_get_sensitive (name_row (dialog)));
  gtk_window_destroy (GTK_WINDOW (dialog));

  virDomainUndefine (dom);
  virDomainFree (dom);
  virConnectClose (other);
}

static gboolean
dialog_over (gpointer data)
{
  return vmd_test_find_dialog (data) != NULL;
}

/* `vmdesk --show NAME` on a machine that is off: the budget's question
 * first, as Start asks it, and the machine stays off until answered. */
static void
test_show_checks_budget (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  virConnectPtr other = virConnectOpen ("test:///default");
  virDomainPtr dom = virDomainDefineXML (other, "<domain type='test'><name>shown</name>"
                                                "<memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                                                "<os><type>hvm</type></os></domain>");
  GtkWidget *window = vmd_test_open_window (app, "test:///default", &connection);
  AdwMessageDialog *dialog;
  VmdMachine *machine;

  machine = vmd_test_wait_for_machine (connection, "shown", WAIT_MS);
  g_assert_nonnull (machine);
  vmd_test_make_memory_tight (connection);

  vmd_window_show_machine_by_name (VMD_WINDOW (window), "shown");
  g_assert_true (vmd_test_wait_until (dialog_over, window, WAIT_MS));
  dialog = vmd_test_find_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Memory Is Tight for “shown”");
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_SHUT_OFF);

  /* Cancel: it stays off, on its screen with its Start button. */
  g_signal_emit_by_name (vmd_test_find_button (GTK_WIDGET (dialog), "_Cancel"), "clicked");
  g_assert_true (vmd_test_wait_for_text (window, "“shown” Is Not Running"));
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_SHUT_OFF);

  g_settings_reset (settings, "host-reserve");
  gtk_window_destroy (GTK_WINDOW (window));
  virDomainUndefine (dom);
  virDomainFree (dom);
  virConnectClose (other);
}

static gboolean
machine_gone (gpointer data)
{
  return vmd_connection_find_machine_by_name (data, "disks") == NULL;
}

/* Delete removes the disks VmDesk made; one the person attached from
 * elsewhere is listed, and kept unless ticked. */
typedef struct
{
  const char *own, *other;
  gboolean    tick;
} DisksWait;

/* VmDesk's disk deleted, and the other one too when it was ticked. */
static gboolean
disks_went (gpointer data)
{
  DisksWait *wait = data;

  return !g_file_test (wait->own, G_FILE_TEST_EXISTS) &&
         (!wait->tick || !g_file_test (wait->other, G_FILE_TEST_EXISTS));
}

static void
delete_machine (gboolean tick)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-delete-XXXXXX", &error);
  g_autofree char *own = g_build_filename (dir, "own.qcow2", NULL);
  g_autofree char *other = g_build_filename (dir, "photos & more.img", NULL);
  g_autofree char *own_xml = g_markup_escape_text (own, -1);
  g_autofree char *other_xml = g_markup_escape_text (other, -1);
  g_autofree char *xml = NULL;
  g_autofree char *text = NULL;
  g_autoptr(VmdConnection) connection = NULL;
  virConnectPtr conn = virConnectOpen ("test:///default");
  AdwMessageDialog *dialog;
  GtkWidget *window, *check;
  VmdMachine *machine;
  virDomainPtr dom;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (own, "qcow2", -1, NULL));
  g_assert_true (g_file_set_contents (other, "the person's", -1, NULL));
  xml = g_strdup_printf ("<domain type='test'><name>disks</name><memory unit='MiB'>256</memory>"
                         "<os><type>hvm</type></os><devices>"
                         "<disk type='file' device='disk'><source file='%s'/>"
                         "<target dev='vda' bus='virtio'/></disk>"
                         "<disk type='file' device='disk'><source file='%s'/>"
                         "<target dev='vdb' bus='virtio'/></disk></devices>"
                         "<metadata><vmdesk:vmdesk xmlns:vmdesk='" "http://example.com/vmdesk"
                         "/xmlns/domain/1.0'><vmdesk:disk path='%s'/></vmdesk:vmdesk></metadata>"
                         "</domain>", own_xml, other_xml, own_xml);
  dom = virDomainDefineXML (conn, xml);
  g_assert_nonnull (dom);
  virDomainFree (dom);

  window = vmd_test_open_window (app, "test:///default", &connection);
  machine = vmd_test_wait_for_machine (connection, "disks", WAIT_MS);
  g_assert_nonnull (machine);
  /* Selected as a right click selects it; then Delete, as the key does. */
  g_assert_true (vmd_test_wait_for_text (window, "disks"));
  vmd_machine_tile_popup_menu (VMD_MACHINE_TILE (vmd_test_find_tile (window, "disks")), 20, 20);
  gtk_popover_popdown (vmd_machine_tile_get_menu (VMD_MACHINE_TILE (vmd_test_find_tile (window, "disks"))));
  g_action_group_activate_action (G_ACTION_GROUP (window), "delete", NULL);
  g_assert_true (vmd_test_wait_until (dialog_over, window, WAIT_MS));
  dialog = vmd_test_find_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “disks”?");

  /* The other disk is named, unticked; VmDesk's own is not asked about. */
  text = vmd_test_visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "VmDesk did not make these disks"));
  check = vmd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), ==, other);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_null (strstr (text, "own.qcow2"));
  if (!tick)
    {
      vmd_test_settle ();
      vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-delete-others.png");
    }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), tick);
  adw_message_dialog_response (dialog, "delete");

  g_assert_true (vmd_test_wait_until (machine_gone, connection, WAIT_MS));
  /* The disks go after the definition, which the list follows first. */
  {
    DisksWait wait = { own, other, tick };

    g_assert_true (vmd_test_wait_until (disks_went, &wait, WAIT_MS));
  }
  g_assert_false (g_file_test (own, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS) == !tick);

  gtk_window_destroy (GTK_WINDOW (window));
  virConnectClose (conn);
  vmd_test_remove_tree (dir, NULL);
}

static void
test_delete_keeps_others (void)
{
  delete_machine (FALSE);
}

static void
test_delete_ticked (void)
{
  delete_machine (TRUE);
}

/* An error names what the person named: quotes, ampersands and angle
 * brackets are shown as typed, not read as markup. */
static void
test_error_toast (void)
{
  GtkWidget *window = vmd_test_open_window (app, "test:///default", NULL);

  vmd_window_show_error (VMD_WINDOW (window), "Could not start “a & b <c>”: it is “gone”.");
  g_assert_true (vmd_test_wait_for_text (window, "Could not start “a & b <c>”: it is “gone”."));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
dialog_shown (gpointer data)
{
  return vmd_test_find_dialog (data) != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return vmd_test_find_dialog (data) == NULL;
}

static gboolean
is_saved (gpointer data)
{
  return vmd_machine_get_reason (data) == VMD_MACHINE_REASON_SAVED;
}

/* Quitting with a machine running asks once what becomes of it, Save the
 * default: closing the last window, and Ctrl+Q (app.quit). */
static void
test_quit_asks (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  GtkWidget *window = vmd_test_open_window (app, "test:///default", &connection);
  VmdMachine *machine = vmd_test_wait_for_machine (connection, "test", WAIT_MS);
  AdwMessageDialog *dialog;

  g_assert_nonnull (machine);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_RUNNING);

  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (vmd_test_wait_until (dialog_shown, window, WAIT_MS));
  dialog = vmd_test_find_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Quit With Machines Running?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“test” is running"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "save");
  g_assert_true (adw_message_dialog_has_response (dialog, "leave"));
  g_assert_true (adw_message_dialog_has_response (dialog, "shutdown"));
  g_signal_emit_by_name (vmd_test_find_button (GTK_WIDGET (dialog), "_Cancel"), "clicked");
  g_assert_true (vmd_test_wait_until (no_dialog, window, WAIT_MS));
  g_assert_true (gtk_widget_get_visible (window));
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_RUNNING);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_true (vmd_test_wait_until (dialog_shown, window, WAIT_MS));
  dialog = vmd_test_find_dialog (GTK_WINDOW (window));
  g_signal_emit_by_name (vmd_test_find_button (GTK_WIDGET (dialog), "_Save"), "clicked");
  if (!vmd_test_wait_until (is_saved, machine, WAIT_MS))
    g_error ("not saved: %s", vmd_machine_get_summary (machine));

  /* The test driver's guest as the other tests know it: started again. */
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_START, NULL));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = vmd_test_app_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/window/library", test_library);
  g_test_add_func ("/window/meter-follows-reserve", test_meter_follows_reserve);
  g_test_add_func ("/window/context-menu", test_context_menu);
  g_test_add_func ("/window/empty", test_empty);
  g_test_add_func ("/window/unreachable", test_unreachable);
  g_test_add_func ("/window/properties", test_properties);
  g_test_add_func ("/window/show-checks-budget", test_show_checks_budget);
  g_test_add_func ("/window/delete-keeps-others", test_delete_keeps_others);
  g_test_add_func ("/window/delete-ticked", test_delete_ticked);
  g_test_add_func ("/window/error-toast", test_error_toast);
  /* Last: it asks the application to quit. */
  g_test_add_func ("/window/quit-asks", test_quit_asks);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
