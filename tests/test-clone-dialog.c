/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-clone-dialog"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "vmd-application.h"
#include "vmd-clone-dialog.h"
#include "vmd-connection.h"
#include "vmd-display-window.h"
#include "vmd-engine.h"
#include "vmd-machine.h"
#include "vmd-machine-tile.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"

/* Clone in VmDesk's own window, on libvirt's test driver: opened from the
 * tile's menu over a machine that runs (Clone waits, and says why), the
 * machine forced off (Clone may go), names checked as typed, then the copy.
 * test:///default cannot copy its machine's disk (it is in no storage
 * pool, and the test driver copies a volume only within its own pool): the
 * engine's refusal is shown in the window, and another try is possible. A
 * node of the test's own has the machine's disk in VmDesk's pool, where the
 * copy is made: it shows up in the library, selected, and the window
 * closes. */

static VmdApplication *app;

#define WAIT_MS VMD_TEST_GUI_WAIT_MS
#define NAME "“x” <y> & z"

/* The clone window shown over @parent, if one is. */
static VmdCloneDialog *
find_clone_dialog (GtkWindow *parent)
{
  return (VmdCloneDialog *) vmd_test_find_toplevel (VMD_TYPE_CLONE_DIALOG, parent);
}

static gboolean
clone_dialog_shown (gpointer data)
{
  return find_clone_dialog (data) != NULL;
}

