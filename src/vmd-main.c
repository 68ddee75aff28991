/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmdesk"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "vmd-application.h"

/* What ssh asks while it reaches another computer for VmDesk (libvirt's
 * ssh, or the screen's tunnel) with no terminal to ask on (a password, a
 * host key it has never seen) is asked in VmDesk's dialog, never answered
 * for the person. From a terminal, ssh asks there. The helper is beside
 * vmdesk in the build, else installed in libexecdir. Set before any thread
 * starts: the environment is not for changing under them. */
static void
set_askpass (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : NULL;
  g_autofree char *beside = dir ? g_build_filename (dir, "vmdesk-askpass", NULL) : NULL;

  if (g_getenv ("SSH_ASKPASS") != NULL)
    return;
  if (beside != NULL && g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
    g_setenv ("SSH_ASKPASS", beside, TRUE);
  else
    g_setenv ("SSH_ASKPASS", LIBEXECDIR "/vmdesk-askpass", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VmdApplication) app = NULL;

  set_askpass ();
  vmd_ui_choose_renderer ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vmd_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
