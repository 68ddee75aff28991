/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-creator"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt-gconfig/libvirt-gconfig.h>
#include <libvirt/virterror.h>

#include "vmd-connection-private.h"
#include "vmd-creator.h"
#include "vmd-domain-xml.h"
#include "vmd-engine.h"
#include "vmd-machine.h"
#include "vmd-name.h"

#define POOL_NAME "vmdesk"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePermissions, g_object_unref)

/* Disk in the "vmdesk" pool, define, start: all or nothing. Whatever a
 * failed run made (the volume, the definition, its NVRAM) is removed. */
struct _VmdCreator
{
  GObject        parent_instance;

  VmdConnection *connection;
  VmdGuestSpec  *spec;
  char          *step;
  double         fraction;
  gboolean       start;
  char          *notice;
};

G_DEFINE_FINAL_TYPE (VmdCreator, vmd_creator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STEP,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  virConnectPtr  conn;
  VmdGuestSpec  *spec;      /* a private copy of the decisions that may change */
  gboolean       start;
  virDomainPtr   domain;
  VmdDomainInfo *info;
  char          *notice;    /* what the host turned down, for the person */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->info, _vmd_domain_info_free);
  if (data->domain != NULL)
    virDomainFree (data->domain);
  if (data->conn != NULL)
    virConnectClose (data->conn);
  g_clear_object (&data->spec);
  g_free (data->notice);
  g_free (data);
}

static void
vmd_creator_finalize (GObject *object)
{
  VmdCreator *self = (VmdCreator *) object;

  g_clear_object (&self->connection);
  g_clear_object (&self->spec);
  g_free (self->step);
  g_free (self->notice);

  G_OBJECT_CLASS (vmd_creator_parent_class)->finalize (object);
}

static void
vmd_creator_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VmdCreator *self = VMD_CREATOR (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_string (value, self->step);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_creator_class_init (VmdCreatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_creator_finalize;
  object_class->get_property = vmd_creator_get_property;

  properties[PROP_STEP] = g_param_spec_string ("step", NULL, NULL, NULL, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_creator_init (VmdCreator *self)
{
  self->start = TRUE;
}

VmdCreator *
vmd_creator_new (VmdConnection *connection,
                 VmdGuestSpec  *spec)
{
  VmdCreator *self;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (VMD_IS_GUEST_SPEC (spec), NULL);

  self = g_object_new (VMD_TYPE_CREATOR, NULL);
  self->connection = g_object_ref (connection);
  self->spec = g_object_ref (spec);
  return self;
}

/* Whether to start the guest once defined (on by default). */
void
vmd_creator_set_start (VmdCreator *self,
                       gboolean    start)
{
  g_return_if_fail (VMD_IS_CREATOR (self));
  self->start = !!start;
}

const char *
vmd_creator_get_step (VmdCreator *self)
{
  g_return_val_if_fail (VMD_IS_CREATOR (self), NULL);
  return self->step;
}

double
vmd_creator_get_fraction (VmdCreator *self)
{
  g_return_val_if_fail (VMD_IS_CREATOR (self), 0);
  return self->fraction;
}

/* After a creation: what the host turned down that the person should
 * know of (secure boot), or NULL. */
const char *
vmd_creator_get_notice (VmdCreator *self)
{
  g_return_val_if_fail (VMD_IS_CREATOR (self), NULL);

  return self->notice;
}

typedef struct
{
  VmdCreator *creator;
  char       *step;
  double      fraction;
} Progress;

static gboolean
apply_progress (gpointer user_data)
{
  Progress *progress = user_data;
  VmdCreator *self = progress->creator;

  g_free (self->step);
  self->step = g_steal_pointer (&progress->step);
  self->fraction = progress->fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);

  g_object_unref (self);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

/* From the worker thread: shown on the main thread. */
static void
report (GTask      *task,
        const char *step,
        double      fraction)
{
  Progress *progress = g_new0 (Progress, 1);

  g_debug ("%s", step);
  progress->creator = g_object_ref (g_task_get_source_object (task));
  progress->step = g_strdup (step);
  progress->fraction = fraction;
  g_main_context_invoke (g_task_get_context (task), apply_progress, progress);
}

static virStoragePoolPtr
ensure_pool (virConnectPtr   conn,
             GError        **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, POOL_NAME);
  g_autofree char *dir = vmd_engine_dup_images_dir ();
  int active;

  if (pool == NULL)
    {
      g_autoptr(GVirConfigStoragePool) config = gvir_config_storage_pool_new ();
      g_autoptr(GVirConfigStoragePoolTarget) target = gvir_config_storage_pool_target_new ();
      g_autoptr(GVirConfigStoragePermissions) perms = gvir_config_storage_permissions_new ();
      g_autofree char *xml = NULL;

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not create the folder for disk images (%s): %s"),
                       dir, g_strerror (saved_errno));
          return NULL;
        }

      gvir_config_storage_pool_set_pool_type (config, GVIR_CONFIG_STORAGE_POOL_TYPE_DIR);
      gvir_config_storage_pool_set_name (config, POOL_NAME);
      /* libvirt-gconfig writes the number in decimal and libvirt reads it
       * as octal: 700 is rwx------. */
      gvir_config_storage_permissions_set_mode (perms, 700);
      gvir_config_storage_pool_target_set_path (target, dir);
      gvir_config_storage_pool_target_set_permissions (target, perms);
      gvir_config_storage_pool_set_target (config, target);
      xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

      pool = virStoragePoolDefineXML (conn, xml, 0);
      if (pool == NULL)
        {
          _vmd_set_error_from_libvirt (error, _("Could not set up storage for disk images"));
          return NULL;
        }
      virStoragePoolSetAutostart (pool, 1);
    }

  active = virStoragePoolIsActive (pool);
  if (active == 0 && virStoragePoolCreate (pool, VIR_STORAGE_POOL_CREATE_WITH_BUILD) < 0)
    {
      _vmd_set_error_from_libvirt (error, _("Could not set up storage for disk images"));
      virStoragePoolFree (pool);
      return NULL;
    }
  virStoragePoolRefresh (pool, 0);

  return pool;
}

