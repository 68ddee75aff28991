/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the tests that show a guest in VmDesk's widgets share. */
#define G_LOG_DOMAIN "vmd-test-gui"

#include "config.h"

#include <unistd.h>

#include <adwaita.h>

#include "vmd-application.h"
#include "vmd-test-gui.h"

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
