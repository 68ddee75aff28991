/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-creator"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-creator-private.h"
#include "vmd-pool.h"
#include "vmd-secrets.h"

/* What a failed creation leaves is removed: found again by what the run
 * chose, on a connection that may have to be opened again. */

static virConnectPtr
cleanup_conn (RunData *data)
{
  if (virConnectIsAlive (data->conn) == 1)
    {
      virConnectRef (data->conn);
      return data->conn;
    }
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      virConnectPtr conn = virConnectOpen (data->uri);

      if (conn != NULL)
        return conn;
      g_usleep (G_USEC_PER_SEC / 2);
    }
  return NULL;
}

static void
add_left (GString    *left,
          const char *what)
{
  g_string_append_printf (left, "%s%s", left->len ? ", " : "", what);
}

/* Removes whatever this run made, found again by what it chose (the UUID,
 * the volume's name) rather than by what the daemon returned, which a
 * daemon that died mid-call never returned. Returns what could not be
 * removed, for the person, or NULL. */
char *
_vmd_creator_undo (RunData *data)
{
  const unsigned int flags = VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
  g_autoptr(GString) left = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *machine = g_strdup_printf (_("the machine “%s”"),
                                              vmd_guest_spec_get_name (data->spec));
  g_autofree char *image = data->vol_name
                           ? g_strdup_printf (_("the disk image “%s”"), data->vol_name) : NULL;
  virConnectPtr conn;

  /* Kept only once defined: the keyring forgets a machine not made. */
  if (data->password_kept && !vmd_secrets_clear_sync (data->uuid, NULL, &error))
    g_message ("A failed creation left its password in the keyring: %s", error->message);
  if (!data->defined && data->vol_name == NULL)
    return NULL;

  conn = cleanup_conn (data);
  if (conn == NULL)
    {
      if (data->defined)
        add_left (left, machine);
      if (image != NULL)
        add_left (left, image);
      g_warning ("Creation failed and the daemon is gone: left %s", left->str);
      return g_string_free (g_steal_pointer (&left), FALSE);
    }

  if (data->defined)
    {
      virDomainPtr domain = virDomainLookupByUUIDString (conn, data->uuid);

      if (domain != NULL)
        {
          if (virDomainIsActive (domain) == 1 && virDomainDestroy (domain) < 0 &&
              virDomainIsActive (domain) != 0)
            add_left (left, machine);
          else if (virDomainUndefineFlags (domain, flags) < 0 && virDomainUndefine (domain) < 0)
            add_left (left, machine);
          virDomainFree (domain);
        }
    }

  if (data->vol_name != NULL)
    {
      virStoragePoolPtr pool = virStoragePoolLookupByName (conn, VMD_POOL_NAME);
      virStorageVolPtr vol = NULL;

      if (pool != NULL && virStoragePoolIsActive (pool) == 1)
        {
          virStoragePoolRefresh (pool, 0);
          vol = virStorageVolLookupByName (pool, data->vol_name);
        }
      if (vol != NULL && virStorageVolDelete (vol, 0) < 0)
        add_left (left, image);
      if (vol != NULL)
        virStorageVolFree (vol);
      if (pool != NULL)
        virStoragePoolFree (pool);
    }

  virConnectClose (conn);
  if (left->len == 0)
    return NULL;
  g_warning ("A failed creation left %s", left->str);
  return g_string_free (g_steal_pointer (&left), FALSE);
}
