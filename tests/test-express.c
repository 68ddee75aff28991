/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-express"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "vmd-connection-private.h"
#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-express.h"
#include "vmd-iso-fixtures.h"
#include "vmd-test-util.h"

/* Express install: the script libosinfo has for real images' labels (built
 * here), its profile and way in, and the answers it writes with given
 * settings, against tests/data/express-*. VMD_UPDATE_GOLDEN=1 rewrites them. */

static char *iso_dir;

typedef struct
{
  const char          *golden;
  const char          *volume_id;
  const char          *publisher;
  const char          *application;
  const char          *short_id;    /* the system to choose among the candidates */
  const char          *profile;
  VmdExpressInjection  injection;
  const char          *filename;
  const char          *command_line;
} Golden;

static const Golden goldens[] = {
  { "express-debian-11.cfg", "Debian 11.6.0 amd64 n", NULL, NULL, "debian11", "desktop",
    VMD_EXPRESS_INITRD, "preseed.cfg",
    "keyboard-configuration/xkb-keymap=fr debconf/priority=critical" },
  { "express-ubuntu-22.04.cfg", "Ubuntu 22.04.1 LTS amd64", NULL, NULL, "ubuntu22.04", "desktop",
    VMD_EXPRESS_INITRD, "preseed.cfg", "file=/preseed.cfg locale=fr_FR" },
  { "express-fedora-37.ks", "Fedora-E-dvd-x86_64-37", NULL, NULL, "fedora37", "desktop",
    VMD_EXPRESS_INITRD, "fedora.ks", "inst.ks=file:/fedora.ks" },
  { "express-windows-11.xml", "CCCOMA_X64FRE_EN-US_DV9", "MICROSOFT CORPORATION",
    "CDIMAGE 2.56 (01/01/2005 TM)", "win11", "desktop", VMD_EXPRESS_CDROM, "autounattend.xml",
    NULL },
};

static VmdMedia *
identify (const char *file,
          const char *volume_id,
          const char *publisher,
          const char *application)
{
  VmdTestIso spec = { .volume_id = volume_id, .publisher_id = publisher,
                      .application_id = application, .with_files = TRUE };

  return vmd_test_identify_iso (iso_dir, file, &spec);
}

