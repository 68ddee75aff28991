/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-create-dialog"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-create-dialog.h"
#include "vmd-iso-fixtures.h"
#include "vmd-machine.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

/* From an image dropped on VmDesk's window to the review page and its
 * checks, under a real X server (Xvfb), on libvirt's test driver. */

static VmdApplication *app;

#define WAIT_MS VMD_TEST_GUI_WAIT_MS

static VmdCreateDialog *
find_create_dialog (void)
{
  return (VmdCreateDialog *) vmd_test_find_toplevel (VMD_TYPE_CREATE_DIALOG, NULL);
}

static gboolean
dialog_left_identifying (gpointer data)
{
  VmdCreateDialog *dialog = find_create_dialog ();

  return dialog != NULL && !g_str_equal (vmd_create_dialog_get_page (dialog), "identifying");
}

static AdwExpanderRow *
express_row (VmdCreateDialog *dialog)
{
  g_autoptr(GPtrArray) rows = vmd_test_find_widgets (GTK_WIDGET (dialog), ADW_TYPE_EXPANDER_ROW);

  g_assert_cmpuint (rows->len, ==, 1);
  return rows->pdata[0];
}

/* A Debian 11 installer dropped on VmDesk's window on the test driver:
 * the create dialog on its review page, express install off (the test
 * image has no installer's kernel to answer: test-express-install's does). */
static VmdCreateDialog *
drop_debian (const char  *dir,
             GtkWidget  **out_window)
{
  g_autoptr(GError) error = NULL;
  VmdTestIso iso = { .volume_id = "Debian 11.6.0 amd64 n", .with_files = TRUE };
  g_autofree char *path = vmd_test_make_iso (dir, "debian-11.6.0-amd64-netinst.iso", &iso, &error);
  VmdCreateDialog *dialog;

  g_assert_no_error (error);
  *out_window = vmd_test_open_window (app, "test:///default", NULL);
  g_assert_true (vmd_test_wait_for_text (*out_window, "test"));

  vmd_test_drop_file (*out_window, path);
  g_assert_true (vmd_test_wait_until (dialog_left_identifying, NULL, 30000));
  dialog = find_create_dialog ();
  g_assert_cmpstr (vmd_create_dialog_get_page (dialog), ==, "review");
  adw_expander_row_set_enable_expansion (express_row (dialog), FALSE);
  return dialog;
}

/* Express install is offered, on, with the desktop's user; Create waits
 * for a password; off, Create works without one. */
static void
test_express (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-express-XXXXXX", &error);
  GtkWidget *window, *create;
  VmdCreateDialog *dialog;
  AdwExpanderRow *row;
  g_autoptr(GPtrArray) passwords = NULL;

  g_assert_no_error (error);
  dialog = drop_debian (dir, &window);
  row = express_row (dialog);
  create = vmd_test_find_button (GTK_WIDGET (dialog), "C_reate");
  g_assert_true (gtk_widget_get_sensitive (create));

  adw_expander_row_set_enable_expansion (row, TRUE);
  adw_expander_row_set_expanded (row, TRUE);
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog), "preseed, desktop profile"));
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog), "as on this desktop"));
  g_assert_false (gtk_widget_get_sensitive (create));
  passwords = vmd_test_find_widgets (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_cmpuint (passwords->len, ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (passwords->pdata[0]), "correct horse");
  g_assert_true (gtk_widget_get_sensitive (create));

  vmd_test_settle ();
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-express.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  vmd_test_remove_tree (dir, NULL);
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
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "Debian 11"));

  /* The verdict, with numbers, is on the page before anything is created. */
  text = vmd_test_visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (vmd_create_dialog_get_message (dialog), "of memory"));
  g_assert_nonnull (strstr (text, "This Computer"));

  vmd_test_settle ();
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-review.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  vmd_test_remove_tree (dir, NULL);
}

