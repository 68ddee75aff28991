/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-host"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "vmd-connection-private.h"
#include "vmd-engine.h"
#include "vmd-budget.h"
#include "vmd-computers.h"
#include "vmd-host.h"
#include "vmd-libvirt.h"

/* What this host offers guests. RAM comes from virNodeGetMemoryStats and,
 * for a local daemon, /proc/meminfo: virNodeGetInfo under-reports inside
 * containers (5.6 GiB of 23.5 GiB on the CI machines). */
struct _VmdHost
{
  GObject   parent_instance;

  guint64   total_ram;
  guint64   available_ram;
  guint64   free_disk;
  guint     n_cpus;
  guint     kvm : 1;
  guint     efi : 1;
  guint     secure_boot : 1;
  guint     tpm : 1;
  guint     local : 1;
  char     *computer;  /* the library's name for it, when not this computer */
};

G_DEFINE_FINAL_TYPE (VmdHost, vmd_host, G_TYPE_OBJECT)

static void
vmd_host_finalize (GObject *object)
{
  g_free (VMD_HOST (object)->computer);
  G_OBJECT_CLASS (vmd_host_parent_class)->finalize (object);
}

static void
vmd_host_class_init (VmdHostClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_host_finalize;
}

static void
vmd_host_init (VmdHost *self)
{
}

VmdHost *
vmd_host_new_for_testing (guint64  total_ram,
                          guint64  available_ram,
                          guint    n_cpus,
                          guint64  free_disk,
                          gboolean kvm)
{
  VmdHost *self = g_object_new (VMD_TYPE_HOST, NULL);

  self->total_ram = total_ram;
  self->available_ram = available_ram;
  self->n_cpus = n_cpus;
  self->free_disk = free_disk;
  self->kvm = !!kvm;
  self->efi = TRUE;
  self->local = TRUE;
  return self;
}

/* Local: MemTotal and MemAvailable, in bytes. */
static gboolean
read_meminfo (guint64 *total,
              guint64 *available)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  *total = *available = 0;
  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL))
    return FALSE;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 kib;

      if (sscanf (lines[i], "MemTotal: %" G_GUINT64_FORMAT, &kib) == 1)
        *total = kib * 1024;
      else if (sscanf (lines[i], "MemAvailable: %" G_GUINT64_FORMAT, &kib) == 1)
        *available = kib * 1024;
    }
  return *total > 0 && *available > 0;
}

static void
read_node_memory (virConnectPtr  conn,
                  guint64       *total,
                  guint64       *available)
{
  int n = 0;
  g_autofree virNodeMemoryStatsPtr params = NULL;
  guint64 free_kib = 0, buffers = 0, cached = 0;

  *total = *available = 0;
  if (virNodeGetMemoryStats (conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &n, 0) < 0 || n <= 0)
    return;
  params = g_new0 (virNodeMemoryStats, n);
  if (virNodeGetMemoryStats (conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, params, &n, 0) < 0)
    return;

  for (int i = 0; i < n; i++)
    {
      if (g_str_equal (params[i].field, VIR_NODE_MEMORY_STATS_TOTAL))
        *total = params[i].value * 1024;
      else if (g_str_equal (params[i].field, VIR_NODE_MEMORY_STATS_FREE))
        free_kib = params[i].value;
      else if (g_str_equal (params[i].field, VIR_NODE_MEMORY_STATS_BUFFERS))
        buffers = params[i].value;
      else if (g_str_equal (params[i].field, VIR_NODE_MEMORY_STATS_CACHED))
        cached = params[i].value;
    }
  /* Page cache and buffers give way to guests: count them as available. */
  *available = (free_kib + buffers + cached) * 1024;
}

static guint64
free_disk_at (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* The images folder may not exist yet: ask its nearest existing parent. */
  while (file != NULL)
    {
      g_autoptr(GFileInfo) info =
        g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
      GFile *parent;

      if (info != NULL)
        return g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
      parent = g_file_get_parent (file);
      g_object_unref (file);
      file = parent;
    }
  return 0;
}

