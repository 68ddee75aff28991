/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import-disks"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vmd-cloner.h"
#include "vmd-connection.h"
#include "vmd-iso-fixtures.h"
#include "vmd-machine.h"
#include "vmd-test-util.h"

/* Disk images made machines of on a real qemu:///session, through the
 * engine the window and vmdesk --import share (VmdCloner): recognised by
 * their content whatever their names, converted to qcow2 in VmDesk's pool,
 * holding the original's bytes, the original untouched; an appliance (OVA)
 * with its descriptor's name, memory and processors; what is not a disk is
 * refused with the reason, and nothing is left behind. Nothing here boots. */

#define URI        "qemu:///session"
#define DISK_XPATH "/domain/devices/disk[@device='disk']/source/@file"

static char *workdir;

static void
run_ok (const char * const *argv)
{
  g_free (vmd_test_run_ok (argv));
}

static int
vmdesk (const char * const  *args,
        const char          *data_home,
        char               **out,
        char               **err)
{
  return vmd_test_vmdesk (URI, args, data_home, out, err);
}

/* Disk images made a machine of (vmdesk --import): recognised by their
 * content whatever their names, converted to qcow2 in VmDesk's pool, the
 * original untouched; what is not a disk is refused with the reason, and
 * nothing is left behind. */
