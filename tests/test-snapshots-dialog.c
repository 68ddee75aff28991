/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-snapshots-dialog"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-display-window.h"
#include "vmd-machine.h"
#include "vmd-machine-tile.h"
#include "vmd-snapshots-dialog.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"

/* A machine's snapshots in VmDesk's own window, on libvirt's test driver:
 * opened from the tile's menu, one taken with a name full of quotes and
 * markup, the machine reverted to it, the snapshot deleted. */

static VmdApplication *app;

#define WAIT_MS VMD_TEST_GUI_WAIT_MS
#define LABEL "“a” <b> & c"

/* The snapshots window shown over @parent, if one is. */
static VmdSnapshotsDialog *
find_snapshots_dialog (GtkWindow *parent)
{
  return (VmdSnapshotsDialog *) vmd_test_find_toplevel (VMD_TYPE_SNAPSHOTS_DIALOG, parent);
}

static gboolean
snapshots_dialog_shown (gpointer data)
{
  return find_snapshots_dialog (data) != NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return vmd_test_find_dialog (data) != NULL;
}

static gboolean
no_message_dialog (gpointer data)
{
  return vmd_test_find_dialog (data) == NULL;
}

/* The row's button whose tooltip says @tooltip. */
static GtkWidget *
find_row_button (GtkWidget  *root,
                 const char *tooltip)
{
  g_autoptr(GPtrArray) buttons = vmd_test_find_widgets (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      if (g_strcmp0 (gtk_widget_get_tooltip_text (button), tooltip) == 0 &&
          gtk_widget_is_drawable (button))
        return button;
    }
  return NULL;
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static gboolean
is_running (gpointer data)
{
  return vmd_machine_get_state (data) == VMD_MACHINE_STATE_RUNNING;
}

/* The test driver's own count, not what the window says. */
static int
count_snapshots (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  virDomainPtr dom = virDomainLookupByName (conn, "test");
  int n = virDomainSnapshotNum (dom, 0);

  virDomainFree (dom);
  virConnectClose (conn);
  return n;
}

/* A snapshot taken (@take) or deleted through libvirt, as a script or
 * virsh would. */
static void
snapshot_behind (const char *label,
                 gboolean    take)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  virDomainPtr dom = virDomainLookupByName (conn, "test");
  g_autofree char *xml = g_strdup_printf ("<domainsnapshot><name>%s</name></domainsnapshot>",
                                          label);
  virDomainSnapshotPtr snapshot = take ? virDomainSnapshotCreateXML (dom, xml, 0)
                                       : virDomainSnapshotLookupByName (dom, label, 0);

  g_assert_nonnull (snapshot);
  if (!take)
    g_assert_cmpint (virDomainSnapshotDelete (snapshot, 0), ==, 0);
  virDomainSnapshotFree (snapshot);
  virDomainFree (dom);
  virConnectClose (conn);
}

static gboolean
is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static gboolean
is_inactive (gpointer data)
{
  return !gtk_window_is_active (data);
}

static const char *
visible_page (VmdSnapshotsDialog *dialog)
{
  GtkWidget *stack = vmd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_STACK);

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

/* Answers @response (its button labelled @button) to the confirmation
 * shown over @parent; returns its heading and body, joined by a line
 * break. */
static char *
confirm (GtkWindow  *parent,
         const char *response,
         const char *button)
{
  AdwMessageDialog *message;
  char *text;

  g_assert_true (vmd_test_wait_until (message_dialog_shown, parent, WAIT_MS));
  message = vmd_test_find_dialog (parent);
  g_assert_cmpstr (adw_message_dialog_get_default_response (message), ==, "cancel");
  g_assert_true (adw_message_dialog_has_response (message, response));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (message, response), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  text = g_strdup_printf ("%s\n%s", adw_message_dialog_get_heading (message),
                          adw_message_dialog_get_body (message));
  if (g_str_equal (response, "revert"))
    {
      vmd_test_settle ();
      vmd_test_save_screenshot (GTK_WIDGET (message), "screenshot-snapshots-revert.png");
    }
  /* Its button, as a person clicks it (which also closes it). */
  g_signal_emit_by_name (vmd_test_find_button (GTK_WIDGET (message), button), "clicked");
  g_assert_true (vmd_test_wait_until (no_message_dialog, parent, WAIT_MS));
  return text;
}

