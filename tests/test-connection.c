/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-connection"

#include "config.h"

#include <libvirt/libvirt.h>

#include "vmd-budget.h"
#include "vmd-connection.h"
#include "vmd-engine.h"
#include "vmd-error.h"
#include "vmd-host.h"
#include "vmd-machine.h"
#include "vmd-os-db.h"
#include "vmd-test-util.h"

/* libvirt's test driver: one process-wide hypervisor with a running guest
 * "test", shared by every connection to test:///default. A second, raw
 * connection plays "somebody else" (virsh, another app) changing things. */
#define TEST_URI "test:///default"
#define WAIT_MS  5000

typedef struct
{
  VmdConnection *connection;
  virConnectPtr  other;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_connection_new (TEST_URI);
  g_assert_true (vmd_test_open (fixture->connection, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vmd_connection_get_state (fixture->connection), ==,
                   VMD_CONNECTION_STATE_CONNECTED);

  fixture->other = virConnectOpen (TEST_URI);
  g_assert_nonnull (fixture->other);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->connection);
  virConnectClose (fixture->other);
}

static VmdMachine *
test_machine (Fixture *fixture)
{
  VmdMachine *machine = vmd_connection_find_machine_by_name (fixture->connection, "test");

  g_assert_nonnull (machine);
  return machine;
}

static void
ensure_running (Fixture *fixture)
{
  VmdMachine *machine = test_machine (fixture);
  g_autoptr(GError) error = NULL;

  if (vmd_machine_get_state (machine) == VMD_MACHINE_STATE_PAUSED)
    vmd_test_run (machine, VMD_MACHINE_ACTION_RESUME, &error);
  else if (vmd_machine_get_state (machine) == VMD_MACHINE_STATE_SHUT_OFF)
    vmd_test_run (machine, VMD_MACHINE_ACTION_START, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, WAIT_MS));
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  GListModel *machines = vmd_connection_get_machines (fixture->connection);
  VmdMachine *machine;

  g_assert_true (g_list_model_get_item_type (machines) == VMD_TYPE_MACHINE);
  g_assert_cmpuint (g_list_model_get_n_items (machines), ==, 1);

  machine = test_machine (fixture);
  g_assert_cmpstr (vmd_machine_get_name (machine), ==, "test");
  g_assert_cmpuint (strlen (vmd_machine_get_uuid (machine)), ==, 36);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_RUNNING);
  g_assert_true (vmd_machine_get_is_active (machine));
  g_assert_cmpuint (vmd_machine_get_memory (machine), ==, G_GUINT64_CONSTANT (8) << 30);
  g_assert_cmpuint (vmd_machine_get_vcpus (machine), ==, 2);
  g_assert_null (vmd_machine_get_os_id (machine));
  g_assert_true (vmd_connection_find_machine (fixture->connection,
                                              vmd_machine_get_uuid (machine)) == machine);
  g_assert_cmpstr (vmd_connection_get_uri (fixture->connection), ==, TEST_URI);
}

