/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-domain-xml"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libvirt-gconfig/libvirt-gconfig.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-libvirt.h"

/* libvirt-gconfig 4.0 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainOs, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainClock, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainCpu, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDiskDriver, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainPowerManagement, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChardevSourceSpiceVmc, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChardevSourceSpicePort, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigObject, g_object_unref)

/* Spec -> libvirt domain XML: a pure function. libvirt-gconfig builds what
 * it has classes for; the rest (SPICE without a listening socket, boot
 * order, TPM, RNG, SMM, secure boot) is added through libxml2. No user
 * value is ever formatted into XML text by hand. */

static GVirConfigDomainDisk *
make_disk (const char                  *path,
           GVirConfigDomainDiskGuestDeviceType device,
           const char                  *format,
           GVirConfigDomainDiskBus      bus,
           const char                  *target)
{
  GVirConfigDomainDisk *disk = gvir_config_domain_disk_new ();
  g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();

  gvir_config_domain_disk_set_type (disk, GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, device);
  gvir_config_domain_disk_driver_set_name (driver, "qemu");
  gvir_config_domain_disk_driver_set_format (driver,
                                             g_str_equal (format, "qcow2")
                                               ? GVIR_CONFIG_DOMAIN_DISK_FORMAT_QCOW2
                                               : GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
  if (device == GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK)
    gvir_config_domain_disk_driver_set_discard (driver, GVIR_CONFIG_DOMAIN_DISK_DRIVER_DISCARD_UNMAP);
  gvir_config_domain_disk_set_driver (disk, driver);
  gvir_config_domain_disk_set_source (disk, path);
  gvir_config_domain_disk_set_target_bus (disk, bus);
  gvir_config_domain_disk_set_target_dev (disk, target);
  if (device == GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM)
    gvir_config_domain_disk_set_readonly (disk, TRUE);

  return disk;
}

static void
add_device (GVirConfigDomain *domain,
            gpointer          device)
{
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (device));
  g_object_unref (device);
}

/**
 * vmd_domain_xml_add_folder_channel:
 *
 * The shared folder's channel: spice-webdavd in the guest reaches the
 * folder the desktop shares over it (SPICE WebDAV).
 */
void
vmd_domain_xml_add_folder_channel (GVirConfigDomain *domain)
{
  GVirConfigDomainChannel *channel = gvir_config_domain_channel_new ();
  g_autoptr(GVirConfigDomainChardevSourceSpicePort) port =
    gvir_config_domain_chardev_source_spiceport_new ();

  gvir_config_domain_channel_set_target_type (channel, GVIR_CONFIG_DOMAIN_CHANNEL_TARGET_VIRTIO);
  gvir_config_domain_channel_set_target_name (channel, VMD_FOLDER_CHANNEL);
  gvir_config_domain_chardev_source_spiceport_set_channel (port, VMD_FOLDER_CHANNEL);
  gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (channel),
                                         GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (port));
  add_device (domain, channel);
}

/* @install: an express install's files, to boot the installer with them,
 * or %NULL; @with_iso: whether the installer's image is attached. */
