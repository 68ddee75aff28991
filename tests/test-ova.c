/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-ova.h"
#include "vmd-test-util.h"

/* Appliances as VirtualBox and VMware export them, packed by the test into
 * real tar archives around real streamOptimized VMDK disks, and archives
 * made to hurt the reader. */

#define DIR_VARIABLE "VMD_TEST_OVA_DIR"

static char *dir;
static char *raw1, *vmdk1;   /* 4 MiB of noise: the disk spans several chunks */
static char *raw2, *vmdk2;   /* 1 MiB, mostly zeros */

/* Descriptors as VirtualBox 7 (OVF 1.0), VMware's ovftool (OVF 1.0, memory
 * in GiB, the second disk attached first) and ovftool's OVF 0.9 (typed
 * <Section>s, no <Name>) write them, from tests/data. */
static char *vbox_ovf, *vmware_ovf, *ovf09;

#define OVF_NS  "http://schemas.dmtf.org/ovf/envelope/1"
#define RASD_NS \
  "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"

/* A minimal OVF 1.0 descriptor: HEAD before <Envelope>, MIDDLE between
 * the disk list and the system, HARDWARE its items. */
#define SMALL_OVF(HEAD, MIDDLE, HARDWARE) \
  "<?xml version=\"1.0\"?>\n" HEAD \
  "<Envelope xmlns=\"" OVF_NS "\" xmlns:ovf=\"" OVF_NS "\" xmlns:rasd=\"" RASD_NS "\">" \
  MIDDLE \
  "<VirtualSystem ovf:id=\"small\"><Info>A virtual machine</Info>" \
  "<VirtualHardwareSection><Info>hw</Info>" HARDWARE "</VirtualHardwareSection>" \
  "</VirtualSystem></Envelope>\n"

#define ONE_DISK(HREF) \
  "<References><File ovf:id=\"f1\" ovf:href=\"" HREF "\"/></References>" \
  "<DiskSection><Info>disks</Info>" \
  "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:capacity=\"1\"/></DiskSection>"

#define ITEM(TYPE, MORE) \
  "<Item><rasd:ResourceType>" TYPE "</rasd:ResourceType>" MORE "</Item>"
#define QUANTITY(VALUE) "<rasd:VirtualQuantity>" VALUE "</rasd:VirtualQuantity>"

/* Writing archives */

static struct archive *
tar_new (const char *path,
         gboolean    gzip)
{
  struct archive *tar = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_pax_restricted (tar), ==, ARCHIVE_OK);
  if (gzip)
    g_assert_cmpint (archive_write_add_filter_gzip (tar), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (tar, path), ==, ARCHIVE_OK);
  return tar;
}

static void
tar_add (struct archive *tar,
         const char     *name,
         int             type,
         const char     *data,
         gsize           length)
{
  struct archive_entry *entry = archive_entry_new ();

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, type);
  archive_entry_set_perm (entry, type == AE_IFDIR ? 0755 : 0644);
  archive_entry_set_mtime (entry, 1700000000, 0);
  if (type == AE_IFLNK)
    archive_entry_set_symlink (entry, data);
  archive_entry_set_size (entry, type == AE_IFREG ? length : 0);
  g_assert_cmpint (archive_write_header (tar, entry), ==, ARCHIVE_OK);
  if (type == AE_IFREG && length > 0)
    g_assert_cmpint (archive_write_data (tar, data, length), ==, length);
  archive_entry_free (entry);
}

static void
tar_add_file (struct archive *tar,
              const char     *name,
              const char     *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  tar_add (tar, name, AE_IFREG, contents, length);
}

static void
tar_close (struct archive *tar)
{
  g_assert_cmpint (archive_write_close (tar), ==, ARCHIVE_OK);
  archive_write_free (tar);
}

/* An archive of @descriptor as NAME.ovf, then @disk's file as @member. */
static char *
make_ova (const char *name,
          const char *descriptor,
          const char *member,
          const char *disk)
{
  g_autofree char *ovf = g_strconcat (name, ".ovf", NULL);
  char *path = g_strdup_printf ("%s/%s.ova", dir, name);
  struct archive *tar = tar_new (path, FALSE);

  tar_add (tar, ovf, AE_IFREG, descriptor, strlen (descriptor));
  if (member != NULL)
    tar_add_file (tar, member, disk);
  tar_close (tar);
  return path;
}