static void
test_default_uri (void)
{
  g_autoptr(VmdConnection) a = vmd_connection_new (NULL);
  g_autoptr(VmdConnection) b = vmd_connection_new ("");

  g_assert_cmpstr (vmd_connection_get_uri (a), ==, "qemu:///session");
  g_assert_cmpstr (vmd_connection_get_uri (b), ==, "qemu:///session");
  g_assert_cmpint (vmd_connection_get_state (a), ==, VMD_CONNECTION_STATE_DISCONNECTED);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The memory kept for this computer is the host-reserve setting, in bytes,
 * followed live: the meter, Start, Properties and the plan all read it here. */
static void
test_reserve (void)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("test:///default");
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(VmdHost) host = vmd_host_new_for_testing ((guint64) 16 << 30, (guint64) 12 << 30, 4,
                                                      (guint64) 100 << 30, TRUE);
  g_autoptr(VmdBudget) before = NULL;
  g_autoptr(VmdBudget) after = NULL;
  guint notified = 0;

  g_signal_connect (connection, "notify::reserve", G_CALLBACK (count_notify), &notified);
  g_settings_set_uint (settings, "host-reserve", 0);
  g_assert_cmpuint (vmd_connection_get_reserve (connection), ==, 0);
  g_assert_null (vmd_connection_compute_budget (connection, NULL, 0, 0));
  before = vmd_connection_compute_budget (connection, host, 0, (guint64) 12 << 30);
  g_assert_cmpint (before->verdict, ==, VMD_BUDGET_FITS);

  notified = 0;
  g_settings_set_uint (settings, "host-reserve", 6 * 1024);
  g_assert_cmpuint (notified, >=, 1);
  g_assert_cmpuint (vmd_connection_get_reserve (connection), ==, (guint64) 6 << 30);
  after = vmd_connection_compute_budget (connection, host, 0, (guint64) 12 << 30);
  g_assert_cmpuint (after->reserve, ==, (guint64) 6 << 30);
  g_assert_cmpint (after->verdict, ==, VMD_BUDGET_TIGHT);
  g_settings_reset (settings, "host-reserve");
}

static void
test_actions (Fixture       *fixture,
              gconstpointer  data)
{
  VmdMachine *machine;
  g_autoptr(GError) error = NULL;
  guint busy_changes = 0;

  ensure_running (fixture);
  machine = test_machine (fixture);
  g_signal_connect (machine, "notify::busy", G_CALLBACK (count_notify), &busy_changes);

  g_assert_true (vmd_machine_can_run (machine, VMD_MACHINE_ACTION_PAUSE));
  g_assert_false (vmd_machine_can_run (machine, VMD_MACHINE_ACTION_RESUME));

  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_PAUSE, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_PAUSED, WAIT_MS));
  g_assert_true (vmd_machine_get_is_active (machine));
  g_assert_cmpuint (busy_changes, ==, 2);  /* busy, then idle again */
  g_assert_false (vmd_machine_get_busy (machine));

  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_RESUME, &error));
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, WAIT_MS));

  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_FORCE_OFF, &error));
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_SHUT_OFF, WAIT_MS));
  g_assert_false (vmd_machine_get_is_active (machine));

  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_START, &error));
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, WAIT_MS));

  /* ACPI shutdown: the test driver's guest obeys at once. */
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_SHUTDOWN, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_SHUT_OFF, WAIT_MS));

  g_signal_handlers_disconnect_by_func (machine, count_notify, &busy_changes);
  ensure_running (fixture);
}

/* Changes made behind our back reach the model through events alone. */
static void
test_events_from_elsewhere (Fixture       *fixture,
                            gconstpointer  data)
{
  virDomainPtr dom;
  VmdMachine *machine;

  ensure_running (fixture);
  machine = test_machine (fixture);
  dom = virDomainLookupByName (fixture->other, "test");
  g_assert_nonnull (dom);

  g_assert_cmpint (virDomainSuspend (dom), ==, 0);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_PAUSED, WAIT_MS));
  g_assert_cmpint (virDomainResume (dom), ==, 0);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, WAIT_MS));
  g_assert_cmpint (virDomainDestroy (dom), ==, 0);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_SHUT_OFF, WAIT_MS));
  g_assert_cmpint (virDomainCreate (dom), ==, 0);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, WAIT_MS));

  virDomainFree (dom);
}

typedef struct
{
  VmdMachine       *machine;
  VmdMachineState   state;
  VmdMachineReason  reason;
} ReasonWait;

static gboolean
has_reason (gpointer data)
{
  ReasonWait *wait = data;

  return vmd_machine_get_state (wait->machine) == wait->state &&
         vmd_machine_get_reason (wait->machine) == wait->reason;
}

static gboolean
wait_for_reason (VmdMachine       *machine,
                 VmdMachineState   state,
                 VmdMachineReason  reason)
{
  ReasonWait wait = { machine, state, reason };

  if (vmd_test_wait_until (has_reason, &wait, WAIT_MS))
    return TRUE;
  g_test_message ("waited for state %d reason %d, machine is %d / %d", state, reason,
                  vmd_machine_get_state (machine), vmd_machine_get_reason (machine));
  return FALSE;
}

