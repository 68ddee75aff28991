/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the tests that show a guest in VmDesk's widgets share. */
#define G_LOG_DOMAIN "vmd-test-gui"

#include "config.h"

#include <unistd.h>

#include <adwaita.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-display-page.h"
#include "vmd-machine.h"
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
