/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-guest-spec"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-budget.h"
#include "vmd-guest-spec.h"
#include "vmd-machine.h"
#include "vmd-name.h"
#include "vmd-text.h"

/* The plan for a new guest: the OS's recommended resources for its
 * architecture, clamped to this host, and the devices the OS supports. */
struct _VmdGuestSpec
{
  GObject      parent_instance;

  char        *name;
  char        *os_id;
  char        *os_label;
  char        *iso;
  char        *arch;
  char        *disk_bus;
  char        *net_model;
  char        *video;
  char        *sound;
  guint64      memory;
  guint64      min_memory;
  guint64      disk_size;
  guint        vcpus;
  VmdFirmware  firmware;
  guint        secure_boot : 1;
  guint        tpm : 1;
  guint        kvm : 1;
  guint        host_cpu : 1;
  guint        screen_socket : 1;
  guint        iso_there : 1;  /* the image is in the storage of the machine's computer */
};

G_DEFINE_FINAL_TYPE (VmdGuestSpec, vmd_guest_spec, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VmdFirmware, vmd_firmware,
  G_DEFINE_ENUM_VALUE (VMD_FIRMWARE_BIOS, "bios"),
  G_DEFINE_ENUM_VALUE (VMD_FIRMWARE_EFI, "efi"))

enum {
  PROP_0,
  PROP_NAME,
  PROP_MEMORY,
  PROP_VCPUS,
  PROP_DISK_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vmd_guest_spec_finalize (GObject *object)
{
  VmdGuestSpec *self = (VmdGuestSpec *) object;

  g_free (self->name);
  g_free (self->os_id);
  g_free (self->os_label);
  g_free (self->iso);
  g_free (self->arch);
  g_free (self->disk_bus);
  g_free (self->net_model);
  g_free (self->video);
  g_free (self->sound);

  G_OBJECT_CLASS (vmd_guest_spec_parent_class)->finalize (object);
}

static void
vmd_guest_spec_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VmdGuestSpec *self = VMD_GUEST_SPEC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MEMORY:
      g_value_set_uint64 (value, self->memory);
      break;
    case PROP_VCPUS:
      g_value_set_uint (value, self->vcpus);
      break;
    case PROP_DISK_SIZE:
      g_value_set_uint64 (value, self->disk_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_guest_spec_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VmdGuestSpec *self = VMD_GUEST_SPEC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      vmd_guest_spec_set_name (self, g_value_get_string (value));
      break;
    case PROP_MEMORY:
      vmd_guest_spec_set_memory (self, g_value_get_uint64 (value));
      break;
    case PROP_VCPUS:
      vmd_guest_spec_set_vcpus (self, g_value_get_uint (value));
      break;
    case PROP_DISK_SIZE:
      vmd_guest_spec_set_disk_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_guest_spec_class_init (VmdGuestSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_guest_spec_finalize;
  object_class->get_property = vmd_guest_spec_get_property;
  object_class->set_property = vmd_guest_spec_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_MEMORY] = g_param_spec_uint64 ("memory", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 1, 1024, 1, rw);
  properties[PROP_DISK_SIZE] = g_param_spec_uint64 ("disk-size", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_guest_spec_init (VmdGuestSpec *self)
{
  self->name = g_strdup (_("New Machine"));
  self->arch = g_strdup ("x86_64");
  self->memory = VMD_GENERIC_MEMORY;
  self->min_memory = VMD_MIN_MEMORY;
  self->vcpus = VMD_GENERIC_VCPUS;
  self->disk_size = VMD_GENERIC_DISK;
  self->disk_bus = g_strdup ("sata");
  self->net_model = g_strdup ("e1000e");
  self->video = g_strdup ("qxl");
  self->sound = g_strdup ("ich9");
  self->firmware = VMD_FIRMWARE_BIOS;
  self->kvm = TRUE;
}

VmdGuestSpec *
vmd_guest_spec_new (void)
{
  return g_object_new (VMD_TYPE_GUEST_SPEC, NULL);
}

/* "Debian 11", then "Debian 11 (2)", "Debian 11 (3)"… */
char *
vmd_guest_spec_make_unique_name (const char *base,
                                 GListModel *existing)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = existing ? g_list_model_get_n_items (existing) : 0;
  char *name;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (existing, i);
      g_hash_table_add (taken, g_strdup (vmd_machine_get_name (machine)));
    }

  name = g_strdup (base);
  for (guint i = 2; g_hash_table_contains (taken, name); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s (%u)", base, i);
    }
  return name;
}

/* An unrecognised installer is named after its file, which says more than
 * "Unknown operating system": "my-distro-1.2.iso" gives "my-distro-1.2".
 * NULL when nothing is left. */
static char *
name_from_file (const char *path)
{
  g_autofree char *raw = NULL;
  g_autofree char *name = NULL;
  gsize len;

  if (path == NULL)
    return NULL;
  raw = vmd_text_dup_display_basename (path);
  len = strlen (raw);
  if (len > 4 && (g_ascii_strcasecmp (raw + len - 4, ".iso") == 0 ||
                  g_ascii_strcasecmp (raw + len - 4, ".img") == 0))
    raw[len - 4] = '\0';
  name = vmd_name_normalize (raw);
  /* A name the person could not keep is no proposal. */
  return vmd_name_check (name, NULL) ? g_steal_pointer (&name) : NULL;
}

/* The resources entry for @arch ("all" as a fallback). */
static OsinfoResources *
resources_for_arch (OsinfoResourcesList *list,
                    const char          *arch)
{
  OsinfoResources *any = NULL;

  for (int i = 0; list != NULL && i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoResources *res = OSINFO_RESOURCES (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *res_arch = osinfo_resources_get_architecture (res);

      if (g_strcmp0 (res_arch, arch) == 0)
        return res;
      if (g_strcmp0 (res_arch, "all") == 0)
        any = res;
    }
  return any;
}

static gboolean
os_has_device (GHashTable *devices,
               const char *name)
{
  return g_hash_table_contains (devices, name);
}

static GHashTable *
device_names (OsinfoOs *os)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(OsinfoDeviceList) devices = osinfo_os_get_all_devices (os, NULL);

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (devices)); i++)
    {
      OsinfoDevice *device = OSINFO_DEVICE (osinfo_list_get_nth (OSINFO_LIST (devices), i));
      const char *name = osinfo_device_get_name (device);

      if (name != NULL)
        g_hash_table_add (names, g_strdup (name));
    }
  return names;
}

