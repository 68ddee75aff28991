/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine-settings"

#include "config.h"

#include <glib/gstdio.h>

#include "vmd-machine-settings.h"
#include "vmd-machine.h"

/* What this desktop keeps about a machine that is the desktop's business,
 * not the machine's: the folder it shares with it, whether USB devices go
 * to it by themselves. Kept in GSettings under the machine's UUID, so that
 * a rename keeps them. */

/**
 * vmd_machine_settings_new:
 *
 * Returns: (transfer full) (nullable): the machine's settings; %NULL where
 *   VmDesk's schemas are not installed
 */
GSettings *
vmd_machine_settings_new (VmdMachine *machine)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID ".Machine", TRUE);
  if (schema == NULL || vmd_machine_get_uuid (machine) == NULL)
    return NULL;
  path = g_strdup_printf ("/com/example/VmDesk/machines/%s/", vmd_machine_get_uuid (machine));
  return g_settings_new_full (schema, NULL, path);
}

/**
 * vmd_machine_settings_dup_folder:
 * @settings: (nullable): a machine's settings
 * @make: make the Public folder if it is not there yet (for the session
 *   that offers it; the window only shows the path)
 *
 * The folder the machine reaches: the one the person chose, or their Public
 * folder.
 *
 * Returns: (transfer full) (nullable): its path; %NULL when the machine
 *   shares none
 */
char *
vmd_machine_settings_dup_folder (GSettings *settings,
                                 gboolean   make)
{
  g_autofree char *folder = NULL;

  if (settings != NULL && !g_settings_get_boolean (settings, "share-folder"))
    return NULL;
  if (settings != NULL)
    folder = g_settings_get_string (settings, "shared-folder");
  if (folder == NULL || *folder == '\0')
    {
      const char *public = g_get_user_special_dir (G_USER_DIRECTORY_PUBLIC_SHARE);

      g_free (folder);
      folder = public != NULL ? g_strdup (public)
                              : g_build_filename (g_get_home_dir (), "Public", NULL);
      if (make && g_mkdir_with_parents (folder, 0700) != 0)
        g_message ("No Public folder to share: %s", g_strerror (errno));
    }
  return g_steal_pointer (&folder);
}
