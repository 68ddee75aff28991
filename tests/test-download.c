/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "vmd-download.h"
#include "vmd-error.h"
#include "vmd-http-fixture.h"
#include "vmd-iso-fixtures.h"
#include "vmd-os-db.h"
#include "vmd-test-util.h"

/* Downloads from a real HTTP server on 127.0.0.1 (tests/vmd-http-fixture.c)
 * serving an installer image built here, and the systems libosinfo lists
 * for download, with the test's own entries in $XDG_CONFIG_HOME/osinfo. */

static char *tmp_dir;
static char *config_dir;
static GBytes *content;
static VmdHttpFixture *server;

#define DEADLINE_MS (60 * 1000)

typedef struct
{
  gboolean      done;
  GFile        *file;
  GError       *error;
  GCancellable *cancel_when_receiving;
  guint         notified;      /* received notified with 0 < received < total */
} Run;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->file = vmd_download_run_finish (VMD_DOWNLOAD (object), result, &run->error);
  run->done = TRUE;
}

static void
on_received (VmdDownload *download,
             GParamSpec  *pspec,
             Run         *run)
{
  guint64 received = vmd_download_get_received (download);

  if (received > 0 && received < vmd_download_get_total (download))
    run->notified++;
  if (received > 0 && run->cancel_when_receiving != NULL)
    g_cancellable_cancel (run->cancel_when_receiving);
}

/* Runs @download to its end, in this thread's main context. */
static void
run_download (VmdDownload  *download,
              GCancellable *cancellable,
              Run          *run)
{
  gulong id = g_signal_connect (download, "notify::received", G_CALLBACK (on_received), run);

  vmd_download_run_async (download, cancellable, on_done, run);
  g_assert_true (vmd_test_wait_until (vmd_test_is_true, &run->done, DEADLINE_MS));
  g_signal_handler_disconnect (download, id);
}