/* Why a guest is paused or off reaches the model, with what to say. */
static void
test_reasons (Fixture       *fixture,
              gconstpointer  data)
{
  virDomainPtr dom;
  VmdMachine *machine;

  ensure_running (fixture);
  machine = test_machine (fixture);
  dom = virDomainLookupByName (fixture->other, "test");
  g_assert_nonnull (dom);
  g_assert_cmpint (vmd_machine_get_reason (machine), ==, VMD_MACHINE_REASON_NONE);
  g_assert_null (vmd_machine_get_explanation (machine));

  /* `virsh suspend`: paused by a person, nothing wrong. */
  g_assert_cmpint (virDomainSuspend (dom), ==, 0);
  g_assert_true (wait_for_reason (machine, VMD_MACHINE_STATE_PAUSED, VMD_MACHINE_REASON_USER));
  g_assert_cmpstr (vmd_machine_get_summary (machine), ==, "Paused");
  g_assert_nonnull (vmd_machine_get_explanation (machine));
  g_assert_false (vmd_machine_get_has_problem (machine));
  g_assert_cmpint (virDomainResume (dom), ==, 0);
  g_assert_true (wait_for_reason (machine, VMD_MACHINE_STATE_RUNNING, VMD_MACHINE_REASON_NONE));

  /* `virsh managedsave`: off, its memory kept; starting restores it. */
  g_assert_cmpint (virDomainManagedSave (dom, 0), ==, 0);
  g_assert_true (wait_for_reason (machine, VMD_MACHINE_STATE_SHUT_OFF, VMD_MACHINE_REASON_SAVED));
  g_assert_cmpstr (vmd_machine_get_summary (machine), ==, "Saved");
  g_assert_true (vmd_machine_can_run (machine, VMD_MACHINE_ACTION_START));
  g_assert_cmpint (virDomainCreate (dom), ==, 0);
  g_assert_true (wait_for_reason (machine, VMD_MACHINE_STATE_RUNNING, VMD_MACHINE_REASON_NONE));

  /* Destroyed is plainly off. */
  g_assert_cmpint (virDomainDestroy (dom), ==, 0);
  g_assert_true (wait_for_reason (machine, VMD_MACHINE_STATE_SHUT_OFF, VMD_MACHINE_REASON_NONE));
  g_assert_cmpstr (vmd_machine_get_summary (machine), ==, "Off");

  virDomainFree (dom);
  ensure_running (fixture);
}

/* The test driver's guest obeys a shutdown at once: it is off, and once
 * started again it is running, not still "shutting down". */
static void
test_shutdown_obeyed (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  VmdMachine *machine;

  ensure_running (fixture);
  machine = test_machine (fixture);
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_SHUTDOWN, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_SHUT_OFF, WAIT_MS));
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_START, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, WAIT_MS));
  g_assert_true (vmd_machine_can_run (machine, VMD_MACHINE_ACTION_SHUTDOWN));
}

static gboolean
is_debian_11 (gpointer machine)
{
  return g_strcmp0 (vmd_machine_get_os_name (machine), "Debian 11") == 0;
}