static gboolean
no_clone_dialog (gpointer data)
{
  return find_clone_dialog (data) == NULL;
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

static gboolean
is_off (gpointer data)
{
  return vmd_machine_get_state (data) == VMD_MACHINE_STATE_SHUT_OFF;
}

static gboolean
shows (GtkWidget  *root,
       const char *part)
{
  g_autofree char *text = vmd_test_visible_text (root);

  return strstr (text, part) != NULL;
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

/* What the progress bar said, in order, each once. */
static void
on_progress_text (GtkProgressBar *bar,
                  GParamSpec     *pspec,
                  GPtrArray      *texts)
{
  const char *text = gtk_progress_bar_get_text (bar);

  if (text != NULL && *text != '\0' &&
      (texts->len == 0 || g_strcmp0 (g_ptr_array_index (texts, texts->len - 1), text) != 0))
    g_ptr_array_add (texts, g_strdup (text));
}

static gboolean
has_text (GPtrArray  *texts,
          const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}

/* Opens Clone… from the tile's menu, as a right click and the item do. */
static VmdCloneDialog *
open_from_tile (GtkWidget  *window,
                VmdMachine *machine)
{
  GtkWidget *item;
  GtkPopover *menu;
  VmdCloneDialog *dialog;

  g_assert_true (vmd_test_wait_for_text (window, vmd_machine_get_name (machine)));
  menu = vmd_test_popup_tile_menu (window, vmd_machine_get_name (machine));
  /* Enabled while the machine runs: the window says what to do. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clone"));
  item = vmd_test_find_menu_item (GTK_WIDGET (menu), "Clone…");
  g_assert_nonnull (item);
  g_signal_emit_by_name (item, "clicked");
  g_assert_true (vmd_test_wait_until (clone_dialog_shown, window, WAIT_MS));
  dialog = find_clone_dialog (GTK_WINDOW (window));
  g_assert_true (vmd_clone_dialog_get_machine (dialog) == machine);
  return dialog;
}

/* The dialog over the running machine "test": Clone waits and says why;
 * forced off by the window's action, Clone may go; names checked as they
 * are typed. Returns Clone, sensitive, with NAME typed. */
static GtkWidget *
check_until_ready (GtkWidget      *window,
                   VmdCloneDialog *dialog,
                   VmdMachine     *machine,
                   const char     *offered,
                   const char     *screenshot)
{
  GtkWidget *entry, *clone, *cancel;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Clone “test”");
  entry = vmd_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  clone = vmd_test_find_button (GTK_WIDGET (dialog), "C_lone");
  cancel = vmd_test_find_button (GTK_WIDGET (dialog), "_Cancel");
  g_assert_nonnull (entry);
  g_assert_nonnull (clone);
  g_assert_nonnull (cancel);
  g_assert_true (gtk_widget_has_css_class (clone, "suggested-action"));

  /* A free name is offered, where typing goes. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, offered);
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)), entry));
  g_assert_false (shows (GTK_WIDGET (dialog), "exists already"));
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog), "a full, independent machine"));
  g_assert_true (shows (GTK_WIDGET (dialog), "disks and its UEFI settings are copied"));

  /* Running: Clone waits, and the window says why. */
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "Shut the machine down to clone it."));
  g_assert_false (gtk_widget_is_sensitive (clone));
  g_assert_true (gtk_widget_is_sensitive (cancel));
  if (screenshot != NULL)
    {
      vmd_test_settle ();
      vmd_test_save_screenshot (GTK_WIDGET (dialog), screenshot);
    }

  /* Forced off by the window's action, as its menu does: Clone may go. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "force-off"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "force-off", NULL);
  g_assert_true (vmd_test_wait_until (is_off, machine, WAIT_MS));
  g_assert_true (vmd_test_wait_until (is_sensitive, clone, WAIT_MS));
  g_assert_false (shows (GTK_WIDGET (dialog), "Shut the machine down"));

  /* A name taken: the reason under the field, Clone waits. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "test");
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog),
                                         "A machine with this name exists already."));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (gtk_widget_is_sensitive (clone));
  /* Spaces around a taken name make no other name. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "  test ");
  g_assert_false (gtk_widget_is_sensitive (clone));
  /* No name, no copy. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "Give the machine a name."));
  g_assert_false (gtk_widget_is_sensitive (clone));
  gtk_editable_set_text (GTK_EDITABLE (entry), "a/b");
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "A name cannot contain “/”."));
  g_assert_false (gtk_widget_is_sensitive (clone));

  /* Quotes and markup: a name like any other, shown as typed. */
  gtk_editable_set_text (GTK_EDITABLE (entry), NAME);
  g_assert_true (gtk_widget_is_sensitive (clone));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (shows (GTK_WIDGET (dialog), "exists already"));
  return clone;
}

/* test:///default: its machine's disk cannot be copied there; what the
 * engine says is shown whole in the window, which stays for another try. */
static void
test_refused (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  GtkWidget *window = vmd_test_open_window (app, "test:///default", &connection);
  VmdMachine *machine = vmd_test_wait_for_machine (connection, "test", WAIT_MS);
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  VmdCloneDialog *dialog;
  GtkWidget *clone, *cancel, *entry, *bar;
  MachineWait copy_wait;
  guint n;

  g_assert_nonnull (machine);
  g_assert_true (vmd_test_wait_until (is_running, machine, WAIT_MS));
  n = g_list_model_get_n_items (vmd_connection_get_machines (connection));
  dialog = open_from_tile (window, machine);
  clone = check_until_ready (window, dialog, machine, "test (copy)",
                             "screenshot-clone-running.png");
  cancel = vmd_test_find_button (GTK_WIDGET (dialog), "_Cancel");
  entry = vmd_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  bar = vmd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_PROGRESS_BAR);
  g_assert_nonnull (bar);
  g_assert_false (gtk_widget_get_visible (bar));
  g_signal_connect (bar, "notify::text", G_CALLBACK (on_progress_text), steps);

  /* While it runs: nothing to click, the progress in view. */
  g_signal_emit_by_name (clone, "clicked");
  g_assert_true (vmd_clone_dialog_get_running (dialog));
  g_assert_false (gtk_widget_is_sensitive (clone));
  g_assert_false (gtk_widget_is_sensitive (cancel));
  g_assert_false (gtk_widget_is_sensitive (entry));
  g_assert_true (gtk_widget_get_visible (bar));
  /* Closing waits for the end too. */
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (find_clone_dialog (GTK_WINDOW (window)) == dialog);

  /* Refused, whole, in the window; the name as typed. */
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog),
                                "|Could not clone “test”: its disk /guest/diskimage1 is in no "
                                "storage pool, and VmDesk copies disks through them.|"));
  g_assert_false (vmd_clone_dialog_get_running (dialog));
  g_assert_true (has_text (steps, "Checking the disks…"));
  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, n);
  copy_wait = (MachineWait) { connection, NAME };
  g_assert_false (machine_listed (&copy_wait));

  /* Another try may be made: everything is back. */
  g_assert_true (gtk_widget_is_sensitive (clone));
  g_assert_true (gtk_widget_is_sensitive (cancel));
  g_assert_true (gtk_widget_is_sensitive (entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, NAME);
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)), entry));
  vmd_test_settle ();
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-clone-refused.png");

  /* Started again meanwhile: Clone waits again. */
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_START, NULL));
  g_assert_true (vmd_test_wait_until (is_running, machine, WAIT_MS));
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "Shut the machine down to clone it."));
  g_assert_false (gtk_widget_is_sensitive (clone));

  /* Cancel closes it. */
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_true (vmd_test_wait_until (no_clone_dialog, window, WAIT_MS));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A node like test:///default's, whose machine "test" runs with its disk
 * in VmDesk's pool: there the test driver copies it. A machine that is off
 * has the first name a copy would be offered. */
