/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-cloner"

#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-cloner-private.h"
#include "vmd-connection-private.h"
#include "vmd-engine.h"
#include "vmd-error.h"
#include "vmd-files.h"
#include "vmd-guest-spec.h"
#include "vmd-libvirt.h"
#include "vmd-machine-private.h"
#include "vmd-name.h"
#include "vmd-pool.h"

G_DEFINE_FINAL_TYPE (VmdCloner, vmd_cloner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STEP,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
disk_free (Disk *disk)
{
  g_clear_pointer (&disk->from, virStorageVolFree);
  g_clear_pointer (&disk->to, virStorageVolFree);
  g_free (disk->source);
  g_free (disk->format);
  g_free (disk->copy);
  g_free (disk->target);
  g_free (disk);
}

/* Ends the transient pools lent over disks in none: in the worker, before
 * its result, as a script's process may end as soon as it has it. A
 * transient pool's end leaves its files where they are. A daemon that died
 * meanwhile brings its active transient pools back when it starts again:
 * those are ended through a connection of their own, which starts it. */
static void
return_lent_pools (RunData *data)
{
  virConnectPtr fresh = NULL;

  for (guint i = 0; i < data->lent_pools->len; i++)
    {
      virStoragePoolPtr pool = data->lent_pools->pdata[i];
      virStoragePoolPtr again;

      if (virStoragePoolDestroy (pool) == 0)
        goto next;
      if (fresh == NULL && virConnectIsAlive (data->conn) != 1)
        {
          g_autofree char *uri = virConnectGetURI (data->conn);

          fresh = uri ? virConnectOpen (uri) : NULL;
        }
      again = fresh ? virStoragePoolLookupByName (fresh, virStoragePoolGetName (pool)) : NULL;
      if (again == NULL || virStoragePoolDestroy (again) < 0)
        g_warning ("Could not end the storage pool lent for the copy: %s",
                   virGetLastErrorMessage ());
      if (again != NULL)
        virStoragePoolFree (again);
    next:
      virStoragePoolFree (pool);
    }
  g_ptr_array_set_size (data->lent_pools, 0);
  if (fresh != NULL)
    virConnectClose (fresh);
}

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->info, _vmd_domain_info_free);
  g_clear_pointer (&data->domain, virDomainFree);
  g_clear_pointer (&data->source, virDomainFree);
  g_clear_pointer (&data->disks, g_ptr_array_unref);
  g_clear_pointer (&data->lent_pools, g_ptr_array_unref);
  if (data->conn != NULL)
    virConnectClose (data->conn);
  g_free (data->image);
  g_free (data->os_id);
  g_clear_pointer (&data->appliance, vmd_ova_free);
  g_free (data->unpacked);
  g_free (data->source_name);
  g_free (data->name);
  g_free (data->uuid);
  g_free (data->nvram);
  g_free (data->tpm);
  g_free (data->copying);
  g_free (data);
}

typedef struct
{
  VmdCloner *cloner;
  char      *step;
  double     fraction;
} Progress;