static GVirConfigDomain *
build_base (VmdGuestSpec          *spec,
            const char            *disk_path,
            const VmdExpressFiles *install,
            gboolean               with_iso)
{
  GVirConfigDomain *domain = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  g_autoptr(GVirConfigDomainClock) clock = gvir_config_domain_clock_new ();
  g_autoptr(GVirConfigDomainPowerManagement) pm = gvir_config_domain_power_management_new ();
  gboolean virtio_disk = g_strcmp0 (vmd_guest_spec_get_disk_bus (spec), "virtio") == 0;
  gboolean windows = g_str_has_prefix (vmd_guest_spec_get_os_id (spec) ?: "", "http://microsoft.com/");
  const char * const features[] = { "acpi", "apic", NULL };
  GVirConfigDomainInterface *nic;
  GVirConfigDomainVideo *video;
  GVirConfigDomainChannel *channel;
  GVirConfigDomainControllerUsb *usb;
  GVirConfigDomainInput *tablet;
  GVirConfigDomainSound *sound;

  gvir_config_domain_set_virt_type (domain, vmd_guest_spec_get_kvm (spec)
                                              ? GVIR_CONFIG_DOMAIN_VIRT_KVM
                                              : GVIR_CONFIG_DOMAIN_VIRT_QEMU);
  gvir_config_domain_set_name (domain, vmd_guest_spec_get_name (spec));
  gvir_config_domain_set_memory (domain, vmd_guest_spec_get_memory (spec) / 1024);
  gvir_config_domain_set_current_memory (domain, vmd_guest_spec_get_memory (spec) / 1024);
  gvir_config_domain_set_vcpus (domain, vmd_guest_spec_get_vcpus (spec));
  gvir_config_domain_set_features (domain, (GStrv) features);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_POWEROFF,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
  /* During an express install the installer's reboot ends the run: the
   * machine then starts from its disk, without the installer's kernel. */
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_REBOOT,
                                    install != NULL ? GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY
                                                    : GVIR_CONFIG_DOMAIN_LIFECYCLE_RESTART);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_CRASH,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);

  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, vmd_guest_spec_get_arch (spec));
  gvir_config_domain_os_set_machine (os, "q35");
  if (vmd_guest_spec_get_firmware (spec) == VMD_FIRMWARE_EFI)
    gvir_config_domain_os_set_firmware (os, GVIR_CONFIG_DOMAIN_OS_FIRMWARE_EFI);
  if (install != NULL && install->kernel != NULL)
    {
      gvir_config_domain_os_set_kernel (os, install->kernel);
      gvir_config_domain_os_set_ramdisk (os, install->initrd);
      gvir_config_domain_os_set_cmdline (os, install->command_line);
    }
  gvir_config_domain_set_os (domain, os);

  /* Windows keeps the hardware clock in local time. */
  gvir_config_domain_clock_set_offset (clock, windows ? GVIR_CONFIG_DOMAIN_CLOCK_LOCALTIME
                                                      : GVIR_CONFIG_DOMAIN_CLOCK_UTC);
  gvir_config_domain_set_clock (domain, clock);

  gvir_config_domain_power_management_set_mem_suspend_enabled (pm, FALSE);
  gvir_config_domain_power_management_set_disk_suspend_enabled (pm, FALSE);
  gvir_config_domain_set_power_management (domain, pm);

  if (vmd_guest_spec_get_host_cpu (spec))
    {
      g_autoptr(GVirConfigDomainCpu) cpu = gvir_config_domain_cpu_new ();

      gvir_config_domain_cpu_set_mode (cpu, GVIR_CONFIG_DOMAIN_CPU_MODE_HOST_PASSTHROUGH);
      gvir_config_domain_set_cpu (domain, cpu);
    }

  if (disk_path != NULL)
    add_device (domain, make_disk (disk_path, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK, "qcow2",
                                   virtio_disk ? GVIR_CONFIG_DOMAIN_DISK_BUS_VIRTIO
                                               : GVIR_CONFIG_DOMAIN_DISK_BUS_SATA,
                                   virtio_disk ? "vda" : "sda"));
  if (with_iso && vmd_guest_spec_get_iso (spec) != NULL)
    add_device (domain, make_disk (vmd_guest_spec_get_iso (spec),
                                   GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM, "raw",
                                   GVIR_CONFIG_DOMAIN_DISK_BUS_SATA,
                                   virtio_disk ? "sda" : "sdb"));
  if (install != NULL && install->cdrom != NULL)
    add_device (domain, make_disk (install->cdrom, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM,
                                   "raw", GVIR_CONFIG_DOMAIN_DISK_BUS_SATA,
                                   virtio_disk ? "sdb" : "sdc"));

  /* User-mode networking: what a session daemon can give without root. */
  nic = GVIR_CONFIG_DOMAIN_INTERFACE (gvir_config_domain_interface_user_new ());
  gvir_config_domain_interface_set_model (nic, vmd_guest_spec_get_net_model (spec));
  add_device (domain, nic);

  add_device (domain, gvir_config_domain_graphics_spice_new ());

  video = gvir_config_domain_video_new ();
  gvir_config_domain_video_set_model (video, g_strcmp0 (vmd_guest_spec_get_video (spec), "virtio") == 0
                                               ? GVIR_CONFIG_DOMAIN_VIDEO_MODEL_VIRTIO
                                               : GVIR_CONFIG_DOMAIN_VIDEO_MODEL_QXL);
  add_device (domain, video);

  /* The SPICE agent's channel: clipboard, resolution, file transfer. */
  channel = gvir_config_domain_channel_new ();
  gvir_config_domain_channel_set_target_type (channel, GVIR_CONFIG_DOMAIN_CHANNEL_TARGET_VIRTIO);
  gvir_config_domain_channel_set_target_name (channel, "com.redhat.spice.0");
  {
    g_autoptr(GVirConfigDomainChardevSourceSpiceVmc) vmc =
      gvir_config_domain_chardev_source_spicevmc_new ();
    gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (channel),
                                           GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (vmc));
  }
  add_device (domain, channel);

  vmd_domain_xml_add_folder_channel (domain);

  usb = gvir_config_domain_controller_usb_new ();
  gvir_config_domain_controller_usb_set_model (usb, GVIR_CONFIG_DOMAIN_CONTROLLER_USB_MODEL_QEMU_XHCI);
  add_device (domain, usb);

  /* Two USB devices can be handed to the guest over SPICE. */
  for (guint i = 0; i < 2; i++)
    {
      GVirConfigDomainRedirdev *redir = gvir_config_domain_redirdev_new ();
      g_autoptr(GVirConfigDomainChardevSourceSpiceVmc) vmc =
        gvir_config_domain_chardev_source_spicevmc_new ();

      gvir_config_domain_redirdev_set_bus (redir, GVIR_CONFIG_DOMAIN_REDIRDEV_BUS_USB);
      gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (redir),
                                             GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (vmc));
      add_device (domain, redir);
    }

  /* Absolute pointer: the mouse goes where the host's pointer is. */
  tablet = gvir_config_domain_input_new ();
  gvir_config_domain_input_set_device_type (tablet, GVIR_CONFIG_DOMAIN_INPUT_DEVICE_TABLET);
  gvir_config_domain_input_set_bus (tablet, GVIR_CONFIG_DOMAIN_INPUT_BUS_USB);
  add_device (domain, tablet);

  sound = gvir_config_domain_sound_new ();
  gvir_config_domain_sound_set_model (sound, g_strcmp0 (vmd_guest_spec_get_sound (spec), "ich6") == 0
                                               ? GVIR_CONFIG_DOMAIN_SOUND_MODEL_ICH6
                                               : GVIR_CONFIG_DOMAIN_SOUND_MODEL_ICH9);
  add_device (domain, sound);

  return domain;
}