static char *
make_node (void)
{
  g_autofree char *images = vmd_engine_dup_images_dir ();
  g_autofree char *xml = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "node.xml", NULL);
  g_autoptr(GError) error = NULL;

  xml = g_strdup_printf (
    "<node>\n"
    "  <domain type='test'>\n"
    "    <name>test</name><memory unit='MiB'>1024</memory><vcpu>2</vcpu>\n"
    "    <os><type>hvm</type></os>\n"
    "    <devices>\n"
    "      <disk type='file' device='disk'>\n"
    "        <driver name='qemu' type='qcow2'/>\n"
    "        <source file='%s/test.qcow2'/><target dev='vda' bus='virtio'/>\n"
    "      </disk>\n"
    "    </devices>\n"
    "  </domain>\n"
    "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    "    <name>test (copy)</name><memory unit='MiB'>512</memory><vcpu>1</vcpu>\n"
    "    <os><type>hvm</type></os>\n"
    "    <test:runstate>5</test:runstate>\n"
    "  </domain>\n"
    "  <pool type='dir'>\n"
    "    <name>vmdesk</name>\n"
    "    <target><path>%s</path></target>\n"
    "    <volume type='file'>\n"
    "      <name>test.qcow2</name>\n"
    "      <capacity unit='GiB'>2</capacity><allocation unit='MiB'>300</allocation>\n"
    "      <target><path>%s/test.qcow2</path><format type='qcow2'/></target>\n"
    "    </volume>\n"
    "  </pool>\n"
    "</node>\n",
    images, images, images);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, xml, -1, &error));
  g_assert_no_error (error);
  return g_strconcat ("test://", path, NULL);
}

static VmdMachine *
selected_machine (GtkWidget *window)
{
  GtkWidget *grid = vmd_test_find_widget (window, GTK_TYPE_GRID_VIEW);

  g_assert_nonnull (grid);
  return gtk_single_selection_get_selected_item (
    GTK_SINGLE_SELECTION (gtk_grid_view_get_model (GTK_GRID_VIEW (grid))));
}

