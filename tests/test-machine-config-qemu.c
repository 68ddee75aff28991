/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-machine-config-qemu"

#include "config.h"

#include <sys/stat.h>

#include "vmd-error.h"
#include "vmd-test-util.h"

/* Renaming machines and growing their disks on a real qemu:///session:
 * a BIOS and a UEFI machine renamed by `vmdesk --rename` (the engine the
 * Properties window calls too), the UEFI one keeping its NVRAM file; a
 * qcow2 disk grown while off (through its pool) and while running (the
 * hypervisor's block resize), never shrunk. The guests boot nothing:
 * firmware under TCG is enough to be running. */

#define URI     "qemu:///session"
#define WAIT_MS 60000
#define MIB     (G_GUINT64_CONSTANT (1) << 20)

static char *workdir;

static char *
run_ok (const char * const *argv)
{
  return vmd_test_run_ok (argv);
}

static void
virsh (const char *command,
       const char *name)
{
  const char *argv[] = { "virsh", "-c", URI, command, name, NULL };

  g_free (run_ok (argv));
}

/* vmdesk with @args: its exit status; what it printed on stderr. */
static int
vmdesk (const char * const  *args,
        char               **err)
{
  return vmd_test_vmdesk (URI, args, NULL, NULL, err);
}

/* A machine with a blank qcow2 disk of @mib MiB at @disk. */
static void
define (const char *name,
        gboolean    uefi,
        const char *disk,
        guint       mib)
{
  g_autofree char *xml = g_strdup_printf (
    "<domain type='qemu'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>64</memory>"
    "  <vcpu>1</vcpu>"
    "  <os%s><type arch='x86_64' machine='q35'>hvm</type>%s</os>"
    "  <features><acpi/></features>"
    "  <devices>"
    "    <disk type='file' device='disk'>"
    "      <driver name='qemu' type='qcow2'/>"
    "      <source file='%s'/><target dev='sda' bus='sata'/>"
    "    </disk>"
    "    <graphics type='spice'><listen type='none'/></graphics>"
    "    <video><model type='qxl'/></video>"
    "  </devices>"
    "</domain>", name, uefi ? " firmware='efi'" : "",
    uefi ? "<firmware><feature enabled='no' name='secure-boot'/></firmware>" : "", disk);
  g_autofree char *path = g_build_filename (workdir, "domain.xml", NULL);
  g_autofree char *size = g_strdup_printf ("%uM", mib);
  const char *image[] = { "qemu-img", "create", "-q", "-f", "qcow2", disk, size, NULL };
  const char *define_argv[] = { "virsh", "-c", URI, "define", path, NULL };

  g_free (run_ok (image));
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_free (run_ok (define_argv));
}

static void
remove_guest (const char *name)
{
  const char *destroy[] = { "virsh", "-c", URI, "destroy", name, NULL };
  const char *undefine[] = { "virsh", "-c", URI, "undefine", name, "--nvram",
                             "--snapshots-metadata", NULL };

  g_free (vmd_test_run_capture (destroy, NULL));
  g_free (vmd_test_run_capture (undefine, NULL));
}

static char *
domstate (const char *name)
{
  const char *argv[] = { "virsh", "-c", URI, "domstate", name, NULL };
  g_autofree char *out = run_ok (argv);

  return g_strdup (g_strstrip (out));
}

static gboolean
is_running (gpointer name)
{
  g_autofree char *state = domstate (name);

  return g_str_equal (state, "running");
}

static char *
nvram_path (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s_VARS.fd", name);

  return g_build_filename (g_get_user_config_dir (), "libvirt", "qemu", "nvram", file, NULL);
}

/* The <nvram> of a running machine's live definition. */
static char *
live_nvram (const char *name)
{
  const char *argv[] = { "virsh", "-c", URI, "dumpxml", name, NULL };
  g_autofree char *out = run_ok (argv);
  const char *start = strstr (out, "<nvram");
  const char *end;

  g_assert_nonnull (start);
  start = strchr (start, '>') + 1;
  end = strstr (start, "</nvram>");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static ino_t
inode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st.st_ino;
}

/* A UEFI machine that ran has an NVRAM file named after it: renamed, it
 * boots with that same file (the same inode, moved), not with a fresh one
 * libvirt would make from the template for the new name. */