static void
choose_firmware (VmdGuestSpec *self,
                 OsinfoOs     *os,
                 VmdHost      *host)
{
  g_autoptr(OsinfoFirmwareList) list = osinfo_os_get_complete_firmware_list (os, NULL);
  gboolean efi = FALSE, bios = TRUE;

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoFirmware *fw = OSINFO_FIRMWARE (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *arch = osinfo_firmware_get_architecture (fw);
      const char *type = osinfo_firmware_get_firmware_type (fw);

      if (arch != NULL && !g_str_equal (arch, self->arch) && !g_str_equal (arch, "all"))
        continue;
      if (g_strcmp0 (type, "efi") == 0)
        efi = osinfo_firmware_is_supported (fw);
      else if (g_strcmp0 (type, "bios") == 0)
        bios = osinfo_firmware_is_supported (fw);
    }

  /* UEFI where the OS needs it, or supports it and the host has OVMF. */
  if (efi && (!bios || vmd_host_get_efi (host)))
    self->firmware = VMD_FIRMWARE_EFI;
  else
    self->firmware = VMD_FIRMWARE_BIOS;

  /* Windows 11 and its servers refuse to install without a TPM and secure
   * boot: the Windows releases that no longer boot from BIOS. */
  if (self->firmware == VMD_FIRMWARE_EFI && !bios &&
      g_strcmp0 (osinfo_os_get_family (os), "winnt") == 0)
    {
      self->tpm = vmd_host_get_tpm (host);
      self->secure_boot = vmd_host_get_secure_boot (host);
    }
}

/**
 * vmd_guest_spec_new_for_media:
 * @existing: (nullable): the machines already there, for a unique name
 *
 * What VmDesk proposes for @media on @host.
 */
