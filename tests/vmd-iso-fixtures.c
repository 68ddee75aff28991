/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-test"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "vmd-iso-fixtures.h"
#include "vmd-test-util.h"

/* Real ISO 9660 images made by xorriso, as release images are, so that the
 * code under test reads them with libosinfo exactly as it reads a download. */

#define ISO_VOLUME_ID_MAX  32
#define PAYLOAD_SIZE       (1024 * 1024)
#define TRUNCATED_SIZE     (64 * 1024)
#define BOOT_IMAGE         "boot/eltorito.img"
#define PVD_OFFSET         (16 * 2048)

static gboolean
write_file (const char    *dir,
            const char    *relative,
            const void    *data,
            gsize          size,
            GError       **error)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", parent, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents (path, data, size, error);
}

/* The folder xorriso turns into the image. */
static gboolean
fill_tree (const char        *stage,
           const VmdTestIso  *spec,
           gsize              payload_size,
           GError           **error)
{
  static const char readme[] = "An image made by VmDesk's tests. Nothing to install.\n";
  /* A no-emulation El Torito image: one 2 KiB sector of nothing. */
  g_autofree char *boot = g_malloc0 (2048);

  if (!write_file (stage, BOOT_IMAGE, boot, 2048, error))
    return FALSE;

  if (spec->with_files &&
      (!write_file (stage, "README.TXT", readme, strlen (readme), error) ||
       !write_file (stage, "install/vmlinuz", "kernel", 6, error) ||
       !write_file (stage, "install/initrd.gz", "initrd", 6, error)))
    return FALSE;

  if (spec->ppc && !write_file (stage, "ppc/bootinfo.txt", "<chrp-boot>\n", 12, error))
    return FALSE;

  if (payload_size > 0)
    {
      g_autofree char *payload = g_malloc0 (payload_size);

      if (!write_file (stage, "pool/payload.bin", payload, payload_size, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
run_xorriso (const char        *output,
             const char        *stage,
             const VmdTestIso  *spec,
             GError           **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  /* -no_rc: no startup files from this machine change the image. */
  g_ptr_array_add (argv, (char *) "xorriso");
  g_ptr_array_add (argv, (char *) "-no_rc");
  g_ptr_array_add (argv, (char *) "-as");
  g_ptr_array_add (argv, (char *) "mkisofs");
  g_ptr_array_add (argv, (char *) "-quiet");
  g_ptr_array_add (argv, (char *) "-r");
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, (char *) output);
  g_ptr_array_add (argv, (char *) "-V");
  g_ptr_array_add (argv, (char *) spec->volume_id);
  if (spec->system_id != NULL)
    {
      g_ptr_array_add (argv, (char *) "-sysid");
      g_ptr_array_add (argv, (char *) spec->system_id);
    }
  if (spec->publisher_id != NULL)
    {
      g_ptr_array_add (argv, (char *) "-publisher");
      g_ptr_array_add (argv, (char *) spec->publisher_id);
    }
  if (spec->application_id != NULL)
    {
      g_ptr_array_add (argv, (char *) "-A");
      g_ptr_array_add (argv, (char *) spec->application_id);
    }
  if (!spec->no_boot)
    {
      g_ptr_array_add (argv, (char *) "-b");
      g_ptr_array_add (argv, (char *) BOOT_IMAGE);
      g_ptr_array_add (argv, (char *) "-no-emul-boot");
      g_ptr_array_add (argv, (char *) "-boot-load-size");
      g_ptr_array_add (argv, (char *) "4");
    }
  g_ptr_array_add (argv, (char *) stage);
  g_ptr_array_add (argv, NULL);

  /* xorriso talks on stderr even with -quiet: keep it for a failure.
   * meson's MALLOC_PERTURB_ is for VmDesk's code: with it, xorriso 1.5.4
   * crashes now and then (SIGSEGV as it shuts its library down, 1 run in
   * 200 here), and so it runs without; a crash once more gets another
   * try, as it is the tool's and not what is tested. xorriso catches the
   * signal itself and exits with 1 after "UNIX-SIGNAL: SIGSEGV". */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_auto(GStrv) env = g_environ_unsetenv (g_get_environ (), "MALLOC_PERTURB_");

      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      if (!g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_SEARCH_PATH,
                         NULL, NULL, &out, &err, &status, error))
        {
          g_prefix_error (error, "Test images need xorriso (package xorriso): ");
          return FALSE;
        }
      if (!WIFSIGNALED (status) && (err == NULL || strstr (err, "UNIX-SIGNAL") == NULL))
        break;
    }
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "xorriso could not make %s: %s: ", output, g_strstrip (err));
      return FALSE;
    }
  return TRUE;
}

