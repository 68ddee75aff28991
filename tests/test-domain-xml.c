/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-domain-xml"

#include "config.h"

#include "vmd-domain-xml.h"
#include "vmd-guest-spec.h"

/* Golden files: the XML for four kinds of guest, diffed byte for byte
 * against tests/data/domain-*.xml. VMD_UPDATE_GOLDEN=1 rewrites them. */

#define GIB (G_GUINT64_CONSTANT (1) << 30)

typedef struct
{
  const char  *golden;
  const char  *name;
  const char  *os_id;
  const char  *os_label;
  const char  *iso;
  VmdFirmware  firmware;
  gboolean     secure_boot;
  gboolean     tpm;
  gboolean     kvm;
  const char  *disk_bus, *net, *video, *sound;
  guint64      memory;
  guint        vcpus;
  const VmdExpressFiles *install;  /* an express install's files, or NULL */
  gboolean     installer_run;
} Golden;

static const VmdExpressFiles linux_install = {
  .kernel = "/home/user/.local/share/vmdesk/images/UUID-install-kernel",
  .initrd = "/home/user/.local/share/vmdesk/images/UUID-install-initrd",
  .command_line = "keyboard-configuration/xkb-keymap=fr debconf/priority=critical",
};

static const VmdExpressFiles windows_install = {
  .cdrom = "/home/user/.local/share/vmdesk/images/UUID-install-answers.iso",
};

static const Golden goldens[] = {
  /* A Linux with virtio everything, UEFI, and a name full of quotes. */
  { "domain-linux-virtio.xml", "Debian 11 \"work\" & <play>'s",
    "http://debian.org/debian/11", "Debian 11", "/srv/iso/debian-11.6.0-amd64-netinst.iso",
    VMD_FIRMWARE_EFI, FALSE, FALSE, TRUE, "virtio", "virtio", "virtio", "ich9", 2 * GIB, 2 },
  /* Windows 11: UEFI with secure boot, an emulated TPM, no virtio drivers. */
  { "domain-windows.xml", "Windows 11",
    "http://microsoft.com/win/11", "Windows 11", "/srv/iso/Win11_22H2_English_x64v1.iso",
    VMD_FIRMWARE_EFI, TRUE, TRUE, TRUE, "sata", "e1000e", "qxl", "ich9", 4 * GIB, 2 },
  /* Nothing recognised: BIOS and devices every OS drives. */
  { "domain-unknown.xml", "Unknown operating system",
    NULL, "Unknown operating system", "/srv/iso/mystery.iso",
    VMD_FIRMWARE_BIOS, FALSE, FALSE, TRUE, "sata", "e1000e", "qxl", "ich9", 2 * GIB, 2 },
  /* No usable /dev/kvm: emulated CPU (TCG), no host CPU model. */
  { "domain-tcg.xml", "Fedora 37",
    "http://fedoraproject.org/fedora/37", "Fedora 37", "/srv/iso/Fedora-Workstation-Live-x86_64-37.iso",
    VMD_FIRMWARE_BIOS, FALSE, FALSE, FALSE, "virtio", "virtio", "virtio", "ich9", 2 * GIB, 1 },
  /* Express install of Debian: the installer's kernel and initrd with the
   * answers, booted directly; its reboot ends the run. */
  { "domain-express-debian-run.xml", "Debian 11",
    "http://debian.org/debian/11", "Debian 11", "/srv/iso/debian-11.6.0-amd64-netinst.iso",
    VMD_FIRMWARE_BIOS, FALSE, FALSE, TRUE, "virtio", "virtio", "virtio", "ich9", 2 * GIB, 2,
    &linux_install, TRUE },
  /* The same machine once its installer rebooted: its disk alone; the
   * files listed until VmDesk removed them. */
  { "domain-express-debian-after.xml", "Debian 11",
    "http://debian.org/debian/11", "Debian 11", "/srv/iso/debian-11.6.0-amd64-netinst.iso",
    VMD_FIRMWARE_BIOS, FALSE, FALSE, TRUE, "virtio", "virtio", "virtio", "ich9", 2 * GIB, 2,
    &linux_install, FALSE },
  /* Express install of Windows: the answers on a CD beside the installer. */
  { "domain-express-windows-run.xml", "Windows 11",
    "http://microsoft.com/win/11", "Windows 11", "/srv/iso/Win11_22H2_English_x64v1.iso",
    VMD_FIRMWARE_EFI, TRUE, TRUE, TRUE, "sata", "e1000e", "qxl", "ich9", 4 * GIB, 2,
    &windows_install, TRUE },
};