static void
test_clone (void)
{
  g_autofree char *uri = make_node ();
  g_autoptr(VmdConnection) connection = NULL;
  GtkWidget *window = vmd_test_open_window (app, uri, &connection);
  VmdMachine *machine = vmd_test_wait_for_machine (connection, "test", WAIT_MS);
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  VmdCloneDialog *dialog;
  VmdMachine *copy;
  GtkWidget *clone, *bar;
  MachineWait copy_wait;
  guint n;

  g_assert_nonnull (machine);
  g_assert_true (vmd_test_wait_until (is_running, machine, WAIT_MS));
  n = g_list_model_get_n_items (vmd_connection_get_machines (connection));
  dialog = open_from_tile (window, machine);
  /* Kept while it is looked at. */
  g_object_ref (dialog);
  /* "test (copy)" is taken there. */
  clone = check_until_ready (window, dialog, machine, "test (copy 2)", NULL);
  bar = vmd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_PROGRESS_BAR);
  g_signal_connect (bar, "notify::text", G_CALLBACK (on_progress_text), steps);
  vmd_test_settle ();
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-clone.png");

  g_signal_emit_by_name (clone, "clicked");
  g_assert_false (gtk_widget_is_sensitive (clone));

  /* The copy, in the connection's model, the window closed. */
  copy_wait = (MachineWait) { connection, NAME };
  g_assert_true (vmd_test_wait_until (machine_listed, &copy_wait, WAIT_MS));
  g_assert_true (vmd_test_wait_until (no_clone_dialog, window, WAIT_MS));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, n + 1);
  copy = vmd_connection_find_machine_by_name (connection, NAME);
  g_assert_true (copy != machine);
  g_assert_cmpstr (vmd_machine_get_uuid (copy), !=, vmd_machine_get_uuid (machine));
  g_assert_cmpint (vmd_machine_get_state (copy), ==, VMD_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpuint (vmd_machine_get_memory (copy), ==, vmd_machine_get_memory (machine));
  g_assert_true (has_text (steps, "Copying the disks…"));
  g_object_unref (dialog);

  /* Selected in the library, said as typed. */
  g_assert_true (selected_machine (window) == copy);
  g_assert_true (vmd_test_wait_for_text (window, "“" NAME "” is ready"));
  g_assert_true (vmd_test_wait_for_text (window, NAME));
  vmd_test_settle ();
  vmd_test_save_screenshot (window, "screenshot-clone-done.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether @model, or a section or submenu of it, has an item for
 * @action. */
static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *linked;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
      while (g_menu_link_iter_get_next (links, NULL, &linked))
        {
          gboolean found = menu_has_action (linked, action);

          g_object_unref (linked);
          if (found)
            return TRUE;
        }
    }
  return FALSE;
}

/* Whether one of the menu buttons under @root offers @action. */
static gboolean
menus_have_action (GtkWidget  *root,
                   const char *action)
{
  g_autoptr(GPtrArray) buttons = vmd_test_find_widgets (root, GTK_TYPE_MENU_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GMenuModel *model = gtk_menu_button_get_menu_model (g_ptr_array_index (buttons, i));

      if (model != NULL && menu_has_action (model, action))
        return TRUE;
    }
  return FALSE;
}

/* A guest's own window has the action too, for its screen's menu. */
static void
test_display_window (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  GtkWidget *window = vmd_test_open_window (app, "test:///default", &connection);
  VmdMachine *machine = vmd_test_wait_for_machine (connection, "test", WAIT_MS);
  VmdDisplayWindow *own;
  VmdCloneDialog *dialog;

  g_assert_nonnull (machine);
  own = vmd_display_window_new (GTK_APPLICATION (app), connection, machine);
  /* In the screen's menu, beside Snapshots. */
  g_assert_true (menus_have_action (GTK_WIDGET (own), "win.snapshots"));
  g_assert_true (menus_have_action (GTK_WIDGET (own), "win.clone"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (own), "clone"));
  g_action_group_activate_action (G_ACTION_GROUP (own), "clone", NULL);
  g_assert_true (vmd_test_wait_until (clone_dialog_shown, own, WAIT_MS));
  dialog = find_clone_dialog (GTK_WINDOW (own));
  g_assert_true (vmd_clone_dialog_get_machine (dialog) == machine);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Clone “test”");

  gtk_window_destroy (GTK_WINDOW (dialog));
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

  g_test_add_func ("/clone-dialog/refused", test_refused);
  g_test_add_func ("/clone-dialog/clone", test_clone);
  g_test_add_func ("/clone-dialog/display-window", test_display_window);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