static void
test_take_revert_delete (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  GtkWidget *window = vmd_test_open_window (app, "test:///default", &connection);
  VmdMachine *machine = vmd_test_wait_for_machine (connection, "test", WAIT_MS);
  VmdSnapshotsDialog *dialog;
  GtkWidget *item, *entry, *take, *button;
  GtkPopover *menu;
  g_autofree char *text = NULL;
  g_autofree char *asked = NULL;
  const char *name;

  g_assert_nonnull (machine);
  g_assert_true (vmd_test_wait_until (is_running, machine, WAIT_MS));
  g_assert_cmpint (count_snapshots (), ==, 0);
  g_assert_true (vmd_test_wait_for_text (window, "test"));

  /* What a right click, then Snapshots… in the menu, do. */
  menu = vmd_test_popup_tile_menu (window, "test");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "snapshots"));
  item = vmd_test_find_menu_item (GTK_WIDGET (menu), "Snapshots…");
  g_assert_nonnull (item);
  g_signal_emit_by_name (item, "clicked");
  g_assert_true (vmd_test_wait_until (snapshots_dialog_shown, window, WAIT_MS));
  dialog = find_snapshots_dialog (GTK_WINDOW (window));
  g_assert_true (vmd_snapshots_dialog_get_machine (dialog) == machine);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Snapshots of “test”");

  /* None yet: said, with what a snapshot is. */
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "No Snapshots"));
  g_assert_cmpstr (visible_page (dialog), ==, "empty");
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog), "A snapshot keeps the machine"));

  /* The name offered is now's, which a snapshot can be called. */
  entry = vmd_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (entry);
  name = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_assert_cmpstr (name, !=, "");
  g_assert_null (strchr (name, '/'));

  /* Take one with quotes and markup in its name: buttons wait meanwhile. */
  gtk_editable_set_text (GTK_EDITABLE (entry), LABEL);
  take = vmd_test_find_button (GTK_WIDGET (dialog), "_Take Snapshot");
  g_assert_nonnull (take);
  g_assert_true (gtk_widget_is_sensitive (take));
  g_signal_emit_by_name (take, "clicked");
  g_assert_false (gtk_widget_is_sensitive (take));
  text = vmd_test_visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "|Taking the snapshot “" LABEL "”…|"));
  g_clear_pointer (&text, g_free);

  /* Listed by its name as typed, with what it holds. */
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), LABEL));
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog), " · With memory · Current|"));
  g_assert_true (vmd_test_wait_until (is_sensitive, take, WAIT_MS));
  g_assert_cmpstr (visible_page (dialog), ==, "list");
  g_assert_cmpint (count_snapshots (), ==, 1);
  /* A new name is offered for the next one. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), !=, LABEL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), !=, "");

  /* The same name again: refused, said in the window, quotes as typed. */
  gtk_editable_set_text (GTK_EDITABLE (entry), LABEL);
  g_signal_emit_by_name (take, "clicked");
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog),
                                "|Could not take a snapshot of “test”: a snapshot of this name "
                                "exists: give it another name.|"));
  g_assert_true (vmd_test_wait_until (is_sensitive, take, WAIT_MS));
  g_assert_cmpint (count_snapshots (), ==, 1);
  /* No name, no snapshot. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "  ");
  g_assert_false (gtk_widget_is_sensitive (take));
  gtk_editable_set_text (GTK_EDITABLE (entry), "before the revert");
  g_assert_true (gtk_widget_is_sensitive (take));

  vmd_test_settle ();
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-snapshots.png");

  /* Paused since: reverting brings it back running, as it was then. */
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_PAUSE, NULL));
  /* The state comes with libvirt's event, after the call's answer. */
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_PAUSED, WAIT_MS));
  button = find_row_button (GTK_WIDGET (dialog), "Revert to This Snapshot");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  asked = confirm (GTK_WINDOW (dialog), "revert", "_Revert");
  g_assert_true (g_str_has_prefix (asked, "Revert “test” to “" LABEL "”?\n"));
  g_assert_nonnull (strstr (asked, "What “test” runs now is stopped and lost"));
  g_assert_nonnull (strstr (asked, "runs on from where it was"));
  g_assert_true (vmd_test_wait_until (is_running, machine, WAIT_MS));
  g_assert_true (vmd_test_wait_until (is_sensitive, take, WAIT_MS));
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), LABEL));
  /* The error before is gone with the operation that went well. */
  text = vmd_test_visible_text (GTK_WIDGET (dialog));
  g_assert_null (strstr (text, "a snapshot of this name exists"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (count_snapshots (), ==, 1);
  g_clear_pointer (&asked, g_free);

  /* Deleted: the machine stays as it is, and the list is empty again. */
  button = find_row_button (GTK_WIDGET (dialog), "Delete Snapshot");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  asked = confirm (GTK_WINDOW (dialog), "delete", "_Delete");
  g_assert_true (g_str_has_prefix (asked, "Delete snapshot “" LABEL "”?\n"));
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "No Snapshots"));
  g_assert_cmpstr (visible_page (dialog), ==, "empty");
  g_assert_cmpint (count_snapshots (), ==, 0);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_RUNNING);
  text = vmd_test_visible_text (GTK_WIDGET (dialog));
  g_assert_null (strstr (text, LABEL));

  vmd_test_settle ();
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-snapshots-empty.png");

  /* Taken behind the window's back while the person was elsewhere: listed
   * when the window is in front again. */
  {
    GtkWidget *elsewhere = gtk_window_new ();

    gtk_window_set_title (GTK_WINDOW (elsewhere), "a terminal");
    gtk_window_present (GTK_WINDOW (elsewhere));
    g_assert_true (vmd_test_wait_until (is_inactive, dialog, WAIT_MS));
    snapshot_behind ("from a script", TRUE);
    gtk_window_present (GTK_WINDOW (dialog));
    g_assert_true (vmd_test_wait_until (is_active, dialog, WAIT_MS));
    g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "from a script"));
    g_assert_cmpstr (visible_page (dialog), ==, "list");
    gtk_window_destroy (GTK_WINDOW (elsewhere));
    snapshot_behind ("from a script", FALSE);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A guest's own window has the action too, for its screen's menu. */
static void
test_display_window (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  GtkWidget *window = vmd_test_open_window (app, "test:///default", &connection);
  VmdMachine *machine = vmd_test_wait_for_machine (connection, "test", WAIT_MS);
  VmdDisplayWindow *own;

  g_assert_nonnull (machine);
  own = vmd_display_window_new (GTK_APPLICATION (app), connection, machine);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (own), "snapshots"));
  g_action_group_activate_action (G_ACTION_GROUP (own), "snapshots", NULL);
  g_assert_true (vmd_test_wait_until (snapshots_dialog_shown, own, WAIT_MS));
  g_assert_true (vmd_snapshots_dialog_get_machine (find_snapshots_dialog (GTK_WINDOW (own))) ==
                 machine);
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (find_snapshots_dialog (GTK_WINDOW (own))),
                                         "No Snapshots"));

  gtk_window_destroy (GTK_WINDOW (find_snapshots_dialog (GTK_WINDOW (own))));
  gtk_window_destroy (GTK_WINDOW (own));
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

  g_test_add_func ("/snapshots-dialog/take-revert-delete", test_take_revert_delete);
  g_test_add_func ("/snapshots-dialog/display-window", test_display_window);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
