/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vmd-create-dialog.h"
#include "vmd-download-dialog.h"
#include "vmd-download-tile.h"
#include "vmd-http-fixture.h"
#include "vmd-iso-fixtures.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"

/* "Download an Operating System…" in VmDesk's own window: the list from
 * libosinfo (the test's entries in $XDG_CONFIG_HOME/osinfo, served by an
 * HTTP server on 127.0.0.1), a search, the tile with its progress, Cancel,
 * Try Again after a cut connection, then the review of the file. */

static VmdApplication *app;

#define WAIT_MS VMD_TEST_GUI_WAIT_MS

static VmdDownloadDialog *
open_download_dialog (GtkWidget *window)
{
  VmdDownloadDialog *dialog;

  g_assert_true (gtk_widget_activate_action (window, "win.download", NULL));
  dialog = (VmdDownloadDialog *) vmd_test_find_toplevel (VMD_TYPE_DOWNLOAD_DIALOG,
                                                         GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  return dialog;
}

/* Types @search in the dialog's search entry and takes the first system
 * it shows, with Enter. */
static void
choose (VmdDownloadDialog *dialog,
        const char        *search,
        const char        *shown)
{
  GtkWidget *entry = vmd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SEARCH_ENTRY);

  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), shown));
  gtk_editable_set_text (GTK_EDITABLE (entry), search);
  g_signal_emit_by_name (entry, "activate");
}

static gboolean
lists_no_debian (gpointer data)
{
  g_autofree char *text = vmd_test_visible_text (data);

  return strstr (text, "Debian") == NULL;
}

/* The row of OS 2 shows its logo, from the server. */
static gboolean
logo_shown (gpointer data)
{
  g_autoptr(GPtrArray) rows = vmd_test_find_widgets (data, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      AdwPreferencesRow *row = rows->pdata[i];
      GtkWidget *image;

      if (g_strcmp0 (adw_preferences_row_get_title (row), "VmDesk Test OS 2") != 0)
        continue;
      image = vmd_test_find_widget (GTK_WIDGET (row), GTK_TYPE_IMAGE);
      return gtk_image_get_storage_type (GTK_IMAGE (image)) == GTK_IMAGE_PAINTABLE;
    }
  return FALSE;
}

static VmdDownloadTile *
find_tile (GtkWidget *window)
{
  GtkWidget *tile = vmd_test_find_widget (window, VMD_TYPE_DOWNLOAD_TILE);

  return tile != NULL && gtk_widget_is_drawable (tile) ? VMD_DOWNLOAD_TILE (tile) : NULL;
}

static gboolean
no_tile (gpointer data)
{
  return find_tile (data) == NULL;
}

static gboolean
receiving (gpointer data)
{
  VmdDownloadTile *tile = find_tile (data);

  return tile != NULL && vmd_download_get_received (vmd_download_tile_get_download (tile)) > 0;
}

static gboolean
review_shown (gpointer data)
{
  VmdCreateDialog *dialog =
    (VmdCreateDialog *) vmd_test_find_toplevel (VMD_TYPE_CREATE_DIALOG, NULL);

  return dialog != NULL && g_str_equal (vmd_create_dialog_get_page (dialog), "review");
}

static void
close_review (void)
{
  GtkWindow *dialog = vmd_test_find_toplevel (VMD_TYPE_CREATE_DIALOG, NULL);

  gtk_window_destroy (dialog);
}

static void
set_download_folder (const char *path)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_string (settings, "download-directory", path);
}