static gboolean
apply_progress (gpointer user_data)
{
  Progress *progress = user_data;
  VmdCloner *self = progress->cloner;

  if (g_strcmp0 (self->step, progress->step) != 0)
    {
      g_free (self->step);
      self->step = g_strdup (progress->step);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
  if (self->fraction != progress->fraction)
    {
      self->fraction = progress->fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  g_object_unref (self);
  g_free (progress->step);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

void
_vmd_cloner_report (GTask      *task,
                    const char *step,
                    double      fraction)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->cloner = g_object_ref (g_task_get_source_object (task));
  progress->step = g_strdup (step);
  progress->fraction = fraction;
  g_main_context_invoke (g_task_get_context (task), apply_progress, progress);
}

static char *
describe (RunData *data)
{
  if (data->image != NULL)
    return g_strdup_printf (_("Could not import “%s”"), data->source_name);
  return g_strdup_printf (_("Could not clone “%s”"), data->source_name);
}

gboolean
_vmd_cloner_fail (RunData     *data,
                  GError     **error,
                  VmdError     code,
                  const char  *why)
{
  g_autofree char *what = describe (data);

  g_set_error (error, VMD_ERROR, code, "%s: %s", what, why);
  return FALSE;
}

gboolean
_vmd_cloner_fail_libvirt (RunData  *data,
                          GError  **error)
{
  g_autofree char *what = describe (data);

  g_propagate_error (error, _vmd_error_from_libvirt (what));
  return FALSE;
}

static gboolean
check_source (RunData  *data,
              GError  **error)
{
  virDomainPtr other = data->inspecting ? NULL : virDomainLookupByName (data->conn, data->name);
  int state, reason;

  if (other != NULL)
    {
      virDomainFree (other);
      return _vmd_cloner_fail (data, error, VMD_ERROR_INVALID_NAME,
                               _("another machine has this name: give the copy another one."));
    }
  if (data->image != NULL)
    {
      GStatBuf st;

      if (g_stat (data->image, &st) != 0)
        {
          int saved_errno = errno;

          return _vmd_cloner_fail (data, error, VMD_ERROR_NOT_FOUND, g_strerror (saved_errno));
        }
      if (!S_ISREG (st.st_mode))
        return _vmd_cloner_fail (data, error, VMD_ERROR_NOT_MEDIA,
                                 _("it is not a file but a folder, a pipe, a socket or a device."));
      return TRUE;
    }
  if (virDomainGetState (data->source, &state, &reason, 0) < 0)
    return _vmd_cloner_fail_libvirt (data, error);
  if (state != VIR_DOMAIN_SHUTOFF || virDomainHasManagedSaveImage (data->source, 0) == 1)
    return _vmd_cloner_fail (data, error, VMD_ERROR_INVALID_STATE,
                             _("shut it down first: the disks of a machine that runs or is saved "
                               "change while they are copied."));
  return TRUE;
}

/* @path as a volume libvirt can copy: in the pool it is in, or else in a
 * transient pool over its folder, for the time of the copy. */
static virStorageVolPtr
lookup_volume (RunData    *data,
               const char *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (data->conn, path);
  g_autofree char *dir = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *name = NULL;
  virStoragePoolPtr pool;

  if (vol != NULL || !_vmd_conn_is_local (data->conn))
    return vol;
  dir = g_path_get_dirname (path);
  escaped = g_markup_escape_text (dir, -1);
  name = g_strdup_printf ("vmdesk-clone-%08x", g_random_int ());
  xml = g_strdup_printf ("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>",
                         name, escaped);
  pool = virStoragePoolCreateXML (data->conn, xml, 0);
  if (pool == NULL)
    return NULL;
  g_ptr_array_add (data->lent_pools, pool);
  return virStorageVolLookupByPath (data->conn, path);
}

/* The source's writable disks, as volumes libvirt can copy, and whether
 * their copies fit in VmDesk's pool. */
static gboolean
read_disks (RunData             *data,
            const char * const  *paths,
            virStoragePoolPtr    pool,
            GError             **error)
{
  virStoragePoolInfo pool_info;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      Disk *disk = g_new0 (Disk, 1);
      virStorageVolInfo info;
      g_autofree char *vol_xml = NULL;
      g_auto(GStrv) format = NULL;

      disk->source = g_strdup (paths[i]);
      g_ptr_array_add (data->disks, disk);
      disk->from = lookup_volume (data, paths[i]);
      if (disk->from == NULL)
        {
          g_autofree char *why = g_strdup_printf (_("its disk %s is in no storage pool, and "
                                                    "VmDesk copies disks through them."),
                                                  paths[i]);
          return _vmd_cloner_fail (data, error, VMD_ERROR_UNSUPPORTED, why);
        }
      if (virStorageVolGetInfo (disk->from, &info) < 0 ||
          (vol_xml = virStorageVolGetXMLDesc (disk->from, 0)) == NULL)
        return _vmd_cloner_fail_libvirt (data, error);
      format = _vmd_xml_xpath_strings (vol_xml, "/volume/target/format/@type");
      disk->format = g_strdup (format[0] ? format[0] : "raw");
      if (data->image != NULL && !_vmd_cloner_check_image (data, paths[i], disk->format, error))
        return FALSE;
      disk->allocation = info.allocation;
      disk->capacity = info.capacity;
      data->total += info.allocation;
    }

  if (virStoragePoolRefresh (pool, 0) < 0 || virStoragePoolGetInfo (pool, &pool_info) < 0)
    return _vmd_cloner_fail_libvirt (data, error);
  if (pool_info.available < data->total)
    {
      g_autofree char *need = g_format_size_full (data->total, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *have = g_format_size_full (pool_info.available, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *why = g_strdup_printf (_("its disks take %s and only %s is free."),
                                              need, have);

      return _vmd_cloner_fail (data, error, VMD_ERROR_NO_SPACE, why);
    }
  return TRUE;
}

/* While libvirt copies a disk (one call, no progress of its own): how much
 * of the copy is on disk, where VmDesk can see it. */
static gpointer
watch_copy (gpointer user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);

  while (g_atomic_int_get (&data->watching))
    {
      struct stat st;

      if (data->total > 0 && g_stat (data->copying, &st) == 0)
        _vmd_cloner_report (task, _("Copying the disks…"),
                            data->copy_base +
                              data->copy_span * MIN (1.0, (double) (data->copied_before +
                                                                    (guint64) st.st_blocks * 512) /
                                                            data->total));
      g_usleep (G_USEC_PER_SEC / 4);
    }
  return NULL;
}

static gboolean
copy_disks (GTask              *task,
            RunData            *data,
            virStoragePoolPtr   pool,
            GError            **error)
{
  g_autofree char *pool_xml = virStoragePoolGetXMLDesc (pool, 0);
  g_auto(GStrv) pool_dir = pool_xml ? _vmd_xml_xpath_strings (pool_xml, "/pool/target/path")
                                    : g_new0 (char *, 1);
  g_autofree char *base = vmd_name_to_file_base (data->name);

  for (guint i = 0; i < data->disks->len; i++)
    {
      Disk *disk = data->disks->pdata[i];
      g_autofree char *vol_name = NULL;
      g_autofree char *xml = NULL;
      g_autofree char *escaped = NULL;
      virStorageVolInfo info;
      virStorageVolPtr existing;
      GThread *watcher = NULL;

      if (virStorageVolGetInfo (disk->from, &info) < 0)
        return _vmd_cloner_fail_libvirt (data, error);
      /* Never over an existing image. */
      for (guint n = 1; ; n++)
        {
          g_free (vol_name);
          const char *ext = data->image ? "qcow2" : disk->format;

          vol_name = n == 1 && i == 0 ? g_strdup_printf ("%s.%s", base, ext)
                                      : g_strdup_printf ("%s-%u.%s", base, n + i, ext);
          existing = virStorageVolLookupByName (pool, vol_name);
          if (existing == NULL)
            break;
          virStorageVolFree (existing);
        }
      escaped = g_markup_escape_text (vol_name, -1);
      xml = g_strdup_printf ("<volume><name>%s</name><capacity>%llu</capacity>"
                             "<target><format type='%s'/><permissions><mode>0600</mode>"
                             "</permissions></target></volume>",
                             escaped, info.capacity, data->image ? "qcow2" : disk->format);

      if (pool_dir[0] != NULL && _vmd_conn_is_local (data->conn))
        {
          disk->target = g_build_filename (pool_dir[0], vol_name, NULL);
          g_free (data->copying);
          data->copying = g_strdup (disk->target);
          g_atomic_int_set (&data->watching, 1);
          watcher = g_thread_new ("vmd-clone-watch", watch_copy, task);
        }
      disk->to = virStorageVolCreateXMLFrom (pool, xml, disk->from, 0);
      if (watcher != NULL)
        {
          g_atomic_int_set (&data->watching, 0);
          g_thread_join (watcher);
        }
      if (disk->to == NULL)
        return _vmd_cloner_fail_libvirt (data, error);
      disk->copy = virStorageVolGetPath (disk->to);
      if (disk->copy == NULL)
        return _vmd_cloner_fail_libvirt (data, error);
      data->copied_before += disk->allocation;
    }
  return TRUE;
}

/* Removes what a failed run made. A copy the daemon did not finish may
 * still be on disk: its qemu-img outlives a daemon that died, and keeps
 * writing a file VmDesk named; that file goes too (the inode qemu-img
 * writes on is freed when it ends). */
static void
undo (RunData *data)
{
  if (data->domain != NULL)
    {
      virDomainUndefineFlags (data->domain, VIR_DOMAIN_UNDEFINE_NVRAM);
      g_clear_pointer (&data->domain, virDomainFree);
    }
  for (guint i = 0; data->disks != NULL && i < data->disks->len; i++)
    {
      Disk *disk = data->disks->pdata[i];

      if (disk->to != NULL && virStorageVolDelete (disk->to, 0) == 0)
        continue;
      if (disk->target != NULL && g_unlink (disk->target) != 0 && errno != ENOENT)
        g_warning ("Could not remove the copy %s: %s", disk->target, g_strerror (errno));
      else if (disk->target == NULL && disk->to != NULL)
        g_warning ("Could not remove the copy %s: %s", disk->copy, virGetLastErrorMessage ());
    }
  if (data->nvram != NULL)
    g_unlink (data->nvram);
  if (data->tpm != NULL)
    _vmd_tree_remove (data->tpm);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *copy_xml = NULL;
  g_auto(GStrv) paths = NULL;
  virStoragePoolPtr pool = NULL;

  _vmd_cloner_report (task, _("Checking the disks…"), 0.0);
  if (!check_source (data, &error))
    goto failed;
  if (data->image == NULL)
    {
      xml = virDomainGetXMLDesc (data->source, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
      if (xml == NULL)
        {
          _vmd_cloner_fail_libvirt (data, &error);
          goto failed;
        }
      paths = _vmd_domain_xml_get_disk_images (xml);
    }
  else
    paths = g_strdupv ((char *[]) { data->image, NULL });
  pool = _vmd_pool_ensure_images (data->conn, &error);
  if (pool == NULL)
    goto failed;
  /* An appliance: what its descriptor says, then its disk out of it, into
   * the pool, from where it is copied as any image is. */
  if (data->image != NULL && vmd_ova_is_ova (data->image))
    {
      if (!_vmd_cloner_open_appliance (data, &error))
        goto failed;
      if (!data->inspecting)
        {
          if (!_vmd_cloner_unpack_appliance (task, data, pool, &error))
            goto failed;
          g_strfreev (paths);
          paths = g_strdupv ((char *[]) { data->unpacked, NULL });
        }
    }
  if (!(data->inspecting && data->appliance != NULL) &&
      !read_disks (data, (const char * const *) paths, pool, &error))
    goto failed;
  if (data->inspecting)
    {
      virStoragePoolFree (pool);
      return_lent_pools (data);
      g_task_return_boolean (task, TRUE);
      return;
    }

  _vmd_cloner_report (task, _("Copying the disks…"), data->copy_base);
  if (!copy_disks (task, data, pool, &error))
    goto failed;

  if (data->image == NULL)
    {
      _vmd_cloner_report (task, _("Copying the firmware’s settings…"), 0.9);
      if (!_vmd_cloner_copy_state (data, xml, &error))
        goto failed;
    }

  _vmd_cloner_report (task, _("Creating the machine…"), 0.95);
  copy_xml = data->image ? _vmd_cloner_import_definition (data, &error) : _vmd_cloner_copy_definition (data, xml);
  if (copy_xml == NULL)
    {
      if (error == NULL)
        _vmd_cloner_fail (data, &error, VMD_ERROR_FAILED, _("its definition could not be read."));
      goto failed;
    }
  data->domain = virDomainDefineXML (data->conn, copy_xml);
  if (data->domain == NULL)
    {
      _vmd_cloner_fail_libvirt (data, &error);
      goto failed;
    }
  data->info = _vmd_domain_info_fetch (data->domain, &error);
  if (data->info == NULL)
    goto failed;

  _vmd_cloner_remove_unpacked (data, pool);
  virStoragePoolFree (pool);
  return_lent_pools (data);
  _vmd_cloner_report (task, _("Done"), 1.0);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  undo (data);
  if (pool != NULL)
    {
      _vmd_cloner_remove_unpacked (data, pool);
      virStoragePoolFree (pool);
    }
  return_lent_pools (data);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
vmd_cloner_finalize (GObject *object)
{
  VmdCloner *self = (VmdCloner *) object;

  g_clear_object (&self->connection);
  g_clear_object (&self->source);
  g_free (self->image);
  g_free (self->name);
  g_free (self->step);
  g_free (self->os_id);
  g_free (self->format);

  G_OBJECT_CLASS (vmd_cloner_parent_class)->finalize (object);
}

static void
vmd_cloner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  VmdCloner *self = VMD_CLONER (object);

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
vmd_cloner_class_init (VmdClonerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_cloner_finalize;
  object_class->get_property = vmd_cloner_get_property;

  properties[PROP_STEP] =
    g_param_spec_string ("step", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_cloner_init (VmdCloner *self)
{
}

/**
 * vmd_cloner_new:
 * @source: a machine that is off
 * @name: the copy's name, as typed
 */
VmdCloner *
vmd_cloner_new (VmdConnection *connection,
                VmdMachine    *source,
                const char    *name)
{
  VmdCloner *self;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (VMD_IS_MACHINE (source), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (VMD_TYPE_CLONER, NULL);
  self->connection = g_object_ref (connection);
  self->source = g_object_ref (source);
  self->name = vmd_name_normalize (name);
  return self;
}

/* What it is doing, for a person to read. */
const char *
vmd_cloner_get_step (VmdCloner *self)
{
  g_return_val_if_fail (VMD_IS_CLONER (self), NULL);

  return self->step;
}

double
vmd_cloner_get_fraction (VmdCloner *self)
{
  g_return_val_if_fail (VMD_IS_CLONER (self), 0.0);

  return self->fraction;
}

/* A run of the worker: the copy, or (@inspecting) only the reading of
 * what the image to import is. */
void
_vmd_cloner_start (VmdCloner           *self,
                   gboolean             inspecting,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RunData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (RunData, 1);
  data->conn = _vmd_connection_dup_conn (self->connection);
  data->inspecting = inspecting;
  if (self->source != NULL)
    {
      data->source = _vmd_machine_dup_domain (self->source);
      data->source_name = g_strdup (vmd_machine_get_name (self->source));
    }
  else
    {
      data->image = g_strdup (self->image);
      data->source_name = g_filename_display_basename (self->image);
    }
  data->name = g_strdup (self->name);
  data->uuid = g_uuid_string_random ();
  data->memory = self->memory;
  data->vcpus = self->vcpus;
  data->auto_name = self->auto_name;
  data->copy_base = 0.05;
  data->copy_span = 0.85;
  data->os_id = g_strdup (self->os_id);
  data->disks = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_free);
  data->lent_pools = g_ptr_array_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  if (data->conn == NULL || (self->source != NULL && data->source == NULL))
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, "%s",
                               _vmd_not_connected_message ());
      return;
    }
  if (!inspecting && !vmd_name_check (data->name, &error))
    {
      g_autofree char *what = describe (data);

      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_NAME, "%s: %s", what,
                               error->message);
      return;
    }
  g_task_run_in_thread (task, run_thread);
}

/**
 * vmd_cloner_run_async:
 *
 * Copies the machine, off the main thread; #VmdCloner:step and
 * #VmdCloner:fraction follow the copy of its disks.
 */
void
vmd_cloner_run_async (VmdCloner           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (VMD_IS_CLONER (self));

  _vmd_cloner_start (self, FALSE, vmd_cloner_run_async, cancellable, callback, user_data);
}

/**
 * vmd_cloner_run_finish:
 *
 * Returns: (transfer full): the copy, already in the connection's model
 */
VmdMachine *
vmd_cloner_run_finish (VmdCloner     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  RunData *data;

  g_return_val_if_fail (VMD_IS_CLONER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  return g_object_ref (_vmd_connection_add_domain (self->connection, data->domain, data->info));
}
