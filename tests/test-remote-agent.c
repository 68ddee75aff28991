/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-display.h"
#include "vmd-display-page.h"
#include "vmd-machine.h"
#include "vmd-spice-session.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

#include "test-remote.h"

/* The agent test's guest (tests/agent-guest: X, spice-vdagent) on the
 * other computer, its screen shown through VmDesk's SSH tunnel: the
 * guest's resolution follows VmDesk's window, and the clipboard goes both
 * ways, as for a guest on this computer. */

#define AGENT_GUEST "remote agent"
#define AGENT_TITLE "VmDesk remote agent test"

/* The guest's kernel and initramfs where the other computer's QEMU, which
 * runs as another user, reads them. */
static char *
share_file (const char *dir,
            const char *name)
{
  g_autofree char *from = g_build_filename (dir, name, NULL);
  char *to = g_build_filename (g_getenv ("VMD_REMOTE_SHARE"), name, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (to, 0644), ==, 0);
  return to;
}

static void
define_agent_guest (const char *dir)
{
  g_autofree char *kernel = share_file (dir, "vmlinuz");
  g_autofree char *initrd = share_file (dir, "initrd.cpio");
  g_autofree char *xml = NULL;
  virConnectPtr conn = virConnectOpen (uri);
  virDomainPtr domain;

  /* No serial file: the guest's lines go nowhere, the test reads the
   * screen and the clipboard. */
  xml = g_markup_printf_escaped (
    "<domain type='qemu'><name>%s</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu>"
    "<os><type arch='x86_64' machine='q35'>hvm</type><kernel>%s</kernel><initrd>%s</initrd>"
    "<cmdline>console=ttyS0 quiet</cmdline></os>"
    "<devices>"
    "<serial type='null'><target port='0'/></serial>"
    "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"
    "<graphics type='spice'><listen type='socket'/><streaming mode='off'/></graphics>"
    "<video><model type='qxl'/></video>"
    "</devices></domain>",
    AGENT_GUEST, kernel, initrd);
  g_assert_nonnull (conn);
  domain = virDomainDefineXML (conn, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
  virConnectClose (conn);
}

static void
remove_agent_guest (VmdMachine *machine)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_FORCE_OFF, NULL));
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_SHUT_OFF, 60000));
  g_assert_true (vmd_test_delete (machine, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
agent_connected (gpointer data)
{
  VmdSpiceSession *session = vmd_display_get_session (data);

  return session != NULL && vmd_spice_session_get_agent (session);
}

void
test_agent_there (void)
{
  const char *dir = g_getenv ("VMD_AGENT_GUEST_DIR");
  g_autofree char *initrd = dir ? g_build_filename (dir, "initrd.cpio", NULL) : NULL;
  const char *resize[] = { "xdotool", "search", "--sync", "--name", AGENT_TITLE, "windowsize",
                           "853", "601", NULL };
  g_autoptr(VmdMachine) machine = NULL;
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *display;
  VmdTestWidth was;

  if (initrd == NULL || !g_file_test (initrd, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No agent guest: build-aux/dev.sh builds it (tests/agent-guest/build.sh)");
      return;
    }
  vmd_test_allow_volume_warning ();
  define_agent_guest (dir);
  machine = vmd_test_wait_for_machine (connection, AGENT_GUEST, 30000);
  g_assert_nonnull (machine);
  g_object_ref (machine);
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_START, NULL));
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, 60000));

  window = GTK_WIDGET (vmd_window_new (app, connection));
  gtk_window_set_title (GTK_WINDOW (window), AGENT_TITLE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  vmd_window_show_machine_by_name (VMD_WINDOW (window), AGENT_GUEST);
  page = vmd_test_find_widget (window, VMD_TYPE_DISPLAY_PAGE);
  g_assert_nonnull (page);
  display = vmd_test_find_widget (page, VMD_TYPE_DISPLAY);
  g_assert_nonnull (display);
  gtk_window_set_title (GTK_WINDOW (window), AGENT_TITLE);

  /* The agent there answers through the tunnel: the guest's screen takes
   * the widget's size, and again when the window is made smaller. */
  g_assert_true (vmd_test_wait_until (agent_connected, display, 180000));
  g_assert_true (vmd_test_wait_until (vmd_test_guest_fills_display, display, 120000));
  was.widget = display;
  was.width = gtk_widget_get_width (display);
  vmd_test_run_command (resize);
  g_assert_true (vmd_test_wait_until (vmd_test_width_changed, &was, 30000));
  g_assert_true (vmd_test_wait_until (vmd_test_guest_fills_display, display, 120000));
  vmd_test_save_screenshot (window, "remote-agent");

  /* Text copied on the desktop reaches the guest, whose own copy comes
   * back. */
  vmd_test_desktop_copy ("copied on the desktop");
  g_assert_true (vmd_test_wait_until (vmd_test_desktop_holds, "copied in the guest", 120000));

  gtk_window_destroy (GTK_WINDOW (window));
  remove_agent_guest (machine);
}
