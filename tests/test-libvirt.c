/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-libvirt"

#include "config.h"

#include <string.h>

#include <libvirt/libvirt.h>

#include "vmd-error.h"
#include "vmd-libvirt.h"
#include "vmd-ssh-tunnel.h"

static const char domain_xml[] =
  "<domain type='kvm'>"
  "  <name>debian</name>"
  "  <metadata>"
  "    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
  "      <libosinfo:os id='http://debian.org/debian/11'/>"
  "    </libosinfo:libosinfo>"
  "    <other:thing xmlns:other='http://example.com/other'><other:os id='wrong'/></other:thing>"
  "  </metadata>"
  "  <devices>"
  "    <disk type='file' device='disk'><source file='/images/debian.qcow2'/></disk>"
  "    <disk type='file' device='cdrom'><source file='/isos/debian.iso'/><readonly/></disk>"
  "    <disk type='file' device='disk'><source file='/images/shared.img'/><shareable/></disk>"
  "    <disk type='file' device='disk'><source file='/images/ro.img'/><readonly/></disk>"
  "    <disk type='file'><source file='/images/second &amp; &quot;quoted&quot;.qcow2'/></disk>"
  "    <disk type='file' device='floppy'><source file='/images/floppy.img'/></disk>"
  "  </devices>"
  "</domain>";

static void
test_os_id (void)
{
  g_autofree char *id = _vmd_domain_xml_get_os_id (domain_xml);
  g_autofree char *none = _vmd_domain_xml_get_os_id ("<domain><name>x</name></domain>");
  g_autofree char *broken = _vmd_domain_xml_get_os_id ("<domain><name>");

  g_assert_cmpstr (id, ==, "http://debian.org/debian/11");
  g_assert_null (none);
  g_assert_null (broken);
}

static void
test_disk_images (void)
{
  g_auto(GStrv) images = _vmd_domain_xml_get_disk_images (domain_xml);

  /* Writable, unshared disks only: never the ISO, a shared or read-only disk. */
  g_assert_cmpuint (g_strv_length (images), ==, 2);
  g_assert_cmpstr (images[0], ==, "/images/debian.qcow2");
  g_assert_cmpstr (images[1], ==, "/images/second & \"quoted\".qcow2");
}

static void
check_target (const char *graphics,
              const char *expected)
{
  g_autofree char *xml = g_strdup_printf ("<domain><devices>%s</devices></domain>", graphics);
  g_autofree char *target = _vmd_domain_xml_get_spice_target (xml);

  g_assert_cmpstr (target, ==, expected);
}

/* Where a remote guest's screen is reached, from its live definition. */
static void
test_spice_target (void)
{
  check_target ("<graphics type='spice'><listen type='socket' socket='/run/a b/spice.sock'/></graphics>",
                "/run/a b/spice.sock");
  check_target ("<graphics type='spice' socket='/old/form.sock'/>", "/old/form.sock");
  check_target ("<graphics type='spice' port='5901' autoport='yes' listen='127.0.0.1'>"
                "<listen type='address' address='127.0.0.1'/></graphics>",
                "127.0.0.1:5901");
  check_target ("<graphics type='spice' port='5902'><listen type='address' address='0.0.0.0'/></graphics>",
                "127.0.0.1:5902");
  check_target ("<graphics type='spice' port='5903'><listen type='address' address='::'/></graphics>",
                "127.0.0.1:5903");
  check_target ("<graphics type='spice' port='5904'><listen type='address' address='fd00::1'/></graphics>",
                "[fd00::1]:5904");
  check_target ("<graphics type='spice' port='5905' listen='192.168.1.5'/>", "192.168.1.5:5905");
  /* No socket to reach: listen none, no port yet, VNC only, none at all. */
  check_target ("<graphics type='spice'><listen type='none'/></graphics>", NULL);
  check_target ("<graphics type='spice' port='-1' autoport='yes'/>", NULL);
  check_target ("<graphics type='vnc' port='5900'/>", NULL);
  check_target ("", NULL);
}

/* The tunnel's ssh: the URI's user, host, port and key, a forward from a
 * local socket, no terminal prompt and no listening port. */
