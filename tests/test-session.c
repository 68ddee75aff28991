/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-session"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-connection.h"
#include "vmd-creator.h"
#include "vmd-domain-xml.h"
#include "vmd-engine.h"
#include "vmd-guest-spec.h"
#include "vmd-host.h"
#include "vmd-libvirt.h"
#include "vmd-media.h"
#include "vmd-error.h"
#include "vmd-machine.h"
#include "vmd-test-util.h"

/* A real guest on a real qemu:///session: the per-user libvirtd that this
 * test's private XDG dirs give it, QEMU, and GRUB's rescue CD booting under
 * KVM (TCG where /dev/kvm is not usable). */
#define URI          "qemu:///session"
#define GUEST        "vmdesk-it \"grub\" & <co>"
#define RESCUE_ISO   "/usr/lib/grub-rescue/grub-rescue-cdrom.iso"
#define EVENT_MS     2000
#define RECONNECT_MS 30000

typedef struct
{
  VmdMachine      *machine;
  VmdMachineState  target;
  gint64           reached;
} Watch;

static void
on_state (VmdMachine *machine,
          GParamSpec *pspec,
          Watch      *watch)
{
  if (watch->reached == 0 && vmd_machine_get_state (machine) == watch->target)
    watch->reached = g_get_monotonic_time ();
}

static GArray *latencies;  /* double, ms */

/* Runs @action and waits for the state it leads to, which must reach the
 * model through the daemon's event within EVENT_MS of the call returning. */
static void
run_and_measure (VmdMachine       *machine,
                 VmdMachineAction  action,
                 VmdMachineState   target,
                 const char       *label)
{
  Watch watch = { machine, target, 0 };
  g_autoptr(GError) error = NULL;
  gint64 start, done;
  gulong id;
  double latency;

  id = g_signal_connect (machine, "notify::state", G_CALLBACK (on_state), &watch);
  start = g_get_monotonic_time ();
  g_assert_true (vmd_test_run (machine, action, &error));
  g_assert_no_error (error);
  done = g_get_monotonic_time ();

  g_assert_true (vmd_test_wait_for_state (machine, target, EVENT_MS));
  g_signal_handler_disconnect (machine, id);
  g_assert_cmpint (watch.reached, >, 0);

  /* An event may beat the call's own reply back to us: that counts as 0. */
  latency = MAX (0, watch.reached - done) / 1000.0;
  g_array_append_val (latencies, latency);
  g_test_message ("%-10s call %.1f ms, event after reply %.1f ms, state seen %.1f ms after request",
                  label, (done - start) / 1000.0, latency, (watch.reached - start) / 1000.0);
}

static gboolean daemon_gone (gpointer data);

/* Stops a daemon and waits for it to be gone, so the next test starts a
 * fresh one. */
static void
kill_pidfile (const char *name)
{
  GPid pid = vmd_test_read_libvirt_pid (name);

  if (pid > 0 && kill (pid, SIGTERM) == 0)
    vmd_test_wait_until (daemon_gone, GINT_TO_POINTER (pid), 10000);
}

static gboolean
is_state (gpointer data)
{
  VmdConnection *connection = ((gpointer *) data)[0];
  VmdConnectionState state = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return vmd_connection_get_state (connection) == state;
}

static gboolean
wait_connection_state (VmdConnection      *connection,
                       VmdConnectionState  state,
                       guint               timeout_ms)
{
  gpointer data[2] = { connection, GINT_TO_POINTER (state) };

  return vmd_test_wait_until (is_state, data, timeout_ms);
}

/* Gone, or a zombie nobody reaps (no init in some containers). */
static gboolean
daemon_gone (gpointer data)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", GPOINTER_TO_INT (data));
  g_autofree char *stat = NULL;
  const char *end;

  if (kill (GPOINTER_TO_INT (data), 0) != 0 || !g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  end = strrchr (stat, ')');
  return end != NULL && end[1] == ' ' && end[2] == 'Z';
}

