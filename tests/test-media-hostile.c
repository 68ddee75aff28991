/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-media-hostile"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-iso-fixtures.h"
#include "vmd-media.h"
#include "vmd-test-util.h"

/* Files a hostile or unlucky user hands VmDesk: a pipe, images whose
 * directories would hang libosinfo, a file that never answers (what a hung
 * network mount does, made here with fanotify), labels full of escape
 * codes. Each ends with a verdict or a typed error, and blocks nothing
 * else. Deadlines are generous: they catch a hang, not slowness. */

#define DEADLINE_MS  30000
#define PVD          (16 * 2048)
#define ROOT_RECORD  (PVD + 156)

static char *dir;

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
on_identified (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static char *
make_iso (const char       *name,
          const VmdTestIso *spec)
{
  g_autoptr(GError) error = NULL;
  char *path = vmd_test_make_iso (dir, name, spec, &error);

  g_assert_no_error (error);
  return path;
}

static void
patch (const char   *path,
       goffset       offset,
       const void   *bytes,
       gsize         len)
{
  int fd = g_open (path, O_WRONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, bytes, len, offset), ==, (gssize) len);
  close (fd);
}

static void
patch_le32 (const char *path,
            goffset     offset,
            guint32     value)
{
  guint8 b[4] = { value, value >> 8, value >> 16, value >> 24 };

  patch (path, offset, b, sizeof b);
}

/* Printable: valid UTF-8, and not one control character. */
static void
assert_printable (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

/* A job on GLib's shared worker pool, where hypervisor calls run: it must
 * still get a thread while files block. */
static void
pool_job (GTask        *task,
          gpointer      source,
          gpointer      data,
          GCancellable *cancellable)
{
  g_task_return_boolean (task, TRUE);
}

static void
assert_pool_free (void)
{
  g_autoptr(GTask) task = NULL;
  gboolean done = FALSE;

  task = g_task_new (NULL, NULL, vmd_test_set_flag, &done);
  g_task_run_in_thread (task, pool_job);
  g_clear_object (&task);
  g_assert_true (vmd_test_wait_until (vmd_test_is_true, &done, DEADLINE_MS));
}

typedef struct
{
  guint         n;
  Wait          waits[12];
} Many;

static gboolean
all_done (gpointer data)
{
  Many *many = data;

  for (guint i = 0; i < many->n; i++)
    if (many->waits[i].result == NULL)
      return FALSE;
  return TRUE;
}

/* Twelve at once, as a user who keeps dropping the same file would. */
static void
identify_many (const char *path,
               guint       n,
               int         code)
{
  Many many = { .n = n };

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (many.waits));
  for (guint i = 0; i < n; i++)
    vmd_media_identify_async (path, NULL, on_identified, &many.waits[i]);
  g_assert_true (vmd_test_wait_until (all_done, &many, DEADLINE_MS));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VmdMedia) media = vmd_media_identify_finish (many.waits[i].result, &error);

      g_assert_null (media);
      g_assert_error (error, VMD_ERROR, code);
      assert_printable (error->message);
      g_object_unref (many.waits[i].result);
    }
}

static void
test_fifo (void)
{
  g_autofree char *path = g_build_filename (dir, "f.iso", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  identify_many (path, 12, VMD_ERROR_NOT_MEDIA);
  assert_pool_free ();

  media = vmd_test_identify (path, &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA);
  g_assert_nonnull (strstr (error->message, "pipe"));
}

/* The image of the issue: the root directory's size (LE, bytes 166..169 of
 * the primary volume descriptor) zeroed, on an image without a boot record,
 * where libosinfo walks the root directory: it used to wait for ever. And
 * a root directory of 4 GiB, which libosinfo would allocate. */
static void
test_bad_root (gconstpointer data)
{
  guint32 size = GPOINTER_TO_UINT (data);
  VmdTestIso spec = { "MY_FILES", .no_boot = TRUE, .with_files = TRUE };
  g_autofree char *name = g_strdup_printf ("root-%u.iso", size);
  g_autofree char *path = make_iso (name, &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;

  patch_le32 (path, ROOT_RECORD + 10, size);
  media = vmd_test_identify (path, &error);
  g_assert_null (media);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "Download it again"));
}

/* The walk on sound images ends, found or not, and the labels are read. */
static void
test_walk (gconstpointer data)
{
  VmdTestIso spec = { "Debian 11.6.0 p64el n", .no_boot = TRUE, .ppc = GPOINTER_TO_INT (data) };
  g_autofree char *path = make_iso (spec.ppc ? "ppc.iso" : "no-ppc.iso", &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = vmd_test_identify (path, &error);

  /* A ppc64el Debian: the labels were read and matched. */
  g_assert_null (media);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_ARCH);
}