static void
test_ssh_argv (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = vmd_ssh_tunnel_build_argv ("qemu+ssh://ada@example.org:2222/session?keyfile=/k/id",
                                                  "/run/l.sock", "/home/ada/spice.sock", &error);
  g_auto(GStrv) plain = NULL, tcp = NULL, refused = NULL, hostless = NULL, option = NULL;
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  line = g_strjoinv (" ", argv);
  g_assert_true (g_str_has_prefix (line, "ssh -T "));
  g_assert_nonnull (strstr (line, " -L /run/l.sock:/home/ada/spice.sock "));
  g_assert_nonnull (strstr (line, " -p 2222 -l ada -i /k/id -- example.org "));
  /* It ends when VmDesk's end of its input closes. */
  g_assert_true (g_str_has_suffix (line, "-- example.org exec cat >/dev/null"));
  g_assert_null (strstr (line, "StrictHostKeyChecking"));
  g_assert_null (strstr (line, "BatchMode"));

  plain = vmd_ssh_tunnel_build_argv ("qemu+ssh://host/system", "/l", "127.0.0.1:5900", &error);
  g_assert_no_error (error);
  g_clear_pointer (&line, g_free);
  line = g_strjoinv (" ", plain);
  g_assert_nonnull (strstr (line, " -L /l:127.0.0.1:5900 -- host "));
  g_assert_null (strstr (line, " -p "));
  g_assert_null (strstr (line, " -l "));

  tcp = vmd_ssh_tunnel_build_argv ("qemu+libssh2://u@h/session", "/l", "/s", &error);
  g_assert_no_error (error);
  g_assert_nonnull (tcp);

  refused = vmd_ssh_tunnel_build_argv ("qemu+tls://h/system", "/l", "/s", &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
  g_assert_null (refused);
  g_clear_error (&error);
  hostless = vmd_ssh_tunnel_build_argv ("qemu:///session", "/l", "/s", &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* A host that ssh would read as an option. */
  option = vmd_ssh_tunnel_build_argv ("qemu+ssh://-oProxyCommand=x/session", "/l", "/s", &error);
  g_assert_null (option);
  g_clear_error (&error);
}

static void
test_state_from_libvirt (void)
{
  g_assert_cmpint (_vmd_machine_state_from_libvirt (VIR_DOMAIN_RUNNING), ==, VMD_MACHINE_STATE_RUNNING);
  g_assert_cmpint (_vmd_machine_state_from_libvirt (VIR_DOMAIN_BLOCKED), ==, VMD_MACHINE_STATE_RUNNING);
  g_assert_cmpint (_vmd_machine_state_from_libvirt (VIR_DOMAIN_PAUSED), ==, VMD_MACHINE_STATE_PAUSED);
  g_assert_cmpint (_vmd_machine_state_from_libvirt (VIR_DOMAIN_SHUTDOWN), ==, VMD_MACHINE_STATE_SHUTTING_DOWN);
  g_assert_cmpint (_vmd_machine_state_from_libvirt (VIR_DOMAIN_SHUTOFF), ==, VMD_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpint (_vmd_machine_state_from_libvirt (VIR_DOMAIN_CRASHED), ==, VMD_MACHINE_STATE_CRASHED);
  g_assert_cmpint (_vmd_machine_state_from_libvirt (VIR_DOMAIN_PMSUSPENDED), ==, VMD_MACHINE_STATE_SUSPENDED);
  g_assert_cmpint (_vmd_machine_state_from_libvirt (VIR_DOMAIN_NOSTATE), ==, VMD_MACHINE_STATE_UNKNOWN);
  g_assert_cmpint (_vmd_machine_state_from_libvirt (4242), ==, VMD_MACHINE_STATE_UNKNOWN);
}

static void
test_state_from_event (void)
{
  VmdMachineState state = VMD_MACHINE_STATE_UNKNOWN;

  g_assert_true (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_STARTED, 0, &state));
  g_assert_cmpint (state, ==, VMD_MACHINE_STATE_RUNNING);
  g_assert_true (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_SUSPENDED, 0, &state));
  g_assert_cmpint (state, ==, VMD_MACHINE_STATE_PAUSED);
  g_assert_true (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_RESUMED, 0, &state));
  g_assert_cmpint (state, ==, VMD_MACHINE_STATE_RUNNING);
  g_assert_true (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_STOPPED,
                                                VIR_DOMAIN_EVENT_STOPPED_DESTROYED, &state));
  g_assert_cmpint (state, ==, VMD_MACHINE_STATE_SHUT_OFF);
  g_assert_true (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_STOPPED,
                                                VIR_DOMAIN_EVENT_STOPPED_CRASHED, &state));
  g_assert_cmpint (state, ==, VMD_MACHINE_STATE_CRASHED);
  g_assert_true (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_SHUTDOWN,
                                                VIR_DOMAIN_EVENT_SHUTDOWN_GUEST, &state));
  g_assert_cmpint (state, ==, VMD_MACHINE_STATE_SHUTTING_DOWN);
  g_assert_true (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_PMSUSPENDED, 0, &state));
  g_assert_cmpint (state, ==, VMD_MACHINE_STATE_SUSPENDED);

  state = VMD_MACHINE_STATE_PAUSED;
  g_assert_false (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_SHUTDOWN,
                                                 VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED, &state));
  g_assert_false (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_DEFINED, 0, &state));
  g_assert_false (_vmd_machine_state_from_event (VIR_DOMAIN_EVENT_UNDEFINED, 0, &state));
  g_assert_cmpint (state, ==, VMD_MACHINE_STATE_PAUSED);
}

