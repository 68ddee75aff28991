/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-creator"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt-gconfig/libvirt-gconfig.h>
#include <libvirt/virterror.h>

#include "vmd-connection-private.h"
#include "vmd-creator.h"
#include "vmd-creator-private.h"
#include "vmd-domain-xml.h"
#include "vmd-engine.h"
#include "vmd-machine.h"
#include "vmd-name.h"
#include "vmd-pool.h"
#include "vmd-secrets.h"
#include "vmd-text.h"


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
  char          *warning;
  VmdExpress    *express;   /* an express install's answers, or NULL */
  char          *password;  /* the user's, for them */
};

G_DEFINE_FINAL_TYPE (VmdCreator, vmd_creator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STEP,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->info, _vmd_domain_info_free);
  if (data->domain != NULL)
    virDomainFree (data->domain);
  if (data->conn != NULL)
    virConnectClose (data->conn);
  g_clear_object (&data->spec);
  g_clear_object (&data->express);
  vmd_secrets_forget (&data->password);
  vmd_express_files_clear (&data->install);
  g_free (data->uri);
  g_free (data->uuid);
  g_free (data->vol_name);
  g_free (data->notice);
  g_free (data->warning);
  g_free (data);
}

static void
vmd_creator_finalize (GObject *object)
{
  VmdCreator *self = (VmdCreator *) object;

  g_clear_object (&self->connection);
  g_clear_object (&self->spec);
  g_clear_object (&self->express);
  vmd_secrets_forget (&self->password);
  g_free (self->step);
  g_free (self->notice);
  g_free (self->warning);

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

/**
 * vmd_creator_set_express:
 * @express: (nullable): the answers to give the installer
 * @password: (nullable): the user's password, in memory only until the
 *   answers are written and the machine is made; then in the desktop's
 *   keyring (vmd-secrets.h)
 *
 * An express install: the installer starts with its answers.
 */
void
vmd_creator_set_express (VmdCreator *self,
                         VmdExpress *express,
                         const char *password)
{
  g_return_if_fail (VMD_IS_CREATOR (self));

  g_set_object (&self->express, express);
  vmd_secrets_forget (&self->password);
  self->password = g_strdup (password);
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

/* After a creation: what did not go as asked but left the machine whole
 * (a keyring that did not keep the password), or NULL. */
const char *
vmd_creator_get_warning (VmdCreator *self)
{
  g_return_val_if_fail (VMD_IS_CREATOR (self), NULL);

  return self->warning;
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

static virStorageVolPtr
create_volume (virStoragePoolPtr   pool,
               RunData            *data,
               GError            **error)
{
  VmdGuestSpec *spec = data->spec;
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
  gvir_config_storage_permissions_set_mode (perms, 600);  /* rw-------, see _vmd_pool_ensure_images() */
  gvir_config_storage_vol_target_set_permissions (target, perms);
  gvir_config_storage_vol_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  data->vol_name = g_strdup (name);
  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    _vmd_set_error_from_libvirt (error, _("Could not create the machine’s disk"));
  return vol;
}

typedef struct
{
  GTask *task;
  int    percent;
} Upload;

static void
on_upload_progress (double   fraction,
                    gpointer user_data)
{
  Upload *upload = user_data;
  int percent = (int) (fraction * 100);
  g_autofree char *step = NULL;

  if (percent == upload->percent)
    return;
  upload->percent = percent;
  step = g_strdup_printf (_("Copying the installer to the other computer… %d %%"), percent);
  report (upload->task, step, 0.1 + 0.2 * fraction);
}

/* On another computer QEMU reads only what is there: the installer is
 * copied into VmDesk's pool there (once), and the machine uses that copy. */
static gboolean
upload_installer (GTask              *task,
                  RunData            *data,
                  virStoragePoolPtr   pool,
                  GCancellable       *cancellable,
                  GError            **error)
{
  const char *iso = vmd_guest_spec_get_iso (data->spec);
  Upload upload = { task, -1 };
  virStorageVolPtr vol;
  g_autofree char *there = NULL;

  if (iso == NULL || !_vmd_uri_screen_needs_tunnel (data->uri))
    return TRUE;
  if (data->express != NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("Express install is not available on another computer yet: create the "
                     "machine without it"));
      return FALSE;
    }
  if (vmd_guest_spec_get_iso_there (data->spec))
    return TRUE;  /* one of that computer's own images */
  vol = _vmd_pool_upload (pool, iso, on_upload_progress, &upload, cancellable, error);
  if (vol == NULL)
    return FALSE;
  there = virStorageVolGetPath (vol);
  virStorageVolFree (vol);
  if (there == NULL)
    {
      _vmd_set_error_from_libvirt (error, _("Could not copy the installer to the other computer"));
      return FALSE;
    }
  vmd_guest_spec_set_iso (data->spec, there);
  return TRUE;
}

static gboolean
define (RunData     *data,
        const char  *disk,
        GError     **error)
{
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  /* The same UUID every time: a redefinition (a start fallback) keeps the
   * guest's identity, and a failure finds the guest again. */
  xml = data->express != NULL
    ? vmd_domain_xml_for_install (data->spec, disk, data->uuid, &data->install, TRUE, error)
    : vmd_domain_xml_from_spec (data->spec, disk, data->uuid, error);
  if (xml == NULL)
    return FALSE;

  data->defined = TRUE;
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

static gboolean
define_after_install (RunData     *data,
                      const char  *disk,
                      GError     **error)
{
  g_autofree char *xml = vmd_domain_xml_for_install (data->spec, disk, data->uuid,
                                                     &data->install, FALSE, error);
  virDomainPtr domain;

  if (xml == NULL)
    return FALSE;
  domain = virDomainDefineXML (data->conn, xml);
  if (domain == NULL)
    {
      _vmd_set_error_from_libvirt (error, _("Could not create the machine"));
      return FALSE;
    }
  virDomainFree (domain);
  return TRUE;
}

/* The password goes to the desktop's keyring, under the machine's UUID
 * and the user, for the person to find again; a desktop without a keyring
 * still gets its machine, and is told. */
static void
keep_password (RunData      *data,
               GCancellable *cancellable)
{
  const char *user = vmd_express_get_user_login (data->express);
  g_autoptr(GError) error = NULL;

  if (data->password == NULL || user == NULL)
    return;
  if (vmd_secrets_store_sync (data->uuid, user, vmd_guest_spec_get_name (data->spec),
                              data->password, cancellable, &error))
    data->password_kept = TRUE;
  else
    {
      g_message ("The password was not kept: %s", error->message);
      data->warning = g_strdup_printf (_("The password could not be kept in the keyring: %s"),
                                       error->message);
    }
  vmd_secrets_forget (&data->password);
}

/* Whether QEMU turned down what was asked of the host's CPU or firmware,
 * which asking for less may mend. A missing or unreadable file, a daemon
 * that went away, memory the host could not give: asking again changes
 * nothing, so those are said at once. */
static gboolean
is_platform_failure (const virError *verr)
{
  if (verr == NULL || verr->domain != VIR_FROM_QEMU || verr->message == NULL)
    return FALSE;
  if (verr->code != VIR_ERR_INTERNAL_ERROR && verr->code != VIR_ERR_OPERATION_FAILED &&
      verr->code != VIR_ERR_CONFIG_UNSUPPORTED && verr->code != VIR_ERR_CPU_INCOMPATIBLE)
    return FALSE;
  return strstr (verr->message, "Cannot allocate memory") == NULL &&
         strstr (verr->message, "No such file or directory") == NULL &&
         strstr (verr->message, "Permission denied") == NULL;
}

/* What a failed start says to the person: what happened, what to do. */
static GError *
start_error (RunData *data)
{
  const virError *verr = virGetLastError ();
  const char *name = vmd_guest_spec_get_name (data->spec);
  g_autofree char *what = g_strdup_printf (_("Could not start “%s”"), name);
  GError *error;

  if (verr != NULL && verr->message != NULL &&
      strstr (verr->message, "Cannot allocate memory") != NULL)
    {
      g_autofree char *memory = g_format_size_full (vmd_guest_spec_get_memory (data->spec),
                                                    G_FORMAT_SIZE_IEC_UNITS);

      return g_error_new (VMD_ERROR, VMD_ERROR_FAILED,
                          _("Could not start “%s”: this computer could not give it %s of memory. "
                            "Give it less memory, or close other programs."), name, memory);
    }
  error = _vmd_error_from_libvirt (what);
  if (error->code == VMD_ERROR_FAILED && verr != NULL &&
      (verr->domain == VIR_FROM_QEMU ||
       (verr->message != NULL && strstr (verr->message, "child process") != NULL)))
    {
      g_clear_error (&error);
      error = g_error_new (VMD_ERROR, VMD_ERROR_FAILED,
                           _("Could not start “%s”: QEMU stopped while starting it. Try again; "
                             "if it stops again, its log says why."), name);
    }
  return error;
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
  while (virDomainCreate (data->domain) < 0)
    {
      const virError *verr = virGetLastError ();
      gboolean no_smm = verr && verr->message && strstr (verr->message, "System Management Mode");

      g_message ("Start failed: %s", verr && verr->message ? verr->message : "?");

      if (!is_platform_failure (verr))
        {
          g_propagate_error (error, start_error (data));
          return FALSE;
        }
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
          g_propagate_error (error, start_error (data));
          return FALSE;
        }

      if (!define (data, disk, error))
        return FALSE;
    }
  return TRUE;
}

/* Started, and without KVM when this computer's KVM stopped the machine at
 * once: slower, but it runs, and the person is told. */
static gboolean
start_or_emulate (RunData     *data,
                  const char  *disk,
                  GError     **error)
{
  if (!start (data, disk, error))
    return FALSE;
  if (!vmd_guest_spec_get_kvm (data->spec) || !_vmd_creator_paused_by_kvm (data->domain))
    return TRUE;

  g_message ("KVM paused “%s” at once: starting it without KVM",
             vmd_guest_spec_get_name (data->spec));
  virDomainDestroy (data->domain);
  vmd_guest_spec_set_platform (data->spec, vmd_guest_spec_get_os_id (data->spec),
                               vmd_guest_spec_get_os_label (data->spec),
                               vmd_guest_spec_get_iso (data->spec),
                               vmd_guest_spec_get_firmware (data->spec),
                               vmd_guest_spec_get_secure_boot (data->spec),
                               vmd_guest_spec_get_tpm (data->spec), FALSE);
  vmd_guest_spec_set_host_cpu (data->spec, FALSE);
  {
    g_autofree char *said = g_steal_pointer (&data->notice);
    g_autofree char *kvm = g_strdup_printf (_("This computer’s KVM cannot run “%s”: it runs "
                                              "without it, more slowly"),
                                            vmd_guest_spec_get_name (data->spec));

    /* After what the start turned down before, if anything. */
    data->notice = said ? g_strconcat (said, ". ", kvm, NULL) : g_steal_pointer (&kvm);
  }
  return define (data, disk, error) && start (data, disk, error);
}

/* The run's own connection, or a new one when the daemon went away under
 * it: a session daemon starts again when asked for. */
/* The installer may have gone between the review and Create (a USB stick
 * pulled, a download folder tidied): say so before anything is made. Only
 * a local daemon reads the same files as VmDesk. */
static gboolean
check_installer (RunData  *data,
                 GError  **error)
{
  const char *iso = vmd_guest_spec_get_iso (data->spec);
  g_autofree char *name = NULL;
  int saved_errno;

  if (iso == NULL || vmd_guest_spec_get_iso_there (data->spec) || !_vmd_uri_is_local (data->uri))
    return TRUE;
  if (g_access (iso, R_OK) == 0)
    return TRUE;

  saved_errno = errno;
  name = vmd_text_dup_display_basename (iso);
  if (saved_errno == EACCES)
    g_set_error (error, VMD_ERROR, VMD_ERROR_PERMISSION,
                 _("VmDesk may not read “%s”: check who may read it, or copy it to your "
                   "Downloads folder."), name);
  else
    g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                 _("The installer image “%s” is no longer there: put it back, or open it "
                   "again from where it is now."), name);
  return FALSE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  virStoragePoolPtr pool = NULL;
  virStorageVolPtr vol = NULL;
  g_autofree char *disk = NULL;

  report (task, _("Preparing storage…"), 0.1);
  if (!check_installer (data, &error))
    goto failed;
  pool = _vmd_pool_ensure_images (data->conn, &error);
  if (pool == NULL)
    goto failed;
  if (!upload_installer (task, data, pool, cancellable, &error))
    goto failed;

  report (task, _("Creating the disk…"), 0.3);
  vol = create_volume (pool, data, &error);
  if (vol == NULL)
    goto failed;
  disk = virStorageVolGetPath (vol);
  if (disk == NULL)
    {
      _vmd_set_error_from_libvirt (&error, _("Could not create the machine’s disk"));
      goto failed;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto failed;

  if (data->express != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (disk);

      report (task, _("Writing the installer’s answers…"), 0.45);
      if (!vmd_express_write_files (data->express, vmd_guest_spec_get_iso (data->spec),
                                    data->password, dir, data->uuid, &data->install,
                                    cancellable, &error))
        goto failed;
    }

  report (task, _("Creating the machine…"), 0.6);
  if (!define (data, disk, &error))
    goto failed;

  if (data->start)
    {
      report (task, _("Starting the machine…"), 0.8);
      if (!start_or_emulate (data, disk, &error))
        goto failed;
    }

  /* The installer runs with its answers; the definition is already the
   * machine's after the installer's reboot: its disk alone. */
  if (data->express != NULL && data->start && !define_after_install (data, disk, &error))
    goto failed;
  /* Not between the definition and the start: a definition that lists the
   * install's files, seen shut off, is an install that ended (its files go). */
  if (data->express != NULL)
    keep_password (data, cancellable);

  data->info = _vmd_domain_info_fetch (data->domain, &error);
  if (data->info == NULL)
    goto failed;

  report (task, _("Done"), 1.0);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  if (vol != NULL)
    virStorageVolFree (vol);
  if (pool != NULL)
    virStoragePoolFree (pool);
  g_clear_pointer (&data->domain, virDomainFree);
  left = _vmd_creator_undo (data);
  vmd_express_files_remove (&data->install);
  if (left == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, error->domain, error->code,
                             _("%s (VmDesk could not remove %s: delete it once the "
                               "virtualization service is back.)"), error->message, left);
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
  data->uri = g_strdup (vmd_connection_get_uri (self->connection));
  data->uuid = g_uuid_string_random ();
  data->start = self->start;
  data->spec = vmd_guest_spec_new ();
  data->express = self->express ? g_object_ref (self->express) : NULL;
  data->password = g_strdup (self->password);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  if (data->conn == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, "%s",
                               _vmd_not_connected_message ());
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
  vmd_guest_spec_set_iso_there (data->spec, vmd_guest_spec_get_iso_there (self->spec));
  /* On another computer, the screen is reached on a socket there. */
  vmd_guest_spec_set_screen_socket (data->spec, _vmd_uri_screen_needs_tunnel (data->uri));
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
  g_free (self->warning);
  self->warning = g_strdup (data->warning);
  return g_object_ref (_vmd_connection_add_domain (self->connection, data->domain, data->info));
}