/* libisofs writes the system, publisher and application ids in ECMA-119
 * a-characters, upper case only ("FREEBSD"); release images made by other
 * tools have them as their makers typed them ("FreeBSD", "SUSE LINUX GmbH"),
 * and libosinfo compares them case by case. So write them as given. */
static void
put_field (guint8     *pvd,
           gsize       offset,
           gsize       size,
           const char *value)
{
  if (value == NULL)
    return;
  memset (pvd + offset, ' ', size);
  memcpy (pvd + offset, value, MIN (strlen (value), size));
}

static gboolean
write_labels (const char        *path,
              const VmdTestIso  *spec,
              GError           **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  guint8 *pvd;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  pvd = (guint8 *) contents + PVD_OFFSET;
  if (length < PVD_OFFSET + 2048 || pvd[0] != 1 || memcmp (pvd + 1, "CD001", 5) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "%s has no primary volume descriptor at sector 16", path);
      return FALSE;
    }

  put_field (pvd, 8, 32, spec->system_id);
  put_field (pvd, 318, 128, spec->publisher_id);
  put_field (pvd, 574, 128, spec->application_id);

  /* In place, and no fsync(): a test image needs no crash safety. */
  return g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE, 0644, error);
}

static char *
make_iso (const char        *dir,
          const char        *file_name,
          const VmdTestIso  *spec,
          gsize              payload_size,
          GError           **error)
{
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autofree char *stage = g_build_filename (dir, ".stage-XXXXXX", NULL);
  g_autoptr(GError) cleanup_error = NULL;
  gboolean ok;

  g_return_val_if_fail (dir != NULL && file_name != NULL && spec != NULL, NULL);
  g_return_val_if_fail (spec->volume_id != NULL, NULL);
  g_return_val_if_fail (strlen (spec->volume_id) <= ISO_VOLUME_ID_MAX, NULL);
  g_return_val_if_fail (spec->system_id == NULL || strlen (spec->system_id) <= 32, NULL);
  g_return_val_if_fail (spec->publisher_id == NULL || strlen (spec->publisher_id) <= 128, NULL);
  g_return_val_if_fail (spec->application_id == NULL || strlen (spec->application_id) <= 128, NULL);

  if (g_mkdtemp (stage) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create a folder in %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  ok = fill_tree (stage, spec, payload_size, error) &&
       run_xorriso (path, stage, spec, error) &&
       write_labels (path, spec, error);

  if (!vmd_test_remove_tree (stage, &cleanup_error))
    g_warning ("%s", cleanup_error->message);

  return ok ? g_steal_pointer (&path) : NULL;
}

char *
vmd_test_make_iso (const char        *dir,
                   const char        *file_name,
                   const VmdTestIso  *spec,
                   GError           **error)
{
  return make_iso (dir, file_name, spec, 0, error);
}

char *
vmd_test_make_truncated_iso (const char        *dir,
                             const char        *file_name,
                             const VmdTestIso  *spec,
                             GError           **error)
{
  g_autofree char *full_name = g_strconcat (".full-", file_name, NULL);
  g_autofree char *full = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  gsize length;
  gboolean ok;

  full = make_iso (dir, full_name, spec, PAYLOAD_SIZE, error);
  if (full == NULL)
    return NULL;

  ok = g_file_get_contents (full, &contents, &length, error);
  g_unlink (full);
  if (!ok)
    return NULL;
  if (length <= TRUNCATED_SIZE + PAYLOAD_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "xorriso made a %" G_GSIZE_FORMAT "-byte image: too small to truncate", length);
      return NULL;
    }

  /* The primary volume descriptor, in the first 64 KiB, still announces
   * the whole volume. */

  path = g_build_filename (dir, file_name, NULL);
  if (!g_file_set_contents (path, contents, TRUNCATED_SIZE, error))
    return NULL;
  return g_steal_pointer (&path);
}