static virStorageVolPtr
create_volume (virStoragePoolPtr   pool,
               VmdGuestSpec       *spec,
               GError            **error)
{
  g_autoptr(GVirConfigStorageVol) config = gvir_config_storage_vol_new ();
  g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();
  g_autoptr(GVirConfigStoragePermissions) perms = gvir_config_storage_permissions_new ();
  g_autofree char *base = vmd_name_to_file_base (vmd_guest_spec_get_name (spec));
  g_autofree char *name = g_strdup_printf ("%s.qcow2", base);
  g_autofree char *xml = NULL;
  virStorageVolPtr vol;

  /* Never reuse (and so never overwrite) an existing image. */
  for (guint i = 2; (vol = virStorageVolLookupByName (pool, name)) != NULL; i++)
    {
      virStorageVolFree (vol);
      g_free (name);
      name = g_strdup_printf ("%s-%u.qcow2", base, i);
    }

  gvir_config_storage_vol_set_name (config, name);
  gvir_config_storage_vol_set_capacity (config, vmd_guest_spec_get_disk_size (spec));
  gvir_config_storage_vol_set_allocation (config, 0);
  gvir_config_storage_vol_target_set_format (target, "qcow2");
  gvir_config_storage_permissions_set_mode (perms, 600);  /* rw-------, see ensure_pool() */
  gvir_config_storage_vol_target_set_permissions (target, perms);
  gvir_config_storage_vol_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    _vmd_set_error_from_libvirt (error, _("Could not create the machine’s disk"));
  return vol;
}

static gboolean
define (RunData     *data,
        const char  *disk,
        GError     **error)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  /* Redefining (a start fallback) keeps the guest's identity. */
  if (data->domain != NULL && virDomainGetUUIDString (data->domain, uuid) < 0)
    {
      _vmd_set_error_from_libvirt (error, _("Could not create the machine"));
      return FALSE;
    }
  xml = vmd_domain_xml_from_spec (data->spec, disk, data->domain ? uuid : NULL, error);
  if (xml == NULL)
    return FALSE;

  domain = virDomainDefineXML (data->conn, xml);
  if (domain == NULL)
    {
      _vmd_set_error_from_libvirt (error, _("Could not create the machine"));
      return FALSE;
    }
  if (data->domain != NULL)
    virDomainFree (data->domain);
  data->domain = domain;
  return TRUE;
}

/* Starts, and where the host turns down what the spec asked for, asks for
 * less: host-passthrough CPUs fail on some nested KVM hosts ("failed to set
 * MSR 0x10a"), secure boot needs SMM, which some hosts lack (QEMU says
 * "System Management Mode not supported"). Each start costs seconds: what
 * the error names goes first. */
static gboolean
start (RunData     *data,
       const char  *disk,
       GError     **error)
{
  g_autofree char *what = g_strdup_printf (_("Could not start “%s”"),
                                           vmd_guest_spec_get_name (data->spec));

  while (virDomainCreate (data->domain) < 0)
    {
      const virError *verr = virGetLastError ();
      GError *first = _vmd_error_from_libvirt (what);
      gboolean no_smm = verr && verr->message && strstr (verr->message, "System Management Mode");

      g_message ("Start failed: %s", verr && verr->message ? verr->message : "?");

      if (vmd_guest_spec_get_secure_boot (data->spec) &&
          (no_smm || !vmd_guest_spec_get_host_cpu (data->spec)))
        {
          vmd_guest_spec_set_secure_boot (data->spec, FALSE);
          g_free (data->notice);
          /* A toast: one line. */
          data->notice = g_strdup_printf (_("No secure boot on this computer: “%s” starts without it"),
                                          vmd_guest_spec_get_name (data->spec));
        }
      else if (vmd_guest_spec_get_host_cpu (data->spec))
        vmd_guest_spec_set_host_cpu (data->spec, FALSE);
      else
        {
          g_propagate_error (error, first);
          return FALSE;
        }

      g_clear_error (&first);
      if (!define (data, disk, error))
        return FALSE;
    }
  return TRUE;
}