static void
on_connection_state (VmdConnection *connection,
                     GParamSpec    *pspec,
                     guint         *lost_count)
{
  if (vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_LOST)
    (*lost_count)++;
}

static gboolean
uint_positive (gpointer data)
{
  return *(guint *) data > 0;
}

static void
kill_daemon (void)
{
  GPid pid = vmd_test_read_libvirt_pid ("libvirtd.pid");

  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, SIGTERM), ==, 0);
  g_assert_true (vmd_test_wait_until (daemon_gone, GINT_TO_POINTER (pid), 10000));
}

static char *
make_guest_xml (const char *disk_path)
{
  gboolean kvm = g_access ("/dev/kvm", R_OK | W_OK) == 0;
  g_autofree char *name = g_markup_escape_text (GUEST, -1);
  g_autofree char *disk = g_markup_escape_text (disk_path, -1);

  if (!kvm)
    g_test_message ("/dev/kvm is not usable: the guest runs under TCG");

  return g_strdup_printf (
    "<domain type='%s'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>128</memory>"
    "  <vcpu>1</vcpu>"
    "  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='cdrom'/></os>"
    "  <devices>"
    "    <disk type='file' device='disk'>"
    "      <driver name='qemu' type='qcow2'/>"
    "      <source file='%s'/><target dev='vda' bus='virtio'/>"
    "    </disk>"
    "    <disk type='file' device='cdrom'>"
    "      <source file='" RESCUE_ISO "'/><target dev='sda' bus='sata'/><readonly/>"
    "    </disk>"
    "  </devices>"
    "</domain>", kvm ? "kvm" : "qemu", name, disk);
}

/* The images pool and one qcow2 volume, made the way VmDesk lays them out. */
static char *
make_disk (virConnectPtr conn)
{
  g_autofree char *dir = vmd_engine_dup_images_dir ();
  g_autofree char *dir_xml = g_markup_escape_text (dir, -1);
  g_autofree char *pool_xml = g_strdup_printf (
    "<pool type='dir'><name>vmdesk</name><target><path>%s</path></target></pool>", dir_xml);
  const char *vol_xml =
    "<volume><name>it.qcow2</name><capacity unit='MiB'>64</capacity>"
    "<target><format type='qcow2'/><permissions><mode>0600</mode></permissions></target>"
    "</volume>";
  virStoragePoolPtr pool;
  virStorageVolPtr vol;
  char *path;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  pool = virStoragePoolDefineXML (conn, pool_xml, 0);
  g_assert_nonnull (pool);
  g_assert_cmpint (virStoragePoolCreate (pool, 0), ==, 0);
  vol = virStorageVolCreateXML (pool, vol_xml, 0);
  g_assert_nonnull (vol);
  path = virStorageVolGetPath (vol);

  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  return path;
}