static void
test_define_undefine (Fixture       *fixture,
                      gconstpointer  data)
{
  /* A name full of quotes and markup must survive the round trip. */
  const char *name = "Jo's \"odd\" <machine> & co";
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *xml = g_strdup_printf (
    "<domain type='test'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>512</memory>"
    "  <vcpu>3</vcpu>"
    "  <os><type>hvm</type></os>"
    "  <metadata>"
    "    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
    "      <libosinfo:os id='http://debian.org/debian/11'/>"
    "    </libosinfo:libosinfo>"
    "  </metadata>"
    "</domain>", escaped);
  GListModel *machines = vmd_connection_get_machines (fixture->connection);
  guint before = g_list_model_get_n_items (machines);
  virDomainPtr dom;
  VmdMachine *machine;

  dom = virDomainDefineXML (fixture->other, xml);
  g_assert_nonnull (dom);

  machine = vmd_test_wait_for_machine (fixture->connection, name, WAIT_MS);
  g_assert_nonnull (machine);
  g_assert_cmpuint (g_list_model_get_n_items (machines), ==, before + 1);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpuint (vmd_machine_get_memory (machine), ==, 512 * 1024 * 1024);
  g_assert_cmpuint (vmd_machine_get_vcpus (machine), ==, 3);
  g_assert_cmpstr (vmd_machine_get_os_id (machine), ==, "http://debian.org/debian/11");

  /* The OS has its human name, read from its vendor's few files: the
   * library does not load libosinfo's whole database (~40 MB) for it. */
  g_assert_true (vmd_test_wait_until (is_debian_11, machine, 30000));
  g_assert_false (vmd_os_db_is_loaded (vmd_os_db_get_default ()));

  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  g_assert_true (vmd_test_wait_machine_gone (fixture->connection, name, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (machines), ==, before);
  virDomainFree (dom);
}

static void
test_transient (Fixture       *fixture,
                gconstpointer  data)
{
  const char *xml =
    "<domain type='test'><name>transient</name><memory>65536</memory>"
    "<os><type>hvm</type></os></domain>";
  virDomainPtr dom = virDomainCreateXML (fixture->other, xml, 0);
  VmdMachine *machine;

  g_assert_nonnull (dom);
  machine = vmd_test_wait_for_machine (fixture->connection, "transient", WAIT_MS);
  g_assert_nonnull (machine);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, WAIT_MS));

  /* A transient guest is gone when it stops. */
  g_assert_cmpint (virDomainDestroy (dom), ==, 0);
  g_assert_true (vmd_test_wait_machine_gone (fixture->connection, "transient", WAIT_MS));
  virDomainFree (dom);
}

static void
test_invalid_state (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  VmdMachine *machine;

  ensure_running (fixture);
  machine = test_machine (fixture);

  /* The UI would not offer it; the engine still answers clearly. */
  g_assert_false (vmd_test_run (machine, VMD_MACHINE_ACTION_RESUME, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "Could not resume “test”"));
  g_clear_error (&error);

  g_assert_false (vmd_test_run (machine, VMD_MACHINE_ACTION_START, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_RUNNING);
}

static void
test_vanished (Fixture       *fixture,
               gconstpointer  data)
{
  const char *xml =
    "<domain type='test'><name>vanishing</name><memory>65536</memory>"
    "<os><type>hvm</type></os></domain>";
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  virDomainPtr dom = virDomainDefineXML (fixture->other, xml);

  g_assert_nonnull (dom);
  machine = g_object_ref (vmd_test_wait_for_machine (fixture->connection, "vanishing", WAIT_MS));
  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);

  /* Acting on a guest somebody else deleted: a clear error, not a crash. */
  g_assert_false (vmd_test_run (machine, VMD_MACHINE_ACTION_START, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == VMD_ERROR);
  g_assert_true (vmd_test_wait_machine_gone (fixture->connection, "vanishing", WAIT_MS));
}

static void
on_resources (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  if (!vmd_machine_set_resources_finish (VMD_MACHINE (object), result, error) && *error == NULL)
    g_assert_not_reached ();
  g_object_set_data (object, "done", GINT_TO_POINTER (1));
}

static gboolean
resources_done (gpointer data)
{
  return g_object_get_data (data, "done") != NULL;
}

static gboolean
has_memory (gpointer data)
{
  return vmd_machine_get_memory (data) == G_GUINT64_CONSTANT (1) << 30 &&
         vmd_machine_get_vcpus (data) == 3;
}

/* Changing RAM and vCPUs reaches the definition, and the model from the
 * DEFINED event. */
static void
test_set_resources (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *xml =
    "<domain type='test'><name>resize me</name><memory unit='MiB'>512</memory>"
    "<vcpu>1</vcpu><os><type>hvm</type></os></domain>";
  g_autoptr(GError) error = NULL;
  virDomainPtr dom = virDomainDefineXML (fixture->other, xml);
  VmdMachine *machine;

  g_assert_nonnull (dom);
  machine = vmd_test_wait_for_machine (fixture->connection, "resize me", WAIT_MS);
  g_assert_nonnull (machine);

  vmd_machine_set_resources_async (machine, G_GUINT64_CONSTANT (1) << 30, 3, NULL,
                                   on_resources, &error);
  g_assert_true (vmd_test_wait_until (resources_done, machine, WAIT_MS));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_until (has_memory, machine, WAIT_MS));

  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);
}