VmdGuestSpec *
vmd_guest_spec_new_for_media (VmdMedia   *media,
                              VmdHost    *host,
                              GListModel *existing)
{
  VmdGuestSpec *self;
  OsinfoOs *os;
  gint64 ram = -1, min_ram = -1, storage = -1, min_storage = -1;
  gint cpus = -1;
  guint64 usable;
  g_autofree char *file = NULL;

  g_return_val_if_fail (VMD_IS_MEDIA (media), NULL);
  g_return_val_if_fail (VMD_IS_HOST (host), NULL);

  self = vmd_guest_spec_new ();
  os = vmd_media_get_os (media);

  g_free (self->arch);
  self->arch = g_strdup (vmd_media_get_architecture (media));
  self->iso = g_strdup (vmd_media_get_path (media));
  self->iso_there = vmd_media_get_remote (media);
  self->os_label = g_strdup (vmd_media_get_os_label (media));
  self->kvm = vmd_host_get_kvm (host);
  self->host_cpu = self->kvm;

  if (os != NULL)
    {
      g_autoptr(OsinfoResourcesList) recommended = osinfo_os_get_recommended_resources (os);
      g_autoptr(OsinfoResourcesList) minimum = osinfo_os_get_minimum_resources (os);
      OsinfoResources *rec = resources_for_arch (recommended, self->arch);
      OsinfoResources *min = resources_for_arch (minimum, self->arch);
      g_autoptr(GHashTable) devices = device_names (os);

      self->os_id = g_strdup (osinfo_entity_get_id (OSINFO_ENTITY (os)));

      if (rec != NULL)
        {
          ram = osinfo_resources_get_ram (rec);
          cpus = osinfo_resources_get_n_cpus (rec);
          storage = osinfo_resources_get_storage (rec);
        }
      if (min != NULL)
        {
          min_ram = osinfo_resources_get_ram (min);
          min_storage = osinfo_resources_get_storage (min);
          if (ram <= 0)
            ram = min_ram;
          if (cpus <= 0)
            cpus = osinfo_resources_get_n_cpus (min);
          if (storage <= 0)
            storage = min_storage;
        }

      vmd_guest_spec_set_devices (
        self,
        os_has_device (devices, "virtio1.0-block") || os_has_device (devices, "virtio-block")
          ? "virtio" : "sata",
        os_has_device (devices, "virtio1.0-net") || os_has_device (devices, "virtio-net")
          ? "virtio" : os_has_device (devices, "e1000e") ? "e1000e" : "e1000",
        os_has_device (devices, "virtio1.0-gpu") ? "virtio" : "qxl",
        os_has_device (devices, "ich9-hda") || !os_has_device (devices, "ich6") ? "ich9" : "ich6");

      choose_firmware (self, os, host);
    }

  if (ram > 0)
    self->memory = ram;
  if (min_ram > 0)
    self->min_memory = min_ram;
  if (cpus > 0)
    self->vcpus = cpus;
  if (storage > 0)
    self->disk_size = MAX (storage, min_storage);

  /* osinfo's figures are for a bare install; a desktop installer is happier
   * with a little more, where the host can spare it. */
  if (vmd_host_get_total_ram (host) >= 8 * (G_GUINT64_CONSTANT (1) << 30))
    self->memory = MAX (self->memory, VMD_GENERIC_MEMORY);
  if (vmd_host_get_n_cpus (host) >= 4)
    self->vcpus = MAX (self->vcpus, VMD_GENERIC_VCPUS);

  /* Clamped to the host: never more RAM than the host can spare beside its
   * own reserve (the budget still judges the total), never more vCPUs than
   * it has. */
  usable = vmd_host_get_total_ram (host) - MIN (vmd_host_get_total_ram (host),
                                                vmd_budget_default_reserve (vmd_host_get_total_ram (host)));
  self->memory = MAX (MIN (self->memory, usable), self->min_memory);
  self->vcpus = CLAMP (self->vcpus, 1, vmd_host_get_n_cpus (host));

  g_free (self->name);
  file = vmd_media_get_match (media) == VMD_MEDIA_MATCH_UNKNOWN
           ? name_from_file (vmd_media_get_path (media)) : NULL;
  self->name = vmd_guest_spec_make_unique_name (file ? file : self->os_label, existing);

  return self;
}

const char *
vmd_guest_spec_get_name (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->name;
}

void
vmd_guest_spec_set_name (VmdGuestSpec *self,
                         const char   *name)
{
  g_autofree char *normal = NULL;

  g_return_if_fail (VMD_IS_GUEST_SPEC (self));

  normal = vmd_name_normalize (name);
  if (g_strcmp0 (self->name, normal) == 0)
    return;
  g_free (self->name);
  self->name = g_steal_pointer (&normal);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

guint64
vmd_guest_spec_get_memory (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), 0);
  return self->memory;
}

void
vmd_guest_spec_set_memory (VmdGuestSpec *self,
                           guint64       memory)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));

  if (self->memory == memory)
    return;
  self->memory = memory;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY]);
}

guint
vmd_guest_spec_get_vcpus (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), 1);
  return self->vcpus;
}