static void
on_defined (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  VmdMachine **machine = user_data;
  g_autoptr(GError) error = NULL;

  *machine = vmd_connection_define_finish (VMD_CONNECTION (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
not_null (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
kill_qemu (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "libvirt", "qemu", "run",
                                          NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;
  guint killed = 0;

  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      if (g_str_has_suffix (entry, ".pid"))
        {
          g_autofree char *name = g_build_filename ("qemu", "run", entry, NULL);
          GPid pid = vmd_test_read_libvirt_pid (name);

          if (pid > 0 && kill (pid, SIGKILL) == 0)
            {
              g_assert_true (vmd_test_wait_until (daemon_gone, GINT_TO_POINTER (pid), 10000));
              killed++;
            }
        }
    }
  g_assert_cmpuint (killed, ==, 1);
}

static void
test_lifecycle (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *disk = NULL;
  g_autofree char *xml = NULL;
  virConnectPtr other;
  double sum = 0, max = 0;
  guint lost_count = 0;

  if (getuid () == 0)
    {
      g_test_skip ("qemu:///session as root reaches the system daemon: "
                   "run this through tests/as-test-user.sh");
      return;
    }
  if (!g_file_test (RESCUE_ISO, G_FILE_TEST_EXISTS))
    {
      g_test_fail_printf ("%s is missing (package grub-rescue-pc)", RESCUE_ISO);
      return;
    }

  latencies = g_array_new (FALSE, FALSE, sizeof (double));

  connection = vmd_connection_new (URI);
  g_assert_true (vmd_test_open (connection, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, 0);

  other = virConnectOpen (URI);
  g_assert_nonnull (other);
  disk = make_disk (other);
  g_assert_true (g_file_test (disk, G_FILE_TEST_EXISTS));

  /* Define, through VmdConnection, with a name full of quotes. */
  xml = make_guest_xml (disk);
  vmd_connection_define_async (connection, xml, NULL, on_defined, &machine);
  g_assert_true (vmd_test_wait_until (not_null, &machine, 30000));
  g_assert_cmpstr (vmd_machine_get_name (machine), ==, GUEST);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpuint (vmd_machine_get_memory (machine), ==, 128 * 1024 * 1024);
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, 1);

  run_and_measure (machine, VMD_MACHINE_ACTION_START, VMD_MACHINE_STATE_RUNNING, "start");
  run_and_measure (machine, VMD_MACHINE_ACTION_PAUSE, VMD_MACHINE_STATE_PAUSED, "pause");
  run_and_measure (machine, VMD_MACHINE_ACTION_RESUME, VMD_MACHINE_STATE_RUNNING, "resume");

  /* The daemon dies and comes back: the model follows, and the guest,
   * which outlived it, is still there and running. */
  virConnectClose (other);
  g_signal_connect (connection, "notify::state", G_CALLBACK (on_connection_state), &lost_count);
  kill_daemon ();
  g_assert_true (vmd_test_wait_until (uint_positive, &lost_count, 10000));
  vmd_test_start_daemon ();
  g_assert_true (wait_connection_state (connection, VMD_CONNECTION_STATE_CONNECTED, RECONNECT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, 1);
  g_assert_true (vmd_connection_find_machine_by_name (connection, GUEST) == machine);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_RUNNING);
  run_and_measure (machine, VMD_MACHINE_ACTION_PAUSE, VMD_MACHINE_STATE_PAUSED, "pause (2)");
  run_and_measure (machine, VMD_MACHINE_ACTION_RESUME, VMD_MACHINE_STATE_RUNNING, "resume (2)");

  /* The daemon stays away while the guest dies: once it is back, the
   * listing corrects the model. */
  kill_daemon ();
  g_assert_true (wait_connection_state (connection, VMD_CONNECTION_STATE_LOST, 10000));
  kill_qemu ();
  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_LOST);
  vmd_test_start_daemon ();
  vmd_connection_reconnect (connection);
  g_assert_true (wait_connection_state (connection, VMD_CONNECTION_STATE_CONNECTED, RECONNECT_MS));
  /* The new daemon reattaches to its guests in the background: give it
   * time to find this one dead, killed, which it calls "shut off
   * (crashed)". */
  if (!vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_CRASHED, 10000))
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *argv[] = { "virsh", "-c", URI, "domstate", "--reason", GUEST, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, NULL, NULL);
      g_test_message ("model says %d; virsh says:\n%s%s", vmd_machine_get_state (machine), out, err);
      g_assert_not_reached ();
    }

  run_and_measure (machine, VMD_MACHINE_ACTION_START, VMD_MACHINE_STATE_RUNNING, "start (2)");
  run_and_measure (machine, VMD_MACHINE_ACTION_FORCE_OFF, VMD_MACHINE_STATE_SHUT_OFF, "force off");
  run_and_measure (machine, VMD_MACHINE_ACTION_START, VMD_MACHINE_STATE_RUNNING, "start (3)");

  /* Delete while running: forced off, undefined, its image gone, the ISO kept. */
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_machine_gone (connection, GUEST, EVENT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, 0);
  g_assert_false (g_file_test (disk, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (RESCUE_ISO, G_FILE_TEST_EXISTS));

  for (guint i = 0; i < latencies->len; i++)
    {
      double ms = g_array_index (latencies, double, i);
      sum += ms;
      max = MAX (max, ms);
    }
  g_test_message ("event latency after the call returned: mean %.1f ms, max %.1f ms over %u changes",
                  sum / latencies->len, max, latencies->len);
  g_clear_pointer (&latencies, g_array_unref);

  g_signal_handlers_disconnect_by_func (connection, on_connection_state, &lost_count);
  g_clear_object (&connection);
  kill_pidfile ("libvirtd.pid");
  kill_pidfile ("virtlogd.pid");
}

static int
count_volumes (virConnectPtr conn)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, "vmdesk");
  int n;

  if (pool == NULL)
    return 0;
  virStoragePoolRefresh (pool, 0);
  n = virStoragePoolNumOfVolumes (pool);
  virStoragePoolFree (pool);
  return n;
}