static gboolean
is_lost (gpointer data)
{
  return vmd_connection_get_state (data) == VMD_CONNECTION_STATE_LOST;
}

static void
test_unreachable (void)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("test:///no/such/file.xml");
  g_autoptr(GError) error = NULL;
  guint state_changes = 0;

  g_assert_false (vmd_test_open (connection, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Could not connect to test:///no/such/file.xml"));
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_LOST);
  g_assert_nonnull (vmd_connection_get_error (connection));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, 0);

  /* It keeps trying by itself, and stays honest about it. */
  g_signal_connect (connection, "notify::state", G_CALLBACK (count_notify), &state_changes);
  vmd_connection_reconnect (connection);
  g_assert_true (vmd_test_wait_until (is_lost, connection, WAIT_MS));
  g_assert_cmpuint (state_changes, ==, 0);
}

static char *
make_volume (virStoragePoolPtr  pool,
             const char        *name)
{
  g_autofree char *xml = g_strdup_printf ("<volume><name>%s</name>"
                                          "<capacity unit='MiB'>16</capacity></volume>", name);
  virStorageVolPtr vol = virStorageVolCreateXML (pool, xml, 0);
  char *path;

  g_assert_nonnull (vol);
  path = virStorageVolGetPath (vol);
  virStorageVolFree (vol);
  return path;
}

static gboolean
volume_exists (virConnectPtr  conn,
               const char    *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);

  if (vol == NULL)
    return FALSE;
  virStorageVolFree (vol);
  return TRUE;
}

/* Delete removes the disks VmDesk made (its metadata names them), keeps
 * any other unless asked, and never the installer. */
static void
test_delete_with_image (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  virStoragePoolPtr pool;
  virDomainPtr dom;
  g_autofree char *own = NULL;
  g_autofree char *other = NULL;
  g_autofree char *own_xml = NULL;
  g_autofree char *other_xml = NULL;
  g_autofree char *xml = NULL;
  VmdMachine *machine;

  pool = virStoragePoolLookupByName (fixture->other, "default-pool");
  g_assert_nonnull (pool);
  own = make_volume (pool, "doomed.img");
  other = make_volume (pool, "theirs.img");
  own_xml = g_markup_escape_text (own, -1);
  other_xml = g_markup_escape_text (other, -1);

  xml = g_strdup_printf (
    "<domain type='test'><name>doomed</name><memory>65536</memory>"
    "<os><type>hvm</type></os><devices>"
    "<disk type='file' device='disk'><source file='%s'/><target dev='vda'/></disk>"
    "<disk type='file' device='disk'><source file='%s'/><target dev='vdb'/></disk>"
    "<disk type='file' device='cdrom'><source file='/srv/installer.iso'/>"
    "<target dev='sda'/><readonly/></disk>"
    "</devices><metadata><vmdesk:vmdesk xmlns:vmdesk='http://example.com/vmdesk/xmlns/domain/1.0'>"
    "<vmdesk:disk path='%s'/></vmdesk:vmdesk></metadata></domain>", own_xml, other_xml, own_xml);
  dom = virDomainDefineXML (fixture->other, xml);
  g_assert_nonnull (dom);
  g_assert_cmpint (virDomainCreate (dom), ==, 0);

  machine = vmd_test_wait_for_machine (fixture->connection, "doomed", WAIT_MS);
  g_assert_nonnull (machine);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, WAIT_MS));

  /* A running guest is forced off, undefined, and its own image deleted. */
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_machine_gone (fixture->connection, "doomed", WAIT_MS));
  g_assert_null (virDomainLookupByName (fixture->other, "doomed"));
  g_assert_false (volume_exists (fixture->other, own));
  g_assert_true (volume_exists (fixture->other, other));
  virDomainFree (dom);

  /* Ticked in the confirmation, the other goes too. */
  g_free (xml);
  xml = g_strdup_printf ("<domain type='test'><name>doomed</name><memory>65536</memory>"
                         "<os><type>hvm</type></os><devices>"
                         "<disk type='file' device='disk'><source file='%s'/><target dev='vdb'/></disk>"
                         "</devices></domain>", other_xml);
  dom = virDomainDefineXML (fixture->other, xml);
  g_assert_nonnull (dom);
  machine = vmd_test_wait_for_machine (fixture->connection, "doomed", WAIT_MS);
  g_assert_nonnull (machine);
  {
    const char *also[] = { other, NULL };

    g_assert_true (vmd_test_delete (machine, also, &error));
    g_assert_no_error (error);
  }
  g_assert_true (vmd_test_wait_machine_gone (fixture->connection, "doomed", WAIT_MS));
  g_assert_false (volume_exists (fixture->other, other));

  virDomainFree (dom);
  virStoragePoolFree (pool);
}

