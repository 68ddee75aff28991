/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-guest-spec"

#include "config.h"

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-guest-spec.h"
#include "vmd-host.h"
#include "vmd-iso-fixtures.h"
#include "vmd-media.h"
#include "vmd-test-util.h"

/* What VmDesk proposes for real images (built here) on hosts of given
 * sizes: the OS's recommendations, clamped to the host. */

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static char *iso_dir;

static VmdMedia *
identify (const char *file,
          const char *volume_id,
          const char *publisher,
          const char *application)
{
  VmdTestIso spec = { .volume_id = volume_id, .publisher_id = publisher,
                      .application_id = application, .with_files = TRUE };

  return vmd_test_identify_iso (iso_dir, file, &spec);
}

/* What VmDesk proposes for a Windows 11 installer (its volume's labels). */
static VmdGuestSpec *
windows_11 (const char *file,
            VmdHost    *host)
{
  g_autoptr(VmdMedia) media = identify (file, "CCCOMA_X64FRE_EN-US_DV9", "MICROSOFT CORPORATION",
                                        "CDIMAGE 2.56 (01/01/2005 TM)");

  return vmd_guest_spec_new_for_media (media, host, NULL);
}

static void
test_linux_on_big_host (void)
{
  g_autoptr(VmdMedia) media = identify ("d11.iso", "Debian 11.6.0 amd64 n", NULL, NULL);
  g_autoptr(VmdHost) host = vmd_host_new_for_testing (32 * GIB, 30 * GIB, 16, 500 * GIB, TRUE);
  g_autoptr(VmdGuestSpec) spec = vmd_guest_spec_new_for_media (media, host, NULL);

  g_assert_cmpstr (vmd_guest_spec_get_name (spec), ==, "Debian 11");
  g_assert_cmpstr (vmd_guest_spec_get_os_id (spec), ==, "http://debian.org/debian/11");
  g_assert_cmpstr (vmd_guest_spec_get_disk_bus (spec), ==, "virtio");
  g_assert_cmpstr (vmd_guest_spec_get_net_model (spec), ==, "virtio");
  g_assert_true (vmd_guest_spec_get_kvm (spec));
  g_assert_true (vmd_guest_spec_get_host_cpu (spec));
  /* A roomy host gives a desktop installer room. */
  g_assert_cmpuint (vmd_guest_spec_get_memory (spec), >=, 2 * GIB);
  g_assert_cmpuint (vmd_guest_spec_get_vcpus (spec), >=, 2);
  g_assert_cmpuint (vmd_guest_spec_get_disk_size (spec), >=, 10 * GIB);
  g_assert_false (vmd_guest_spec_get_tpm (spec));
}

static void
test_small_host (void)
{
  g_autoptr(VmdHost) host = vmd_host_new_for_testing (3 * GIB, 2 * GIB, 1, 100 * GIB, FALSE);
  g_autoptr(VmdGuestSpec) spec = windows_11 ("w11.iso", host);

  /* Windows 11 wants 4 GiB; a 3 GiB host keeps 2 GiB for itself, so the
   * proposal stops at the OS's minimum, and the budget will say so. */
  g_assert_cmpuint (vmd_guest_spec_get_memory (spec), ==, vmd_guest_spec_get_min_memory (spec));
  g_assert_cmpuint (vmd_guest_spec_get_vcpus (spec), ==, 1);
  g_assert_false (vmd_guest_spec_get_kvm (spec));
  g_assert_false (vmd_guest_spec_get_host_cpu (spec));
  /* It boots from UEFI only, and has no virtio drivers on its media. */
  g_assert_cmpint (vmd_guest_spec_get_firmware (spec), ==, VMD_FIRMWARE_EFI);
  g_assert_cmpstr (vmd_guest_spec_get_disk_bus (spec), ==, "sata");
}

/* The creator, when the host turns secure boot down, sets the platform
 * again from the spec's own strings: they must survive it. */