static void
test_drop_not_iso (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-drop-XXXXXX", &error);
  g_autofree char *path = vmd_test_make_text_file (dir, "holiday & photos <2024>.iso", &error);
  GtkWidget *window;
  VmdCreateDialog *dialog;

  g_assert_no_error (error);
  window = vmd_test_open_window (app, "test:///default", NULL);
  vmd_test_drop_file (window, path);
  g_assert_true (vmd_test_wait_until (dialog_left_identifying, NULL, 30000));
  dialog = find_create_dialog ();

  /* A clear message in the window; nothing else happens. */
  g_assert_cmpstr (vmd_create_dialog_get_page (dialog), ==, "error");
  /* Shown as the file is named, '&' and '<' included. */
  {
    g_autofree char *text = vmd_test_visible_text (GTK_WIDGET (dialog));

    g_assert_nonnull (strstr (text, "“holiday & photos <2024>.iso” is not an installer image"));
  }
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
      g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), cases[i].reason));
      g_assert_false (gtk_widget_get_sensitive (create));
      g_assert_true (gtk_widget_has_css_class (name_row, "error"));
      if (i == 2)
        {
          vmd_test_settle ();
          vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-name-refused.png");
        }
    }

  /* Spaces around a good name are not part of it. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "  My   Debian ");
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  {
    g_autofree char *text = vmd_test_visible_text (GTK_WIDGET (dialog));

    g_assert_null (strstr (text, "A name cannot"));
    g_assert_null (strstr (text, "exists already"));
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  vmd_test_remove_tree (dir, NULL);
}

static gboolean
machine_running (gpointer data)
{
  return vmd_machine_get_state (data) == VMD_MACHINE_STATE_RUNNING;
}

static gboolean
back_on_review (gpointer data)
{
  return g_str_equal (vmd_create_dialog_get_page (data), "review") &&
         strstr (vmd_create_dialog_get_message (data), "more than") != NULL;
}

/* Memory is read again when Create is pressed: a guest started since the
 * review opened turns the verdict, and the person decides again. */
static void
test_create_rechecks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-recheck-XXXXXX", &error);
  g_autoptr(VmdConnection) connection = NULL;
  virConnectPtr other = virConnectOpen ("test:///default");
  g_autofree char *xml = NULL;
  GtkWidget *window, *create;
  VmdCreateDialog *dialog;
  VmdMachine *hog;
  virDomainPtr dom;

  g_assert_no_error (error);
  dialog = drop_debian (dir, &window);
  connection = g_object_ref (vmd_window_get_connection (VMD_WINDOW (window)));
  g_assert_null (strstr (vmd_create_dialog_get_message (dialog), "more than"));
  create = vmd_test_find_button (GTK_WIDGET (dialog), "C_reate");
  g_assert_true (gtk_widget_get_sensitive (create));

  xml = g_strdup_printf ("<domain type='test'><name>hog</name><memory unit='GiB'>%u</memory>"
                         "<vcpu>1</vcpu><os><type>hvm</type></os></domain>", 64);
  dom = virDomainCreateXML (other, xml, 0);
  g_assert_nonnull (dom);
  hog = vmd_test_wait_for_machine (connection, "hog", WAIT_MS);
  g_assert_nonnull (hog);
  g_assert_true (vmd_test_wait_until (machine_running, hog, WAIT_MS));

  gtk_widget_activate (create);
  g_assert_true (vmd_test_wait_until (back_on_review, dialog, WAIT_MS));
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog),
                                "This computer has less to spare than when you opened this: "
                                "check the numbers below, then create again."));
  /* Past the host, the person confirms before Create works. */
  g_assert_false (gtk_widget_get_sensitive (create));

  virDomainDestroy (dom);
  virDomainFree (dom);
  virConnectClose (other);
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  vmd_test_remove_tree (dir, NULL);
}

static gboolean
shows_create_error (gpointer data)
{
  g_autofree char *text = vmd_test_visible_text (data);

  return g_str_equal (vmd_create_dialog_get_page (data), "review") &&
         strstr (text, "is no longer there") != NULL;
}

/* The installer removed between the review and Create: the review says so
 * in a sentence, and nothing was made. */
static void
test_installer_removed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-removed-XXXXXX", &error);
  g_autofree char *iso = NULL;
  g_autofree char *text = NULL;
  GtkWidget *window, *create;
  VmdCreateDialog *dialog;
  VmdConnection *connection;
  guint machines;

  g_assert_no_error (error);
  dialog = drop_debian (dir, &window);
  connection = vmd_window_get_connection (VMD_WINDOW (window));
  machines = g_list_model_get_n_items (vmd_connection_get_machines (connection));
  iso = g_build_filename (dir, "debian-11.6.0-amd64-netinst.iso", NULL);
  g_assert_cmpint (g_unlink (iso), ==, 0);

  create = vmd_test_find_button (GTK_WIDGET (dialog), "C_reate");
  gtk_widget_activate (create);
  g_assert_true (vmd_test_wait_until (shows_create_error, dialog, WAIT_MS));
  text = vmd_test_visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "|The installer image “debian-11.6.0-amd64-netinst.iso” is no "
                                  "longer there: put it back, or open it again from where it is "
                                  "now.|"));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==,
                    machines);
  vmd_test_settle ();
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-installer-removed.png");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  vmd_test_remove_tree (dir, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = vmd_test_app_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/create-dialog/drop-iso", test_drop_iso);
  g_test_add_func ("/create-dialog/express", test_express);
  g_test_add_func ("/create-dialog/drop-not-iso", test_drop_not_iso);
  g_test_add_func ("/create-dialog/name", test_create_name);
  g_test_add_func ("/create-dialog/rechecks", test_create_rechecks);
  g_test_add_func ("/create-dialog/installer-removed", test_installer_removed);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
