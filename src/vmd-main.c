/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmdesk"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "vmd-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VmdApplication) app = NULL;

  /* Without a GPU render node, GTK's GL renderer runs on llvmpipe, where a
   * guest's 1080p screen draws at 4 frames/s against 31 with cairo
   * (bench/display). GSK_RENDERER still decides when set. */
  if (g_getenv ("GSK_RENDERER") == NULL && !g_file_test ("/dev/dri", G_FILE_TEST_IS_DIR))
    g_setenv ("GSK_RENDERER", "cairo", FALSE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vmd_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