char *
vmd_test_make_empty_file (const char  *dir,
                          const char  *file_name,
                          GError     **error)
{
  g_autofree char *path = g_build_filename (dir, file_name, NULL);

  if (!g_file_set_contents (path, "", 0, error))
    return NULL;
  return g_steal_pointer (&path);
}

char *
vmd_test_make_text_file (const char  *dir,
                         const char  *file_name,
                         GError     **error)
{
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  /* Bigger than where an ISO's volume descriptors sit (32 KiB on), so only
   * its content says it is not an image. */
  for (guint i = 1; text->len < 48 * 1024; i++)
    g_string_append_printf (text, "Line %u of my notes, which are not a disc image.\n", i);

  if (!g_file_set_contents (path, text->str, text->len, error))
    return NULL;
  return g_steal_pointer (&path);
}

char *
vmd_test_make_unreadable_file (const char  *dir,
                               const char  *file_name,
                               GError     **error)
{
  g_autofree char *path = vmd_test_make_text_file (dir, file_name, error);

  if (path == NULL)
    return NULL;
  if (g_chmod (path, 0) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot change the mode of %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  return g_steal_pointer (&path);
}

char *
vmd_test_make_directory (const char  *dir,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  return g_steal_pointer (&path);
}

gboolean
vmd_test_remove_tree (const char  *path,
                      GError     **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return TRUE;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!vmd_test_remove_tree (child, error))
            return FALSE;
        }
    }

  if (g_remove (path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot remove %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

char *
vmd_test_init_with_dir (int          *argc,
                        char       ***argv,
                        const char   *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir;

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  return dir;
}

int
vmd_test_run_and_remove (char **dir)
{
  int status = g_test_run ();

  vmd_test_remove_tree (*dir, NULL);
  g_clear_pointer (dir, g_free);
  return status;
}

/* A Debian-labelled image with @initrd where osinfo says its system keeps
 * it and @kernel at @kernel_at ("install.amd/vmlinuz" where osinfo says):
 * what an express install reads. */
char *
vmd_test_make_debian_installer (const char *dir,
                                const char *file_name,
                                const char *kernel_at,
                                const char *kernel,
                                const char *initrd)
{
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autofree char *kernel_graft = g_strdup_printf ("%s=%s", kernel_at, kernel);
  g_autofree char *initrd_graft = g_strdup_printf ("install.amd/initrd.gz=%s", initrd);
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-r", "-J",
                         "-V", "Debian 11.6.0 amd64 n", "-o", path, "-graft-points",
                         kernel_graft, initrd_graft, NULL };
  g_autofree char *out = vmd_test_run_ok (argv);

  return g_steal_pointer (&path);
}

/* An image of @spec made in @dir, and what VmDesk makes of it. */
VmdMedia *
vmd_test_identify_iso (const char       *dir,
                       const char       *file_name,
                       const VmdTestIso *spec)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = vmd_test_make_iso (dir, file_name, spec, &error);
  VmdMedia *media;

  g_assert_no_error (error);
  media = vmd_test_identify (path, &error);
  g_assert_no_error (error);
  return media;
}