static VmdGuestSpec *
make_spec (const Golden *g)
{
  VmdGuestSpec *spec = vmd_guest_spec_new ();

  vmd_guest_spec_set_name (spec, g->name);
  vmd_guest_spec_set_memory (spec, g->memory);
  vmd_guest_spec_set_vcpus (spec, g->vcpus);
  vmd_guest_spec_set_platform (spec, g->os_id, g->os_label, g->iso, g->firmware,
                               g->secure_boot, g->tpm, g->kvm);
  vmd_guest_spec_set_devices (spec, g->disk_bus, g->net, g->video, g->sound);
  return spec;
}

static void
test_golden (gconstpointer data)
{
  const Golden *g = data;
  g_autoptr(VmdGuestSpec) spec = make_spec (g);
  g_autoptr(GError) error = NULL;
  g_autofree char *disk = g_strdup_printf ("/home/user/.local/share/vmdesk/images/%s.qcow2",
                                           g->os_label);
  g_autofree char *xml = g->install != NULL
    ? vmd_domain_xml_for_install (spec, disk, NULL, g->install, g->installer_run, &error)
    : vmd_domain_xml_from_spec (spec, disk, NULL, &error);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", g->golden, NULL);
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (xml);

  if (g_strcmp0 (g_getenv ("VMD_UPDATE_GOLDEN"), "1") == 0)
    {
      g_assert_true (g_file_set_contents (path, xml, -1, NULL));
      g_test_message ("Rewrote %s", path);
    }

  g_assert_true (g_file_get_contents (path, &expected, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (xml, ==, expected);
}

static void
test_escaping (void)
{
  g_autoptr(VmdGuestSpec) spec = make_spec (&goldens[0]);
  g_autofree char *xml = vmd_domain_xml_from_spec (spec, "/tmp/a&b.qcow2", NULL, NULL);

  /* Markup in a name or a path stays text. */
  g_assert_nonnull (strstr (xml, "<name>Debian 11 \"work\" &amp; &lt;play&gt;'s</name>"));
  g_assert_nonnull (strstr (xml, "file=\"/tmp/a&amp;b.qcow2\""));
  g_assert_null (strstr (xml, "<play>"));
}

/* A machine made on another computer: its screen on a UNIX socket there,
 * for VmDesk's SSH tunnel; never a port. */
static void
test_screen_socket (void)
{
  g_autoptr(VmdGuestSpec) spec = make_spec (&goldens[2]);
  g_autofree char *local = vmd_domain_xml_from_spec (spec, "/d.qcow2", NULL, NULL);
  g_autofree char *remote = NULL;

  g_assert_nonnull (strstr (local, "<listen type=\"none\"/>"));
  vmd_guest_spec_set_screen_socket (spec, TRUE);
  remote = vmd_domain_xml_from_spec (spec, "/d.qcow2", NULL, NULL);
  g_assert_nonnull (strstr (remote, "<listen type=\"socket\"/>"));
  g_assert_null (strstr (remote, "<listen type=\"none\"/>"));
  g_assert_null (strstr (remote, "port="));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      g_autofree char *name = g_strdup_printf ("/domain-xml/golden/%s", goldens[i].golden);
      g_test_add_data_func (name, &goldens[i], test_golden);
    }
  g_test_add_func ("/domain-xml/escaping", test_escaping);
  g_test_add_func ("/domain-xml/screen-socket", test_screen_socket);

  return g_test_run ();
}