static void
test_platform_from_itself (void)
{
  g_autoptr(VmdHost) host = vmd_host_new_for_testing (16 * GIB, 12 * GIB, 4, 100 * GIB, TRUE);
  g_autoptr(VmdGuestSpec) spec = windows_11 ("w11-again.iso", host);
  g_autofree char *os_id = g_strdup (vmd_guest_spec_get_os_id (spec));
  g_autofree char *os_label = g_strdup (vmd_guest_spec_get_os_label (spec));
  g_autofree char *iso = g_strdup (vmd_guest_spec_get_iso (spec));

  g_assert_nonnull (os_id);
  vmd_guest_spec_set_platform (spec, vmd_guest_spec_get_os_id (spec),
                               vmd_guest_spec_get_os_label (spec),
                               vmd_guest_spec_get_iso (spec),
                               vmd_guest_spec_get_firmware (spec), FALSE,
                               vmd_guest_spec_get_tpm (spec), vmd_guest_spec_get_kvm (spec));
  g_assert_cmpstr (vmd_guest_spec_get_os_id (spec), ==, os_id);
  g_assert_cmpstr (vmd_guest_spec_get_os_label (spec), ==, os_label);
  g_assert_cmpstr (vmd_guest_spec_get_iso (spec), ==, iso);
}

static void
test_unknown (void)
{
  g_autoptr(VmdMedia) media = identify ("mine.iso", "MY_FILES", NULL, NULL);
  g_autoptr(VmdHost) host = vmd_host_new_for_testing (16 * GIB, 12 * GIB, 4, 100 * GIB, TRUE);
  g_autoptr(VmdGuestSpec) spec = vmd_guest_spec_new_for_media (media, host, NULL);

  /* Named after its file, not "Unknown operating system". */
  g_assert_cmpstr (vmd_guest_spec_get_name (spec), ==, "mine");
  g_assert_null (vmd_guest_spec_get_os_id (spec));
  g_assert_cmpuint (vmd_guest_spec_get_memory (spec), ==, VMD_GENERIC_MEMORY);
  g_assert_cmpuint (vmd_guest_spec_get_vcpus (spec), ==, VMD_GENERIC_VCPUS);
  g_assert_cmpuint (vmd_guest_spec_get_disk_size (spec), ==, VMD_GENERIC_DISK);
  g_assert_cmpint (vmd_guest_spec_get_firmware (spec), ==, VMD_FIRMWARE_BIOS);
  g_assert_cmpstr (vmd_guest_spec_get_disk_bus (spec), ==, "sata");
  g_assert_cmpstr (vmd_guest_spec_get_video (spec), ==, "qxl");
}

static void
test_unique_names (void)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("test:///default");
  virConnectPtr other;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  g_assert_true (vmd_test_open (connection, NULL));
  first = vmd_guest_spec_make_unique_name ("test", vmd_connection_get_machines (connection));
  g_assert_cmpstr (first, ==, "test (2)");

  other = virConnectOpen ("test:///default");
  virDomainFree (virDomainDefineXML (other, "<domain type='test'><name>test (2)</name>"
                                            "<memory>65536</memory><os><type>hvm</type></os></domain>"));
  g_assert_nonnull (vmd_test_wait_for_machine (connection, "test (2)", 5000));
  second = vmd_guest_spec_make_unique_name ("test", vmd_connection_get_machines (connection));
  g_assert_cmpstr (second, ==, "test (3)");
  third = vmd_guest_spec_make_unique_name ("Debian 11", vmd_connection_get_machines (connection));
  g_assert_cmpstr (third, ==, "Debian 11");
  virConnectClose (other);
}

int
main (int   argc,
      char *argv[])
{
  iso_dir = vmd_test_init_with_dir (&argc, &argv, "vmd-spec-XXXXXX");

  g_test_add_func ("/guest-spec/linux-on-big-host", test_linux_on_big_host);
  g_test_add_func ("/guest-spec/small-host", test_small_host);
  g_test_add_func ("/guest-spec/platform-from-itself", test_platform_from_itself);
  g_test_add_func ("/guest-spec/unknown", test_unknown);
  g_test_add_func ("/guest-spec/unique-names", test_unique_names);

  return vmd_test_run_and_remove (&iso_dir);
}
