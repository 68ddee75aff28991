/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-cloner"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-cloner-private.h"
#include "vmd-name.h"

/* An appliance (OVA) to import: its descriptor's name, memory and
 * processors where the person gave none, and its one disk unpacked into
 * VmDesk's pool, from where it is copied and converted as any disk image
 * is, then removed. */

/* Opens the appliance and takes what its descriptor says. */
gboolean
_vmd_cloner_open_appliance (RunData  *data,
                            GError  **error)
{
  const char *name;
  guint n_disks;

  data->appliance = vmd_ova_open (data->image, error);
  if (data->appliance == NULL)
    return FALSE;
  n_disks = g_strv_length ((GStrv) vmd_ova_get_disks (data->appliance));
  if (n_disks == 0)
    return _vmd_cloner_fail (data, error, VMD_ERROR_NOT_MEDIA, _("the appliance has no disk."));
  if (n_disks > 1)
    {
      g_autofree char *why = g_strdup_printf (_("the appliance has %u disks, and VmDesk imports "
                                                "appliances of one disk for now."), n_disks);

      return _vmd_cloner_fail (data, error, VMD_ERROR_UNSUPPORTED, why);
    }

  if (data->memory == 0)
    data->memory = vmd_ova_get_memory (data->appliance);
  if (data->vcpus == 0)
    data->vcpus = vmd_ova_get_cpus (data->appliance);
  name = vmd_ova_get_name (data->appliance);
  if (data->auto_name && name != NULL && *name != '\0' && !data->inspecting)
    {
      g_autofree char *base = vmd_name_normalize (name);

      /* "NAME", or "NAME (2)" and on where that one is taken. */
      for (guint n = 1; n < 100; n++)
        {
          g_autofree char *candidate = n == 1 ? g_strdup (base)
                                              : g_strdup_printf ("%s (%u)", base, n);
          virDomainPtr other;

          if (!vmd_name_check (candidate, NULL))
            break;
          other = virDomainLookupByName (data->conn, candidate);
          if (other == NULL)
            {
              g_free (data->name);
              data->name = g_steal_pointer (&candidate);
              break;
            }
          virDomainFree (other);
        }
    }
  return TRUE;
}

typedef struct
{
  GTask  *task;
  double  shown;
} Unpacking;

static void
on_unpacked (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Unpacking *unpacking = user_data;
  double fraction = total > 0 ? (double) done / total : 1.0;

  /* A step each percent: the main loop is not for every block. */
  if (fraction - unpacking->shown < 0.01 && done < total)
    return;
  unpacking->shown = fraction;
  _vmd_cloner_report (unpacking->task, _("Unpacking the appliance…"), 0.02 + 0.33 * fraction);
}

/* The appliance's disk, as a file of the pool's folder that libvirt
 * lists as a volume. */
gboolean
_vmd_cloner_unpack_appliance (GTask              *task,
                              RunData            *data,
                              virStoragePoolPtr   pool,
                              GError            **error)
{
  g_autofree char *pool_xml = virStoragePoolGetXMLDesc (pool, 0);
  g_auto(GStrv) pool_dir = pool_xml ? _vmd_xml_xpath_strings (pool_xml, "/pool/target/path")
                                    : g_new0 (char *, 1);
  g_autofree char *base = NULL;
  Unpacking unpacking = { task, 0.0 };

  if (pool_dir[0] == NULL)
    return _vmd_cloner_fail_libvirt (data, error);
  base = g_strdup_printf ("vmdesk-unpacking-%s", data->uuid);
  data->unpacked = g_build_filename (pool_dir[0], base, NULL);
  _vmd_cloner_report (task, _("Unpacking the appliance…"), 0.02);
  if (!vmd_ova_extract (data->appliance, vmd_ova_get_disks (data->appliance)[0], data->unpacked,
                        NULL, on_unpacked, &unpacking, error))
    {
      g_clear_pointer (&data->unpacked, g_free);
      return FALSE;
    }
  /* Unpacked: the copy's progress follows. */
  data->copy_base = 0.35;
  data->copy_span = 0.55;
  if (virStoragePoolRefresh (pool, 0) < 0)
    return _vmd_cloner_fail_libvirt (data, error);
  return TRUE;
}

/* The unpacked disk goes, whether the import worked or not; the pool
 * forgets it. */
void
_vmd_cloner_remove_unpacked (RunData           *data,
                             virStoragePoolPtr  pool)
{
  if (data->unpacked == NULL)
    return;
  if (g_unlink (data->unpacked) != 0 && errno != ENOENT)
    g_warning ("Could not remove %s: %s", data->unpacked, g_strerror (errno));
  if (virStoragePoolRefresh (pool, 0) < 0)
    g_debug ("Could not refresh the pool: %s", virGetLastErrorMessage ());
  g_clear_pointer (&data->unpacked, g_free);
}
