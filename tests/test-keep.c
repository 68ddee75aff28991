/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keep"

#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vmd-test-gui.h"
#include "vmd-test-util.h"

/* Keeping machines on a real qemu:///session, as a script does it (vmdesk
 * --snapshot, --snapshots, --revert, --delete-snapshot, --clone: the
 * engine the window calls too; imports are test-import-disks.c's). The
 * guests are GRUB under TCG with a qcow2 disk, one
 * booted from BIOS and one from UEFI (OVMF), where libvirt 9.0 alone
 * refuses a running snapshot. What is typed at GRUB's prompt is the
 * guest's memory: a snapshot keeps it, reverting brings it back and
 * forgets what was typed after, read off the guest's screen by OCR. */

#define URI     "qemu:///session"
#define BOOT_MS 180000
#define OCR_MS  60000
/* Quotes, markup and a non-ASCII letter: a label is anyone's text. */
#define LABEL   "before “risky” <work> & café"
#define CLONE   "copy of “uefi” & co"

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

static char *
make_iso (const char *name)
{
  g_autofree char *root = g_build_filename (workdir, name, NULL);
  g_autofree char *tree = g_build_filename (root, "boot", "grub", NULL);
  g_autofree char *cfg = g_build_filename (tree, "grub.cfg", NULL);
  char *iso = g_strdup_printf ("%s.iso", root);
  const char *argv[] = { "grub-mkrescue", "-o", iso, root, NULL };

  g_assert_cmpint (g_mkdir_with_parents (tree, 0755), ==, 0);
  g_assert_true (g_file_set_contents (cfg, "set timeout=0\nset pager=0\n", -1, NULL));
  run_ok (argv);
  return iso;
}

/* GRUB from a CD under TCG, a blank qcow2 disk beside it. */
static void
define (const char *name,
        gboolean    uefi)
{
  g_autofree char *iso = make_iso (name);
  g_autofree char *disk = g_strdup_printf ("%s/%s.qcow2", workdir, name);
  g_autofree char *xml = g_strdup_printf (
    "<domain type='qemu'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>64</memory>"
    "  <vcpu>1</vcpu>"
    "  <os%s><type arch='x86_64' machine='q35'>hvm</type>%s<boot dev='cdrom'/></os>"
    "  <features><acpi/></features>"
    "  <devices>"
    "    <disk type='file' device='cdrom'>"
    "      <source file='%s'/><target dev='sda' bus='sata'/><readonly/>"
    "    </disk>"
    "    <disk type='file' device='disk'>"
    "      <driver name='qemu' type='qcow2'/>"
    "      <source file='%s'/><target dev='sdb' bus='sata'/>"
    "    </disk>"
    "    <interface type='user'><model type='e1000e'/></interface>"
    "    <graphics type='spice'><listen type='none'/></graphics>"
    "    <video><model type='qxl'/></video>"
    "%s"
    "  </devices>"
    "</domain>", name, uefi ? " firmware='efi'" : "",
    uefi ? "<firmware><feature enabled='no' name='secure-boot'/></firmware>" : "", iso, disk,
    /* A TPM, as Windows 11 machines have: its state goes with the NVRAM. */
    uefi ? "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>" : "");
  g_autofree char *path = g_build_filename (workdir, "domain.xml", NULL);
  const char *image[] = { "qemu-img", "create", "-q", "-f", "qcow2", disk, "32M", NULL };
  const char *virsh[] = { "virsh", "-c", URI, "define", path, NULL };

  run_ok (image);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  run_ok (virsh);
}

static void
virsh (const char *command,
       const char *name)
{
  const char *argv[] = { "virsh", "-c", URI, command, name, NULL };

  run_ok (argv);
}

static char *
domstate (const char *name)
{
  const char *argv[] = { "virsh", "-c", URI, "domstate", name, NULL };
  int status;
  char *out = vmd_test_run_capture (argv, &status);

  g_assert_cmpint (status, ==, 0);
  return g_strstrip (out);
}

static void
send_keys (const char *name,
           const char *keys)
{
  g_auto(GStrv) each = g_strsplit (keys, " ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add_many (builder, "virsh", "-c", URI, "send-key", name, "--codeset", "linux",
                           NULL);
  g_strv_builder_addv (builder, (const char **) each);
  argv = g_strv_builder_end (builder);
  run_ok ((const char * const *) argv);
}

typedef struct
{
  const char *name, *present, *absent;
  char       *last;
} Screen;

