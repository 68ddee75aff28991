/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-express-install"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "vmd-connection.h"
#include "vmd-machine.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"

/* An express install of a real Debian installer (Debian 12's netboot
 * kernel and initrd, laid out on an image as osinfo's Debian netinst:
 * install.amd/vmlinuz and install.amd/initrd.gz, bootable with isolinux),
 * made by `vmdesk --create ISO --express` on a real qemu:///session and
 * booted under TCG: the installer never asks for the language, keyboard,
 * host name or user, and gets past those steps to the network's. When
 * the installer reboots, VmDesk (a connection of this process) removes the
 * files with the answers and starts the machine from its disk. */

#define URI      "qemu:///session"
#define NAME     "Debian express"
#define DI_DIR   "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"
#define PASSWORD "correct horse battery"
/* TCG: the installer's kernel takes a minute or more to its first screen. */
#define INSTALL_MS (12 * 60 * 1000)

static char *workdir;

static char *
make_installer_iso (void)
{
  g_autofree char *tree = g_build_filename (workdir, "tree", NULL);
  g_autofree char *isolinux = g_build_filename (tree, "isolinux", NULL);
  g_autofree char *config = g_build_filename (isolinux, "isolinux.cfg", NULL);
  g_autofree char *iso = g_build_filename (workdir, "debian-netinst.iso", NULL);
  g_autofree char *kernel = g_strdup_printf ("install.amd/vmlinuz=%s/linux", DI_DIR);
  g_autofree char *initrd = g_strdup_printf ("install.amd/initrd.gz=%s/initrd.gz", DI_DIR);
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-r", "-J",
                         "-V", "Debian 11.6.0 amd64 n", "-o", iso,
                         "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
                         "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
                         "-graft-points", kernel, initrd,
                         "isolinux/isolinux.bin=/usr/lib/ISOLINUX/isolinux.bin",
                         "isolinux/ldlinux.c32=/usr/lib/syslinux/modules/bios/ldlinux.c32",
                         tree, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (g_mkdir_with_parents (isolinux, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config,
                                      "default install\n"
                                      "label install\n"
                                      "  kernel /install.amd/vmlinuz\n"
                                      "  append initrd=/install.amd/initrd.gz ---\n",
                                      -1, &error));
  g_assert_no_error (error);
  out = vmd_test_run_ok (argv);
  return g_steal_pointer (&iso);
}

static char *
virsh_xpath (const char *xpath,
             gboolean    inactive)
{
  const char *argv[] = { "virsh", "-c", URI, "dumpxml", "--xpath", xpath, NAME,
                         inactive ? "--inactive" : NULL, NULL };

  return g_strstrip (vmd_test_run_capture (argv, NULL));
}