/* What each libvirt reason tells a person; the ones not listed say
 * nothing worth a word. */
static void
test_reason_from_libvirt (void)
{
  const struct
  {
    int              state;
    int              reason;
    VmdMachineReason expected;
  } cases[] = {
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, VMD_MACHINE_REASON_USER },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR, VMD_MACHINE_REASON_IO_ERROR },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_CRASHED, VMD_MACHINE_REASON_GUEST_PANIC },
    /* What a KVM emulation failure leaves: QEMU stopped it on its own. */
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN, VMD_MACHINE_REASON_INTERNAL_ERROR },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION, VMD_MACHINE_REASON_NONE },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SNAPSHOT, VMD_MACHINE_REASON_NONE },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP, VMD_MACHINE_REASON_NONE },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED, VMD_MACHINE_REASON_CRASHED },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, VMD_MACHINE_REASON_NONE },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VMD_MACHINE_REASON_NONE },
    /* Saved or not is the managed image's to say, not this reason's. */
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED, VMD_MACHINE_REASON_NONE },
    { VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED, VMD_MACHINE_REASON_GUEST_PANIC },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, VMD_MACHINE_REASON_NONE },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_CRASHED, VMD_MACHINE_REASON_NONE },
    { 4242, 1, VMD_MACHINE_REASON_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("state %d reason %d", cases[i].state, cases[i].reason);
      g_assert_cmpint (_vmd_machine_reason_from_libvirt (cases[i].state, cases[i].reason), ==,
                       cases[i].expected);
    }
}

