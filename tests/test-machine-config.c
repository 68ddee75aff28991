/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-machine-config"

#include "config.h"

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-engine.h"
#include "vmd-error.h"
#include "vmd-machine.h"
#include "vmd-test-util.h"

/* Renaming a machine and growing its disk, on libvirt's test driver: it
 * renames off machines, reads disk sizes and pools, but resizes nothing
 * (tests/test-machine-config-qemu.c grows real disks). A second, raw
 * connection plays somebody else. */
#define TEST_URI "test:///default"
#define WAIT_MS  5000
#define MIB      (G_GUINT64_CONSTANT (1) << 20)

typedef struct
{
  VmdConnection *connection;
  virConnectPtr  other;
} Fixture;

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  char     *path;
  guint64   capacity;
  guint64   free_space;
} Result;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_connection_new (TEST_URI);
  g_assert_true (vmd_test_open (fixture->connection, &error));
  g_assert_no_error (error);
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

static void
result_clear (Result *result)
{
  g_clear_error (&result->error);
  g_clear_pointer (&result->path, g_free);
  result->done = FALSE;
  result->ok = FALSE;
}

static gboolean
is_done (gpointer data)
{
  return ((Result *) data)->done;
}

static void
on_renamed (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Result *result = user_data;

  result->ok = vmd_machine_rename_finish (VMD_MACHINE (object), res, &result->error);
  result->done = TRUE;
}

static void
on_read (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;

  result->ok = vmd_machine_read_disk_finish (VMD_MACHINE (object), res, &result->path,
                                             &result->capacity, &result->free_space,
                                             &result->error);
  result->done = TRUE;
}

static void
on_resized (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Result *result = user_data;

  result->ok = vmd_machine_resize_disk_finish (VMD_MACHINE (object), res, &result->error);
  result->done = TRUE;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  gboolean  has;
  GError   *error;
} Channel;

static void
on_channel (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Channel *channel = user_data;

  channel->ok = vmd_machine_folder_channel_finish (VMD_MACHINE (object), res, &channel->has,
                                                   &channel->error);
  channel->done = TRUE;
}

/* Whether @machine has the shared folder's channel, after adding it if
 * @add. */
static gboolean
folder_channel (VmdMachine *machine,
                gboolean    add)
{
  Channel channel = { 0 };

  vmd_machine_folder_channel_async (machine, add, NULL, on_channel, &channel);
  g_assert_true (vmd_test_wait_until (is_done, &channel, WAIT_MS));
  g_assert_no_error (channel.error);
  g_assert_true (channel.ok);
  return channel.has;
}

static void
rename_machine (VmdMachine *machine,
                const char *name,
                Result     *result)
{
  result_clear (result);
  vmd_machine_rename_async (machine, name, NULL, on_renamed, result);
  g_assert_true (vmd_test_wait_until (is_done, result, WAIT_MS));
}

static void
resize_disk (VmdMachine *machine,
             guint64     capacity,
             Result     *result)
{
  result_clear (result);
  vmd_machine_resize_disk_async (machine, capacity, NULL, on_resized, result);
  g_assert_true (vmd_test_wait_until (is_done, result, WAIT_MS));
}

static gboolean
is_named_after (gpointer data)
{
  return g_strcmp0 (vmd_machine_get_name (data), "config after") == 0;
}

/* The name is normalized as typed in the window, reaches the machine by
 * the hypervisor's event, and the machine stays the same object. */
