/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-faults"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-creator.h"
#include "vmd-engine.h"
#include "vmd-error.h"
#include "vmd-guest-spec.h"
#include "vmd-host.h"
#include "vmd-machine.h"
#include "vmd-media.h"
#include "vmd-name.h"
#include "vmd-test-util.h"

/* Creations that go wrong on a real qemu:///session: the daemon killed at
 * each step, QEMU killed as it starts, a full disk, an installer removed
 * after the review, a guest the host cannot hold; a clone and an import
 * with the daemon killed in the middle of their copy. Whatever happens, a
 * failed creation leaves no domain and no volume once the daemon is back,
 * and says what happened in a sentence. */
#define URI        "qemu:///session"
#define RESCUE_ISO "/usr/lib/grub-rescue/grub-rescue-cdrom.iso"
#define PREFIX     "fault "
#define RECONNECT_MS 30000

static VmdConnection *connection;
static VmdHost *host;
static VmdMedia *media;
static guint tried, survived, lost;

static gboolean
is_connected (gpointer data)
{
  return vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED;
}

static VmdGuestSpec *
small_spec (const char *name,
            const char *iso)
{
  VmdGuestSpec *spec = vmd_guest_spec_new_for_media (media, host,
                                                      vmd_connection_get_machines (connection));

  vmd_guest_spec_set_name (spec, name);
  vmd_guest_spec_set_memory (spec, 256 << 20);
  vmd_guest_spec_set_vcpus (spec, 1);
  vmd_guest_spec_set_disk_size (spec, G_GUINT64_CONSTANT (1) << 30);
  vmd_guest_spec_set_platform (spec, NULL, name, iso, VMD_FIRMWARE_BIOS, FALSE, FALSE,
                               vmd_guest_spec_get_kvm (spec));
  return spec;
}

static gboolean
connection_opens (gpointer data)
{
  *(virConnectPtr *) data = virConnectOpen (URI);
  return *(virConnectPtr *) data != NULL;
}

/* What the daemon holds, seen from a connection of its own (which starts
 * the daemon again when it was killed). */
static void
count_leftovers (guint *domains,
                 guint *volumes)
{
  virConnectPtr conn = NULL;
  virDomainPtr *list = NULL;
  virStoragePoolPtr pool;
  int n;

  vmd_test_start_daemon ();
  /* The daemon may be starting again. */
  g_assert_true (vmd_test_wait_until (connection_opens, &conn, RECONNECT_MS));

  *domains = 0;
  n = virConnectListAllDomains (conn, &list, 0);
  g_assert_cmpint (n, >=, 0);
  for (int i = 0; i < n; i++)
    {
      if (g_str_has_prefix (virDomainGetName (list[i]), PREFIX))
        (*domains)++;
      virDomainFree (list[i]);
    }
  free (list);

  *volumes = 0;
  pool = virStoragePoolLookupByName (conn, "vmdesk");
  if (pool != NULL && virStoragePoolIsActive (pool) == 1)
    {
      virStorageVolPtr *vols = NULL;

      virStoragePoolRefresh (pool, 0);
      n = virStoragePoolListAllVolumes (pool, &vols, 0);
      g_assert_cmpint (n, >=, 0);
      for (int i = 0; i < n; i++)
        {
          if (g_str_has_prefix (virStorageVolGetName (vols[i]), "fault-"))
            (*volumes)++;
          virStorageVolFree (vols[i]);
        }
      free (vols);
    }
  if (pool != NULL)
    virStoragePoolFree (pool);
  virConnectClose (conn);
}

/* A sentence or two, never the daemon's command lines. */
static void
assert_readable (const GError *error)
{
  g_assert_true (error->domain == VMD_ERROR || error->domain == G_IO_ERROR);
  g_assert_cmpuint (strlen (error->message), <, 400);
  g_assert_null (strstr (error->message, "qemu-img"));
}

/* One creation's outcome: a machine (deleted again) or a readable error,
 * and in either case nothing else left. */