static void
test_import (void)
{
  g_autofree char *qcow2 = g_build_filename (workdir, "disk.qcow2", NULL);
  g_autofree char *vmdk = g_build_filename (workdir, "from vmware.bin", NULL);
  g_autofree char *raw = g_build_filename (workdir, "raw.img", NULL);
  g_autofree char *text = g_build_filename (workdir, "notes.img", NULL);
  g_autofree char *fifo = g_build_filename (workdir, "pipe.img", NULL);
  g_autofree char *iso = NULL;
  g_autoptr(GError) error = NULL;
  const char *make_qcow2[] = { "qemu-img", "create", "-q", "-f", "qcow2", qcow2, "64M", NULL };
  const char *make_vmdk[] = { "qemu-img", "convert", "-O", "vmdk", qcow2, vmdk, NULL };
  const char *import_vmdk[] = { "--import", vmdk, "--name", "from “VMware” & co", NULL };
  const char *import_raw[] = { "--import", raw, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *before = NULL, *after = NULL, *disk = NULL, *format = NULL, *pools = NULL;
  char mbr[1024] = { 0 };

  iso = vmd_test_make_iso (workdir, "installer.iso", &(VmdTestIso) { .volume_id = "INSTALLER" },
                           &error);
  g_assert_no_error (error);
  run_ok (make_qcow2);
  run_ok (make_vmdk);
  mbr[510] = 0x55;
  mbr[511] = (char) 0xaa;
  g_assert_true (g_file_set_contents (raw, mbr, sizeof mbr, NULL));
  g_assert_true (g_file_set_contents (text, "not a disk\n", -1, NULL));
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  before = vmd_test_checksum (vmdk);

  g_assert_cmpint (vmdesk (import_vmdk, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "from “VMware” & co"));
  disk = vmd_test_dumpxml (URI, "from “VMware” & co", DISK_XPATH);
  g_assert_true (g_str_has_suffix (disk, ".qcow2"));
  {
    const char *info[] = { "qemu-img", "info", "--output=json", disk, NULL };
    g_autofree char *json = vmd_test_run_capture (info, NULL);

    g_assert_nonnull (strstr (json, "\"format\": \"qcow2\""));
    g_assert_nonnull (strstr (json, "\"virtual-size\": 67108864"));
  }
  after = vmd_test_checksum (vmdk);
  g_assert_cmpstr (after, ==, before);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmdesk (import_raw, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "“raw”"));

  {
    const struct { const char *path, *says; } refused[] = {
      { text, "not a disk image" },
      { fifo, "not a file" },
      { iso, "installer image" },
      { "/nowhere/at/all.qcow2", "No such file" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        const char *args[] = { "--import", refused[i].path, NULL };

        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
        g_assert_cmpint (vmdesk (args, NULL, &out, &err), ==, 1);
        vmd_test_assert_one_line (err, refused[i].says);
      }
  }
  pools = vmd_test_pool_names (URI);
  g_assert_cmpstr (pools, ==, "vmdesk");
}

/* What qemu-img reads of an image: its format, size, subformat. */
static JsonObject *
image_info (const char *path,
            JsonParser *parser)
{
  const char *argv[] = { "qemu-img", "info", "--output=json", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  int status;

  json = vmd_test_run_capture (argv, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

#define FORMATS_SIZE (G_GUINT64_CONSTANT (64) << 20)
#define IMPORT_MS    120000

/* Bytes a copy cannot get right by chance: each 8-byte word says where it
 * is, so data moved elsewhere differs as much as data lost. */
static void
write_pattern (int     fd,
               guint64 offset,
               gsize   length)
{
  g_autofree guint64 *words = g_new (guint64, length / 8);

  for (gsize i = 0; i < length / 8; i++)
    words[i] = GUINT64_TO_LE (G_GUINT64_CONSTANT (0x564d440000000000) | (offset + i * 8));
  g_assert_cmpint (pwrite (fd, words, length, offset), ==, (gssize) length);
}

/* A raw disk as fdisk leaves one: an MBR with one Linux partition from
 * 1 MiB to the end, the rest sparse, and data where a conversion could
 * lose it: where the partition starts, across a cluster boundary at an odd
 * offset, and in the very last sector (a copy cut short). A blank copy
 * would compare equal to a blank disk: this one is not blank. */
static void
make_raw_disk (const char *path)
{
  guint8 mbr[512] = { 0 };
  guint32 start = GUINT32_TO_LE (2048);
  guint32 sectors = GUINT32_TO_LE (FORMATS_SIZE / 512 - 2048);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  memcpy (mbr + 440, "VMD\1", 4);
  mbr[446 + 4] = 0x83;
  memcpy (mbr + 446 + 8, &start, 4);
  memcpy (mbr + 446 + 12, &sectors, 4);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  g_assert_cmpint (ftruncate (fd, FORMATS_SIZE), ==, 0);
  g_assert_cmpint (pwrite (fd, mbr, sizeof mbr, 0), ==, sizeof mbr);
  write_pattern (fd, 1 << 20, 65536);
  write_pattern (fd, (33 << 20) - 3000, 8000);
  write_pattern (fd, FORMATS_SIZE - 4096, 4096);
  g_assert_cmpint (close (fd), ==, 0);
}

/* One raw disk, made into the image formats people bring from other
 * hypervisors, each imported: the machine's disk is a qcow2 of its own in
 * VmDesk's pool, standing alone, holding the same bytes as the original
 * (qemu-img compare, which reads both as a guest would), and the file
 * imported is left as it was. The raw disk itself goes in under a VMDK's
 * name (VMware's name for a raw extent): what it is, not what it is
 * called, decides. */
static void
test_import_formats (void)
{
  static const struct
  {
    const char *name;         /* the machine's */
    const char *file;
    const char *format;       /* made with qemu-img convert -O; NULL: the raw disk */
    const char *options;      /* and -o */
    const char *create_type;  /* a VMDK's subformat, as qemu-img info reads it */
  } formats[] = {
    { "formats qcow2", "disk.qcow2", "qcow2", NULL, NULL },
    { "formats vmdk", "disk.vmdk", "vmdk", "subformat=monolithicSparse", "monolithicSparse" },
    { "formats vmdk stream", "stream.vmdk", "vmdk", "subformat=streamOptimized",
      "streamOptimized" },
    { "formats vdi", "disk.vdi", "vdi", NULL, NULL },
    { "formats raw", "disk-flat.vmdk", NULL, NULL, NULL },
  };
  g_autofree char *dir = g_build_filename (workdir, "formats", NULL);
  g_autofree char *raw = g_build_filename (dir, "disk-flat.vmdk", NULL);
  g_autofree char *pool_dir = g_build_filename (g_get_user_data_dir (), "vmdesk", "images", NULL);
  g_autoptr(VmdConnection) connection = vmd_connection_new (URI);
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  make_raw_disk (raw);
  vmd_test_open (connection, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (dir, formats[i].file, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonParser) copy_parser = json_parser_new ();
      g_autoptr(VmdCloner) cloner = NULL;
      g_autoptr(VmdMachine) machine = NULL;
      g_autofree char *before = NULL, *after = NULL, *copy = NULL, *copy_dir = NULL;
      JsonObject *info;

      if (formats[i].format != NULL)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) convert = NULL;

          g_strv_builder_add_many (builder, "qemu-img", "convert", "-f", "raw",
                                   "-O", formats[i].format, NULL);
          if (formats[i].options != NULL)
            g_strv_builder_add_many (builder, "-o", formats[i].options, NULL);
          g_strv_builder_add_many (builder, raw, path, NULL);
          convert = g_strv_builder_end (builder);
          run_ok ((const char * const *) convert);
        }
      /* The image is what it is meant to be: a fixture qemu-img made
       * something else of would test nothing. */
      info = image_info (path, parser);
      g_assert_cmpstr (json_object_get_string_member (info, "format"), ==,
                       formats[i].format ? formats[i].format : "raw");
      g_assert_cmpint (json_object_get_int_member (info, "virtual-size"), ==, FORMATS_SIZE);
      if (formats[i].create_type != NULL)
        {
          JsonObject *specific = json_object_get_object_member (info, "format-specific");
          JsonObject *specific_data = json_object_get_object_member (specific, "data");

          g_assert_cmpstr (json_object_get_string_member (specific_data, "create-type"), ==,
                           formats[i].create_type);
        }
      before = vmd_test_checksum (path);

      cloner = vmd_cloner_new_for_image (connection, path, formats[i].name);
      machine = vmd_test_clone (cloner, IMPORT_MS, &error);
      g_assert_no_error (error);
      g_assert_nonnull (machine);
      g_assert_cmpstr (vmd_machine_get_name (machine), ==, formats[i].name);
      g_test_message ("imported %s (%s%s%s)", formats[i].file,
                      formats[i].format ? formats[i].format : "raw",
                      formats[i].create_type ? ", " : "",
                      formats[i].create_type ? formats[i].create_type : "");

      after = vmd_test_checksum (path);
      g_assert_cmpstr (after, ==, before);

      /* The disk the machine has, as libvirt has it defined. */
      copy = vmd_test_dumpxml (URI, formats[i].name, DISK_XPATH);
      copy_dir = g_path_get_dirname (copy);
      g_assert_cmpstr (copy_dir, ==, pool_dir);
      for (guint j = 0; j < copies->len; j++)
        g_assert_cmpstr (copy, !=, copies->pdata[j]);
      info = image_info (copy, copy_parser);
      g_assert_cmpstr (json_object_get_string_member (info, "format"), ==, "qcow2");
      g_assert_cmpint (json_object_get_int_member (info, "virtual-size"), ==, FORMATS_SIZE);
      /* Standing alone: an overlay on the original would read the same
       * and be lost with it. */
      g_assert_false (json_object_has_member (info, "backing-filename"));
      {
        const char *check[] = { "qemu-img", "check", "-q", "-f", "qcow2", copy, NULL };
        const char *compare[] = { "qemu-img", "compare", "-q", "-f", "raw", "-F", "qcow2", raw,
                                  copy, NULL };

        run_ok (check);
        run_ok (compare);
      }
      g_ptr_array_add (machines, g_steal_pointer (&machine));
      g_ptr_array_add (copies, g_steal_pointer (&copy));
    }

  /* Deleted with their disks: the copies go, the originals stay. */
  for (guint i = 0; i < machines->len; i++)
    {
      VmdMachine *machine = machines->pdata[i];
      g_autofree char *name = g_strdup (vmd_machine_get_name (machine));
      g_autofree char *path = g_build_filename (dir, formats[i].file, NULL);

      g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, &error));
      g_assert_no_error (error);
      g_assert_true (vmd_test_wait_machine_gone (connection, name, IMPORT_MS));
      g_assert_false (g_file_test (copies->pdata[i], G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  /* The pools lent over the images' folder are gone with the imports. */
  {
    g_autofree char *pools = vmd_test_pool_names (URI);

    g_assert_cmpstr (pools, ==, "vmdesk");
  }
  vmd_test_remove_dirs (dir);
}


#define OVA_NAME "Debian 12"

static void
on_inspected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_cloner_inspect_finish (VMD_CLONER (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* An appliance as VirtualBox exports one (its descriptor, then a
 * streamOptimized VMDK, in a tar): the machine gets the descriptor's name,
 * memory and processors, and a qcow2 disk holding the VMDK's bytes; the
 * disk unpacked for the copy does not stay in the pool. Inspected first, as
 * the window does: "ova", the descriptor's disk size. */
static void
test_import_ova (void)
{
  g_autofree char *dir = g_build_filename (workdir, "ova", NULL);
  g_autofree char *raw = g_build_filename (dir, "disk.raw", NULL);
  g_autofree char *vmdk = g_build_filename (dir, OVA_NAME "-disk001.vmdk", NULL);
  g_autofree char *ovf = g_build_filename (dir, OVA_NAME ".ovf", NULL);
  g_autofree char *ova = g_build_filename (dir, "appliance.ova", NULL);
  g_autofree char *template = g_build_filename (g_getenv ("VMD_TEST_DATA"), "ova-virtualbox.ovf",
                                                NULL);
  g_autofree char *pool_dir = g_build_filename (g_get_user_data_dir (), "vmdesk", "images", NULL);
  g_autofree char *text = NULL, *out = NULL, *err = NULL, *copy = NULL, *memory = NULL;
  g_autofree char *vcpus = NULL, *before = NULL, *after = NULL;
  g_autoptr(GString) descriptor = NULL;
  g_autoptr(VmdConnection) connection = vmd_connection_new (URI);
  g_autoptr(VmdCloner) inspected = NULL;
  g_autoptr(GError) error = NULL;
  const char *import[] = { "--import", ova, NULL };
  gboolean done = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  make_raw_disk (raw);
  run_ok ((const char *[]) { "qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o",
                             "subformat=streamOptimized", raw, vmdk, NULL });
  g_assert_true (g_file_get_contents (template, &text, NULL, &error));
  descriptor = g_string_new (text);
  g_assert_cmpuint (g_string_replace (descriptor, "ovf:capacity=\"4194304\"",
                                      "ovf:capacity=\"67108864\"", 1), ==, 1);
  g_assert_true (g_file_set_contents (ovf, descriptor->str, -1, &error));
  run_ok ((const char *[]) { "tar", "--format=ustar", "-cf", ova, "-C", dir, OVA_NAME ".ovf",
                             OVA_NAME "-disk001.vmdk", NULL });
  before = vmd_test_checksum (ova);

  /* What the window reads before its review. */
  g_assert_true (vmd_test_open (connection, &error));
  inspected = vmd_cloner_new_for_image (connection, ova, NULL);
  vmd_cloner_inspect_async (inspected, NULL, on_inspected, &done);
  g_assert_true (vmd_test_wait_until (vmd_test_is_true, &done, IMPORT_MS));
  g_assert_cmpstr (vmd_cloner_get_format (inspected), ==, "ova");
  g_assert_cmpuint (vmd_cloner_get_capacity (inspected), ==, FORMATS_SIZE);
  g_assert_cmpuint (vmd_cloner_get_memory (inspected), ==, G_GUINT64_CONSTANT (1536) << 20);
  g_assert_cmpuint (vmd_cloner_get_vcpus (inspected), ==, 2);
  g_assert_cmpstr (vmd_cloner_get_name (inspected), ==, OVA_NAME);

  g_assert_cmpint (vmdesk (import, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "“" OVA_NAME "”"));
  memory = vmd_test_dumpxml (URI, OVA_NAME, "/domain/memory/text()");
  g_assert_cmpstr (memory, ==, "1572864");
  vcpus = vmd_test_dumpxml (URI, OVA_NAME, "/domain/vcpu/text()");
  g_assert_cmpstr (vcpus, ==, "2");
  copy = vmd_test_dumpxml (URI, OVA_NAME, DISK_XPATH);
  run_ok ((const char *[]) { "qemu-img", "compare", "-q", "-f", "raw", "-F", "qcow2", raw, copy,
                             NULL });
  after = vmd_test_checksum (ova);
  g_assert_cmpstr (after, ==, before);
  /* Only the copy is left of the unpacking. */
  {
    g_autoptr(GDir) folder = g_dir_open (pool_dir, 0, NULL);
    const char *entry;

    g_assert_nonnull (folder);
    while ((entry = g_dir_read_name (folder)) != NULL)
      g_assert_false (g_str_has_prefix (entry, "vmdesk-unpacking-"));
  }
  vmd_test_remove_dirs (dir);
}

static void
remove_guest (const char *name)
{
  const char *destroy[] = { "virsh", "-c", URI, "destroy", name, NULL };
  const char *undefine[] = { "virsh", "-c", URI, "undefine", name, "--nvram", NULL };

  g_free (vmd_test_run_capture (destroy, NULL));
  g_free (vmd_test_run_capture (undefine, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_init_session (&argc, &argv);
  g_autoptr(GError) error = NULL;
  int status;

  vmd_test_start_daemon ();
  workdir = g_dir_make_tmp ("vmd-import-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/import-disks/import", test_import);
  g_test_add_func ("/import-disks/formats", test_import_formats);
  g_test_add_func ("/import-disks/ova", test_import_ova);
  status = g_test_run ();

  remove_guest ("from “VMware” & co");
  remove_guest ("raw");
  remove_guest (OVA_NAME);
  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
