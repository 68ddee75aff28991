/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-display-window"

#include "config.h"

#include <adwaita.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-display-page.h"
#include "vmd-display-window.h"
#include "vmd-machine.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

/* A guest in a window of its own ("Open in New Window"), on libvirt's test
 * driver, in VmDesk's registered application. tests/with-wm.sh gives it an
 * X server with a window manager: full screen is the window manager's to
 * grant. Keys are real X events (xdotool), through GTK's accelerators. */

#define WAIT_MS 10000
#define NAME    "own window"
#define RENAMED "own window renamed"

static VmdApplication *app;
static VmdConnection *connection;

static gboolean
is_fullscreen (gpointer data)
{
  return gtk_window_is_fullscreen (data);
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !gtk_window_is_fullscreen (data);
}

static gboolean
has_title (gpointer data)
{
  return g_strcmp0 (gtk_window_get_title (data), RENAMED) == 0;
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

typedef struct
{
  VmdMachine *machine;
  int         state;
} StateWait;

static gboolean
in_state (gpointer data)
{
  StateWait *wait = data;

  return (int) vmd_machine_get_state (wait->machine) == wait->state;
}

static gboolean
dialog_shown (gpointer data)
{
  return vmd_test_find_dialog (data) != NULL;
}

/* Everything the main window's screen does, in the guest's own window. */
static void
test_own_window (void)
{
  virConnectPtr other = virConnectOpen ("test:///default");
  virDomainPtr dom = virDomainDefineXML (other, "<domain type='test'><name>" NAME "</name>"
                                                "<memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                                                "<os><type>hvm</type></os></domain>");
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  VmdWindow *main_window = vmd_window_new (app, connection);
  GtkWidget *main_page, *header, *start;
  VmdDisplayWindow *window;
  AdwMessageDialog *dialog;
  VmdMachine *machine;
  StateWait state;
  gpointer weak;

  g_assert_nonnull (dom);
  machine = vmd_test_wait_for_machine (connection, NAME, WAIT_MS);
  g_assert_nonnull (machine);
  state.machine = machine;

  /* The main window's screen, then Open in New Window from its menu. */
  gtk_window_present (GTK_WINDOW (main_window));
  vmd_window_show_machine (main_window, machine);
  main_page = vmd_test_find_widget (GTK_WIDGET (main_window), VMD_TYPE_DISPLAY_PAGE);
  g_assert_true (gtk_widget_activate_action (main_page, "page.new-window", NULL));
  window = vmd_display_window_find (GTK_APPLICATION (app), machine);
  g_assert_nonnull (window);
  g_assert_null (vmd_display_page_get_machine (VMD_DISPLAY_PAGE (main_page)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, NAME);
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);

  /* Its title follows the guest's name. */
  g_assert_cmpint (virDomainRename (dom, RENAMED, 0), ==, 0);
  g_assert_true (vmd_test_wait_until (has_title, window, WAIT_MS));

  /* F11, the application's accelerator: full screen, the header gone;
   * F11 again: back. */
  header = vmd_test_find_widget (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  if (g_getenv ("VMD_TEST_WM") == NULL)
    g_test_message ("No window manager (run through tests/with-wm.sh): full screen not tested");
  else
    {
      vmd_test_press (RENAMED, "F11");
      g_assert_true (vmd_test_wait_until (is_fullscreen, window, WAIT_MS));
      g_assert_false (gtk_widget_get_visible (header));
      vmd_test_press (RENAMED, "F11");
      g_assert_true (vmd_test_wait_until (is_not_fullscreen, window, WAIT_MS));
      g_assert_true (gtk_widget_get_visible (header));
    }

  /* Start, with memory tight: first the budget's question, in this window. */
  vmd_test_make_memory_tight (connection);
  start = vmd_test_find_button (GTK_WIDGET (window), "_Start");
  g_assert_nonnull (start);
  g_assert_true (gtk_widget_get_visible (start));
  g_signal_emit_by_name (start, "clicked");
  g_assert_true (vmd_test_wait_until (dialog_shown, window, WAIT_MS));
  dialog = vmd_test_find_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Memory Is Tight for “" RENAMED "”");
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_SHUT_OFF);
  g_signal_emit_by_name (vmd_test_find_button (GTK_WIDGET (dialog), "_Start Anyway"), "clicked");
  state.state = VMD_MACHINE_STATE_RUNNING;
  g_assert_true (vmd_test_wait_until (in_state, &state, WAIT_MS));
  g_settings_reset (settings, "host-reserve");

  /* Pause, resume, force off: the main window's keys. */
  vmd_test_press (RENAMED, "ctrl+p");
  state.state = VMD_MACHINE_STATE_PAUSED;
  g_assert_true (vmd_test_wait_until (in_state, &state, WAIT_MS));
  vmd_test_press (RENAMED, "ctrl+shift+r");
  state.state = VMD_MACHINE_STATE_RUNNING;
  g_assert_true (vmd_test_wait_until (in_state, &state, WAIT_MS));
  vmd_test_press (RENAMED, "ctrl+shift+e");
  state.state = VMD_MACHINE_STATE_SHUT_OFF;
  g_assert_true (vmd_test_wait_until (in_state, &state, WAIT_MS));

  /* Deleted elsewhere: the window closes. */
  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  g_assert_true (vmd_test_wait_until (window_gone, &weak, WAIT_MS));

  gtk_window_destroy (GTK_WINDOW (main_window));
  virDomainFree (dom);
  virConnectClose (other);
}

/* Back, the header's arrow: the window closes; the guest in it was shown
 * there, not again in the main window. */
static void
test_back_closes (void)
{
  VmdWindow *main_window = vmd_window_new (app, connection);
  VmdDisplayWindow *window;
  VmdMachine *machine;
  GtkWidget *main_page;
  gpointer weak;

  machine = vmd_test_wait_for_machine (connection, "test", WAIT_MS);
  window = vmd_display_window_new (GTK_APPLICATION (app), connection, machine);
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (main_window));

  vmd_window_show_machine (main_window, machine);
  main_page = vmd_test_find_widget (GTK_WIDGET (main_window), VMD_TYPE_DISPLAY_PAGE);
  g_assert_null (vmd_display_page_get_machine (VMD_DISPLAY_PAGE (main_page)));
  g_assert_true (vmd_display_page_get_machine (vmd_display_window_get_page (window)) == machine);

  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (vmd_display_window_get_page (window)),
                                             "page.back", NULL));
  g_assert_true (vmd_test_wait_until (window_gone, &weak, WAIT_MS));
  gtk_window_destroy (GTK_WINDOW (main_window));
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
  adw_init ();

  /* The application's own connection goes to the test driver too. */
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "uri", "test:///default");
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  app = vmd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  connection = vmd_connection_new ("test:///default");
  g_assert_true (vmd_test_open (connection, NULL));

  g_test_add_func ("/display-window/own-window", test_own_window);
  g_test_add_func ("/display-window/back-closes", test_back_closes);

  status = g_test_run ();
  g_clear_object (&connection);
  g_clear_object (&app);
  return status;
}