static void
account (const char *label,
         VmdMachine *machine,
         GError     *error)
{
  guint domains, volumes;

  g_assert_true (vmd_test_wait_until (is_connected, NULL, RECONNECT_MS));
  count_leftovers (&domains, &volumes);
  tried++;

  if (machine != NULL)
    {
      g_autoptr(GError) delete_error = NULL;

      g_test_message ("%s: created (%u domain, %u volume)", label, domains, volumes);
      if (domains == 1 && volumes == 1)
        survived++;
      else
        lost++;
      g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, &delete_error));
      g_assert_no_error (delete_error);
      g_assert_true (vmd_test_wait_machine_gone (connection, vmd_machine_get_name (machine),
                                                 RECONNECT_MS));
      return;
    }

  g_assert_nonnull (error);
  g_test_message ("%s: failed (%u domains, %u volumes left): %s", label, domains, volumes,
                  error->message);
  assert_readable (error);
  if (domains == 0 && volumes == 0)
    survived++;
  else
    lost++;
}

static void
kill_daemon (void)
{
  GPid pid = vmd_test_read_libvirt_pid ("libvirtd.pid");

  if (pid > 0)
    kill (pid, SIGKILL);
}

typedef struct
{
  const char *step;
  gboolean    fired;
  GThread    *thread;
} Fault;

/* Once QEMU has a pid file: killed. */
static gboolean
qemu_killed (gpointer data)
{
  GPid pid = vmd_test_read_libvirt_pid ("qemu/run/" PREFIX "qemu.pid");

  if (pid <= 0)
    return FALSE;
  kill (pid, SIGKILL);
  return TRUE;
}

/* Polls apart from the main loop, which the creation's progress keeps
 * busy: QEMU is killed within a millisecond of writing its pid file. */
static gpointer
kill_qemu_thread (gpointer data)
{
  for (guint i = 0; i < 20000 && !qemu_killed (NULL); i++)
    g_usleep (500);
  return NULL;
}

static void
on_step_kill_daemon (VmdCreator *creator,
                     GParamSpec *pspec,
                     Fault      *fault)
{
  if (!fault->fired && g_strcmp0 (vmd_creator_get_step (creator), fault->step) == 0)
    {
      fault->fired = TRUE;
      kill_daemon ();
    }
}

static void
on_step_kill_qemu (VmdCreator *creator,
                   GParamSpec *pspec,
                   Fault      *fault)
{
  if (!fault->fired && g_strcmp0 (vmd_creator_get_step (creator), fault->step) == 0)
    {
      fault->fired = TRUE;
      fault->thread = g_thread_new ("kill-qemu", kill_qemu_thread, NULL);
    }
}

static gboolean
skip_unless_session (void)
{
  if (getuid () == 0)
    {
      g_test_skip ("qemu:///session as root reaches the system daemon: "
                   "run this through tests/as-test-user.sh");
      return TRUE;
    }
  return FALSE;
}

/* The cases that kill the daemon. */
static gboolean
skip_unless_daemon_may_die (void)
{
  if (skip_unless_session ())
    return TRUE;
#ifdef __SANITIZE_ADDRESS__
  /* A killed daemon is started again by the next connection, which forks
   * this process; GCC 12's AddressSanitizer allocator is not fork-safe,
   * and the child, before its exec, can wait for ever on a lock another
   * thread held (3 hangs in 17 loaded runs). The plain build runs this. */
  g_test_skip ("under AddressSanitizer, libvirt's fork before exec of the daemon can deadlock");
  return TRUE;
#else
  return FALSE;
#endif
}

/* The daemon killed at every step of a creation, twice over. */
static void
test_daemon_killed (void)
{
  const char *steps[] = { "Preparing storage…", "Creating the disk…",
                          "Creating the machine…", "Starting the machine…" };

  if (skip_unless_daemon_may_die ())
    return;

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        g_autofree char *name = g_strdup_printf (PREFIX "daemon %u-%u", round, i);
        g_autofree char *label = g_strdup_printf ("daemon killed at “%s”", steps[i]);
        g_autoptr(VmdGuestSpec) spec = small_spec (name, RESCUE_ISO);
        g_autoptr(VmdCreator) creator = vmd_creator_new (connection, spec);
        g_autoptr(VmdMachine) machine = NULL;
        g_autoptr(GError) error = NULL;
        Fault fault = { steps[i], FALSE, NULL };

        g_assert_true (vmd_test_wait_until (is_connected, NULL, RECONNECT_MS));
        g_signal_connect (creator, "notify::step", G_CALLBACK (on_step_kill_daemon), &fault);
        machine = vmd_test_create (creator, &error);
        g_signal_handlers_disconnect_by_data (creator, &fault);
        g_assert_true (fault.fired || machine == NULL);
        account (label, machine, error);
      }
}

