/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-create-dialog.h"
#include "vmd-iso-fixtures.h"
#include "vmd-host.h"
#include "vmd-properties-dialog.h"
#include "vmd-machine.h"
#include "vmd-machine-tile.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

/* The main window under a real X server (Xvfb), on libvirt's test driver. */

static VmdApplication *app;

#define WAIT_MS 5000

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

static GPtrArray *
find_widgets (GtkWidget *root,
              GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  find_widget_cb (root, type, found);
  return found;
}

/* Every label a person can read inside @root, joined by '|'. */
static char *
visible_text (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = find_widgets (root, GTK_TYPE_LABEL);
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
} TextWait;

static gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *text = visible_text (wait->root);
  g_autofree char *needle = g_strdup_printf ("|%s|", wait->text);

  return strstr (text, needle) != NULL;
}

static gboolean
wait_for_text (GtkWidget  *root,
               const char *text)
{
  TextWait wait = { root, text };

  if (vmd_test_wait_until (shows_text, &wait, WAIT_MS))
    return TRUE;

  {
    g_autofree char *all = visible_text (root);
    g_test_message ("Waited for “%s”, window shows: %s", text, all);
  }
  return FALSE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
settle (void)
{
  vmd_test_wait_until (never, NULL, 300);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_mapped (data);
}

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *dir = g_getenv ("VMD_BUILD_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int width, height;

  g_assert_true (vmd_test_wait_until (has_size, window, WAIT_MS));
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
      settle ();
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  path = g_build_filename (dir ? dir : ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

static GtkWidget *
open_window (const char     *uri,
             VmdConnection **out_connection)
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

static const char *
visible_page (GtkWidget *window)
{
  g_autoptr(GPtrArray) stacks = find_widgets (window, GTK_TYPE_STACK);

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
  g_autoptr(GPtrArray) spinners = find_widgets (window, GTK_TYPE_SPINNER);
  guint hidden = 0;

  for (guint i = 0; i < spinners->len; i++)
    {
      GtkWidget *spinner = g_ptr_array_index (spinners, i);

      hidden += gtk_spinner_get_spinning (GTK_SPINNER (spinner)) && !gtk_widget_get_mapped (spinner);
    }
  return hidden;
}

static GtkWidget *
find_tile (GtkWidget  *window,
           const char *name)
{
  g_autoptr(GPtrArray) tiles = find_widgets (window, VMD_TYPE_MACHINE_TILE);

  for (guint i = 0; i < tiles->len; i++)
    {
      VmdMachine *machine = vmd_machine_tile_get_machine (g_ptr_array_index (tiles, i));

      if (machine != NULL && g_strcmp0 (vmd_machine_get_name (machine), name) == 0)
        return g_ptr_array_index (tiles, i);
    }
  return NULL;
}

/* The entry of an open popover menu that people read as @label. */
static GtkWidget *
find_menu_item (GtkWidget  *popover,
                const char *label)
{
  g_autoptr(GPtrArray) widgets = find_widgets (popover, GTK_TYPE_WIDGET);

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
  GtkWidget *window = open_window ("test:///default", NULL);

  g_assert_true (wait_for_text (window, "test"));
  g_assert_true (wait_for_text (window, "Running"));
  g_assert_true (wait_for_text (window, "Unknown system"));
  g_assert_cmpstr (visible_page (window), ==, "library");
  g_assert_cmpuint (hidden_spinners (window), ==, 0);
  g_assert_nonnull (find_tile (window, "test"));

  settle ();
  save_screenshot (window, "screenshot-library.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_context_menu (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  GtkWidget *window = open_window ("test:///default", &connection);
  GtkWidget *tile, *item;
  GtkPopover *menu;

  g_assert_true (wait_for_text (window, "Running"));
  tile = find_tile (window, "test");
  g_assert_nonnull (tile);

  /* What a right click does: select the guest and open its menu. */
  vmd_machine_tile_popup_menu (VMD_MACHINE_TILE (tile), 20, 20);
  menu = vmd_machine_tile_get_menu (VMD_MACHINE_TILE (tile));
  settle ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));

  /* A running guest offers Pause and Shut Down, not Start or Resume. */
  g_assert_nonnull (find_menu_item (GTK_WIDGET (menu), "Pause"));
  g_assert_nonnull (find_menu_item (GTK_WIDGET (menu), "Shut Down"));
  g_assert_null (find_menu_item (GTK_WIDGET (menu), "Start"));
  g_assert_null (find_menu_item (GTK_WIDGET (menu), "Resume"));

  item = find_menu_item (GTK_WIDGET (menu), "Pause");
  g_signal_emit_by_name (item, "clicked");
  g_assert_true (wait_for_text (window, "Paused"));
  g_assert_cmpint (vmd_machine_get_state (vmd_connection_find_machine_by_name (connection, "test")),
                   ==, VMD_MACHINE_STATE_PAUSED);

  /* The window's actions follow the state. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "pause"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "resume"));

  /* And the keyboard path: the same action as Ctrl+Shift+R. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "resume", NULL);
  g_assert_true (wait_for_text (window, "Running"));

  gtk_window_destroy (GTK_WINDOW (window));
  restore_test_guest ();
}

static void
test_empty (void)
{
  const char *data = g_getenv ("VMD_TEST_DATA");
  g_autofree char *uri = g_strdup_printf ("test://%s/empty-host.xml", data);
  GtkWidget *window = open_window (uri, NULL);

  g_assert_true (wait_for_text (window, "No Machines Yet"));
  g_assert_cmpstr (visible_page (window), ==, "empty");
  g_assert_cmpuint (hidden_spinners (window), ==, 0);
  g_assert_null (find_tile (window, "test"));

  settle ();
  save_screenshot (window, "screenshot-empty.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unreachable (void)
{
  GtkWidget *window = open_window ("test:///no/such/host.xml", NULL);

  g_assert_true (wait_for_text (window, "Cannot Reach the Virtualization Service"));
  g_assert_cmpstr (visible_page (window), ==, "unreachable");
  g_assert_cmpuint (hidden_spinners (window), ==, 0);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "reconnect"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));

  settle ();
  save_screenshot (window, "screenshot-unreachable.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static VmdCreateDialog *
find_create_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (VMD_IS_CREATE_DIALOG (window))
        return VMD_CREATE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_left_identifying (gpointer data)
{
  VmdCreateDialog *dialog = find_create_dialog ();

  return dialog != NULL && !g_str_equal (vmd_create_dialog_get_page (dialog), "identifying");
}

/* A Debian 11 installer dropped on VmDesk's window on the test driver:
 * the create dialog on its review page. */
static VmdCreateDialog *
drop_debian (const char  *dir,
             GtkWidget  **out_window)
{
  g_autoptr(GError) error = NULL;
  VmdTestIso iso = { .volume_id = "Debian 11.6.0 amd64 n", .with_files = TRUE };
  g_autofree char *path = vmd_test_make_iso (dir, "debian-11.6.0-amd64-netinst.iso", &iso, &error);
  VmdCreateDialog *dialog;

  g_assert_no_error (error);
  *out_window = open_window ("test:///default", NULL);
  g_assert_true (wait_for_text (*out_window, "test"));

  vmd_test_drop_file (*out_window, path);
  g_assert_true (vmd_test_wait_until (dialog_left_identifying, NULL, 30000));
  dialog = find_create_dialog ();
  g_assert_cmpstr (vmd_create_dialog_get_page (dialog), ==, "review");
  return dialog;
}

static void
test_drop_iso (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-drop-XXXXXX", &error);
  g_autofree char *text = NULL;
  GtkWidget *window;
  VmdCreateDialog *dialog;

  g_assert_no_error (error);
  dialog = drop_debian (dir, &window);
  g_assert_cmpstr (vmd_create_dialog_get_os_label (dialog), ==, "Debian 11");
  g_assert_true (wait_for_text (GTK_WIDGET (dialog), "Debian 11"));

  /* The verdict, with numbers, is on the page before anything is created. */
  text = visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (vmd_create_dialog_get_message (dialog), "of memory"));
  g_assert_nonnull (strstr (text, "This Computer"));

  settle ();
  save_screenshot (GTK_WIDGET (dialog), "screenshot-review.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  vmd_test_remove_tree (dir, NULL);
}

static void
test_drop_not_iso (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-drop-XXXXXX", &error);
  g_autofree char *path = vmd_test_make_text_file (dir, "holiday-photos.iso", &error);
  GtkWidget *window;
  VmdCreateDialog *dialog;

  g_assert_no_error (error);
  window = open_window ("test:///default", NULL);
  vmd_test_drop_file (window, path);
  g_assert_true (vmd_test_wait_until (dialog_left_identifying, NULL, 30000));
  dialog = find_create_dialog ();

  /* A clear message in the window; nothing else happens. */
  g_assert_cmpstr (vmd_create_dialog_get_page (dialog), ==, "error");
  g_assert_nonnull (strstr (vmd_create_dialog_get_message (dialog),
                            "“holiday-photos.iso” is not an installer image"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  vmd_test_remove_tree (dir, NULL);
}

/* Names are checked as they are typed, with the reason under the field;
 * Create waits for a name the machine can have. */
static void
test_create_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-name-XXXXXX", &error);
  g_autofree char *too_long = g_strnfill (300, 'x');
  const struct { const char *typed, *reason; } cases[] = {
    { "", "Give the machine a name." },
    { "   ", "Give the machine a name." },
    { "../../etc/x", "A name cannot contain “/”." },
    { "..", "A name cannot start with “.”." },
    { "two\nlines", "A name cannot contain line breaks, tabs or other invisible characters." },
    { too_long, "The name is too long: keep it to 100 characters." },
    { "test", "A machine with this name exists already." },
    { " test  ", "A machine with this name exists already." },
  };
  GtkWidget *window, *name_row, *create;
  VmdCreateDialog *dialog;

  g_assert_no_error (error);
  dialog = drop_debian (dir, &window);
  name_row = vmd_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  create = vmd_test_find_button (GTK_WIDGET (dialog), "C_reate");
  g_assert_nonnull (name_row);
  g_assert_nonnull (create);
  g_assert_true (gtk_widget_get_sensitive (create));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (name_row), cases[i].typed);
      g_assert_true (wait_for_text (GTK_WIDGET (dialog), cases[i].reason));
      g_assert_false (gtk_widget_get_sensitive (create));
      g_assert_true (gtk_widget_has_css_class (name_row, "error"));
      if (i == 2)
        {
          settle ();
          save_screenshot (GTK_WIDGET (dialog), "screenshot-name-refused.png");
        }
    }

  /* Spaces around a good name are not part of it. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "  My   Debian ");
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  {
    g_autofree char *text = visible_text (GTK_WIDGET (dialog));

    g_assert_null (strstr (text, "A name cannot"));
    g_assert_null (strstr (text, "exists already"));
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  vmd_test_remove_tree (dir, NULL);
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

/* Properties: the verdict follows the values; past the host it takes a
 * confirmation; saving reaches the guest's definition. */
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

  /* 24 GiB on a 16 GiB host: "over", and Save waits for a confirmation. */
  vmd_properties_dialog_set_values (dialog, G_GUINT64_CONSTANT (24) << 30, 2);
  g_assert_nonnull (strstr (vmd_properties_dialog_get_verdict (dialog), "more than the"));
  {
    /* The header bar's buttons come first: Cancel, then Save. */
    g_autoptr(GPtrArray) buttons = find_widgets (GTK_WIDGET (dialog), GTK_TYPE_BUTTON);

    save = g_ptr_array_index (buttons, 1);
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "_Save");
    g_assert_false (gtk_widget_get_sensitive (save));
  }

  vmd_properties_dialog_set_values (dialog, G_GUINT64_CONSTANT (1) << 30, 2);
  g_assert_nonnull (strstr (vmd_properties_dialog_get_verdict (dialog), "leaving"));

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  vmd_properties_dialog_save (dialog);
  g_assert_true (vmd_test_wait_until (window_gone, &weak, WAIT_MS));
  g_assert_true (vmd_test_wait_until (memory_is_one_gib, machine, WAIT_MS));
  g_assert_cmpuint (vmd_machine_get_vcpus (machine), ==, 2);

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
  GtkWidget *window = open_window ("test:///default", &connection);
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
  g_assert_true (wait_for_text (window, "“shown” Is Not Running"));
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_SHUT_OFF);

  g_settings_reset (settings, "host-reserve");
  gtk_window_destroy (GTK_WINDOW (window));
  virDomainUndefine (dom);
  virDomainFree (dom);
  virConnectClose (other);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  g_autoptr(GSettings) settings = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Icons and fonts come from the system's data dirs. */
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("No display: run under Xvfb (build-aux/dev.sh test does)");
      return g_test_run ();
    }
  /* A registered application, as in real use: its style sheet, accels and
   * the window's menus all come from it. Its own connection goes to the
   * test driver too. */
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "uri", "test:///default");
  app = vmd_application_new ();
  /* Screenshots of pages, not of cross-fades between them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/window/library", test_library);
  g_test_add_func ("/window/context-menu", test_context_menu);
  g_test_add_func ("/window/empty", test_empty);
  g_test_add_func ("/window/unreachable", test_unreachable);
  g_test_add_func ("/window/drop-iso", test_drop_iso);
  g_test_add_func ("/window/drop-not-iso", test_drop_not_iso);
  g_test_add_func ("/window/create-name", test_create_name);
  g_test_add_func ("/window/properties", test_properties);
  g_test_add_func ("/window/show-checks-budget", test_show_checks_budget);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