static void
test_rename_uefi (void)
{
  g_autofree char *disk = g_build_filename (workdir, "uefi.qcow2", NULL);
  g_autofree char *old_nvram = nvram_path ("cfg uefi");
  g_autofree char *new_nvram = nvram_path ("cfg uefi renamed");
  g_autofree char *err = NULL;
  g_autofree char *live = NULL;
  const char *rename_args[] = { "--rename", "cfg uefi", "--name", " cfg uefi  renamed ", NULL };
  ino_t inode;

  define ("cfg uefi", TRUE, disk, 32);
  virsh ("start", "cfg uefi");
  g_assert_true (vmd_test_wait_until (is_running, "cfg uefi", WAIT_MS));

  /* Running: refused, in one line. */
  g_assert_cmpint (vmdesk (rename_args, &err), ==, 1);
  g_assert_nonnull (strstr (err, "Shut it down"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
  g_clear_pointer (&err, g_free);

  virsh ("destroy", "cfg uefi");
  g_assert_true (g_file_test (old_nvram, G_FILE_TEST_EXISTS));
  inode = inode_of (old_nvram);

  g_assert_cmpint (vmdesk (rename_args, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_false (g_file_test (old_nvram, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_nvram, G_FILE_TEST_EXISTS));

  virsh ("start", "cfg uefi renamed");
  g_assert_true (vmd_test_wait_until (is_running, "cfg uefi renamed", WAIT_MS));
  live = live_nvram ("cfg uefi renamed");
  g_assert_cmpstr (live, ==, new_nvram);
  g_assert_cmpuint (inode_of (live), ==, inode);
  remove_guest ("cfg uefi renamed");
}

/* A BIOS machine with a snapshot: libvirt 9.0 renames it, the snapshot
 * follows. A name another machine has is refused. */
static void
test_rename_bios (void)
{
  g_autofree char *disk = g_build_filename (workdir, "bios.qcow2", NULL);
  g_autofree char *other_disk = g_build_filename (workdir, "other.qcow2", NULL);
  g_autofree char *err = NULL;
  g_autofree char *snapshots = NULL;
  g_autofree char *state = NULL;
  const char *taken[] = { "--rename", "cfg bios", "--name", "cfg other", NULL };
  const char *rename_args[] = { "--rename", "cfg bios", "--name", "cfg bios renamed", NULL };
  const char *snapshot[] = { "virsh", "-c", URI, "snapshot-create-as", "cfg bios", "before", NULL };
  const char *list[] = { "virsh", "-c", URI, "snapshot-list", "cfg bios renamed", "--name", NULL };

  define ("cfg bios", FALSE, disk, 32);
  define ("cfg other", FALSE, other_disk, 32);
  g_free (run_ok (snapshot));

  g_assert_cmpint (vmdesk (taken, &err), ==, 1);
  g_assert_nonnull (strstr (err, "another machine is called “cfg other”"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (vmdesk (rename_args, &err), ==, 0);
  state = domstate ("cfg bios renamed");
  g_assert_cmpstr (state, ==, "shut off");
  snapshots = run_ok (list);
  g_assert_nonnull (strstr (snapshots, "before"));

  remove_guest ("cfg bios renamed");
  remove_guest ("cfg other");
}

typedef struct
{
  gboolean  done;
  GError   *error;
  guint64   capacity;
  guint64   free_space;
} Result;

static void
on_resized (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Result *result = user_data;

  vmd_machine_resize_disk_finish (VMD_MACHINE (object), res, &result->error);
  result->done = TRUE;
}

static void
on_read (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;

  vmd_machine_read_disk_finish (VMD_MACHINE (object), res, NULL, &result->capacity,
                                &result->free_space, &result->error);
  result->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Result *) data)->done;
}

static void
resize (VmdMachine *machine,
        guint64     capacity,
        Result     *result)
{
  g_clear_error (&result->error);
  result->done = FALSE;
  vmd_machine_resize_disk_async (machine, capacity, NULL, on_resized, result);
  g_assert_true (vmd_test_wait_until (is_done, result, WAIT_MS));
}

static guint64
read_capacity (VmdMachine *machine)
{
  Result result = { 0 };

  vmd_machine_read_disk_async (machine, NULL, on_read, &result);
  g_assert_true (vmd_test_wait_until (is_done, &result, WAIT_MS));
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.free_space, >, 0);
  g_assert_cmpuint (result.free_space, !=, G_MAXUINT64);
  return result.capacity;
}

/* What qemu-img reads in the image's header, as the hypervisor sees it
 * (-U: the running QEMU holds its lock). */
static guint64
image_virtual_size (const char *disk)
{
  const char *argv[] = { "qemu-img", "info", "-U", "--output=json", disk, NULL };
  g_autofree char *out = run_ok (argv);
  const char *key = strstr (out, "\"virtual-size\":");

  g_assert_nonnull (key);
  return g_ascii_strtoull (key + strlen ("\"virtual-size\":"), NULL, 10);
}

static guint64
blk_capacity (const char *name)
{
  const char *argv[] = { "virsh", "-c", URI, "domblkinfo", name, "sda", NULL };
  g_autofree char *out = run_ok (argv);
  const char *key = strstr (out, "Capacity:");

  g_assert_nonnull (key);
  return g_ascii_strtoull (key + strlen ("Capacity:"), NULL, 10);
}

/* Off: through the pool, which has not seen the image yet (copied in
 * after its last refresh); running: live, the guest's block device. Never
 * smaller. An image in no pool grows only while its machine runs. */
static void
test_grow_disk (void)
{
  g_autofree char *pool_dir = g_build_filename (workdir, "pool", NULL);
  g_autofree char *disk = g_build_filename (pool_dir, "grow.qcow2", NULL);
  g_autofree char *loose = g_build_filename (workdir, "loose.qcow2", NULL);
  const char *pool_define[] = { "virsh", "-c", URI, "pool-create-as", "cfg-pool", "dir",
                                "--target", pool_dir, NULL };
  const char *pool_destroy[] = { "virsh", "-c", URI, "pool-destroy", "cfg-pool", NULL };
  g_autoptr(VmdConnection) connection = vmd_connection_new (URI);
  g_autoptr(GError) error = NULL;
  VmdMachine *machine;
  VmdMachine *loose_machine;
  Result result = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (pool_dir, 0700), ==, 0);
  g_free (run_ok (pool_define));
  define ("cfg grow", FALSE, disk, 32);
  define ("cfg loose", FALSE, loose, 32);

  g_assert_true (vmd_test_open (connection, &error));
  g_assert_no_error (error);
  machine = vmd_test_wait_for_machine (connection, "cfg grow", WAIT_MS);
  loose_machine = vmd_test_wait_for_machine (connection, "cfg loose", WAIT_MS);
  g_assert_nonnull (machine);
  g_assert_nonnull (loose_machine);
  g_assert_cmpuint (read_capacity (machine), ==, 32 * MIB);

  resize (machine, 64 * MIB, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (image_virtual_size (disk), ==, 64 * MIB);
  g_assert_cmpuint (read_capacity (machine), ==, 64 * MIB);

  resize (machine, 48 * MIB, &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_cmpuint (image_virtual_size (disk), ==, 64 * MIB);

  resize (loose_machine, 64 * MIB, &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (result.error->message, "Start the machine"));
  g_assert_cmpuint (image_virtual_size (loose), ==, 32 * MIB);

  virsh ("start", "cfg grow");
  virsh ("start", "cfg loose");
  g_assert_true (vmd_test_wait_until (is_running, "cfg grow", WAIT_MS));
  g_assert_true (vmd_test_wait_until (is_running, "cfg loose", WAIT_MS));

  resize (machine, 96 * MIB, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (blk_capacity ("cfg grow"), ==, 96 * MIB);
  g_assert_cmpuint (image_virtual_size (disk), ==, 96 * MIB);
  g_assert_cmpuint (read_capacity (machine), ==, 96 * MIB);

  resize (machine, 80 * MIB, &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_cmpuint (blk_capacity ("cfg grow"), ==, 96 * MIB);

  resize (loose_machine, 64 * MIB, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (blk_capacity ("cfg loose"), ==, 64 * MIB);

  g_clear_error (&result.error);
  remove_guest ("cfg grow");
  remove_guest ("cfg loose");
  g_free (run_ok (pool_destroy));
}

/* On a file system of 8 MiB: growing by more than is free is refused,
 * with the sizes in words. */
static void
test_grow_no_space (void)
{
  const char *small_fs = g_getenv ("VMD_TEST_SMALL_FS");
  g_autofree char *disk = NULL;
  g_autoptr(VmdConnection) connection = vmd_connection_new (URI);
  g_autoptr(GError) error = NULL;
  VmdMachine *machine;
  Result result = { 0 };

  if (small_fs == NULL)
    {
      g_test_skip ("No small file system (run through as-test-user.sh --small-fs=8m as root)");
      return;
    }
  disk = g_build_filename (small_fs, "small.qcow2", NULL);
  define ("cfg small", FALSE, disk, 32);
  g_assert_true (vmd_test_open (connection, &error));
  g_assert_no_error (error);
  machine = vmd_test_wait_for_machine (connection, "cfg small", WAIT_MS);
  g_assert_nonnull (machine);
  virsh ("start", "cfg small");
  g_assert_true (vmd_test_wait_until (is_running, "cfg small", WAIT_MS));

  resize (machine, 32 * MIB + 16 * MIB, &result);
  g_assert_error (result.error, VMD_ERROR, VMD_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (result.error->message, "is free where its image lives"));
  g_assert_cmpuint (blk_capacity ("cfg small"), ==, 32 * MIB);

  /* Growth that fits is made, though the disk's new size does not. */
  resize (machine, 32 * MIB + 4 * MIB, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (blk_capacity ("cfg small"), ==, 36 * MIB);

  g_clear_error (&result.error);
  remove_guest ("cfg small");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_init_session (&argc, &argv);
  g_autoptr(GError) error = NULL;
  int status;

  vmd_test_start_daemon ();
  workdir = g_dir_make_tmp ("vmd-cfg-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/machine-config-qemu/rename-uefi", test_rename_uefi);
  g_test_add_func ("/machine-config-qemu/rename-bios", test_rename_bios);
  g_test_add_func ("/machine-config-qemu/grow-disk", test_grow_disk);
  g_test_add_func ("/machine-config-qemu/grow-no-space", test_grow_no_space);
  status = g_test_run ();

  remove_guest ("cfg uefi");
  remove_guest ("cfg uefi renamed");
  remove_guest ("cfg bios");
  remove_guest ("cfg bios renamed");
  remove_guest ("cfg other");
  remove_guest ("cfg grow");
  remove_guest ("cfg loose");
  remove_guest ("cfg small");
  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