static void
test_reason_from_event (void)
{
  VmdMachineReason reason = VMD_MACHINE_REASON_USER;

  g_assert_true (_vmd_machine_reason_from_event (VIR_DOMAIN_EVENT_SUSPENDED,
                                                 VIR_DOMAIN_EVENT_SUSPENDED_IOERROR, &reason));
  g_assert_cmpint (reason, ==, VMD_MACHINE_REASON_IO_ERROR);
  g_assert_true (_vmd_machine_reason_from_event (VIR_DOMAIN_EVENT_STOPPED,
                                                 VIR_DOMAIN_EVENT_STOPPED_CRASHED, &reason));
  g_assert_cmpint (reason, ==, VMD_MACHINE_REASON_CRASHED);
  g_assert_true (_vmd_machine_reason_from_event (VIR_DOMAIN_EVENT_CRASHED,
                                                 VIR_DOMAIN_EVENT_CRASHED_PANICKED, &reason));
  g_assert_cmpint (reason, ==, VMD_MACHINE_REASON_GUEST_PANIC);
  g_assert_true (_vmd_machine_reason_from_event (VIR_DOMAIN_EVENT_RESUMED, 0, &reason));
  g_assert_cmpint (reason, ==, VMD_MACHINE_REASON_NONE);
  g_assert_true (_vmd_machine_reason_from_event (VIR_DOMAIN_EVENT_STOPPED,
                                                 VIR_DOMAIN_EVENT_STOPPED_DESTROYED, &reason));
  g_assert_cmpint (reason, ==, VMD_MACHINE_REASON_NONE);

  /* A plain pause is the user's or QEMU's own: only a read tells. */
  reason = VMD_MACHINE_REASON_USER;
  g_assert_false (_vmd_machine_reason_from_event (VIR_DOMAIN_EVENT_SUSPENDED,
                                                  VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, &reason));
  g_assert_false (_vmd_machine_reason_from_event (VIR_DOMAIN_EVENT_STOPPED,
                                                  VIR_DOMAIN_EVENT_STOPPED_SAVED, &reason));
  g_assert_false (_vmd_machine_reason_from_event (VIR_DOMAIN_EVENT_DEFINED, 0, &reason));
  g_assert_cmpint (reason, ==, VMD_MACHINE_REASON_USER);
}

static void
test_state_actions (void)
{
  /* What the menu offers in each state. */
  g_assert_true (vmd_machine_state_can_run (VMD_MACHINE_STATE_SHUT_OFF, VMD_MACHINE_ACTION_START));
  g_assert_false (vmd_machine_state_can_run (VMD_MACHINE_STATE_SHUT_OFF, VMD_MACHINE_ACTION_PAUSE));
  g_assert_false (vmd_machine_state_can_run (VMD_MACHINE_STATE_SHUT_OFF, VMD_MACHINE_ACTION_FORCE_OFF));
  g_assert_true (vmd_machine_state_can_run (VMD_MACHINE_STATE_RUNNING, VMD_MACHINE_ACTION_PAUSE));
  g_assert_true (vmd_machine_state_can_run (VMD_MACHINE_STATE_RUNNING, VMD_MACHINE_ACTION_SHUTDOWN));
  g_assert_false (vmd_machine_state_can_run (VMD_MACHINE_STATE_RUNNING, VMD_MACHINE_ACTION_START));
  g_assert_false (vmd_machine_state_can_run (VMD_MACHINE_STATE_RUNNING, VMD_MACHINE_ACTION_RESUME));
  g_assert_true (vmd_machine_state_can_run (VMD_MACHINE_STATE_PAUSED, VMD_MACHINE_ACTION_RESUME));
  g_assert_true (vmd_machine_state_can_run (VMD_MACHINE_STATE_PAUSED, VMD_MACHINE_ACTION_FORCE_OFF));
  g_assert_false (vmd_machine_state_can_run (VMD_MACHINE_STATE_PAUSED, VMD_MACHINE_ACTION_SHUTDOWN));
  g_assert_true (vmd_machine_state_can_run (VMD_MACHINE_STATE_CRASHED, VMD_MACHINE_ACTION_START));
  g_assert_true (vmd_machine_state_can_run (VMD_MACHINE_STATE_RUNNING, VMD_MACHINE_ACTION_DELETE));
  g_assert_false (vmd_machine_state_can_run (VMD_MACHINE_STATE_UNKNOWN, VMD_MACHINE_ACTION_DELETE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/libvirt/domain-xml/os-id", test_os_id);
  g_test_add_func ("/libvirt/domain-xml/disk-images", test_disk_images);
  g_test_add_func ("/libvirt/domain-xml/spice-target", test_spice_target);
  g_test_add_func ("/libvirt/ssh-tunnel/argv", test_ssh_argv);
  g_test_add_func ("/libvirt/state/from-libvirt", test_state_from_libvirt);
  g_test_add_func ("/libvirt/state/from-event", test_state_from_event);
  g_test_add_func ("/libvirt/state/actions", test_state_actions);
  g_test_add_func ("/libvirt/reason/from-libvirt", test_reason_from_libvirt);
  g_test_add_func ("/libvirt/reason/from-event", test_reason_from_event);

  return g_test_run ();
}