/* QEMU killed as the machine starts: a failed creation leaves nothing; a
 * finished one is the person's machine, shown as it is. */
static void
test_qemu_killed (void)
{
  if (skip_unless_session ())
    return;

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(VmdGuestSpec) spec = small_spec (PREFIX "qemu", RESCUE_ISO);
      g_autoptr(VmdCreator) creator = vmd_creator_new (connection, spec);
      g_autoptr(VmdMachine) machine = NULL;
      g_autoptr(GError) error = NULL;
      Fault fault = { "Starting the machine…", FALSE, NULL };

      g_signal_connect (creator, "notify::step", G_CALLBACK (on_step_kill_qemu), &fault);
      machine = vmd_test_create (creator, &error);
      g_signal_handlers_disconnect_by_data (creator, &fault);
      g_assert_true (fault.fired);
      g_thread_join (fault.thread);
      /* Killed after it started: crashed, and said so. Killed during the
       * start: started again without the host's CPU model (a QEMU that
       * quits as it starts looks like one that turns the model down). */
      if (machine != NULL)
        {
          vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_CRASHED, 5000);
          g_test_message ("QEMU killed: the created machine is %s",
                          vmd_machine_state_to_string (vmd_machine_get_state (machine)));
        }
      account ("QEMU killed as it starts", machine, error);
    }
}

/* Copies killed with the daemon: a clone of a machine that is off and an
 * import of a disk image, each a copy that libvirt makes (the daemon runs
 * qemu-img) over seconds. The original is named apart from PREFIX: it is
 * no leftover. */
#define COPY_SOURCE "copy source"
/* The kill lands when the cloner first sees the copy's file grow (it looks
 * every 250 ms): measured 0-38 % into a copy of 1 GiB, which takes about
 * 0.7 s unloaded, also with the 2 cores kept busy. */
#define COPY_SIZE   "1G"
/* The run's end, once the daemon is killed: a hang fails here. */
#define COPY_MS     180000

static char *copy_dir;    /* the original's folder, in no storage pool */
static char *copy_image;  /* its disk */
static char *copy_sum;    /* its SHA-256, as made */

/* The original: a machine, off, whose disk is a qcow2 full of data
 * (qemu-img copies what is allocated: a blank disk is copied at once), in
 * a folder of no storage pool, so that the cloner lends one over it, as
 * for a disk a person keeps where they like. Made once, for both copies. */