static gboolean
machine_renamed (gpointer data)
{
  return g_strcmp0 (vmd_machine_get_name (data), "after rename") == 0;
}

/* Machines gone from the model for good: one changed in place (removed
 * and added again, as a list model says "changed") is not. */
static void
count_removed (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               int        *count)
{
  *count += (int) removed - (int) added;
}

/* A guest renamed elsewhere (virsh domrename) is the same machine under
 * its new name, not one deleted and another created: its windows stay.
 * The model announces it changed, so that sorted views put it in place. */
static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *machines = vmd_connection_get_machines (fixture->connection);
  virDomainPtr dom = virDomainDefineXML (fixture->other,
                                         "<domain type='test'><name>before rename</name>"
                                         "<memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                                         "<os><type>hvm</type></os></domain>");
  VmdMachine *machine;
  int removed = 0;

  g_assert_nonnull (dom);
  machine = vmd_test_wait_for_machine (fixture->connection, "before rename", WAIT_MS);
  g_assert_nonnull (machine);
  g_signal_connect (machines, "items-changed", G_CALLBACK (count_removed), &removed);

  g_assert_cmpint (virDomainRename (dom, "after rename", 0), ==, 0);
  g_assert_true (vmd_test_wait_until (machine_renamed, machine, WAIT_MS));
  g_assert_true (vmd_connection_find_machine (fixture->connection,
                                              vmd_machine_get_uuid (machine)) == machine);
  g_assert_cmpint (removed, ==, 0);

  g_signal_handlers_disconnect_by_func (machines, count_removed, &removed);
  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  g_assert_true (vmd_test_wait_machine_gone (fixture->connection, "after rename", WAIT_MS));
  virDomainFree (dom);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  vmd_engine_init ();

#define ADD(path, func) \
  g_test_add ("/connection/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/connection/default-uri", test_default_uri);
  g_test_add_func ("/connection/reserve", test_reserve);
  ADD ("list", test_list);
  ADD ("actions", test_actions);
  ADD ("events-from-elsewhere", test_events_from_elsewhere);
  ADD ("reasons", test_reasons);
  ADD ("shutdown-obeyed", test_shutdown_obeyed);
  ADD ("define-undefine", test_define_undefine);
  ADD ("rename", test_rename);
  ADD ("transient", test_transient);
  ADD ("invalid-state", test_invalid_state);
  ADD ("vanished", test_vanished);
  ADD ("delete-with-image", test_delete_with_image);
  ADD ("set-resources", test_set_resources);
  g_test_add_func ("/connection/unreachable", test_unreachable);

#undef ADD

  return g_test_run ();
}