static void
test_download (void)
{
  static const VmdTestIso spec = { .volume_id = "VMDTEST2", .with_files = TRUE };
  g_autofree char *tmp = g_dir_make_tmp ("vmdesk-download-window-XXXXXX", NULL);
  g_autofree char *iso = NULL;
  g_autofree char *first = g_build_filename (tmp, "first", NULL);
  g_autofree char *second = g_build_filename (tmp, "second", NULL);
  g_autofree char *third = g_build_filename (tmp, "third", NULL);
  g_autofree char *first_file = g_build_filename (first, "fixture.iso", NULL);
  g_autofree char *second_file = g_build_filename (second, "fixture.iso", NULL);
  g_autofree char *third_part = g_build_filename (third, "fixture.iso.part", NULL);
  g_autofree char *third_file = g_build_filename (third, "fixture.iso", NULL);
  g_autoptr(GFile) iso_file = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *half = NULL, *all = NULL, *half_of_all = NULL;
  VmdHttpFixture *server;
  VmdDownloadDialog *dialog;
  VmdDownloadTile *tile;
  GtkWidget *window;

  if (app == NULL)
    return;

  iso = vmd_test_make_iso (tmp, "source.iso", &spec, &error);
  g_assert_no_error (error);
  iso_file = g_file_new_for_path (iso);
  content = g_file_load_bytes (iso_file, NULL, NULL, &error);
  g_assert_no_error (error);
  half = g_format_size (g_bytes_get_size (content) / 2);
  all = g_format_size (g_bytes_get_size (content));
  half_of_all = g_strdup_printf ("%s of %s", half, all);  /* what /stall/ sends */
  /* Here: the isolated $XDG_CONFIG_HOME is this test's from now on. */
  server = vmd_http_fixture_new (content);
  vmd_http_fixture_write_catalog (server, g_get_user_config_dir ());
  window = vmd_test_open_window (app, "test:///default", NULL);

  /* The list: current systems only, searched by name. */
  set_download_folder (first);
  dialog = open_download_dialog (window);
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "VmDesk Test OS 2"));
  g_assert_true (vmd_test_wait_for_text (GTK_WIDGET (dialog), "VmDesk Test OS 4"));
  gtk_editable_set_text (GTK_EDITABLE (vmd_test_find_widget (GTK_WIDGET (dialog),
                                                             GTK_TYPE_SEARCH_ENTRY)),
                         "vmdesk test");
  g_assert_true (vmd_test_wait_until (lists_no_debian, dialog, WAIT_MS));
  g_assert_true (vmd_test_wait_until (logo_shown, dialog, WAIT_MS));
  {
    g_autofree char *text = vmd_test_visible_text (GTK_WIDGET (dialog));

    g_test_message ("listed: %s", text);
    g_assert_nonnull (strstr (text, "|VmDesk Test OS 2|"));
    g_assert_null (strstr (text, "VmDesk Test OS 1"));   /* past its end of life */
    g_assert_null (strstr (text, "VmDesk Test OS 3"));   /* not released */
    g_assert_null (strstr (text, "VmDesk Test OS 0"));   /* no address */
    g_assert_null (strstr (text, "Debian"));
  }
  vmd_test_save_screenshot (GTK_WIDGET (dialog), "download-dialog");
  gtk_editable_set_text (GTK_EDITABLE (vmd_test_find_widget (GTK_WIDGET (dialog),
                                                             GTK_TYPE_SEARCH_ENTRY)),
                         "no such system at all");
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (dialog), "No system with a download"));

  /* Downloaded, then the review of the file. */
  choose (dialog, "Test OS 2", "No System Found");
  g_assert_true (vmd_test_wait_until (review_shown, NULL, WAIT_MS));
  g_assert_true (vmd_test_wait_for_text (
    GTK_WIDGET (vmd_test_find_toplevel (VMD_TYPE_CREATE_DIALOG, NULL)), "VmDesk Test OS 2"));
  g_assert_true (vmd_test_wait_until (no_tile, window, WAIT_MS));
  g_assert_true (g_file_test (first_file, G_FILE_TEST_IS_REGULAR));
  close_review ();

  /* Cut halfway: the tile says so, Try Again goes on to the end. */
  set_download_folder (second);
  choose (open_download_dialog (window), "Test OS 4", "VmDesk Test OS 4");
  g_assert_true (vmd_test_wait_for_part (window, "Trying again goes on from there"));
  vmd_test_save_screenshot (window, "download-cut");
  tile = find_tile (window);
  gtk_widget_activate (vmd_test_find_button (GTK_WIDGET (tile), "_Try Again"));
  g_assert_true (vmd_test_wait_until (review_shown, NULL, WAIT_MS));
  g_assert_cmpstr (vmd_http_fixture_dup_range (server), !=, "");
  g_assert_true (g_file_test (second_file, G_FILE_TEST_IS_REGULAR));
  close_review ();

  /* Its progress on the tile; cancelled, the tile goes, nothing is left. */
  set_download_folder (third);
  choose (open_download_dialog (window), "Test OS 5", "VmDesk Test OS 5");
  g_assert_true (vmd_test_wait_until (receiving, window, WAIT_MS));
  g_assert_true (vmd_test_wait_for_part (window, half_of_all));
  vmd_test_save_screenshot (window, "download-tile");
  g_assert_true (g_file_test (third_part, G_FILE_TEST_IS_REGULAR));
  gtk_widget_activate (vmd_test_find_button (GTK_WIDGET (find_tile (window)), "_Cancel"));
  g_assert_true (vmd_test_wait_until (no_tile, window, WAIT_MS));
  g_assert_false (g_file_test (third_part, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (third_file, G_FILE_TEST_EXISTS));
  g_assert_null (vmd_test_find_toplevel (VMD_TYPE_CREATE_DIALOG, NULL));

  gtk_window_destroy (GTK_WINDOW (window));
  vmd_http_fixture_free (server);
  vmd_test_remove_tree (tmp, NULL);
}

int
main (int    argc,
      char **argv)
{
  app = vmd_test_app_init (&argc, &argv);
  g_test_add_func ("/download-window/download", test_download);
  return g_test_run ();
}