static void
ensure_copy_source (void)
{
  const char *create[] = { "qemu-img", "create", "-q", "-f", "qcow2", NULL, COPY_SIZE, NULL };
  /* No flush to wait for: the copy reads it from the page cache. */
  const char *fill[] = { "qemu-io", "-f", "qcow2", "-t", "unsafe",
                         "-c", "write -P 0x5a 0 " COPY_SIZE, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *xml = NULL;
  virConnectPtr conn;
  virDomainPtr domain;
  int status;

  if (copy_image != NULL)
    return;
  copy_dir = g_dir_make_tmp ("vmd-copy-XXXXXX", &error);
  g_assert_no_error (error);
  copy_image = g_build_filename (copy_dir, "original.qcow2", NULL);
  create[5] = copy_image;
  fill[7] = copy_image;
  g_free (vmd_test_run_capture (create, &status));
  g_assert_cmpint (status, ==, 0);
  g_free (vmd_test_run_capture (fill, &status));
  g_assert_cmpint (status, ==, 0);
  copy_sum = vmd_test_checksum (copy_image);

  escaped = g_markup_escape_text (copy_image, -1);
  xml = g_strdup_printf ("<domain type='qemu'>"
                         "  <name>" COPY_SOURCE "</name>"
                         "  <memory unit='MiB'>64</memory>"
                         "  <vcpu>1</vcpu>"
                         "  <os><type arch='x86_64' machine='q35'>hvm</type></os>"
                         "  <devices>"
                         "    <disk type='file' device='disk'>"
                         "      <driver name='qemu' type='qcow2'/>"
                         "      <source file='%s'/><target dev='sda' bus='sata'/>"
                         "    </disk>"
                         "  </devices>"
                         "</domain>", escaped);
  conn = virConnectOpen (URI);
  g_assert_nonnull (conn);
  domain = virDomainDefineXML (conn, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
  virConnectClose (conn);
  g_assert_nonnull (vmd_test_wait_for_machine (connection, COPY_SOURCE, RECONNECT_MS));
}

typedef struct
{
  gboolean fired;
  double   at;     /* the fraction shown when it fired */
} CopyFault;

/* Once the copy is on its way: past the 5 % shown before it starts (the
 * cloner reads the copy's file growing in the pool), short of the 90 %
 * where the copying ends. */
static void
on_fraction_kill_daemon (VmdCloner  *cloner,
                         GParamSpec *pspec,
                         CopyFault  *fault)
{
  double fraction = vmd_cloner_get_fraction (cloner);

  if (!fault->fired && g_strcmp0 (vmd_cloner_get_step (cloner), "Copying the disks…") == 0 &&
      fraction > 0.05 && fraction < 0.9)
    {
      fault->fired = TRUE;
      fault->at = fraction;
      kill_daemon ();
    }
}

/* The cloner logs what it could not undo with the daemon gone: what
 * counts here is what is left, which the test looks at itself. Logged as
 * test messages (GLib's own handler would end the TAP stream with "Bail
 * out!"), and not fatal. */
static void
log_cloner (const char     *log_domain,
            GLogLevelFlags  log_level,
            const char     *message,
            gpointer        user_data)
{
  g_test_message ("%s: %s", log_domain, message);
}

static gboolean
cloner_warnings_not_fatal (const char     *log_domain,
                           GLogLevelFlags  log_level,
                           const char     *message,
                           gpointer        user_data)
{
  return g_strcmp0 (log_domain, "vmd-cloner") != 0;
}

/* What a killed copy of @name left, once the daemon is back, each said in
 * @left and removed, so that the next case starts clean: its domain, its
 * volume in VmDesk's pool, its file in the pool's folder (listed as a
 * volume or not), a pool lent over the original's folder; and whether the
 * original is as it was. Returns how many. */
static guint
clear_copy_leftovers (const char *name,
                      GString    *left)
{
  g_autofree char *base = vmd_name_to_file_base (name);
  g_autofree char *images = vmd_engine_dup_images_dir ();
  g_autoptr(GDir) dir = NULL;
  virConnectPtr conn = NULL;
  virStoragePoolPtr *pools = NULL;
  virDomainPtr domain;
  const char *entry;
  guint n = 0;
  int count;

  vmd_test_start_daemon ();
  g_assert_true (vmd_test_wait_until (connection_opens, &conn, RECONNECT_MS));

  domain = virDomainLookupByName (conn, name);
  if (domain != NULL)
    {
      g_string_append_printf (left, " the domain “%s”;", name);
      n++;
      virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_NVRAM);
      virDomainFree (domain);
    }

  /* The pools: VmDesk's, where a volume of the copy would be, and those
   * lent for a copy, which end with it. */
  count = virConnectListAllStoragePools (conn, &pools, 0);
  g_assert_cmpint (count, >=, 0);
  for (int i = 0; i < count; i++)
    {
      const char *pool_name = virStoragePoolGetName (pools[i]);

      if (g_str_equal (pool_name, "vmdesk") && virStoragePoolIsActive (pools[i]) == 1)
        {
          virStorageVolPtr *vols = NULL;
          int n_vols;

          virStoragePoolRefresh (pools[i], 0);
          n_vols = virStoragePoolListAllVolumes (pools[i], &vols, 0);
          g_assert_cmpint (n_vols, >=, 0);
          for (int v = 0; v < n_vols; v++)
            {
              if (g_str_has_prefix (virStorageVolGetName (vols[v]), base))
                {
                  g_string_append_printf (left, " the volume %s;", virStorageVolGetName (vols[v]));
                  n++;
                }
              virStorageVolFree (vols[v]);
            }
          free (vols);
        }
      else if (g_str_has_prefix (pool_name, "vmdesk-clone-"))
        {
          g_string_append_printf (left, " the lent pool %s (%s, %s);", pool_name,
                                  virStoragePoolIsActive (pools[i]) == 1 ? "active" : "inactive",
                                  virStoragePoolIsPersistent (pools[i]) == 1 ? "persistent"
                                                                             : "transient");
          n++;
          virStoragePoolDestroy (pools[i]);
        }
      virStoragePoolFree (pools[i]);
    }
  free (pools);

  /* The files, whether a volume lists them or not: the daemon's qemu-img
   * may still be writing one, into a file that is gone once removed. */
  dir = g_dir_open (images, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, base))
      {
        g_autofree char *path = g_build_filename (images, entry, NULL);
        GStatBuf st = { 0 };

        g_stat (path, &st);
        g_string_append_printf (left, " the file %s (%" G_GUINT64_FORMAT " MiB on disk);", path,
                                (guint64) st.st_blocks * 512 >> 20);
        n++;
        g_unlink (path);
      }
  {
    virStoragePoolPtr pool = virStoragePoolLookupByName (conn, "vmdesk");

    if (pool != NULL)
      {
        virStoragePoolRefresh (pool, 0);
        virStoragePoolFree (pool);
      }
  }

  /* The original: still defined on its disk, which is unchanged. */
  domain = virDomainLookupByName (conn, COPY_SOURCE);
  if (domain == NULL)
    {
      g_string_append (left, " the original machine is gone;");
      n++;
    }
  else
    {
      g_autofree char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);

      if (xml == NULL || strstr (xml, copy_image) == NULL)
        {
          g_string_append (left, " the original machine lost its disk;");
          n++;
        }
      virDomainFree (domain);
    }
  if (!g_file_test (copy_image, G_FILE_TEST_IS_REGULAR))
    {
      g_string_append (left, " the original disk is gone;");
      n++;
    }
  else
    {
      g_autofree char *sum = vmd_test_checksum (copy_image);

      if (!g_str_equal (sum, copy_sum))
        {
          g_string_append (left, " the original disk changed;");
          n++;
        }
    }
  virConnectClose (conn);
  return n;
}