static void
test_one_byte_short (void)
{
  VmdTestIso spec = { "MY_FILES", .with_files = TRUE };
  g_autofree char *path = make_iso ("short.iso", &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (truncate (path, st.st_size - 1), ==, 0);
  media = vmd_test_identify (path, &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_TRUNCATED);
  /* Two different figures: "it holds X of Y" with X != Y. */
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "bytes"));
}

/* fanotify holds every open of the file until its listener answers, as a
 * hung network mount holds a reader: a real block in the kernel. Root only. */
static int
hold_file (const char *path)
{
  int fd = fanotify_init (FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);

  if (fd < 0)
    return -1;
  if (fanotify_mark (fd, FAN_MARK_ADD, FAN_OPEN_PERM | FAN_ACCESS_PERM, AT_FDCWD, path) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static void
test_hung_file (void)
{
  VmdTestIso spec = { "Debian 11.6.0 amd64 n", .with_files = TRUE };
  g_autofree char *path = make_iso ("hung.iso", &spec);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;
  Wait wait = { NULL };
  int held;

  held = hold_file (path);
  if (held < 0)
    {
      g_test_skip ("fanotify needs root: cannot make a file that does not answer");
      return;
    }

  /* Cancel answers at once, whatever the file does. */
  vmd_media_identify_async (path, cancellable, on_identified, &wait);
  g_cancellable_cancel (cancellable);
  g_assert_true (vmd_test_wait_until (have_result, &wait, DEADLINE_MS));
  media = vmd_media_identify_finish (wait.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&wait.result);
  g_clear_error (&error);

  /* Twelve readers stuck in the kernel, and the rest goes on: the clock
   * answers each, and the shared pool still runs jobs. */
  vmd_media_set_read_timeout (2000);
  identify_many (path, 12, VMD_ERROR_TIMED_OUT);
  assert_pool_free ();
  vmd_media_set_read_timeout (0);

  /* Closing the listener lets the stuck readers go. */
  close (held);
  media = vmd_test_identify (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_media_get_os_label (media), ==, "Debian 11");
}

static void
test_escape_label (void)
{
  VmdTestIso spec = { "Debian\033]0;pwned\007\033[2J 0", .with_files = TRUE };
  g_autofree char *path = make_iso ("escape.iso", &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = vmd_test_identify (path, &error);
  g_autofree char *explanation = NULL;

  g_assert_no_error (error);
  assert_printable (vmd_media_get_volume_id (media));
  g_assert_null (strchr (vmd_media_get_volume_id (media), '\033'));
  /* "0" is no Debian release: no "Debian 0". */
  g_assert_cmpstr (vmd_media_get_os_label (media), ==, "Debian");
  explanation = vmd_media_dup_explanation (media);
  g_assert_nonnull (strstr (explanation, "does not know this release"));
}

static void
test_bad_utf8_label (void)
{
  VmdTestIso spec = { "PLACEHOLDER", .with_files = TRUE };
  g_autofree char *path = make_iso ("utf8.iso", &spec);
  static const guint8 label[] = "DEBIAN \xff\xfe\xc3 12 \x80";
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;

  patch (path, PVD + 40, label, sizeof label - 1);
  media = vmd_test_identify (path, &error);
  g_assert_no_error (error);
  assert_printable (vmd_media_get_volume_id (media));
  g_assert_true (g_str_has_prefix (vmd_media_get_volume_id (media), "DEBIAN "));
  g_assert_cmpstr (vmd_media_get_os_label (media), ==, "Debian 12");
}

/* A file name is untrusted text too. */
static void
test_escape_file_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = vmd_test_make_text_file (dir, "\033[2J\033]0;x\007.iso", &error);
  g_autoptr(VmdMedia) media = NULL;

  g_assert_no_error (error);
  media = vmd_test_identify (path, &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA);
  assert_printable (error->message);
}

int
main (int   argc,
      char *argv[])
{
  dir = vmd_test_init_with_dir (&argc, &argv, "vmd-hostile-XXXXXX");

  g_test_add_func ("/media-hostile/fifo", test_fifo);
  g_test_add_data_func ("/media-hostile/root/zero", GUINT_TO_POINTER (0), test_bad_root);
  g_test_add_data_func ("/media-hostile/root/4GiB", GUINT_TO_POINTER (0xffffffff), test_bad_root);
  g_test_add_data_func ("/media-hostile/walk/ppc", GINT_TO_POINTER (TRUE), test_walk);
  g_test_add_data_func ("/media-hostile/walk/no-ppc", GINT_TO_POINTER (FALSE), test_walk);
  g_test_add_func ("/media-hostile/one-byte-short", test_one_byte_short);
  g_test_add_func ("/media-hostile/hung-file", test_hung_file);
  g_test_add_func ("/media-hostile/escape-label", test_escape_label);
  g_test_add_func ("/media-hostile/bad-utf8-label", test_bad_utf8_label);
  g_test_add_func ("/media-hostile/escape-file-name", test_escape_file_name);

  return vmd_test_run_and_remove (&dir);
}
