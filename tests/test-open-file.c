/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-open-file"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>

#include "vmd-iso-fixtures.h"
#include "vmd-test-util.h"

/* `vmdesk FILE`, as a file manager or a terminal runs it: the real binary
 * under the X server and session bus of the suite (where no other VmDesk
 * owns the name: the other ui tests' applications are not unique). The
 * library window comes up and the create dialog above it, on the file. */

static char *
window_ids (const char *name)
{
  const char *argv[] = { "xdotool", "search", "--onlyvisible", "--name", name, NULL };
  int status;

  return vmd_test_run_capture (argv, &status);
}

typedef struct
{
  const char *name;
} WindowWait;

static gboolean
window_shown (gpointer data)
{
  g_autofree char *ids = window_ids (((WindowWait *) data)->name);

  return ids != NULL && *ids != '\0';
}

static void
test_open_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-open-XXXXXX", &error);
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  VmdTestIso spec = { .volume_id = "Debian 11.6.0 amd64 n", .with_files = TRUE };
  g_autofree char *iso = NULL;
  g_autoptr(GSubprocess) vmdesk = NULL;
  WindowWait library = { "^VmDesk$" };
  WindowWait dialog = { "^New Machine$" };

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("No display: run under Xvfb (build-aux/dev.sh test does)");
      return;
    }
  g_assert_no_error (error);
  iso = vmd_test_make_iso (dir, "debian-11.6.0-amd64-netinst.iso", &spec, &error);
  g_assert_no_error (error);

  vmdesk = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                             binary, "--connect", "test:///default", iso, NULL);
  g_assert_no_error (error);

  g_assert_true (vmd_test_wait_until (window_shown, &library, 30000));
  g_assert_true (vmd_test_wait_until (window_shown, &dialog, 30000));

  g_subprocess_send_signal (vmdesk, SIGTERM);
  g_assert_true (g_subprocess_wait (vmdesk, NULL, NULL));
  vmd_test_remove_tree (dir, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/open-file/dialog-above-window", test_open_file);
  return g_test_run ();
}