static xmlNodePtr
first_node (xmlXPathContextPtr  ctx,
            const char         *expr)
{
  xmlXPathObjectPtr obj = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  xmlNodePtr node = NULL;

  if (obj != NULL && obj->nodesetval != NULL && obj->nodesetval->nodeNr > 0)
    node = obj->nodesetval->nodeTab[0];
  xmlXPathFreeObject (obj);
  return node;
}

/* An element with attributes given as NULL-terminated name/value pairs.
 * libxml2 escapes every value. */
static xmlNodePtr
add_element (xmlNodePtr  parent,
             const char *name,
             const char *content,
             ...)
{
  xmlNodePtr node = xmlNewChild (parent, NULL, BAD_CAST name, NULL);
  const char *attr;
  va_list args;

  if (content != NULL)
    xmlNodeAddContent (node, BAD_CAST content);

  va_start (args, content);
  while ((attr = va_arg (args, const char *)) != NULL)
    xmlNewProp (node, BAD_CAST attr, BAD_CAST va_arg (args, const char *));
  va_end (args);

  return node;
}

static void
add_extras (xmlDocPtr     doc,
            VmdGuestSpec *spec)
{
  xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
  xmlNodePtr devices = first_node (ctx, "/domain/devices");
  xmlNodePtr node;
  gboolean virtio = g_strcmp0 (vmd_guest_spec_get_disk_bus (spec), "virtio") == 0;

  /* The screen is reached through virDomainOpenGraphicsFD, or on another
   * computer through a UNIX socket there (over SSH): never a port. */
  node = first_node (ctx, "/domain/devices/graphics[@type='spice']");
  add_element (node, "listen", NULL, "type",
               vmd_guest_spec_get_screen_socket (spec) ? "socket" : "none", NULL);
  add_element (node, "image", NULL, "compression", "off", NULL);
  add_element (node, "gl", NULL, "enable", "no", NULL);

  /* Boot the installer first, then the disk it installs to. */
  node = first_node (ctx, "/domain/devices/disk[@device='cdrom']");
  if (node != NULL)
    add_element (node, "boot", NULL, "order", "1", NULL);
  node = first_node (ctx, "/domain/devices/disk[@device='disk']");
  if (node != NULL)
    add_element (node, "boot", NULL, "order", "2", NULL);

  if (vmd_guest_spec_get_firmware (spec) == VMD_FIRMWARE_EFI)
    {
      xmlNodePtr os = first_node (ctx, "/domain/os");
      xmlNodePtr firmware = add_element (os, "firmware", NULL, NULL);
      gboolean secure = vmd_guest_spec_get_secure_boot (spec);

      add_element (firmware, "feature", NULL, "enabled", secure ? "yes" : "no",
                   "name", "secure-boot", NULL);
      add_element (firmware, "feature", NULL, "enabled", secure ? "yes" : "no",
                   "name", "enrolled-keys", NULL);
      if (secure)
        {
          add_element (os, "loader", NULL, "secure", "yes", NULL);
          add_element (first_node (ctx, "/domain/features"), "smm", NULL, "state", "on", NULL);
        }
    }

  if (vmd_guest_spec_get_tpm (spec))
    {
      node = add_element (devices, "tpm", NULL, "model", "tpm-crb", NULL);
      add_element (node, "backend", NULL, "type", "emulator", "version", "2.0", NULL);
    }

  if (virtio)
    {
      node = add_element (devices, "rng", NULL, "model", "virtio", NULL);
      add_element (node, "backend", "/dev/urandom", "model", "random", NULL);
      add_element (devices, "memballoon", NULL, "model", "virtio", NULL);
    }
  else
    add_element (devices, "memballoon", NULL, "model", "none", NULL);

  xmlXPathFreeContext (ctx);
}