static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  virDomainPtr dom = virDomainDefineXML (fixture->other,
                                         "<domain type='test'><name>config before</name>"
                                         "<memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                                         "<os><type>hvm</type></os></domain>");
  g_autofree char *uuid = NULL;
  VmdMachine *machine;
  Result result = { 0 };
  virDomainPtr renamed;

  g_assert_nonnull (dom);
  machine = vmd_test_wait_for_machine (fixture->connection, "config before", WAIT_MS);
  g_assert_nonnull (machine);
  uuid = g_strdup (vmd_machine_get_uuid (machine));

  rename_machine (machine, "  config   after\n", &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_true (vmd_test_wait_until (is_named_after, machine, WAIT_MS));
  g_assert_true (vmd_connection_find_machine (fixture->connection, uuid) == machine);
  renamed = virDomainLookupByName (fixture->other, "config after");
  g_assert_nonnull (renamed);
  virDomainFree (renamed);

  /* The same name again: nothing to do, no error. */
  rename_machine (machine, "config after", &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);
  result_clear (&result);
}

/* What the person reads when a rename cannot be: the name another machine
 * has, a name no machine may have, a machine that is running. */
static void
test_rename_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  virDomainPtr dom = virDomainDefineXML (fixture->other,
                                         "<domain type='test'><name>config refused</name>"
                                         "<memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                                         "<os><type>hvm</type></os></domain>");
  VmdMachine *machine;
  VmdMachine *running;
  Result result = { 0 };

  g_assert_nonnull (dom);
  machine = vmd_test_wait_for_machine (fixture->connection, "config refused", WAIT_MS);
  g_assert_nonnull (machine);

  /* "test" is the test driver's own machine. */
  rename_machine (machine, "test", &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_INVALID_NAME);
  g_assert_nonnull (strstr (result.error->message, "another machine is called “test”"));
  g_assert_nonnull (strstr (result.error->message, "“config refused”"));

  rename_machine (machine, "a/b", &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_INVALID_NAME);
  g_assert_nonnull (strstr (result.error->message, "“/”"));

  rename_machine (machine, "   ", &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_INVALID_NAME);

  running = vmd_connection_find_machine_by_name (fixture->connection, "test");
  g_assert_nonnull (running);
  g_assert_cmpint (vmd_machine_get_state (running), ==, VMD_MACHINE_STATE_RUNNING);
  rename_machine (running, "test renamed", &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (result.error->message, "Shut it down"));
  g_assert_cmpstr (vmd_machine_get_name (running), ==, "test");
  g_assert_cmpstr (vmd_machine_get_name (machine), ==, "config refused");

  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);
  result_clear (&result);
}

/* A machine whose disk is a volume of the test driver's pool. */
static virDomainPtr
define_with_volume (Fixture            *fixture,
                    const char         *name,
                    virStorageVolPtr   *vol)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->other, "default-pool");
  g_autofree char *vol_xml = g_strdup_printf ("<volume><name>%s.img</name>"
                                              "<capacity unit='MiB'>10</capacity></volume>",
                                              name);
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  virDomainPtr dom;

  g_assert_nonnull (pool);
  *vol = virStorageVolCreateXML (pool, vol_xml, 0);
  g_assert_nonnull (*vol);
  path = virStorageVolGetPath (*vol);
  xml = g_strdup_printf ("<domain type='test'><name>%s</name>"
                         "<memory unit='MiB'>512</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
                         "<devices>"
                         "<disk type='file' device='cdrom'><source file='/x.iso'/>"
                         "<target dev='hdc'/><readonly/></disk>"
                         "<disk type='file' device='disk'><source file='%s'/>"
                         "<target dev='vda' bus='virtio'/></disk>"
                         "</devices></domain>", name, path);
  dom = virDomainDefineXML (fixture->other, xml);
  g_assert_nonnull (dom);
  virStoragePoolFree (pool);
  return dom;
}

/* The Properties window's facts: the writable disk (not the CD-ROM), its
 * size, and the free space of the pool it lives in. */
