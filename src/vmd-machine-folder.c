/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-libvirt.h"
#include "vmd-machine-private.h"

/* Whether a machine's definition has the shared folder's channel, and
 * giving it one: machines VmDesk made before it shared folders, and those
 * made elsewhere, have none. The channel comes with the machine's next
 * start; the running guest keeps its devices. */

static gboolean
has_folder_channel (const char *xml)
{
  g_auto(GStrv) found = _vmd_xml_xpath_strings (xml, "/domain/devices/channel/target"
                                                     "[@name='" VMD_FOLDER_CHANNEL "']/@name");

  return found != NULL && found[0] != NULL;
}

static void
folder_channel_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  virDomainPtr domain = task_data;
  gboolean add = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "add"));
  /* SECURE: a definition written back keeps its passwords. */
  g_autofree char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE |
                                                      VIR_DOMAIN_XML_SECURE);
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr defined;

  if (xml == NULL)
    {
      g_task_return_error (task, _vmd_error_from_libvirt (_("Could not read the machine")));
      return;
    }
  if (has_folder_channel (xml) || !add)
    {
      g_task_return_int (task, has_folder_channel (xml));
      return;
    }
  config = gvir_config_domain_new_from_xml (xml, &error);
  if (config == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED, "%s", error->message);
      return;
    }
  vmd_domain_xml_add_folder_channel (config);
  changed = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  defined = virDomainDefineXML (virDomainGetConnect (domain), changed);
  if (defined == NULL)
    {
      g_task_return_error (task, _vmd_error_from_libvirt (_("Could not give the machine a "
                                                            "shared folder")));
      return;
    }
  virDomainFree (defined);
  g_task_return_int (task, TRUE);
}

/**
 * vmd_machine_folder_channel_async:
 * @add: give the machine the channel where it has none
 *
 * Whether the machine's definition has the channel its shared folder
 * needs (SPICE WebDAV), after adding it if @add.
 */
void
vmd_machine_folder_channel_async (VmdMachine          *self,
                                  gboolean             add,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  virDomainPtr domain;

  g_return_if_fail (VMD_IS_MACHINE (self));

  task = _vmd_machine_domain_task (self, vmd_machine_folder_channel_async, cancellable, callback,
                                   user_data, &domain);
  if (task == NULL)
    return;
  g_task_set_task_data (task, domain, _vmd_domain_unref);
  g_object_set_data (G_OBJECT (task), "add", GINT_TO_POINTER (add));
  g_task_run_in_thread (task, folder_channel_thread);
}

/**
 * vmd_machine_folder_channel_finish:
 * @has: (out): whether the definition has the channel
 */
gboolean
vmd_machine_folder_channel_finish (VmdMachine    *self,
                                   GAsyncResult  *result,
                                   gboolean      *has,
                                   GError       **error)
{
  gssize found;

  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  found = g_task_propagate_int (G_TASK (result), error);
  if (found < 0)
    return FALSE;
  *has = found > 0;
  return TRUE;
}