static void
undo (RunData          *data,
      virStorageVolPtr  vol)
{
  if (data->domain != NULL)
    {
      if (virDomainIsActive (data->domain) == 1)
        virDomainDestroy (data->domain);
      if (virDomainUndefineFlags (data->domain, VIR_DOMAIN_UNDEFINE_NVRAM |
                                                VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) < 0)
        virDomainUndefine (data->domain);
      virDomainFree (data->domain);
      data->domain = NULL;
    }
  if (vol != NULL && virStorageVolDelete (vol, 0) < 0)
    g_warning ("Could not remove a disk image left by a failed creation");
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(GError) error = NULL;
  virStoragePoolPtr pool = NULL;
  virStorageVolPtr vol = NULL;
  g_autofree char *disk = NULL;

  report (task, _("Preparing storage…"), 0.1);
  pool = ensure_pool (data->conn, &error);
  if (pool == NULL)
    goto failed;

  report (task, _("Creating the disk…"), 0.3);
  vol = create_volume (pool, data->spec, &error);
  if (vol == NULL)
    goto failed;
  disk = virStorageVolGetPath (vol);

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto failed;

  report (task, _("Creating the machine…"), 0.6);
  if (!define (data, disk, &error))
    goto failed;

  if (data->start)
    {
      report (task, _("Starting the machine…"), 0.8);
      if (!start (data, disk, &error))
        goto failed;
    }

  data->info = _vmd_domain_info_fetch (data->domain, &error);
  if (data->info == NULL)
    goto failed;

  report (task, _("Done"), 1.0);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  undo (data, vol);
  if (vol != NULL)
    virStorageVolFree (vol);
  if (pool != NULL)
    virStoragePoolFree (pool);
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * vmd_creator_run_async:
 *
 * Creates the disk, defines the guest and (unless told otherwise) starts
 * it, off the main thread. #VmdCreator:step says what it is doing.
 */
void
vmd_creator_run_async (VmdCreator          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RunData *data;

  g_return_if_fail (VMD_IS_CREATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_creator_run_async);

  data = g_new0 (RunData, 1);
  data->conn = _vmd_connection_dup_conn (self->connection);
  data->start = self->start;
  data->spec = vmd_guest_spec_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  if (data->conn == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, "%s",
                               _("The virtualization service is not reachable."));
      return;
    }
  /* The review page checks as the name is typed; a script gets the same. */
  if (!vmd_name_check (vmd_guest_spec_get_name (self->spec), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The worker owns a copy: the review page may still change the original. */
  g_object_set (data->spec,
                "name", vmd_guest_spec_get_name (self->spec),
                "memory", vmd_guest_spec_get_memory (self->spec),
                "vcpus", vmd_guest_spec_get_vcpus (self->spec),
                "disk-size", vmd_guest_spec_get_disk_size (self->spec),
                NULL);
  vmd_guest_spec_set_platform (data->spec,
                               vmd_guest_spec_get_os_id (self->spec),
                               vmd_guest_spec_get_os_label (self->spec),
                               vmd_guest_spec_get_iso (self->spec),
                               vmd_guest_spec_get_firmware (self->spec),
                               vmd_guest_spec_get_secure_boot (self->spec),
                               vmd_guest_spec_get_tpm (self->spec),
                               vmd_guest_spec_get_kvm (self->spec));
  vmd_guest_spec_set_host_cpu (data->spec, vmd_guest_spec_get_host_cpu (self->spec));
  vmd_guest_spec_set_devices (data->spec,
                              vmd_guest_spec_get_disk_bus (self->spec),
                              vmd_guest_spec_get_net_model (self->spec),
                              vmd_guest_spec_get_video (self->spec),
                              vmd_guest_spec_get_sound (self->spec));

  g_task_run_in_thread (task, run_thread);
}

/**
 * vmd_creator_run_finish:
 *
 * Returns: (transfer full): the new guest's machine, already in the
 * connection's model.
 */
VmdMachine *
vmd_creator_run_finish (VmdCreator    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  RunData *data;

  g_return_val_if_fail (VMD_IS_CREATOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  g_free (self->notice);
  self->notice = g_strdup (data->notice);
  return g_object_ref (_vmd_connection_add_domain (self->connection, data->domain, data->info));
}