static void
read_capabilities (VmdHost       *self,
                   virConnectPtr  conn)
{
  g_autofree char *kvm_caps =
    virConnectGetDomainCapabilities (conn, NULL, "x86_64", "q35", "kvm", 0);
  g_autofree char *caps = NULL;
  g_auto(GStrv) firmware = NULL;
  g_auto(GStrv) secure = NULL;
  g_auto(GStrv) tpm = NULL;

  self->kvm = kvm_caps != NULL;
  caps = kvm_caps ? g_steal_pointer (&kvm_caps)
                  : virConnectGetDomainCapabilities (conn, NULL, "x86_64", "q35", "qemu", 0);
  if (caps == NULL)
    return;

  firmware = _vmd_xml_xpath_strings (caps, "/domainCapabilities/os/enum[@name='firmware']/value");
  secure = _vmd_xml_xpath_strings (caps,
                                   "/domainCapabilities/os/loader/enum[@name='secure']/value");
  tpm = _vmd_xml_xpath_strings (caps, "/domainCapabilities/devices/tpm[@supported='yes']"
                                "/enum[@name='backendModel']/value");

  self->efi = g_strv_contains ((const char * const *) firmware, "efi");
  self->secure_boot = self->efi && g_strv_contains ((const char * const *) secure, "yes");
  self->tpm = g_strv_contains ((const char * const *) tpm, "emulator");
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  virConnectPtr conn = task_data;
  g_autoptr(VmdHost) self = g_object_new (VMD_TYPE_HOST, NULL);
  g_autofree char *uri = virConnectGetURI (conn);
  virNodeInfo info;

  if (virNodeGetInfo (conn, &info) < 0)
    {
      g_task_return_error (task, _vmd_error_from_libvirt (_("Could not read this computer’s resources")));
      return;
    }
  self->n_cpus = info.cpus;
  self->local = uri == NULL || _vmd_uri_is_local (uri);
  if (uri != NULL && !vmd_computer_is_this_one (uri))
    self->computer = vmd_computer_dup_title (uri);

  read_node_memory (conn, &self->total_ram, &self->available_ram);
  if (self->local)
    {
      guint64 total, available;

      if (read_meminfo (&total, &available))
        {
          self->total_ram = MAX (self->total_ram, total);
          self->available_ram = available;
        }
      self->n_cpus = MAX (self->n_cpus, g_get_num_processors ());

      {
        g_autofree char *dir = vmd_engine_dup_images_dir ();
        self->free_disk = free_disk_at (dir);
      }
    }
  if (self->total_ram == 0)
    self->total_ram = (guint64) info.memory * 1024;

  read_capabilities (self, conn);

  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

static void
unref_conn (gpointer conn)
{
  virConnectClose (conn);
}

/**
 * vmd_host_query_async:
 *
 * Reads the host's RAM, CPUs, free disk where images live, and what the
 * hypervisor offers (KVM, UEFI, secure boot, emulated TPM).
 */
void
vmd_host_query_async (VmdConnection       *connection,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  virConnectPtr conn;

  g_return_if_fail (VMD_IS_CONNECTION (connection));

  task = g_task_new (connection, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_host_query_async);

  conn = _vmd_connection_dup_conn (connection);
  if (conn == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, "%s",
                               _vmd_not_connected_message ());
      return;
    }
  g_task_set_task_data (task, conn, unref_conn);
  g_task_run_in_thread (task, query_thread);
}

/* The facts, also kept by the connection as its host's latest. */
VmdHost *
vmd_host_query_finish (GAsyncResult  *result,
                       GError       **error)
{
  VmdHost *host;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vmd_host_query_async, NULL);

  host = g_task_propagate_pointer (G_TASK (result), error);
  if (host != NULL)
    _vmd_connection_set_host (g_task_get_source_object (G_TASK (result)), host);
  return host;
}

guint64
vmd_host_get_total_ram (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), 0);
  return self->total_ram;
}

guint64
vmd_host_get_available_ram (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), 0);
  return self->available_ram;
}

guint
vmd_host_get_n_cpus (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), 1);
  return MAX (self->n_cpus, 1);
}

guint64
vmd_host_get_free_disk (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), 0);
  return self->free_disk;
}

gboolean
vmd_host_get_kvm (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), FALSE);
  return self->kvm;
}

gboolean
vmd_host_get_efi (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), FALSE);
  return self->efi;
}

gboolean
vmd_host_get_secure_boot (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), FALSE);
  return self->secure_boot;
}

gboolean
vmd_host_get_tpm (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), FALSE);
  return self->tpm;
}

gboolean
vmd_host_get_local (VmdHost *self)
{
  g_return_val_if_fail (VMD_IS_HOST (self), FALSE);
  return self->local;
}

/**
 * vmd_host_compute_budget:
 * @reserve: 0 for the default rule
 *
 * The budget's verdict on this host's RAM: vmd_budget_compute() with the
 * host's total and available memory.
 */
VmdBudget *
vmd_host_compute_budget (VmdHost *self,
                         guint64  committed,
                         guint64  request,
                         guint64  reserve)
{
  g_return_val_if_fail (VMD_IS_HOST (self), NULL);

  return vmd_budget_compute_for (self->total_ram, self->available_ram, committed, request, reserve,
                                 self->computer);
}