static char *
new_dir (const char *name)
{
  char *dir = g_build_filename (tmp_dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static void
assert_same_as_content (GFile *file)
{
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);

  g_assert_nonnull (bytes);
  g_assert_true (g_bytes_equal (bytes, content));
}

static void
assert_absent (GFile      *dir,
               const char *name)
{
  g_autoptr(GFile) file = g_file_get_child (dir, name);

  g_assert_false (g_file_query_exists (file, NULL));
}

/* The whole file, under its name, progress told on the way. */
static void
test_whole (void)
{
  g_autofree char *path = new_dir ("whole");
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autofree char *url = vmd_http_fixture_dup_url (server, "/slow/fixture.iso");
  g_autoptr(VmdDownload) download = vmd_download_new (url, dir);
  g_autofree char *text = NULL;
  g_autofree char *size = g_format_size (g_bytes_get_size (content));
  g_autofree char *expected = g_strdup_printf ("%s of %s", size, size);
  Run run = { 0 };

  run_download (download, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (g_file_equal (run.file, vmd_download_get_file (download)));
  assert_same_as_content (run.file);
  assert_absent (dir, "fixture.iso.part");
  g_assert_cmpuint (vmd_download_get_total (download), ==, g_bytes_get_size (content));
  g_assert_cmpuint (vmd_download_get_received (download), ==, g_bytes_get_size (content));
  g_assert_cmpuint (run.notified, >, 0);
  text = vmd_download_dup_progress_text (download);
  g_assert_cmpstr (text, ==, expected);
  g_clear_object (&run.file);
}

/* Cancelled on its way: no file under the final name; discarded,
 * nothing at all. */
static void
test_cancel (void)
{
  g_autofree char *path = new_dir ("cancel");
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autofree char *url = vmd_http_fixture_dup_url (server, "/slow/fixture.iso");
  g_autoptr(VmdDownload) download = vmd_download_new (url, dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run = { .cancel_when_receiving = cancellable };

  g_autoptr(GFile) part = g_file_get_child (dir, "fixture.iso.part");

  run_download (download, cancellable, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.file);
  assert_absent (dir, "fixture.iso");
  /* Stopped, the part stays for another run; discarded, it goes. */
  g_assert_true (g_file_query_exists (part, NULL));
  vmd_download_discard (download);
  assert_absent (dir, "fixture.iso.part");
  g_clear_error (&run.error);
}

/* The connection cut halfway: an error that says so, the half kept under
 * the part's name only; the next run asks for the rest and ends whole. */
static void
test_resume (void)
{
  g_autofree char *path = new_dir ("resume");
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autofree char *url = vmd_http_fixture_dup_url (server, "/cut/fixture.iso");
  g_autoptr(VmdDownload) download = vmd_download_new (url, dir);
  g_autoptr(GFile) part = g_file_get_child (dir, "fixture.iso.part");
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *range = NULL;
  g_autofree char *expected_range = NULL;
  gsize half = g_bytes_get_size (content) / 2;
  Run first = { 0 }, second = { 0 };

  run_download (download, NULL, &first);
  g_assert_error (first.error, VMD_ERROR, VMD_ERROR_NETWORK);
  g_test_message ("cut: %s", first.error->message);
  g_assert_nonnull (strstr (first.error->message, "Trying again goes on from there"));
  assert_absent (dir, "fixture.iso");
  info = g_file_query_info (part, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                            NULL);
  g_assert_nonnull (info);
  g_assert_cmpint (g_file_info_get_size (info), ==, half);

  run_download (download, NULL, &second);
  g_assert_no_error (second.error);
  range = vmd_http_fixture_dup_range (server);
  expected_range = g_strdup_printf ("bytes=%" G_GSIZE_FORMAT "-", half);
  g_assert_cmpstr (range, ==, expected_range);
  g_assert_cmpuint (vmd_download_get_resumed_from (download), ==, half);
  assert_same_as_content (second.file);
  assert_absent (dir, "fixture.iso.part");
  g_clear_error (&first.error);
  g_clear_object (&second.file);
}

static void
assert_fails (const char *url,
              int         code,
              const char *says)
{
  g_autofree char *path = new_dir ("failing");
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(VmdDownload) download = vmd_download_new (url, dir);
  g_autofree char *name = g_path_get_basename (url);
  g_autofree char *part_name = g_strconcat (name, ".part", NULL);
  Run run = { 0 };

  run_download (download, NULL, &run);
  g_assert_error (run.error, VMD_ERROR, code);
  g_test_message ("%s: %s", url, run.error->message);
  g_assert_nonnull (strstr (run.error->message, says));
  assert_absent (dir, name);
  assert_absent (dir, part_name);
  g_clear_error (&run.error);
}

static void
test_not_found (void)
{
  g_autofree char *url = vmd_http_fixture_dup_url (server, "/gone.iso");

  assert_fails (url, VMD_ERROR_NOT_FOUND, "HTTP 404");
}

static void
test_refused (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/fixture.iso",
                                          vmd_http_fixture_closed_port ());

  assert_fails (url, VMD_ERROR_NETWORK, "127.0.0.1 refused the connection");
}

static void
test_not_web (void)
{
  assert_fails ("ftp://127.0.0.1/fixture.iso", VMD_ERROR_FAILED, "not a web address");
}

static OsinfoMedia *
find_by_url (GPtrArray  *medias,
             const char *url,
             guint      *index)
{
  for (guint i = 0; i < medias->len; i++)
    if (g_strcmp0 (osinfo_media_get_url (g_ptr_array_index (medias, i)), url) == 0)
      {
        *index = i;
        return g_ptr_array_index (medias, i);
      }
  return NULL;
}

static void
load_db (void)
{
  gboolean loaded = FALSE;

  vmd_os_db_load_async (vmd_os_db_get_default (), NULL, vmd_test_set_flag, &loaded);
  g_assert_true (vmd_test_wait_until (vmd_test_is_true, &loaded, DEADLINE_MS));
}

/* Released, supported systems with an address, newest first: the test's
 * own entries among the distribution's. */
static void
test_catalog (void)
{
  g_autoptr(GDate) today = g_date_new_dmy (7, G_DATE_DECEMBER, 2026);
  g_autoptr(GPtrArray) medias = NULL;
  g_autofree char *url = vmd_http_fixture_dup_url (server, "/slow/fixture.iso");
  g_autofree char *old_url = vmd_http_fixture_dup_url (server, "/old/fixture.iso");
  g_autofree char *future_url = vmd_http_fixture_dup_url (server, "/future/fixture.iso");
  g_autoptr(OsinfoMedia) by_short = NULL;
  g_autoptr(OsinfoMedia) by_full = NULL;
  g_autoptr(GError) error = NULL;
  guint newer = 0, older = 0;
  const char *previous = NULL;

  load_db ();
  medias = vmd_os_db_list_downloads (vmd_os_db_get_default (), today);
  g_test_message ("%u systems to download", medias->len);
  g_assert_nonnull (find_by_url (medias, url, &newer));
  g_assert_null (find_by_url (medias, old_url, &older));     /* past its end of life */
  g_assert_null (find_by_url (medias, future_url, &older));  /* not released yet */
  g_assert_cmpuint (medias->len, >, 20);

  for (guint i = 0; i < medias->len; i++)
    {
      g_autoptr(OsinfoOs) os = osinfo_media_get_os (g_ptr_array_index (medias, i));
      const char *date = osinfo_product_get_release_date_string (OSINFO_PRODUCT (os));

      g_assert_nonnull (date);
      if (previous != NULL)
        g_assert_cmpstr (date, <=, previous);
      previous = date;
      g_assert_cmpstr (osinfo_media_get_architecture (g_ptr_array_index (medias, i)), ==,
                       "x86_64");
    }

  by_short = vmd_os_db_find_download (vmd_os_db_get_default (), "vmdtest2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (osinfo_media_get_url (by_short), ==, url);
  by_full = vmd_os_db_find_download (vmd_os_db_get_default (), "http://vmdesk.example/test/2",
                                     &error);
  g_assert_no_error (error);
  g_assert_true (by_full == by_short);

  g_assert_null (vmd_os_db_find_download (vmd_os_db_get_default (), "nosuchsystem9", &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (vmd_os_db_find_download (vmd_os_db_get_default (), "vmdtestnourl", &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no download address for VmDesk Test OS 0"));
}

static int
run_vmdesk (const char * const *args,
            const char         *download_dir,
            char              **out,
            char              **err)
{
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  g_autofree char *settings_dir = g_build_filename (config_dir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *settings = g_strdup_printf ("[com/example/VmDesk]\ndownload-directory='%s'\n",
                                               download_dir);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, settings, -1, &error));
  g_strv_builder_add (builder, binary);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("vmdesk %s: %d\n%s%s", args[0], g_subprocess_get_exit_status (process), *out,
                  *err);
  return g_subprocess_get_exit_status (process);
}

/* `vmdesk --download ID`: into the download-directory setting, told as
 * it goes, JSON with --json; an unknown system, one line. */
static void
test_cli (void)
{
  g_autofree char *dir = new_dir ("cli");
  g_autofree char *url = vmd_http_fixture_dup_url (server, "/slow/fixture.iso");
  g_autofree char *file = g_build_filename (dir, "fixture.iso", NULL);
  g_autoptr(GFile) downloaded = g_file_new_for_path (file);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *plain[] = { "--download", "vmdtest2", NULL };
  const char *json[] = { "--download", "http://vmdesk.example/test/2", "--json", NULL };
  const char *unknown[] = { "--download", "nosuchsystem9", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *json_out = NULL, *json_err = NULL;
  g_autofree char *bad_out = NULL, *bad_err = NULL;
  g_autofree char *downloading = NULL;
  JsonObject *obj;

  g_assert_cmpint (run_vmdesk (plain, dir, &out, &err), ==, 0);
  downloading = g_strdup_printf ("Downloading VmDesk Test OS 2 from %s to %s\n", url, file);
  g_assert_true (g_str_has_prefix (out, downloading));
  g_assert_nonnull (strstr (out, "Downloaded to "));
  g_assert_cmpstr (err, ==, "");
  assert_same_as_content (downloaded);

  /* Already there: the same file, fetched once. */
  g_assert_cmpint (run_vmdesk (json, dir, &json_out, &json_err), ==, 0);
  json_parser_load_from_data (parser, json_out, -1, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (obj, "file"), ==, file);
  g_assert_cmpstr (json_object_get_string_member (obj, "os"), ==, "http://vmdesk.example/test/2");
  g_assert_cmpint (json_object_get_int_member (obj, "size"), ==, g_bytes_get_size (content));

  g_assert_cmpint (run_vmdesk (unknown, dir, &bad_out, &bad_err), ==, 1);
  vmd_test_assert_one_line (bad_err, "knows no system “nosuchsystem9”");
}

int
main (int    argc,
      char **argv)
{
  static const VmdTestIso spec = { .volume_id = "VMDTEST2", .with_files = TRUE };
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;
  g_autoptr(GFile) iso_file = NULL;
  int status;

  /* Before any thread: libosinfo reads the user's database from here, and
   * vmdesk's settings too. */
  tmp_dir = g_dir_make_tmp ("vmdesk-download-XXXXXX", &error);
  g_assert_no_error (error);
  config_dir = g_build_filename (tmp_dir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  iso = vmd_test_make_iso (tmp_dir, "source.iso", &spec, &error);
  g_assert_no_error (error);
  iso_file = g_file_new_for_path (iso);
  content = g_file_load_bytes (iso_file, NULL, NULL, &error);
  g_assert_no_error (error);
  server = vmd_http_fixture_new (content);
  vmd_http_fixture_write_catalog (server, config_dir);

  g_test_add_func ("/download/whole", test_whole);
  g_test_add_func ("/download/cancel", test_cancel);
  g_test_add_func ("/download/resume", test_resume);
  g_test_add_func ("/download/not-found", test_not_found);
  g_test_add_func ("/download/refused", test_refused);
  g_test_add_func ("/download/not-web", test_not_web);
  g_test_add_func ("/download/catalog", test_catalog);
  g_test_add_func ("/download/cli", test_cli);
  status = g_test_run ();

  vmd_http_fixture_free (server);
  g_bytes_unref (content);
  vmd_test_remove_tree (tmp_dir, NULL);
  g_free (config_dir);
  g_free (tmp_dir);
  return status;
}