/* A clone or an import with the daemon killed in the middle of its copy:
 * it fails in a sentence, in good time, and once the daemon is back there
 * is nothing left of the copy and the original is as it was. Counted with
 * the creations for the summary. */
static void
copy_killed (const char *label,
             VmdCloner  *cloner,
             const char *name)
{
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) left = g_string_new (NULL);
  CopyFault fault = { FALSE, 0.0 };
  gint64 started = g_get_monotonic_time ();
  double seconds;
  guint handler;
  guint n;

  g_test_log_set_fatal_handler (cloner_warnings_not_fatal, NULL);
  handler = g_log_set_handler ("vmd-cloner", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, log_cloner,
                               NULL);
  g_signal_connect (cloner, "notify::fraction", G_CALLBACK (on_fraction_kill_daemon), &fault);
  machine = vmd_test_clone (cloner, COPY_MS, &error);
  seconds = (g_get_monotonic_time () - started) / 1e6;
  g_signal_handlers_disconnect_by_data (cloner, &fault);
  g_log_remove_handler ("vmd-cloner", handler);
  if (!fault.fired)
    g_error ("%s: over (%s) before its copy was seen under way: if it was made, make "
             "COPY_SIZE bigger", label, error ? error->message : "made");
  if (machine != NULL)
    g_error ("%s: made in spite of the daemon killed at %.0f %% of the copy: the copy was "
             "over before the kill landed; make COPY_SIZE bigger", label, fault.at * 100);

  /* VmDesk's connection is back, so is the daemon. */
  g_assert_true (vmd_test_wait_until (is_connected, NULL, RECONNECT_MS));
  tried++;
  g_assert_nonnull (error);
  assert_readable (error);
  n = clear_copy_leftovers (name, left);
  g_test_message ("%s at %.1f %%: failed after %.1f s, %u left%s%s: %s", label, fault.at * 100,
                  seconds, n, n ? ":" : "", left->str, error->message);
  /* What the engine must clean up after: the copy qemu-img goes on
   * writing once the daemon died (a file in VmDesk's pool that the daemon
   * back lists as a volume), and the transient pool lent over the
   * original's folder (the daemon back brings it back, active). */
  if (n == 0)
    survived++;
  else
    {
      lost++;
      g_test_fail_printf ("%s left:%s", label, left->str);
    }
}

