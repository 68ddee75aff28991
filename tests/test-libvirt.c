/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-libvirt"

#include "config.h"

#include <libvirt/libvirt.h>

#include "vmd-libvirt.h"

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
  g_test_add_func ("/libvirt/state/from-libvirt", test_state_from_libvirt);
  g_test_add_func ("/libvirt/state/from-event", test_state_from_event);
  g_test_add_func ("/libvirt/state/actions", test_state_actions);
  g_test_add_func ("/libvirt/reason/from-libvirt", test_reason_from_libvirt);
  g_test_add_func ("/libvirt/reason/from-event", test_reason_from_event);

  return g_test_run ();
}