/* From an ISO path to a running guest, the way the review page does it;
 * then a creation that fails at start leaves nothing behind. */
static gboolean
has_started (gpointer data)
{
  VmdMachineState state = vmd_machine_get_state (data);

  return state == VMD_MACHINE_STATE_RUNNING || state == VMD_MACHINE_STATE_PAUSED;
}

static void
test_create (void)
{
  g_autoptr(VmdConnection) connection = NULL;
  g_autoptr(VmdMedia) media = NULL;
  g_autoptr(VmdHost) host = NULL;
  g_autoptr(VmdGuestSpec) spec = NULL;
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *images = vmd_engine_dup_images_dir ();
  virConnectPtr other;
  virDomainPtr dom;
  GStatBuf st;

  if (getuid () == 0)
    {
      g_test_skip ("qemu:///session as root reaches the system daemon");
      return;
    }

  connection = vmd_connection_new (URI);
  vmd_test_open (connection, &error);
  g_assert_no_error (error);

  media = vmd_test_identify (RESCUE_ISO, &error);
  g_assert_no_error (error);
  host = vmd_test_query_host (connection, &error);
  g_assert_no_error (error);
  g_test_message ("host: %" G_GUINT64_FORMAT " MiB RAM, %" G_GUINT64_FORMAT " MiB available, "
                  "%u CPUs, KVM %s, UEFI %s, TPM %s",
                  vmd_host_get_total_ram (host) >> 20, vmd_host_get_available_ram (host) >> 20,
                  vmd_host_get_n_cpus (host), vmd_host_get_kvm (host) ? "yes" : "no",
                  vmd_host_get_efi (host) ? "yes" : "no", vmd_host_get_tpm (host) ? "yes" : "no");
  /* virNodeGetInfo under-reports in containers: the host's RAM comes from
   * the memory stats and /proc/meminfo. */
  g_assert_cmpuint (vmd_host_get_total_ram (host), >=, vmd_host_get_available_ram (host));

  spec = vmd_guest_spec_new_for_media (media, host, vmd_connection_get_machines (connection));
  /* Small and quick: GRUB needs little. */
  vmd_guest_spec_set_memory (spec, 256 << 20);
  vmd_guest_spec_set_vcpus (spec, 1);
  vmd_guest_spec_set_disk_size (spec, G_GUINT64_CONSTANT (1) << 30);
  vmd_guest_spec_set_name (spec, "created \"from\" <ISO> & co");

  creator = vmd_creator_new (connection, spec);
  machine = vmd_test_create (creator, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_machine_get_name (machine), ==, "created \"from\" <ISO> & co");
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, EVENT_MS));
  g_assert_cmpstr (vmd_creator_get_step (creator), ==, "Done");
  g_assert_true (vmd_connection_find_machine_by_name (connection, vmd_machine_get_name (machine)) == machine);

  /* Its disk: in VmDesk's pool, private to the user. */
  other = virConnectOpen (URI);
  g_assert_nonnull (other);
  g_assert_cmpint (count_volumes (other), ==, 1);
  {
    g_autofree char *disk = g_build_filename (images, "created-from-ISO-co.qcow2", NULL);

    g_assert_cmpint (g_stat (disk, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }

  /* Its screen has no port; the CD-ROM comes first. */
  dom = virDomainLookupByName (other, vmd_machine_get_name (machine));
  g_assert_nonnull (dom);
  xml = virDomainGetXMLDesc (dom, 0);
  g_assert_nonnull (strstr (xml, "<listen type='none'/>"));
  {
    g_auto(GStrv) ports = _vmd_xml_xpath_strings (xml, "/domain/devices/graphics/@port"
                                                       " | /domain/devices/graphics/@tlsPort");
    g_auto(GStrv) boot = _vmd_xml_xpath_strings (xml, "/domain/devices/disk[@device='cdrom']/boot/@order");

    g_assert_cmpuint (g_strv_length (ports), ==, 0);
    g_assert_cmpstr (boot[0], ==, "1");
  }

  /* A disk the person attached from elsewhere is theirs: Delete keeps it. */
  {
    g_autofree char *theirs = g_build_filename (g_get_tmp_dir (), "their data.img", NULL);
    g_autofree char *theirs_xml = g_markup_escape_text (theirs, -1);
    g_autofree char *device = g_strdup_printf ("<disk type='file' device='disk'>"
                                               "<driver name='qemu' type='raw'/>"
                                               "<source file='%s'/><target dev='vdb' bus='virtio'/>"
                                               "</disk>", theirs_xml);

    g_assert_true (g_file_set_contents (theirs, "their data", -1, NULL));
    g_assert_cmpint (virDomainAttachDeviceFlags (dom, device, VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
    virDomainFree (dom);

    g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, &error));
    g_assert_no_error (error);
    g_assert_true (vmd_test_wait_machine_gone (connection, vmd_machine_get_name (machine), EVENT_MS));
    g_assert_cmpint (count_volumes (other), ==, 0);
    g_assert_true (g_file_test (theirs, G_FILE_TEST_EXISTS));
    g_unlink (theirs);
  }

  /* Secure boot needs SMM, which some hosts lack (nested KVM among them):
   * there the guest starts without it, from the same installer. */
  vmd_guest_spec_set_name (spec, "secure");
  vmd_guest_spec_set_platform (spec, NULL, "secure", RESCUE_ISO, VMD_FIRMWARE_EFI, TRUE, FALSE,
                               vmd_guest_spec_get_kvm (spec));
  g_clear_object (&creator);
  g_clear_object (&machine);
  creator = vmd_creator_new (connection, spec);
  machine = vmd_test_create (creator, &error);
  g_assert_no_error (error);
  /* Started: OVMF under this nested KVM may be paused by QEMU at once
   * (an emulation failure), which is not what is checked here. */
  g_assert_true (vmd_test_wait_until (has_started, machine, 30000));
  dom = virDomainLookupByName (other, "secure");
  g_assert_nonnull (dom);
  g_free (xml);
  xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  {
    g_auto(GStrv) iso = _vmd_xml_xpath_strings (xml, "/domain/devices/disk[@device='cdrom']/source/@file");
    g_auto(GStrv) smm = _vmd_xml_xpath_strings (xml, "/domain/features/smm/@state");
    g_auto(GStrv) type = _vmd_xml_xpath_strings (xml, "/domain/@type");
    /* Planned with KVM, and emulated: KVM paused it at once. */
    gboolean emulated = vmd_guest_spec_get_kvm (spec) && g_strcmp0 (type[0], "qemu") == 0;
    g_autoptr(GString) said = g_string_new (NULL);

    g_test_message ("secure boot: %s; %s", smm[0] ? "on" : "off, the host has no SMM",
                    emulated ? "emulated, this computer's KVM stopped it" : type[0]);
    g_assert_cmpstr (iso[0], ==, RESCUE_ISO);
    /* What was turned down is said, and only then. */
    if (smm[0] == NULL)
      g_string_append (said, "No secure boot on this computer: “secure” starts without it");
    if (emulated)
      g_string_append_printf (said, "%sThis computer’s KVM cannot run “secure”: it runs without "
                              "it, more slowly", said->len > 0 ? ". " : "");
    if (said->len > 0)
      g_assert_cmpstr (vmd_creator_get_notice (creator), ==, said->str);
    else
      g_assert_null (vmd_creator_get_notice (creator));
  }
  virDomainFree (dom);
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_machine_gone (connection, "secure", EVENT_MS));

  /* A creation whose installer image vanished says so before it makes
   * anything. */
  vmd_guest_spec_set_name (spec, "doomed");
  vmd_guest_spec_set_platform (spec, NULL, "doomed", "/nonexistent/installer.iso",
                               VMD_FIRMWARE_BIOS, FALSE, FALSE, vmd_guest_spec_get_kvm (spec));
  g_clear_object (&creator);
  creator = vmd_creator_new (connection, spec);
  g_assert_null (vmd_test_create (creator, &error));
  g_assert_nonnull (error);
  g_test_message ("failed creation says: %s", error->message);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“installer.iso” is no longer there"));
  g_clear_error (&error);
  g_assert_null (virDomainLookupByName (other, "doomed"));
  g_assert_cmpint (count_volumes (other), ==, 0);
  g_assert_true (vmd_test_wait_machine_gone (connection, "doomed", EVENT_MS));

  virConnectClose (other);
  g_clear_object (&connection);
  kill_pidfile ("libvirtd.pid");
  kill_pidfile ("virtlogd.pid");
}