static void
test_clone_daemon_killed (void)
{
  g_autoptr(VmdCloner) cloner = NULL;
  VmdMachine *source;

  if (skip_unless_daemon_may_die ())
    return;
  ensure_copy_source ();

  g_assert_true (vmd_test_wait_until (is_connected, NULL, RECONNECT_MS));
  source = vmd_test_wait_for_machine (connection, COPY_SOURCE, RECONNECT_MS);
  g_assert_nonnull (source);
  cloner = vmd_cloner_new (connection, source, PREFIX "clone");
  copy_killed ("clone, the daemon killed in the copy", cloner, PREFIX "clone");
}

static void
test_import_daemon_killed (void)
{
  g_autoptr(VmdCloner) cloner = NULL;

  if (skip_unless_daemon_may_die ())
    return;
  ensure_copy_source ();

  g_assert_true (vmd_test_wait_until (is_connected, NULL, RECONNECT_MS));
  cloner = vmd_cloner_new_for_image (connection, copy_image, PREFIX "import");
  copy_killed ("import, the daemon killed in the copy", cloner, PREFIX "import");
}

/* The installer removed between the review and Create. */
static void
test_iso_removed (void)
{
  g_autofree char *iso = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(VmdGuestSpec) spec = NULL;
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (skip_unless_session ())
    return;

  iso = g_build_filename (g_get_tmp_dir (), "removed-installer.iso", NULL);
  g_assert_true (g_file_get_contents (RESCUE_ISO, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (iso, contents, length, NULL));
  spec = small_spec (PREFIX "removed", iso);
  g_assert_cmpint (g_unlink (iso), ==, 0);

  creator = vmd_creator_new (connection, spec);
  machine = vmd_test_create (creator, &error);
  g_assert_null (machine);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The installer image “removed-installer.iso” is no longer "
                                       "there: put it back, or open it again from where it is now.");
  account ("installer removed", machine, error);
}

typedef struct
{
  guint defined;
  guint undefined;
} Definitions;

static int
count_definitions (virConnectPtr  conn,
                   virDomainPtr   domain,
                   int            event,
                   int            detail,
                   void          *data)
{
  Definitions *counts = data;

  if (!g_str_equal (virDomainGetName (domain), PREFIX "huge"))
    return 0;
  if (event == VIR_DOMAIN_EVENT_DEFINED)
    counts->defined++;
  else if (event == VIR_DOMAIN_EVENT_UNDEFINED)
    counts->undefined++;
  return 0;
}

static gboolean
was_undefined (gpointer data)
{
  return ((Definitions *) data)->undefined > 0;
}

/* More memory than the host has: QEMU cannot have it, and asking again
 * with other settings would not help: the guest is defined once, never
 * redefined for another try. */
static void
test_too_much_memory (void)
{
  g_autoptr(VmdGuestSpec) spec = NULL;
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr watcher;
  Definitions definitions = { 0, 0 };
  int callback;

  if (skip_unless_session ())
    return;

  watcher = virConnectOpen (URI);
  g_assert_nonnull (watcher);
  callback = virConnectDomainEventRegisterAny (watcher, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK (count_definitions),
                                               &definitions, NULL);
  g_assert_cmpint (callback, >=, 0);

  spec = small_spec (PREFIX "huge", RESCUE_ISO);
  vmd_guest_spec_set_memory (spec, vmd_host_get_total_ram (host) * 4);
  /* With the host's CPU model asked for, a retry would have something to
   * drop: it must not. */
  vmd_guest_spec_set_host_cpu (spec, vmd_guest_spec_get_kvm (spec));
  creator = vmd_creator_new (connection, spec);
  machine = vmd_test_create (creator, &error);
  if (machine != NULL)
    g_test_message ("this host overcommits memory: QEMU took %" G_GUINT64_FORMAT " MiB",
                    vmd_host_get_total_ram (host) * 4 >> 20);
  else
    g_assert_nonnull (strstr (error->message, "this computer could not give it"));
  account ("4 times the host's memory", machine, error);

  /* Once its removal has reached the watcher, so has every definition. */
  if (machine == NULL)
    {
      g_assert_true (vmd_test_wait_until (was_undefined, &definitions, 30000));
      g_test_message ("defined %u time(s)", definitions.defined);
      g_assert_cmpuint (definitions.defined, ==, 1);
    }
  virConnectDomainEventDeregisterAny (watcher, callback);
  virConnectClose (watcher);
}