void
vmd_guest_spec_set_vcpus (VmdGuestSpec *self,
                          guint         vcpus)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));

  if (self->vcpus == vcpus || vcpus == 0)
    return;
  self->vcpus = vcpus;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
}

guint64
vmd_guest_spec_get_disk_size (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), 0);
  return self->disk_size;
}

void
vmd_guest_spec_set_disk_size (VmdGuestSpec *self,
                              guint64       disk_size)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));

  if (self->disk_size == disk_size)
    return;
  self->disk_size = disk_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISK_SIZE]);
}

const char *
vmd_guest_spec_get_os_id (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->os_id;
}

const char *
vmd_guest_spec_get_os_label (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->os_label;
}

const char *
vmd_guest_spec_get_iso (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->iso;
}

const char *
vmd_guest_spec_get_arch (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->arch;
}

VmdFirmware
vmd_guest_spec_get_firmware (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), VMD_FIRMWARE_BIOS);
  return self->firmware;
}

gboolean
vmd_guest_spec_get_secure_boot (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), FALSE);
  return self->secure_boot;
}

gboolean
vmd_guest_spec_get_tpm (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), FALSE);
  return self->tpm;
}

gboolean
vmd_guest_spec_get_kvm (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), FALSE);
  return self->kvm;
}

gboolean
vmd_guest_spec_get_host_cpu (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), FALSE);
  return self->host_cpu;
}

/* Whether the guest's SPICE server listens on a UNIX socket of its host,
 * for a client on another computer (over SSH); otherwise on nothing, its
 * screen reached through virDomainOpenGraphicsFD. */
gboolean
vmd_guest_spec_get_screen_socket (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), FALSE);
  return self->screen_socket;
}

void
vmd_guest_spec_set_screen_socket (VmdGuestSpec *self,
                                  gboolean      screen_socket)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));
  self->screen_socket = !!screen_socket;
}

/* Off where the host cannot give it (no SMM); the rest of the platform
 * stays. */
void
vmd_guest_spec_set_secure_boot (VmdGuestSpec *self,
                                gboolean      secure_boot)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));
  self->secure_boot = !!secure_boot;
}

void
vmd_guest_spec_set_host_cpu (VmdGuestSpec *self,
                             gboolean      host_cpu)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));
  self->host_cpu = !!host_cpu;
}

const char *
vmd_guest_spec_get_disk_bus (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->disk_bus;
}

const char *
vmd_guest_spec_get_net_model (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->net_model;
}

const char *
vmd_guest_spec_get_video (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->video;
}

const char *
vmd_guest_spec_get_sound (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), NULL);
  return self->sound;
}

guint64
vmd_guest_spec_get_min_memory (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), 0);
  return self->min_memory;
}

/* value may be the field itself (a spec set from its own getters, as the
 * creator does when the host turns down secure boot): copied before the
 * old string goes. */
static void
replace (char       **field,
         const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

/* For golden files and tests: what new_for_media() would decide. */
void
vmd_guest_spec_set_platform (VmdGuestSpec *self,
                             const char   *os_id,
                             const char   *os_label,
                             const char   *iso,
                             VmdFirmware   firmware,
                             gboolean      secure_boot,
                             gboolean      tpm,
                             gboolean      kvm)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));

  replace (&self->os_id, os_id);
  replace (&self->os_label, os_label);
  replace (&self->iso, iso);
  self->firmware = firmware;
  self->secure_boot = !!secure_boot;
  self->tpm = !!tpm;
  self->kvm = !!kvm;
  self->host_cpu = self->kvm;
}

/* Whether the installer image is already in the storage of the computer
 * the machine is made on (vmd_media_identify_there_async()): used where it
 * is, not copied there. */
gboolean
vmd_guest_spec_get_iso_there (VmdGuestSpec *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (self), FALSE);
  return self->iso_there;
}

void
vmd_guest_spec_set_iso_there (VmdGuestSpec *self,
                              gboolean      there)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));
  self->iso_there = there;
}

/* The installer image, as the machine's host reads it. */
void
vmd_guest_spec_set_iso (VmdGuestSpec *self,
                        const char   *iso)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));
  replace (&self->iso, iso);
}

void
vmd_guest_spec_set_devices (VmdGuestSpec *self,
                            const char   *disk_bus,
                            const char   *net_model,
                            const char   *video,
                            const char   *sound)
{
  g_return_if_fail (VMD_IS_GUEST_SPEC (self));

  replace (&self->disk_bus, disk_bus);
  replace (&self->net_model, net_model);
  replace (&self->video, video);
  replace (&self->sound, sound);
}