static char *
write_file (const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

/* Checks */

/* Whether the command ran and succeeded. */
static gboolean
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

static void
assert_same_bytes (const char *a,
                   const char *b)
{
  g_autofree char *one = NULL, *two = NULL;
  gsize one_length, two_length;

  g_assert_true (g_file_get_contents (a, &one, &one_length, NULL));
  g_assert_true (g_file_get_contents (b, &two, &two_length, NULL));
  g_assert_cmpmem (one, one_length, two, two_length);
}

/* What a person would read: one line, naming the file they picked. */
static void
assert_refused (const char *path,
                int         code,
                const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdOva) ova = vmd_ova_open (path, &error);
  g_autofree char *base = g_path_get_basename (path);

  g_assert_null (ova);
  g_assert_error (error, VMD_ERROR, code);
  g_test_message ("%s: %s", base, error->message);
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_nonnull (strstr (error->message, base));
  g_assert_null (strchr (error->message, '\n'));
}

typedef struct
{
  guint         calls;
  guint64       done;
  guint64       total;
  gboolean      backwards;
  GCancellable *cancel_after_first;
} Progress;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer data)
{
  Progress *progress = data;

  progress->backwards |= done < progress->done || done > total;
  progress->calls++;
  progress->done = done;
  progress->total = total;
  if (progress->cancel_after_first != NULL)
    g_cancellable_cancel (progress->cancel_after_first);
}

/* Tests */