/* Disk images on a file system that is full (a small tmpfs that
 * tests/as-test-user.sh mounts when run as root). */
static void
test_disk_full (void)
{
  const char *small = g_getenv ("VMD_TEST_SMALL_FS");
  g_autofree char *images = vmd_engine_dup_images_dir ();
  g_autofree char *parent = g_path_get_dirname (images);
  g_autofree char *filler = NULL;
  g_autofree char *block = g_malloc0 (65536);
  g_autoptr(VmdGuestSpec) spec = NULL;
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;
  virStoragePoolPtr pool;
  int fd;

  if (skip_unless_session ())
    return;
  if (small == NULL)
    {
      g_test_skip ("no small file system: run as root through tests/as-test-user.sh");
      return;
    }

  /* VmDesk's images folder is the small file system, filled to the brim. */
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_cmpint (symlink (small, images), ==, 0);
  filler = g_build_filename (small, "filler", NULL);
  fd = g_open (filler, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, 65536) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  while (write (fd, block, 512) > 0)
    ;
  close (fd);

  spec = small_spec (PREFIX "full", RESCUE_ISO);
  creator = vmd_creator_new (connection, spec);
  machine = vmd_test_create (creator, &error);
  g_assert_null (machine);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "The disk is full. Free some space, then try again."));
  account ("disk full", machine, error);

  /* The other tests keep their images where VmDesk keeps them. */
  conn = virConnectOpen (URI);
  pool = virStoragePoolLookupByName (conn, "vmdesk");
  g_assert_nonnull (pool);
  virStoragePoolDestroy (pool);
  g_assert_cmpint (virStoragePoolUndefine (pool), ==, 0);
  virStoragePoolFree (pool);
  virConnectClose (conn);
  g_assert_cmpint (g_unlink (filler), ==, 0);
  g_assert_cmpint (g_unlink (images), ==, 0);
}

static void
test_summary (void)
{
  if (skip_unless_session ())
    return;

  /* The figures of the closing note: every creation tried either made a
   * machine or left nothing. */
  g_test_message ("fault injection: %u tried, %u survived, %u lost", tried, survived, lost);
  g_assert_cmpuint (tried, >, 0);
  g_assert_cmpuint (lost, ==, 0);
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;

  connection = vmd_connection_new (URI);
  vmd_test_open (connection, &error);
  g_assert_no_error (error);
  media = vmd_test_identify (RESCUE_ISO, &error);
  g_assert_no_error (error);
  host = vmd_test_query_host (connection, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_init_session (&argc, &argv);
  int status;

  if (getuid () != 0)
    set_up ();

  /* The full disk first: it borrows the images folder. */
  g_test_add_func ("/faults/disk-full", test_disk_full);
  g_test_add_func ("/faults/iso-removed", test_iso_removed);
  g_test_add_func ("/faults/too-much-memory", test_too_much_memory);
  g_test_add_func ("/faults/daemon-killed", test_daemon_killed);
  g_test_add_func ("/faults/qemu-killed", test_qemu_killed);
  g_test_add_func ("/faults/clone-daemon-killed", test_clone_daemon_killed);
  g_test_add_func ("/faults/import-daemon-killed", test_import_daemon_killed);
  g_test_add_func ("/faults/summary", test_summary);

  status = g_test_run ();
  g_clear_object (&media);
  g_clear_object (&host);
  g_clear_object (&connection);
  {
    GPid pid = vmd_test_read_libvirt_pid ("libvirtd.pid");

    if (pid > 0)
      kill (pid, SIGTERM);
  }
  if (copy_dir != NULL)
    vmd_test_remove_dirs (copy_dir);
  g_free (copy_dir);
  g_free (copy_image);
  g_free (copy_sum);
  vmd_test_remove_dirs (root);
  return status;
}