static void
assert_private (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

typedef struct
{
  char       *last;
  GPtrArray  *asked;   /* questions the installer should not have asked, seen */
  gboolean    stopped; /* paused by the hypervisor itself */
} Watch;

static const char * const not_asked[] = {
  "Select a language", "Select your location", "Configure the keyboard",
  "Please enter the hostname", "Full name for the new user", "Username for your account",
};

/* The installer's screens after the answered questions: the network's
 * hardware and DHCP, the archive mirror, its own components, the clock,
 * the disks (words tesseract reads reliably on them). */
static const char * const past[] = {
  "network", "DHCP", "mirror", "components", "Retriev", "Download", "clock", "Partition",
  "base system",
};

/* The installer's own screen (blue, or red for an error, as
 * debian-installer draws it), not the kernel's messages before it (white on
 * black). */
static gboolean
is_installer_screen (GdkPixbuf *shot)
{
  const guint8 *corner = gdk_pixbuf_read_pixels (shot);

  return MAX (corner[0], corner[2]) > 120 && corner[1] < 60;
}

/* Read as it is: the installer's dark text on light grey. */
static char *
read_screen (GdkPixbuf *shot)
{
  g_autofree char *png = g_build_filename (workdir, "installer.png", NULL);
  const char *argv[] = { "tesseract", png, "-", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (gdk_pixbuf_save (shot, png, "png", &error, NULL));
  return vmd_test_run_capture (argv, NULL);
}

static gboolean
installer_past_questions (gpointer data)
{
  Watch *watch = data;
  const char *state[] = { "virsh", "-c", URI, "domstate", "--reason", NAME, NULL };
  g_autoptr(GdkPixbuf) shot = vmd_test_guest_screenshot (URI, NAME, workdir);
  g_autofree char *reason = NULL;

  if (shot == NULL || !is_installer_screen (shot))
    {
      /* A host whose KVM fails to emulate an instruction of the firmware
       * (seen with nested KVM: "kvm-pvm: INTERNAL_ERROR in batch emul" in
       * the kernel's log, always at the same firmware address) has QEMU
       * pause the guest at once: libvirt says "paused (unknown)". */
      reason = vmd_test_run_capture (state, NULL);
      watch->stopped = strstr (reason, "paused (unknown)") != NULL;
      return watch->stopped;
    }
  g_free (watch->last);
  watch->last = read_screen (shot);
  for (guint i = 0; i < G_N_ELEMENTS (not_asked); i++)
    if (strstr (watch->last, not_asked[i]) != NULL)
      g_ptr_array_add (watch->asked, (gpointer) not_asked[i]);
  for (guint i = 0; i < G_N_ELEMENTS (past); i++)
    if (strstr (watch->last, past[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
is_installing (gpointer data)
{
  return vmd_machine_get_installing (data) &&
         vmd_machine_get_state (data) == VMD_MACHINE_STATE_RUNNING;
}

static gboolean
installed_and_running (gpointer data)
{
  return !vmd_machine_get_installing (data) &&
         vmd_machine_get_state (data) == VMD_MACHINE_STATE_RUNNING;
}

static void
test_debian (void)
{
  g_autofree char *iso = make_installer_iso ();
  g_autofree char *password = g_build_filename (workdir, "password", NULL);
  const char *create[] = { "--create", iso, "--express", "--password-file", password,
                           "--name", NAME, "--user", "ada", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *kernel = NULL, *cmdline = NULL, *files = NULL;
  g_autofree char *next_kernel = NULL, *next_reboot = NULL, *next_cdroms = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) listed = NULL;
  Watch watch = { NULL, g_ptr_array_new (), FALSE };
  g_autoptr(VmdConnection) connection = vmd_connection_new (URI);
  const char *reset[] = { "virsh", "-c", URI, "reset", NAME, NULL };
  VmdMachine *machine;
  gint64 start;

  g_assert_true (g_file_set_contents (password, PASSWORD "\n", -1, &error));
  g_assert_no_error (error);
  g_chmod (password, 0600);

  vmd_connection_open_async (connection, NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  if (vmd_test_vmdesk (URI, create, workdir, &out, &err) != 0)
    g_error ("vmdesk --create --express failed: %s", err);
  g_assert_nonnull (strstr (out, "Created “" NAME "”"));
  g_test_message ("vmdesk --create: %s", out);
  if (!vmd_test_wait_until (installer_past_questions, &watch, INSTALL_MS))
    g_error ("The installer did not get past its answered questions; it shows:\n%s",
             watch.last);
  /* VmDesk starts it again without KVM then. */
  if (watch.stopped)
    g_error ("The host's KVM paused the installer at once, and it stayed paused");

  /* The installer runs with its answers: its kernel, booted directly. */
  kernel = virsh_xpath ("/domain/os/kernel/text()", FALSE);
  cmdline = virsh_xpath ("/domain/os/cmdline/text()", FALSE);
  g_assert_true (g_str_has_suffix (kernel, "-install-kernel"));
  g_assert_nonnull (strstr (cmdline, "priority=critical"));
  /* The machine once the installer reboots: its disk alone, started again. */
  next_kernel = virsh_xpath ("/domain/os/kernel", TRUE);
  next_reboot = virsh_xpath ("/domain/on_reboot/text()", TRUE);
  next_cdroms = virsh_xpath ("/domain/devices/disk[@device='cdrom']", TRUE);
  g_assert_cmpstr (next_kernel, ==, "");
  g_assert_cmpstr (next_reboot, ==, "restart");
  g_assert_cmpstr (next_cdroms, ==, "");
  /* The answers (with the password) are the user's alone, listed for removal. */
  files = virsh_xpath ("/domain/metadata/*[local-name()='vmdesk']/*[local-name()='install']"
                       "/@file", TRUE);
  listed = g_strsplit (files, "\n", -1);
  g_assert_cmpuint (g_strv_length (listed), ==, 2);
  for (guint i = 0; listed[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup (strchr (listed[i], '"') + 1);

      *strchr (path, '"') = '\0';
      assert_private (path);
    }

  /* Past the questions it was answered (waited for above). */
  g_test_message ("Create to the installer past its answered steps: %.0f s (TCG)",
                  (g_get_monotonic_time () - start) / 1e6);
  g_test_message ("The installer shows:\n%s", watch.last);
  for (guint i = 0; i < watch.asked->len; i++)
    g_test_message ("The installer asked: %s", (char *) watch.asked->pdata[i]);
  g_assert_cmpuint (watch.asked->len, ==, 0);

  /* The machine says it is installing. */
  machine = vmd_test_wait_for_machine (connection, NAME, 30000);
  g_assert_nonnull (machine);
  g_assert_true (vmd_test_wait_until (is_installing, machine, 30000));
  g_assert_cmpstr (vmd_machine_get_summary (machine), ==, "Installing…");
  /* A VmDesk started meanwhile knows it too, from the machine's metadata
   * read after its listing. */
  {
    g_autoptr(VmdConnection) later = vmd_connection_new (URI);
    VmdMachine *seen;

    vmd_connection_open_async (later, NULL, NULL, NULL);
    seen = vmd_test_wait_for_machine (later, NAME, 30000);
    g_assert_nonnull (seen);
    g_assert_true (vmd_test_wait_until (is_installing, seen, 30000));
  }

  /* The installer's reboot (a reset, as its last step does): the files go,
   * the definition forgets them, the machine starts from its disk. */
  g_free (vmd_test_run_ok (reset));
  g_assert_true (vmd_test_wait_until (installed_and_running, machine, 120000));
  for (guint i = 0; listed[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup (strchr (listed[i], '"') + 1);

      *strchr (path, '"') = '\0';
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  g_clear_pointer (&kernel, g_free);
  g_clear_pointer (&files, g_free);
  kernel = virsh_xpath ("/domain/os/kernel", FALSE);
  files = virsh_xpath ("/domain/metadata/*[local-name()='vmdesk']/*[local-name()='install']",
                       TRUE);
  g_assert_cmpstr (kernel, ==, "");
  g_assert_cmpstr (files, ==, "");

  g_free (watch.last);
  g_ptr_array_unref (watch.asked);
}

static void
remove_guest (void)
{
  const char *destroy[] = { "virsh", "-c", URI, "destroy", NAME, NULL };
  const char *undefine[] = { "virsh", "-c", URI, "undefine", NAME, "--remove-all-storage",
                             NULL };

  g_autofree char *destroyed = vmd_test_run_capture (destroy, NULL);
  g_autofree char *undefined = vmd_test_run_capture (undefine, NULL);

  g_test_message ("virsh destroy: %s\nvirsh undefine: %s", destroyed, undefined);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_init_session (&argc, &argv);
  g_autoptr(GError) error = NULL;
  int status;

  vmd_test_start_daemon ();
  workdir = g_dir_make_tmp ("vmd-express-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/express-install/debian", test_debian);
  status = g_test_run ();

  remove_guest ();
  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