/* <prefix:prefix xmlns:prefix="ns"><prefix:child attribute="value"/>…</prefix:prefix>
 * in the domain's <metadata>: @children holds child, attribute, value
 * triples; one whose value is %NULL is left out. */
static gboolean
set_metadata (GVirConfigDomain    *domain,
              const char          *prefix,
              const char          *ns,
              const char * const  *children,
              guint                n_children,
              GError             **error)
{
  xmlDocPtr meta = xmlNewDoc (BAD_CAST "1.0");
  xmlNodePtr root = xmlNewNode (NULL, BAD_CAST prefix);
  xmlChar *meta_xml = NULL;
  int meta_len = 0;
  gboolean ok;

  xmlDocSetRootElement (meta, root);
  for (guint i = 0; i + 2 < n_children * 3; i += 3)
    if (children[i + 2] != NULL)
      {
        xmlNodePtr node = xmlNewChild (root, NULL, BAD_CAST children[i], NULL);

        xmlNewProp (node, BAD_CAST children[i + 1], BAD_CAST children[i + 2]);
      }
  xmlDocDumpMemory (meta, &meta_xml, &meta_len);
  xmlFreeDoc (meta);

  ok = gvir_config_domain_set_custom_xml_ns_children (domain, (const char *) meta_xml, prefix,
                                                      ns, error);
  xmlFree (meta_xml);
  return ok;
}

