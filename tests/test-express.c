/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-express"

#include "config.h"

#include <string.h>

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

  return vmd_test_run_and_remove (&iso_dir);
}