static void
test_read_disk (Fixture       *fixture,
                gconstpointer  data)
{
  virStorageVolPtr vol;
  virDomainPtr dom = define_with_volume (fixture, "config disk", &vol);
  g_autofree char *path = virStorageVolGetPath (vol);
  VmdMachine *machine = vmd_test_wait_for_machine (fixture->connection, "config disk", WAIT_MS);
  virStoragePoolPtr pool = virStoragePoolLookupByVolume (vol);
  virStoragePoolInfo info;
  Result result = { 0 };

  g_assert_nonnull (machine);
  g_assert_cmpint (virStoragePoolGetInfo (pool, &info), ==, 0);

  vmd_machine_read_disk_async (machine, NULL, on_read, &result);
  g_assert_true (vmd_test_wait_until (is_done, &result, WAIT_MS));
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.path, ==, path);
  g_assert_cmpuint (result.capacity, ==, 10 * MIB);
  g_assert_cmpuint (result.free_space, ==, info.available);

  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  g_assert_cmpint (virStorageVolDelete (vol, 0), ==, 0);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  virDomainFree (dom);
  result_clear (&result);
}

/* Never smaller; never by more than the free space; an off machine's
 * disk through its pool, which this driver cannot resize: its refusal
 * comes through as VmDesk's error. */
static void
test_resize_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  virStorageVolPtr vol;
  virDomainPtr dom = define_with_volume (fixture, "config grow", &vol);
  VmdMachine *machine = vmd_test_wait_for_machine (fixture->connection, "config grow", WAIT_MS);
  virStoragePoolPtr pool = virStoragePoolLookupByVolume (vol);
  virStoragePoolInfo info;
  virStorageVolInfo vol_info;
  Result result = { 0 };

  g_assert_nonnull (machine);
  g_assert_cmpint (virStoragePoolGetInfo (pool, &info), ==, 0);

  resize_disk (machine, 5 * MIB, &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (result.error->message, "cannot be made smaller"));

  resize_disk (machine, 10 * MIB + info.available + 1, &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (result.error->message, "is free where its image lives"));

  /* The same size: nothing to do. */
  resize_disk (machine, 10 * MIB, &result);
  g_assert_no_error (result.error);

  resize_disk (machine, 20 * MIB, &result);
  g_assert_nonnull (result.error);
  g_assert_true (result.error->domain == VMD_ERROR);
  g_assert_nonnull (strstr (result.error->message, "Could not grow the disk of “config grow”"));

  g_assert_cmpint (virStorageVolGetInfo (vol, &vol_info), ==, 0);
  g_assert_cmpuint (vol_info.capacity, ==, 10 * MIB);

  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  g_assert_cmpint (virStorageVolDelete (vol, 0), ==, 0);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  virDomainFree (dom);
  result_clear (&result);
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (haystack, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

/* A machine made before VmDesk shared folders gets the channel in its
 * definition, once, and keeps the rest of it. */
static void
test_folder_channel (Fixture       *fixture,
                     gconstpointer  data)
{
  virDomainPtr dom = virDomainLookupByName (fixture->other, "test");
  VmdMachine *machine = vmd_test_wait_for_machine (fixture->connection, "test", WAIT_MS);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_nonnull (dom);
  g_assert_nonnull (machine);
  before = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  g_assert_false (folder_channel (machine, FALSE));
  g_assert_true (folder_channel (machine, TRUE));
  g_assert_true (folder_channel (machine, TRUE));
  g_assert_true (folder_channel (machine, FALSE));

  after = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  g_assert_cmpuint (count (after, "name='org.spice-space.webdav.0'"), ==, 1);
  g_assert_cmpuint (count (after, "channel='org.spice-space.webdav.0'"), ==, 1);
  g_assert_cmpuint (count (after, "<disk "), ==, count (before, "<disk "));
  g_assert_cmpuint (count (after, "<interface "), ==, count (before, "<interface "));
  virDomainFree (dom);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  vmd_engine_init ();

#define ADD(path, func) \
  g_test_add ("/machine-config/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("rename", test_rename);
  ADD ("rename-refused", test_rename_refused);
  ADD ("read-disk", test_read_disk);
  ADD ("resize-refused", test_resize_refused);
  ADD ("folder-channel", test_folder_channel);

#undef ADD

  return g_test_run ();
}