static char *
build_xml (VmdGuestSpec           *spec,
           const char             *disk_path,
           const char             *uuid,
           const VmdExpressFiles  *install,
           gboolean                installer_run,
           GError                **error)
{
  g_autoptr(GVirConfigDomain) domain = NULL;
  g_autofree char *base = NULL;
  const char *os_meta[] = { "os", "id", vmd_guest_spec_get_os_id (spec) };
  /* The disk VmDesk made is the machine's own: deleting the machine
   * deletes it, and nothing else without asking. An express install's
   * files are listed until the install is done, then removed; the
   * installer's own definition says so (a machine off with it has not run
   * its installer yet). */
  const char *own_meta[] = {
    "disk", "path", disk_path,
    "install", "file", install ? install->kernel : NULL,
    "install", "file", install ? install->initrd : NULL,
    "install", "file", install ? install->cdrom : NULL,
    "installer", "boots", install && installer_run ? "yes" : NULL,
  };
  xmlChar *out = NULL;
  xmlDocPtr doc;
  int len = 0;
  char *result;

  domain = build_base (spec, disk_path, installer_run ? install : NULL,
                       install == NULL || installer_run);
  if (uuid != NULL)
    gvir_config_domain_set_uuid (domain, uuid);

  if (vmd_guest_spec_get_os_id (spec) != NULL &&
      !set_metadata (domain, "libosinfo", VMD_LIBOSINFO_NS, os_meta, 1, error))
    return NULL;
  if ((disk_path != NULL || install != NULL) &&
      !set_metadata (domain, "vmdesk", VMD_NS, own_meta, G_N_ELEMENTS (own_meta) / 3, error))
    return NULL;

  base = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
  doc = xmlReadMemory (base, strlen (base), "domain.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOBLANKS);
  if (doc == NULL)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_FAILED,
                           _("Could not describe the machine for the hypervisor"));
      return NULL;
    }

  add_extras (doc, spec);
  xmlDocDumpFormatMemoryEnc (doc, &out, &len, "UTF-8", 1);
  xmlFreeDoc (doc);

  /* Without the XML declaration: libvirt writes none either. */
  result = g_strdup (g_str_has_prefix ((char *) out, "<?xml")
                       ? strchr ((char *) out, '\n') + 1 : (char *) out);
  xmlFree (out);
  return result;
}

/**
 * vmd_domain_xml_from_spec:
 * @disk_path: (nullable): the guest's disk image
 * @uuid: (nullable): to redefine an existing guest; %NULL lets libvirt pick
 *
 * Returns: the domain XML for @spec, indented, with libosinfo metadata so
 * the OS is known later.
 */
char *
vmd_domain_xml_from_spec (VmdGuestSpec  *spec,
                          const char    *disk_path,
                          const char    *uuid,
                          GError       **error)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (spec), NULL);

  return build_xml (spec, disk_path, uuid, NULL, FALSE, error);
}

/**
 * vmd_domain_xml_for_install:
 * @install: the express install's files
 * @installer_run: %TRUE: the installer's run (its image, the answers, a
 *   reboot that ends the run); %FALSE: the machine once the installer
 *   rebooted (its disk alone, the files still listed for their removal)
 *
 * Returns: the domain XML for @spec during an express install
 */
char *
vmd_domain_xml_for_install (VmdGuestSpec           *spec,
                            const char             *disk_path,
                            const char             *uuid,
                            const VmdExpressFiles  *install,
                            gboolean                installer_run,
                            GError                **error)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (spec), NULL);
  g_return_val_if_fail (install != NULL, NULL);

  return build_xml (spec, disk_path, uuid, install, installer_run, error);
}