static gboolean
screen_reads (gpointer data)
{
  Screen *screen = data;
  g_autoptr(GdkPixbuf) shot = vmd_test_guest_screenshot (URI, screen->name, workdir);

  g_free (screen->last);
  screen->last = vmd_test_ocr (shot, workdir);
  return strstr (screen->last, screen->present) != NULL &&
         (screen->absent == NULL || strstr (screen->last, screen->absent) == NULL);
}

/* The guest's own screen shows @present and not @absent, before a deadline. */
static void
assert_screen (const char *name,
               const char *present,
               const char *absent)
{
  Screen screen = { name, present, absent, NULL };

  if (!vmd_test_wait_until (screen_reads, &screen, OCR_MS))
    g_error ("%s's screen did not show “%s”%s%s; tesseract read:\n%s", name, present,
             absent ? " without " : "", absent ? absent : "", screen.last);
  g_free (screen.last);
}

static JsonArray *
list_snapshots (const char  *name,
                JsonParser  *parser)
{
  const char *args[] = { "--snapshots", name, "--json", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (vmdesk (args, NULL, &out, &err), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

/* Files VmDesk keeps beside the images for its snapshots of @name. */
static guint
count_parts (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "vmdesk", "images", NULL);
  const char *argv[] = { "virsh", "-c", URI, "domuuid", name, NULL };
  g_autofree char *uuid = g_strstrip (vmd_test_run_capture (argv, NULL));
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *entry;
  guint n = 0;

  while (folder != NULL && (entry = g_dir_read_name (folder)) != NULL)
    if (g_str_has_prefix (entry, uuid))
      n++;
  return n;
}

/* Overwrites the file's last bytes, as a firmware update gone wrong would. */
static void
spoil (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 64);
  memset (contents + length - 64, 0xa5, 64);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
}

/* qemu-io's @command on the disk of the machine @name, which is off; a
 * read with -P fails unless the disk holds that pattern. */
static void
write_disk (const char *name,
            const char *command)
{
  g_autofree char *disk = g_strdup_printf ("%s/%s.qcow2", workdir, name);
  const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", command, disk, NULL };
  g_autofree char *out = vmd_test_run_ok (argv);  /* fails on a pattern that differs */

  g_assert_null (strstr (out, "Pattern verification failed"));
}

static void
snapshot_running_and_off (const char *name,
                          gboolean    uefi)
{
  const char *take[] = { "--snapshot", name, "--label", LABEL, NULL };
  const char *revert[] = { "--revert", name, "--label", LABEL, NULL };
  const char *take_off[] = { "--snapshot", name, "--label", "off", NULL };
  const char *revert_off[] = { "--revert", name, "--label", "off", NULL };
  const char *drop[] = { "--delete-snapshot", name, "--label", LABEL, NULL };
  const char *drop_off[] = { "--delete-snapshot", name, "--label", "off", NULL };
  const char *missing[] = { "--revert", name, "--label", "nothing", NULL };
  const char *human[] = { "--snapshots", name, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *state = NULL;
  JsonArray *list;
  JsonObject *first;

  define (name, uefi);
  virsh ("start", name);
  assert_screen (name, "grub>", NULL);
  send_keys (name, "KEY_K KEY_E KEY_P KEY_T");
  assert_screen (name, "kept", NULL);

  /* Running: with its memory, and it runs on. */
  g_assert_cmpint (vmdesk (take, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  state = domstate (name);
  g_assert_cmpstr (state, ==, "running");
  assert_screen (name, "kept", NULL);

  /* The same label again: refused, the machine untouched. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmdesk (take, NULL, &out, &err), ==, 1);
  vmd_test_assert_one_line (err, "exists");
  g_clear_pointer (&state, g_free);
  state = domstate (name);
  g_assert_cmpstr (state, ==, "running");

  send_keys (name, "KEY_SPACE KEY_G KEY_O KEY_N KEY_E");
  assert_screen (name, "kept gone", NULL);

  list = list_snapshots (name, parser);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  first = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "label"), ==, LABEL);
  g_assert_true (json_object_get_boolean_member (first, "memory"));
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "running");
  /* With a picture of the screen, which shows what was typed. */
  {
    const char *screen = json_object_get_string_member (first, "screen");
    g_autoptr(GdkPixbuf) picture = NULL;
    g_autofree char *text = NULL;

    g_assert_nonnull (screen);
    picture = gdk_pixbuf_new_from_file (screen, NULL);
    g_assert_nonnull (picture);
    text = vmd_test_ocr (picture, workdir);
    g_assert_nonnull (strstr (text, "kept"));
    g_assert_null (strstr (text, "gone"));
  }

  /* Back: running, what was typed before the snapshot there, not after. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmdesk (revert, NULL, &out, &err), ==, 0);
  g_clear_pointer (&state, g_free);
  state = domstate (name);
  g_assert_cmpstr (state, ==, "running");
  assert_screen (name, "kept", "gone");

  /* Off: the disks only; reverting to it leaves the machine off. What
   * the disk held when it was taken comes back: a pattern written before,
   * overwritten after. */
  virsh ("destroy", name);
  write_disk (name, "write -P 0x11 1M 64k");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmdesk (take_off, NULL, &out, &err), ==, 0);
  write_disk (name, "write -P 0x22 1M 64k");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (vmdesk (human, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "disks only"));
  g_assert_nonnull (strstr (out, "memory"));

  /* From the off one to the running one and back. */
  g_assert_cmpint (vmdesk (revert, NULL, &out, &err), ==, 0);
  assert_screen (name, "kept", "gone");
  g_assert_cmpint (vmdesk (revert_off, NULL, &out, &err), ==, 0);
  g_clear_pointer (&state, g_free);
  state = domstate (name);
  g_assert_cmpstr (state, ==, "shut off");
  write_disk (name, "read -P 0x11 1M 64k");

  /* A UEFI machine's variables and its TPM's state are part of it:
   * spoilt after the snapshot, they come back with it. */
  if (uefi)
    {
      g_autofree char *file = g_strdup_printf ("%s_VARS.fd", name);
      g_autofree char *nvram = g_build_filename (g_get_user_config_dir (), "libvirt", "qemu",
                                                 "nvram", file, NULL);
      g_autofree char *uuid = vmd_test_dumpxml (URI, name, "/domain/uuid/text()");
      g_autofree char *tpm = g_build_filename (g_get_user_config_dir (), "libvirt", "qemu",
                                               "swtpm", uuid, "tpm2", "tpm2-00.permall", NULL);
      g_autofree char *before = vmd_test_checksum (nvram);
      g_autofree char *tpm_before = vmd_test_checksum (tpm);
      g_autofree char *after = NULL, *tpm_after = NULL;

      spoil (nvram);
      spoil (tpm);
      g_assert_cmpint (vmdesk (revert_off, NULL, &out, &err), ==, 0);
      after = vmd_test_checksum (nvram);
      g_assert_cmpstr (after, ==, before);
      tpm_after = vmd_test_checksum (tpm);
      g_assert_cmpstr (tpm_after, ==, tpm_before);
    }

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmdesk (missing, NULL, &out, &err), ==, 1);
  vmd_test_assert_one_line (err, "no snapshot of this name");

  g_assert_cmpint (vmdesk (drop, NULL, &out, &err), ==, 0);
  g_assert_cmpint (vmdesk (drop_off, NULL, &out, &err), ==, 0);
  g_assert_cmpuint (json_array_get_length (list_snapshots (name, parser)), ==, 0);
  g_assert_cmpuint (count_parts (name), ==, 0);
}

static void
test_bios (void)
{
  snapshot_running_and_off ("snap bios", FALSE);
}

/* What libvirt 9.0 refuses by itself ("internal snapshots of a VM with
 * pflash based firmware are not supported"). */
static void
test_uefi (void)
{
  snapshot_running_and_off ("snap uefi", TRUE);
}

/* A memory image takes the guest's RAM on disk: with the images on a
 * file system of 8 MiB, a 64 MiB guest's snapshot is refused first, with
 * the numbers, and the guest runs on with nothing left behind. */
static void
test_no_space (void)
{
  const char *small = g_getenv ("VMD_TEST_SMALL_FS");
  const char *take[] = { "--snapshot", "snap uefi", "--label", "big", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *state = NULL;

  if (small == NULL)
    {
      g_test_skip ("no small file system (run through as-test-user.sh --small-fs as root)");
      return;
    }
  virsh ("start", "snap uefi");
  g_assert_cmpint (vmdesk (take, small, &out, &err), ==, 1);
  vmd_test_assert_one_line (err, "needs 64");
  state = domstate ("snap uefi");
  g_assert_cmpstr (state, ==, "running");
  g_assert_cmpstr (g_strstrip (vmd_test_run_capture ((const char *[]) { "virsh", "-c", URI,
                   "snapshot-list", "snap uefi", "--name", NULL }, NULL)), ==, "");
}

/* A full copy of the UEFI guest, off: its own disk (a copy, which the
 * original does not see change), its own UEFI variables (copied), a new
 * UUID and MAC; it boots to GRUB's prompt. A running machine is refused,
 * and so is a name taken. */
static void
test_clone (void)
{
  const char *clone[] = { "--clone", "snap uefi", "--name", CLONE, NULL };
  const char *taken[] = { "--clone", "snap uefi", "--name", "snap bios", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *disk = NULL, *copy = NULL, *uuid = NULL, *copy_uuid = NULL;
  g_autofree char *mac = NULL, *copy_mac = NULL, *state = NULL;
  g_autofree char *nvram_file = g_strdup_printf ("%s_VARS.fd", "snap uefi");
  g_autofree char *copy_nvram_file = g_strdup_printf ("%s_VARS.fd", CLONE);
  g_autofree char *nvram = g_build_filename (g_get_user_config_dir (), "libvirt", "qemu",
                                             "nvram", nvram_file, NULL);
  g_autofree char *copy_nvram = g_build_filename (g_get_user_config_dir (), "libvirt", "qemu",
                                                  "nvram", copy_nvram_file, NULL);
  g_autofree char *sum = NULL, *copy_sum = NULL;

  /* Running: refused, with the reason. */
  if (g_strcmp0 ((state = domstate ("snap uefi")), "running") != 0)
    virsh ("start", "snap uefi");
  g_assert_cmpint (vmdesk (clone, NULL, &out, &err), ==, 1);
  vmd_test_assert_one_line (err, "shut it down first");
  virsh ("destroy", "snap uefi");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmdesk (taken, NULL, &out, &err), ==, 1);
  vmd_test_assert_one_line (err, "another machine has this name");

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmdesk (clone, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");

  disk = vmd_test_dumpxml (URI, "snap uefi", "/domain/devices/disk[@device='disk']/source/@file");
  copy = vmd_test_dumpxml (URI, CLONE, "/domain/devices/disk[@device='disk']/source/@file");
  g_assert_cmpstr (copy, !=, disk);
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
  uuid = vmd_test_dumpxml (URI, "snap uefi", "/domain/uuid/text()");
  copy_uuid = vmd_test_dumpxml (URI, CLONE, "/domain/uuid/text()");
  g_assert_cmpstr (copy_uuid, !=, uuid);
  mac = vmd_test_dumpxml (URI, "snap uefi", "/domain/devices/interface/mac/@address");
  copy_mac = vmd_test_dumpxml (URI, CLONE, "/domain/devices/interface/mac/@address");
  g_assert_cmpstr (copy_mac, !=, mac);
  sum = vmd_test_checksum (nvram);
  copy_sum = vmd_test_checksum (copy_nvram);
  g_assert_cmpstr (copy_sum, ==, sum);

  /* The original's bytes, in a disk of its own: the copy's disk written,
   * the original's unchanged. */
  {
    const char *compare[] = { "qemu-img", "compare", "-q", "-f", "qcow2", "-F", "qcow2", disk,
                              copy, NULL };

    run_ok (compare);
  }
  {
    g_autofree char *before = vmd_test_checksum (disk);
    g_autofree char *after = NULL;
    const char *write[] = { "qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 64k", copy, NULL };

    run_ok (write);
    after = vmd_test_checksum (disk);
    g_assert_cmpstr (after, ==, before);
  }

  virsh ("start", CLONE);
  assert_screen (CLONE, "grub>", NULL);
  /* The pool lent over the original's folder is gone with the copy. */
  {
    g_autofree char *pools = vmd_test_pool_names (URI);

    g_assert_cmpstr (pools, ==, "vmdesk");
  }
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

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_init_session (&argc, &argv);
  g_autoptr(GError) error = NULL;
  int status;

  vmd_test_start_daemon ();
  workdir = g_dir_make_tmp ("vmd-snap-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/keep/snapshots-bios", test_bios);
  g_test_add_func ("/keep/snapshots-uefi", test_uefi);
  g_test_add_func ("/keep/snapshot-no-space", test_no_space);
  g_test_add_func ("/keep/clone-uefi", test_clone);
  status = g_test_run ();

  remove_guest ("snap bios");
  remove_guest ("snap uefi");
  remove_guest (CLONE);
  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