/* Every golden file of test-domain-xml is a domain libvirt accepts. */
static void
test_golden_define (void)
{
  const char *goldens[] = { "domain-linux-virtio.xml", "domain-windows.xml",
                            "domain-unknown.xml", "domain-tcg.xml" };
  gboolean kvm = g_access ("/dev/kvm", R_OK | W_OK) == 0;
  virConnectPtr conn;

  if (getuid () == 0)
    {
      g_test_skip ("qemu:///session as root reaches the system daemon");
      return;
    }

  vmd_test_start_daemon ();
  conn = virConnectOpen (URI);
  g_assert_nonnull (conn);
  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", goldens[i], NULL);
      g_autofree char *xml = NULL;
      virDomainPtr dom;

      g_assert_true (g_file_get_contents (path, &xml, NULL, NULL));
      /* Without a usable /dev/kvm libvirt refuses the KVM domain type
       * itself: the rest of the definition is still checked, under TCG. */
      if (!kvm && g_str_has_prefix (xml, "<domain type=\"kvm\">"))
        {
          char *tcg = g_strconcat ("<domain type=\"qemu\">", xml + strlen ("<domain type=\"kvm\">"),
                                   NULL);

          g_test_message ("%s: checked as type qemu (no usable /dev/kvm)", goldens[i]);
          g_free (xml);
          xml = tcg;
        }
      dom = virDomainDefineXML (conn, xml);
      if (dom == NULL)
        g_error ("libvirt rejects %s: %s", goldens[i], virGetLastErrorMessage ());
      g_assert_cmpint (virDomainUndefineFlags (dom, VIR_DOMAIN_UNDEFINE_NVRAM), ==, 0);
      virDomainFree (dom);
    }
  virConnectClose (conn);
  kill_pidfile ("libvirtd.pid");
  kill_pidfile ("virtlogd.pid");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = NULL;
  int status;

  /* The lifecycle keeps the daemon away at times: libvirt never starts it
   * by itself here, vmd_test_start_daemon() does. Set before any thread
   * exists: a setenv() while libvirt's or GLib's threads read the
   * environment (every g_debug() does) can free it under them (SIGSEGV). */
  g_setenv ("LIBVIRT_AUTOSTART", "0", TRUE);
  root = vmd_test_init_session (&argc, &argv);

  g_test_add_func ("/session/lifecycle", test_lifecycle);
  g_test_add_func ("/session/create", test_create);
  g_test_add_func ("/session/golden-define", test_golden_define);

  status = g_test_run ();
  vmd_test_remove_dirs (root);
  return status;
}