static void
choose (VmdMedia   *media,
        const char *short_id)
{
  GListModel *candidates = vmd_media_get_candidates (media);

  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(OsinfoOs) os = g_list_model_get_item (candidates, i);

      if (g_strcmp0 (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), short_id) == 0)
        {
          vmd_media_select_os (media, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_golden (gconstpointer data)
{
  const Golden *g = data;
  g_autofree char *file = g_strdup_printf ("%s.iso", g->golden);
  g_autoptr(VmdMedia) media = identify (file, g->volume_id, g->publisher, g->application);
  g_autoptr(VmdExpress) express = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *line = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", g->golden, NULL);
  g_autofree char *expected = NULL;

  choose (media, g->short_id);
  express = vmd_express_new_for_media (media, &error);
  g_assert_no_error (error);
  g_assert_nonnull (express);
  g_assert_cmpstr (vmd_express_get_profile (express), ==, g->profile);
  g_assert_cmpint (vmd_express_get_injection (express), ==, g->injection);
  g_assert_cmpstr (vmd_express_get_filename (express), ==, g->filename);

  vmd_express_set_user (express, "ada", "Ada Lovelace", TRUE);
  vmd_express_set_locale (express, "fr_FR", "fr", "Europe/Paris");
  vmd_express_set_hostname (express, vmd_media_get_os_label (media));
  if (vmd_express_get_wants_product_key (express))
    vmd_express_set_product_key (express, "VK7JG-NPHTM-C97JM-9MPGT-3V66T");
  script = vmd_express_generate (express, "correct horse", &error);
  g_assert_no_error (error);
  g_assert_nonnull (script);
  /* The answers are in it. */
  g_assert_nonnull (strstr (script, "ada"));
  g_assert_nonnull (strstr (script, "correct horse"));

  line = vmd_express_dup_command_line (express, "correct horse");
  if (g->command_line == NULL)
    g_assert_null (line);
  else
    g_assert_nonnull (strstr (line, g->command_line));

  if (g_strcmp0 (g_getenv ("VMD_UPDATE_GOLDEN"), "1") == 0)
    {
      g_assert_true (g_file_set_contents (path, script, -1, NULL));
      g_test_message ("Rewrote %s", path);
    }
  g_assert_true (g_file_get_contents (path, &expected, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (script, ==, expected);
}

/* The desktop's user, language and time zone, unless told otherwise. */
static void
test_desktop_defaults (void)
{
  g_autoptr(VmdMedia) media = identify ("defaults.iso", "Debian 11.6.0 amd64 n", NULL, NULL);
  g_autoptr(VmdExpress) express = vmd_express_new_for_media (media, NULL);
  g_autofree char *description = NULL;

  g_assert_nonnull (express);
  g_assert_cmpstr (vmd_express_get_user_login (express), ==, g_get_user_name ());
  g_assert_nonnull (vmd_express_get_language (express));
  g_assert_null (strchr (vmd_express_get_language (express), '.'));
  g_assert_nonnull (vmd_express_get_keyboard (express));
  g_assert_nonnull (vmd_express_get_timezone (express));
  g_assert_true (vmd_express_get_needs_internet (express));
  g_assert_false (vmd_express_get_wants_product_key (express));
  g_assert_cmpstr (vmd_express_get_kernel_path (express), ==, "install.amd/vmlinuz");
  g_assert_cmpstr (vmd_express_get_initrd_path (express), ==, "install.amd/initrd.gz");
  description = vmd_express_describe (express);
  g_assert_cmpstr (description, ==, "preseed, desktop profile, added to the installer’s initrd");
}

/* Where libosinfo has nothing to answer with, the reason, in a sentence. */
static void
test_none (void)
{
  g_autoptr(VmdMedia) unknown = identify ("mine.iso", "MY_FILES", NULL, NULL);
  g_autoptr(VmdMedia) live = identify ("live.iso", "Fedora-WS-Live-37-1-7", NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (vmd_express_new_for_media (unknown, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "VmDesk does not know this image well enough to answer its installer.");
  g_clear_error (&error);

  g_assert_null (vmd_express_new_for_media (live, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "cannot be answered in advance"));
}

static void
test_hostname (void)
{
  static const char * const cases[][2] = {
    { "Debian 11", "debian-11" },
    { "Windows 11 (work) “laptop”", "windows-11-work" },
    { "11", "vm-11" },
    { "“”", "vmdesk" },
    { "Été", "t" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = vmd_express_make_hostname (cases[i][0]);

      g_assert_cmpstr (name, ==, cases[i][1]);
    }
}

/* A file of @size bytes that are not all alike. */
static char *
make_blob (const char *name,
           gsize       size)
{
  g_autofree guint8 *data = g_malloc (size);
  char *path = g_build_filename (iso_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  g_assert_true (g_file_set_contents (path, (char *) data, size, &error));
  g_assert_no_error (error);
  return path;
}

/* The entries of the archive that starts @skip bytes into @path: name -> content. */
static GHashTable *
read_archive (const char *path,
              goffset     skip)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  struct archive *reader = archive_read_new ();
  struct archive_entry *entry;
  GHashTable *entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpint (skip, <=, length);
  archive_read_support_format_cpio (reader);
  archive_read_support_format_iso9660 (reader);
  archive_read_support_filter_gzip (reader);
  g_assert_cmpint (archive_read_open_memory (reader, data + skip, length - skip), ==, ARCHIVE_OK);
  while (archive_read_next_header (reader, &entry) == ARCHIVE_OK)
    {
      gsize size = archive_entry_size (entry);
      char *content;

      if (archive_entry_filetype (entry) != AE_IFREG)
        continue;
      content = g_malloc0 (size + 1);
      g_assert_cmpint (archive_read_data (reader, content, size), ==, size);
      g_hash_table_insert (entries, g_strdup (archive_entry_pathname (entry)), content);
    }
  archive_read_free (reader);
  return entries;
}

static void
assert_private (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* Linux: the kernel as it is on the image; the initrd as it is, then the
 * answer file in a compressed cpio archive of its own. */
static void
test_initrd_files (void)
{
  g_autofree char *kernel = make_blob ("vmlinuz", 300000);
  g_autofree char *initrd = make_blob ("initrd.gz", 700000);
  g_autofree char *iso = vmd_test_make_debian_installer (iso_dir, "di.iso", "install.amd/vmlinuz",
                                                         kernel, initrd);
  g_autoptr(VmdMedia) media = vmd_test_identify (iso, NULL);
  g_autoptr(VmdExpress) express = vmd_express_new_for_media (media, NULL);
  g_autofree char *dir = g_build_filename (iso_dir, "images", NULL);
  g_autofree char *want_kernel = vmd_test_checksum (kernel);
  g_autofree char *got_kernel = NULL;
  g_autoptr(GHashTable) appended = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *original = NULL;
  gsize head_length = 0, original_length = 0;
  g_autofree char *line = NULL;
  VmdExpressFiles files;
  const char *answers;

  g_assert_nonnull (express);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  vmd_express_set_user (express, "ada", "Ada Lovelace", TRUE);
  g_assert_true (vmd_express_write_files (express, iso, "correct horse", dir, "Debian 11",
                                          &files, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (files.cdrom);
  line = vmd_express_dup_command_line (express, NULL);
  g_assert_cmpstr (files.command_line, ==, line);
  assert_private (files.kernel);
  assert_private (files.initrd);

  got_kernel = vmd_test_checksum (files.kernel);
  g_assert_cmpstr (got_kernel, ==, want_kernel);
  g_assert_true (g_file_get_contents (initrd, &original, &original_length, NULL));
  g_assert_true (g_file_get_contents (files.initrd, &head, &head_length, NULL));
  g_assert_cmpuint (head_length, >, original_length);
  g_assert_cmpmem (head, original_length, original, original_length);
  appended = read_archive (files.initrd, original_length);
  answers = g_hash_table_lookup (appended, "preseed.cfg");
  g_assert_nonnull (answers);
  g_assert_nonnull (strstr (answers, "d-i passwd/user-fullname string Ada Lovelace"));
  g_assert_nonnull (strstr (answers, "correct horse"));

  vmd_express_files_remove (&files);
  g_assert_false (g_file_test (files.kernel, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (files.initrd, G_FILE_TEST_EXISTS));
  vmd_express_files_clear (&files);
  g_rmdir (dir);
}

/* Windows: the answer file on a CD image of its own. */
static void
test_cdrom_files (void)
{
  g_autoptr(VmdMedia) media = identify ("w11.iso", "CCCOMA_X64FRE_EN-US_DV9",
                                        "MICROSOFT CORPORATION", "CDIMAGE 2.56 (01/01/2005 TM)");
  g_autoptr(VmdExpress) express = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) error = NULL;
  VmdExpressFiles files;
  const char *answers;

  choose (media, "win11");
  express = vmd_express_new_for_media (media, NULL);
  g_assert_nonnull (express);
  vmd_express_set_product_key (express, "VK7JG-NPHTM-C97JM-9MPGT-3V66T");
  g_assert_true (vmd_express_write_files (express, vmd_media_get_path (media), "pw", iso_dir,
                                          "Windows 11", &files, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (files.kernel);
  g_assert_null (files.command_line);
  assert_private (files.cdrom);
  entries = read_archive (files.cdrom, 0);
  answers = g_hash_table_lookup (entries, "autounattend.xml");
  g_assert_nonnull (answers);
  g_assert_nonnull (strstr (answers, "<Key>VK7JG-NPHTM-C97JM-9MPGT-3V66T</Key>"));
  vmd_express_files_remove (&files);
  vmd_express_files_clear (&files);
}

/* An image without the kernel where its system keeps it: a sentence, and
 * nothing left behind. */
static void
test_no_kernel (void)
{
  g_autofree char *kernel = make_blob ("other", 1000);
  g_autofree char *initrd = make_blob ("initrd-only.gz", 1000);
  g_autofree char *path = vmd_test_make_debian_installer (iso_dir, "nokernel.iso",
                                                          "install.amd/other", kernel, initrd);
  g_autoptr(VmdMedia) media = vmd_test_identify (path, NULL);
  g_autoptr(VmdExpress) express = vmd_express_new_for_media (media, NULL);
  g_autofree char *dir = g_build_filename (iso_dir, "empty", NULL);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  VmdExpressFiles files;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_false (vmd_express_write_files (express, path, "pw", dir, "x", &files, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_DAMAGED);
  g_assert_cmpstr (error->message, ==,
                   "The installer image has no “install.amd/vmlinuz”, where its system keeps it.");
  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
  g_rmdir (dir);
}

/* Defines, on @connection's own libvirt connection, a machine of an
 * express install with files @kernel and @initrd (the installer's run
 * when @installer_run, else the installed machine's definition). */
static void
define_install (VmdConnection *connection,
                const char    *name,
                const char    *kernel,
                const char    *initrd,
                gboolean       installer_run)
{
  g_autoptr(VmdGuestSpec) spec = vmd_guest_spec_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  VmdExpressFiles files = { .kernel = (char *) kernel, .initrd = (char *) initrd,
                            .command_line = (char *) "priority=critical" };
  virConnectPtr conn = _vmd_connection_dup_conn (connection);
  virDomainPtr domain;

  vmd_guest_spec_set_name (spec, name);
  xml = vmd_domain_xml_for_install (spec, NULL, uuid, &files, installer_run, &error);
  g_assert_no_error (error);
  domain = virDomainDefineXML (conn, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
  virConnectClose (conn);
}

static gboolean
files_gone (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

/* A machine off with the installer's own definition has not run it yet
 * (it is being made: its start comes next): it is installing, and its
 * files stay. Off with the installed machine's definition, its install is
 * over: the files go. Both as a VmDesk sees them when it starts. */
static void
test_install_state (void)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("test:///default");
  g_autofree char *kernel = make_blob ("fresh-kernel", 100);
  g_autofree char *initrd = make_blob ("fresh-initrd", 100);
  g_autofree char *done_kernel = make_blob ("done-kernel", 100);
  g_autofree char *done_initrd = make_blob ("done-initrd", 100);
  g_autoptr(GError) error = NULL;
  VmdMachine *fresh, *done;

  g_assert_true (vmd_test_open (connection, &error));
  g_assert_no_error (error);
  define_install (connection, "fresh", kernel, initrd, TRUE);
  fresh = vmd_test_wait_for_machine (connection, "fresh", 30000);
  g_assert_nonnull (fresh);
  g_assert_true (vmd_test_wait_until ((VmdTestCondition) vmd_machine_get_installing, fresh,
                                      30000));

  /* After it, in the same order of events and work: its files go. */
  define_install (connection, "done", done_kernel, done_initrd, FALSE);
  done = vmd_test_wait_for_machine (connection, "done", 30000);
  g_assert_nonnull (done);
  g_assert_true (vmd_test_wait_until (files_gone, done_kernel, 30000));
  g_assert_true (vmd_test_wait_until (files_gone, done_initrd, 30000));

  g_assert_true (vmd_machine_get_installing (fresh));
  g_assert_true (g_file_test (kernel, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (initrd, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  iso_dir = vmd_test_init_with_dir (&argc, &argv, "vmd-express-XXXXXX");

  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      g_autofree char *name = g_strdup_printf ("/express/golden/%s", goldens[i].golden);
      g_test_add_data_func (name, &goldens[i], test_golden);
    }
  g_test_add_func ("/express/desktop-defaults", test_desktop_defaults);
  g_test_add_func ("/express/none", test_none);
  g_test_add_func ("/express/hostname", test_hostname);
  g_test_add_func ("/express/initrd-files", test_initrd_files);
  g_test_add_func ("/express/cdrom-files", test_cdrom_files);
  g_test_add_func ("/express/no-kernel", test_no_kernel);
  g_test_add_func ("/express/install-state", test_install_state);

  return vmd_test_run_and_remove (&iso_dir);
}