static void
test_virtualbox (void)
{
  g_autofree char *path = make_ova ("Debian 12", vbox_ovf, "Debian 12-disk001.vmdk", vmdk1);
  g_autofree char *dest = g_build_filename (dir, "vbox-extracted.vmdk", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdOva) ova = vmd_ova_open (path, &error);
  const char * const *disks;
  Progress progress = { 0 };
  struct stat st;

  g_assert_no_error (error);
  g_assert_true (vmd_ova_is_ova (path));
  g_assert_cmpstr (vmd_ova_get_name (ova), ==, "Debian 12");
  g_assert_cmpuint (vmd_ova_get_cpus (ova), ==, 2);
  g_assert_cmpuint (vmd_ova_get_capacity (ova), ==, 4194304);
  g_assert_cmpuint (vmd_ova_get_memory (ova), ==, G_GUINT64_CONSTANT (1536) << 20);
  disks = vmd_ova_get_disks (ova);
  g_assert_cmpstrv (disks, ((const char * const[]) { "Debian 12-disk001.vmdk", NULL }));

  g_assert_true (vmd_ova_extract (ova, disks[0], dest, NULL, on_progress, &progress, &error));
  g_assert_no_error (error);
  assert_same_bytes (dest, vmdk1);
  g_assert_cmpint (g_stat (dest, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* Several chunks, forwards, ending at the whole member. */
  g_assert_cmpuint (progress.calls, >=, 4);
  g_assert_false (progress.backwards);
  g_assert_cmpuint (progress.done, ==, progress.total);
  g_assert_cmpuint (progress.total, ==, st.st_size);

  /* The guest sees the disk it was exported with. */
  g_assert_true (run ((const char *[]) { "qemu-img", "compare", "-q", "-f", "raw", "-F", "vmdk",
                                         raw1, dest, NULL }));
}

static void
test_vmware (void)
{
  g_autofree char *path = g_build_filename (dir, "web.ova", NULL);
  g_autofree char *manifest = g_strdup ("SHA256(web.ovf)= 00\n");
  g_autofree char *dest = g_build_filename (dir, "web-extracted.vmdk", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdOva) ova = NULL;
  struct archive *tar = tar_new (path, FALSE);
  const char * const *disks;

  /* ovftool's order: descriptor, manifest, disks as the references list them. */
  tar_add (tar, "web.ovf", AE_IFREG, vmware_ovf, strlen (vmware_ovf));
  tar_add (tar, "web.mf", AE_IFREG, manifest, strlen (manifest));
  tar_add_file (tar, "web-disk1.vmdk", vmdk1);
  tar_add_file (tar, "web-disk2.vmdk", vmdk2);
  tar_close (tar);

  ova = vmd_ova_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_ova_is_ova (path));
  g_assert_cmpstr (vmd_ova_get_name (ova), ==, "web");
  g_assert_cmpuint (vmd_ova_get_cpus (ova), ==, 4);
  /* The first disk attached, disk2: 1 MiB as "byte * 2^20" says. */
  g_assert_cmpuint (vmd_ova_get_capacity (ova), ==, 1048576);
  g_assert_cmpuint (vmd_ova_get_memory (ova), ==, G_GUINT64_CONSTANT (4) << 30);
  disks = vmd_ova_get_disks (ova);
  g_assert_cmpstrv (disks, ((const char * const[]) { "web-disk2.vmdk", "web-disk1.vmdk",
                                                      NULL }));

  /* The last member, read past the others. */
  g_assert_true (vmd_ova_extract (ova, disks[0], dest, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_same_bytes (dest, vmdk2);
  g_assert_true (run ((const char *[]) { "qemu-img", "compare", "-q", "-f", "raw", "-F", "vmdk",
                                         raw2, dest, NULL }));

  /* Never over a file already there, which stays as it was. */
  g_assert_false (vmd_ova_extract (ova, disks[1], dest, NULL, NULL, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  assert_same_bytes (dest, vmdk2);

  /* Only what the archive holds. */
  g_assert_false (vmd_ova_extract (ova, "../../etc/passwd", dest, NULL, NULL, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA);
}

static void
test_ovf09 (void)
{
  g_autofree char *path = make_ova ("old", ovf09, "old-disk1.vmdk", vmdk2);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdOva) ova = vmd_ova_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (vmd_ova_get_name (ova), ==, "old");   /* no <Name>: the system's id */
  g_assert_cmpuint (vmd_ova_get_cpus (ova), ==, 1);
  g_assert_cmpuint (vmd_ova_get_memory (ova), ==, G_GUINT64_CONSTANT (512) << 20);
  g_assert_cmpstrv (vmd_ova_get_disks (ova),
                    ((const char * const[]) { "old-disk1.vmdk", NULL }));
}

/* No disk attached in the hardware: the disk list's order. A blank disk
 * (no file) has nothing to extract. The descriptor need not come first,
 * and a "./" in the member names is not part of them. */
static void
test_disk_section_order (void)
{
  static const char descriptor[] = SMALL_OVF ("",
    "<References><File ovf:id=\"f1\" ovf:href=\"a.vmdk\"/>"
    "<File ovf:id=\"f2\" ovf:href=\"b.vmdk\"/></References>"
    "<DiskSection><Info>disks</Info>"
    "<Disk ovf:diskId=\"d2\" ovf:fileRef=\"f2\" ovf:capacity=\"1\"/>"
    "<Disk ovf:diskId=\"blank\" ovf:capacity=\"1\"/>"
    "<Disk ovf:diskId=\"d1\" ovf:fileRef=\"f1\" ovf:capacity=\"1\"/></DiskSection>",
    "");
  g_autofree char *path = g_build_filename (dir, "order.ova", NULL);
  g_autofree char *dest = g_build_filename (dir, "order-b.vmdk", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdOva) ova = NULL;
  struct archive *tar = tar_new (path, FALSE);

  tar_add_file (tar, "./a.vmdk", vmdk1);
  tar_add (tar, "./order.ovf", AE_IFREG, descriptor, strlen (descriptor));
  tar_add_file (tar, "./b.vmdk", vmdk2);
  tar_close (tar);

  ova = vmd_ova_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (vmd_ova_is_ova (path));   /* the quick check wants it first, as OVF does */
  g_assert_cmpstr (vmd_ova_get_name (ova), ==, "small");
  g_assert_cmpuint (vmd_ova_get_cpus (ova), ==, 0);
  g_assert_cmpuint (vmd_ova_get_memory (ova), ==, 0);
  g_assert_cmpstrv (vmd_ova_get_disks (ova),
                    ((const char * const[]) { "b.vmdk", "a.vmdk", NULL }));
  g_assert_true (vmd_ova_extract (ova, "b.vmdk", dest, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_same_bytes (dest, vmdk2);
}

static void
test_memory_units (void)
{
  static const struct { const char *units, *quantity; guint64 bytes; } cases[] = {
    { "byte * 2^20", "1536", G_GUINT64_CONSTANT (1536) << 20 },
    { "byte*2^30", "2", G_GUINT64_CONSTANT (2) << 30 },
    { "MegaBytes", "512", G_GUINT64_CONSTANT (512) << 20 },
    { "MB", "256", G_GUINT64_CONSTANT (256) << 20 },
    { "GB", "8", G_GUINT64_CONSTANT (8) << 30 },
    { "GigaBytes", "3", G_GUINT64_CONSTANT (3) << 30 },
    { "KiloBytes", "1048576", G_GUINT64_CONSTANT (1) << 30 },
    { "byte * 10^6", "1000", G_GUINT64_CONSTANT (1000000000) },
    { "byte", "1073741824", G_GUINT64_CONSTANT (1) << 30 },
    { NULL, "1024", G_GUINT64_CONSTANT (1) << 30 },           /* no unit: megabytes */
    { "furlongs", "1024", 0 },
    { "byte * 2^30", "99999999999999", 0 },                     /* overflows */
    { "byte * 2^99", "1", 0 },
    { "byte * 1^99999999999999", "1", 0 },                      /* quickly */
    { "MB", "-5", 0 },
    { "MB", "lots", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *units = cases[i].units
        ? g_strdup_printf ("<rasd:AllocationUnits>%s</rasd:AllocationUnits>", cases[i].units)
        : g_strdup ("");
      g_autofree char *descriptor =
        g_strdup_printf (SMALL_OVF ("", ONE_DISK ("d.vmdk"),
                                    ITEM ("4", "%s" QUANTITY ("%s"))),
                         units, cases[i].quantity);
      g_autofree char *path = make_ova ("units", descriptor, "d.vmdk", vmdk2);
      g_autoptr(GError) error = NULL;
      g_autoptr(VmdOva) ova = vmd_ova_open (path, &error);

      g_assert_no_error (error);
      g_test_message ("%s %s", cases[i].units, cases[i].quantity);
      g_assert_cmpuint (vmd_ova_get_memory (ova), ==, cases[i].bytes);
    }
}

static void
test_is_ova (void)
{
  g_autofree char *empty = write_file ("empty.ova", "", 0);
  g_autofree char *text = write_file ("text.ova", "not an appliance\n", -1);
  g_autofree char *disk_first = g_build_filename (dir, "disk-first.ova", NULL);
  g_autofree char *gzipped = g_build_filename (dir, "gzipped.ova", NULL);
  g_autofree char *good = make_ova ("good", vbox_ovf, "Debian 12-disk001.vmdk", vmdk2);
  g_autofree char *missing = g_build_filename (dir, "missing.ova", NULL);
  g_autofree char *long_name = g_strnfill (150, 'n');
  g_autofree char *pax = NULL;
  struct archive *tar;

  /* A name past ustar's 100 bytes: a pax header comes first. */
  pax = make_ova (long_name, vbox_ovf, "Debian 12-disk001.vmdk", vmdk2);
  g_assert_true (vmd_ova_is_ova (pax));

  tar = tar_new (disk_first, FALSE);
  tar_add_file (tar, "disk.vmdk", vmdk2);
  tar_add (tar, "disk.ovf", AE_IFREG, vbox_ovf, strlen (vbox_ovf));
  tar_close (tar);
  tar = tar_new (gzipped, TRUE);
  tar_add (tar, "disk.ovf", AE_IFREG, vbox_ovf, strlen (vbox_ovf));
  tar_close (tar);

  g_assert_true (vmd_ova_is_ova (good));
  g_assert_false (vmd_ova_is_ova (empty));
  g_assert_false (vmd_ova_is_ova (text));
  g_assert_false (vmd_ova_is_ova (disk_first));
  g_assert_false (vmd_ova_is_ova (gzipped));
  g_assert_false (vmd_ova_is_ova (missing));
  g_assert_false (vmd_ova_is_ova (dir));
  g_assert_false (vmd_ova_is_ova (raw1));
  g_assert_false (vmd_ova_is_ova (vmdk1));
}

static void
test_cancel (void)
{
  g_autofree char *path = make_ova ("cancel", vbox_ovf, "Debian 12-disk001.vmdk", vmdk1);
  g_autofree char *dest = g_build_filename (dir, "cancelled.vmdk", NULL);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GCancellable) cancel_later = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdOva) ova = vmd_ova_open (path, &error);
  Progress progress = { .cancel_after_first = cancel_later };

  g_assert_no_error (error);
  g_cancellable_cancel (cancelled);
  g_assert_false (vmd_ova_extract (ova, "Debian 12-disk001.vmdk", dest, cancelled,
                                   NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Cancelled half-way: the part written goes again. */
  g_assert_false (vmd_ova_extract (ova, "Debian 12-disk001.vmdk", dest, cancel_later,
                                   on_progress, &progress, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 1);
  g_assert_cmpuint (progress.done, <, progress.total);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
}

/* Cut short after it was opened, or before. */
static void
test_truncated (void)
{
  g_autofree char *path = make_ova ("cut", vbox_ovf, "Debian 12-disk001.vmdk", vmdk1);
  g_autofree char *dest = g_build_filename (dir, "cut.vmdk", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdOva) ova = vmd_ova_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (truncate (path, 2 * 1024 * 1024), ==, 0);
  g_assert_false (vmd_ova_extract (ova, "Debian 12-disk001.vmdk", dest, NULL,
                                   NULL, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_TRUNCATED);
  g_test_message ("%s", error->message);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));

  assert_refused (path, VMD_ERROR_TRUNCATED, "download it again");
}

static void
test_hostile_not_ova (void)
{
  g_autofree char *empty = write_file ("empty.ova", "", 0);
  g_autofree char *text = write_file ("text.ova", "Just some text, long enough to be read.\n", -1);
  g_autofree char *no_ovf = g_build_filename (dir, "no-ovf.ova", NULL);
  g_autofree char *gzipped = g_build_filename (dir, "gzipped.ova", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.ova", NULL);
  g_autofree char *many = g_build_filename (dir, "many.ova", NULL);
  g_autoptr(GError) error = NULL;
  struct archive *tar;

  tar = tar_new (no_ovf, FALSE);
  tar_add_file (tar, "disk.vmdk", vmdk2);
  tar_add (tar, "README", AE_IFREG, "hello\n", 6);
  tar_add (tar, "dir.ovf", AE_IFDIR, NULL, 0);   /* a folder is no descriptor */
  tar_close (tar);
  tar = tar_new (gzipped, TRUE);
  tar_add (tar, "gzipped.ovf", AE_IFREG, vbox_ovf, strlen (vbox_ovf));
  tar_close (tar);
  tar = tar_new (many, FALSE);
  tar_add (tar, "many.ovf", AE_IFREG, vbox_ovf, strlen (vbox_ovf));
  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("file%d", i);

      tar_add (tar, name, AE_IFREG, "", 0);
    }
  tar_close (tar);

  assert_refused (empty, VMD_ERROR_NOT_MEDIA, "not a tar archive");
  assert_refused (text, VMD_ERROR_NOT_MEDIA, "not a tar archive");
  assert_refused (gzipped, VMD_ERROR_NOT_MEDIA, "not a tar archive");
  assert_refused (dir, VMD_ERROR_NOT_MEDIA, "not a tar archive");
  assert_refused (no_ovf, VMD_ERROR_NOT_MEDIA, "no OVF descriptor");
  assert_refused (many, VMD_ERROR_NOT_MEDIA, "more than 1000 files");

  g_assert_null (vmd_ova_open (missing, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "missing.ova"));
}

static void
test_hostile_descriptor (void)
{
  g_autofree char *not_xml = make_ova ("not-xml", "<Envelope><VirtualSystem>oops", NULL, NULL);
  g_autofree char *binary = make_ova ("binary", "\x89PNG\r\n\x1a\n\xff\xfe", NULL, NULL);
  g_autofree char *no_system =
    make_ova ("no-system", "<Envelope xmlns=\"" OVF_NS "\"><References/></Envelope>", NULL, NULL);
  g_autofree char *other_root =
    make_ova ("other-root", "<html><VirtualSystem>hello</VirtualSystem></html>", NULL, NULL);
  g_autofree char *no_namespace =
    make_ova ("no-namespace", "<Envelope><VirtualSystem><Name>x</Name></VirtualSystem></Envelope>",
              NULL, NULL);
  g_autofree char *href_missing =
    make_ova ("href-missing", SMALL_OVF ("", ONE_DISK ("gone.vmdk"), ""), "other.vmdk", vmdk2);
  g_autofree char *href_url =
    make_ova ("href-url", SMALL_OVF ("", ONE_DISK ("http://example.com/d.vmdk"), ""),
              "d.vmdk", vmdk2);
  g_autofree char *dangling =
    make_ova ("dangling", SMALL_OVF ("", ONE_DISK ("d.vmdk"),
                                     ITEM ("17", "<rasd:HostResource>ovf:/disk/nope"
                                                 "</rasd:HostResource>")),
              "d.vmdk", vmdk2);
  g_autoptr(GString) big = g_string_new (SMALL_OVF ("", ONE_DISK ("d.vmdk"), ""));
  g_autoptr(GString) crowded = g_string_new (NULL);
  g_autofree char *big_path = NULL, *crowded_ovf = NULL, *crowded_path = NULL;

  /* Over 4 MiB: valid XML, but more than a descriptor ever is. */
  g_string_append (big, "<!--");
  for (int i = 0; i < 4 * 1024 * 1024 / 64 + 1; i++)
    g_string_append (big, "................................................................");
  g_string_append (big, "-->\n");
  big_path = make_ova ("big", big->str, "d.vmdk", vmdk2);

  /* More disks than a machine can take. */
  g_string_append (crowded, "<References>");
  for (int i = 0; i < 65; i++)
    g_string_append_printf (crowded, "<File ovf:id=\"f%d\" ovf:href=\"d%d.vmdk\"/>", i, i);
  g_string_append (crowded, "</References><DiskSection><Info>disks</Info>");
  for (int i = 0; i < 65; i++)
    g_string_append_printf (crowded, "<Disk ovf:diskId=\"d%d\" ovf:fileRef=\"f%d\"/>", i, i);
  g_string_append (crowded, "</DiskSection>");
  crowded_ovf = g_strdup_printf (SMALL_OVF ("", "%s", ""), crowded->str);
  crowded_path = make_ova ("crowded", crowded_ovf, "d.vmdk", vmdk2);

  assert_refused (not_xml, VMD_ERROR_NOT_MEDIA, "descriptor is damaged");
  assert_refused (binary, VMD_ERROR_NOT_MEDIA, "descriptor is damaged");
  assert_refused (no_system, VMD_ERROR_NOT_MEDIA, "describes no virtual machine");
  assert_refused (other_root, VMD_ERROR_NOT_MEDIA, "describes no virtual machine");
  assert_refused (no_namespace, VMD_ERROR_NOT_MEDIA, "describes no virtual machine");
  assert_refused (href_missing, VMD_ERROR_NOT_MEDIA, "its disk “gone.vmdk” is not in it");
  assert_refused (href_url, VMD_ERROR_NOT_MEDIA, "is not in it");
  assert_refused (dangling, VMD_ERROR_NOT_MEDIA, "descriptor is damaged");
  assert_refused (big_path, VMD_ERROR_NOT_MEDIA, "descriptor is damaged");
  assert_refused (crowded_path, VMD_ERROR_NOT_MEDIA, "descriptor is damaged");
}

static char *
make_ova_members (const char *name,
                  const char *href,
                  const char *member,
                  int         type,
                  const char *data)
{
  g_autofree char *descriptor = g_strdup_printf (SMALL_OVF ("", ONE_DISK ("%s"), ""), href);
  g_autofree char *ovf = g_strconcat (name, ".ovf", NULL);
  char *path = g_strdup_printf ("%s/%s.ova", dir, name);
  struct archive *tar = tar_new (path, FALSE);

  tar_add (tar, ovf, AE_IFREG, descriptor, strlen (descriptor));
  tar_add (tar, member, type, data, data ? strlen (data) : 0);
  tar_close (tar);
  return path;
}

static void
test_hostile_members (void)
{
  static const char passwd[] = "root::0:0\n";
  g_autofree char *climbing =
    make_ova_members ("climbing", "../../etc/x", "../../etc/x", AE_IFREG, passwd);
  g_autofree char *extra = make_ova_members ("extra", "d.vmdk", "../../etc/x", AE_IFREG, passwd);
  g_autofree char *absolute = make_ova_members ("absolute", "/etc/x", "/etc/x", AE_IFREG, passwd);
  g_autofree char *directory = make_ova_members ("directory", "d.vmdk", "d.vmdk", AE_IFDIR, NULL);
  g_autofree char *symlink =
    make_ova_members ("symlink", "d.vmdk", "d.vmdk", AE_IFLNK, "/etc/shadow");
  g_autofree char *reversed =
    make_ova_members ("reversed", "d&#x202E;kdmv.exe", "other", AE_IFREG, "x");
  g_autoptr(GError) error = NULL;

  assert_refused (climbing, VMD_ERROR_NOT_MEDIA, "a file with an unsafe name, “../../etc/x”");
  assert_refused (extra, VMD_ERROR_NOT_MEDIA, "an unsafe name");
  assert_refused (absolute, VMD_ERROR_NOT_MEDIA, "an unsafe name");
  assert_refused (directory, VMD_ERROR_NOT_MEDIA, "is not a regular file");
  assert_refused (symlink, VMD_ERROR_NOT_MEDIA, "is not a regular file");
  /* A name from the archive is shown, its control characters not obeyed:
   * here a right-to-left override. */
  g_assert_null (vmd_ova_open (reversed, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA);
  g_assert_nonnull (strstr (error->message, "is not in it"));
  g_assert_null (strstr (error->message, "\u202e"));
}

/* An external entity naming a file, used where the name is read: the file
 * is not read, and the descriptor (OVF has no DTD) refused. A billion
 * laughs is refused, quickly. */
static void
test_hostile_entities (void)
{
  g_autofree char *secret = write_file ("secret.txt", "TOPSECRET-1234", -1);
  g_autofree char *xxe_ovf =
    g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE Envelope [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
                     "<Envelope xmlns=\"" OVF_NS "\" xmlns:ovf=\"" OVF_NS "\">" ONE_DISK ("d.vmdk")
                     "<VirtualSystem ovf:id=\"x\"><Name>&xxe;</Name></VirtualSystem></Envelope>\n",
                     secret);
  g_autofree char *xxe = make_ova ("xxe", xxe_ovf, "d.vmdk", vmdk2);
  g_autoptr(GString) lol = g_string_new ("<!DOCTYPE Envelope [<!ENTITY lol0 \"lollollol\">");
  g_autofree char *bomb = NULL, *laughs = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (vmd_ova_open (xxe, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA);
  g_assert_null (strstr (error->message, "TOPSECRET"));
  assert_refused (xxe, VMD_ERROR_NOT_MEDIA, "descriptor is damaged");

  for (int i = 1; i < 10; i++)
    {
      g_string_append_printf (lol, "<!ENTITY lol%d \"", i);
      for (int j = 0; j < 10; j++)
        g_string_append_printf (lol, "&lol%d;", i - 1);
      g_string_append (lol, "\">");
    }
  g_string_append (lol, "]>\n");
  bomb = g_strdup_printf (SMALL_OVF ("%s", ONE_DISK ("d.vmdk"),
                                     ITEM ("3", QUANTITY ("&lol9;"))),
                          lol->str);
  laughs = make_ova ("laughs", bomb, "d.vmdk", vmdk2);
  assert_refused (laughs, VMD_ERROR_NOT_MEDIA, "descriptor is damaged");
}

/* Entities and a DTD naming a pipe nobody writes to: had the parser opened
 * one, it would wait for ever, and the trap's clock would fail the test. */
static void
test_hostile_entities_pipe (void)
{
  g_autofree char *pipe = g_build_filename (dir, "pipe", NULL);
  static const struct { const char *before, *after; } heads[] = {
    { "<!DOCTYPE Envelope [<!ENTITY xxe SYSTEM \"file://", "\">]>\n" },
    { "<!DOCTYPE Envelope [<!ENTITY % pe SYSTEM \"file://", "\"> %pe;]>\n" },
    { "<!DOCTYPE Envelope SYSTEM \"file://", "\">\n" },
  };

  if (g_test_subprocess ())
    {
      for (gsize i = 0; i < G_N_ELEMENTS (heads); i++)
        {
          g_autofree char *path = g_strdup_printf ("%s/pipe%" G_GSIZE_FORMAT ".ova", dir, i);

          assert_refused (path, VMD_ERROR_NOT_MEDIA, "descriptor is damaged");
        }
      return;
    }

  g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autofree char *head = g_strconcat (heads[i].before, pipe, heads[i].after, NULL);
      g_autofree char *descriptor =
        g_strdup_printf (SMALL_OVF ("%s", ONE_DISK ("d.vmdk"),
                                    ITEM ("3", QUANTITY ("&xxe;"))),
                         head);
      g_autofree char *name = g_strdup_printf ("pipe%" G_GSIZE_FORMAT, i);
      g_autofree char *path = make_ova (name, descriptor, "d.vmdk", vmdk2);
    }
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Fixtures */

static char *
load_descriptor (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
make_disks (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240502);
  g_autofree guint32 *noise = g_new (guint32, 4 * 1024 * 1024 / 4);
  g_autofree char *sparse = g_malloc0 (1024 * 1024);

  for (gsize i = 0; i < 4 * 1024 * 1024 / 4; i++)
    noise[i] = g_rand_int (rand);
  memcpy (sparse + 512, "VmDesk OVA test, disk two", 25);
  memset (sparse + 700 * 1024, 0xa5, 4096);

  raw1 = write_file ("disk1.raw", (const char *) noise, 4 * 1024 * 1024);
  raw2 = write_file ("disk2.raw", sparse, 1024 * 1024);
  vmdk1 = g_build_filename (dir, "disk1.vmdk", NULL);
  vmdk2 = g_build_filename (dir, "disk2.vmdk", NULL);
  g_assert_true (run ((const char *[]) { "qemu-img", "convert", "-q", "-f", "raw", "-O", "vmdk",
                                         "-o", "subformat=streamOptimized", raw1, vmdk1, NULL }));
  g_assert_true (run ((const char *[]) { "qemu-img", "convert", "-q", "-f", "raw", "-O", "vmdk",
                                         "-o", "subformat=streamOptimized", raw2, vmdk2, NULL }));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  vbox_ovf = load_descriptor ("ova-virtualbox.ovf");
  vmware_ovf = load_descriptor ("ova-vmware.ovf");
  ovf09 = load_descriptor ("ova-vmware-0.9.ovf");

  /* A trapped subprocess reads what its parent made. */
  if (g_test_subprocess ())
    dir = g_strdup (g_getenv (DIR_VARIABLE));
  else
    {
      dir = g_dir_make_tmp ("vmd-ova-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv (DIR_VARIABLE, dir, TRUE);
      make_disks ();
    }

  g_test_add_func ("/ova/virtualbox", test_virtualbox);
  g_test_add_func ("/ova/vmware", test_vmware);
  g_test_add_func ("/ova/ovf09", test_ovf09);
  g_test_add_func ("/ova/disk-section-order", test_disk_section_order);
  g_test_add_func ("/ova/memory-units", test_memory_units);
  g_test_add_func ("/ova/is-ova", test_is_ova);
  g_test_add_func ("/ova/cancel", test_cancel);
  g_test_add_func ("/ova/truncated", test_truncated);
  g_test_add_func ("/ova/hostile/not-ova", test_hostile_not_ova);
  g_test_add_func ("/ova/hostile/descriptor", test_hostile_descriptor);
  g_test_add_func ("/ova/hostile/members", test_hostile_members);
  g_test_add_func ("/ova/hostile/entities", test_hostile_entities);
  g_test_add_func ("/ova/hostile/entities-pipe", test_hostile_entities_pipe);
  status = g_test_run ();

  if (!g_test_subprocess ())
    vmd_test_remove_dirs (dir);
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&raw1, g_free);
  g_clear_pointer (&raw2, g_free);
  g_clear_pointer (&vmdk1, g_free);
  g_clear_pointer (&vmdk2, g_free);
  g_clear_pointer (&vbox_ovf, g_free);
  g_clear_pointer (&vmware_ovf, g_free);
  g_clear_pointer (&ovf09, g_free);
  return status;
}
