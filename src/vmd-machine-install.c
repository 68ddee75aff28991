/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>
#include <libvirt/virterror.h>
#include <libxml/tree.h>

#include "vmd-machine-private.h"

/* The end of an express install. The installer ran from its kernel and
 * initrd with the answers (or with the answers' CD) in a run that its
 * reboot ends; the machine's definition is already the installed
 * machine's. Once that run is over: the files with the answers (and the
 * password in them) are removed, the machine stops listing them, and it
 * starts again from its disk, unless VmDesk itself stopped it. */

typedef struct
{
  virDomainPtr domain;
  gboolean     restart;
} FinishData;

static void
finish_data_free (FinishData *data)
{
  virDomainFree (data->domain);
  g_free (data);
}

/* <vmdesk><disk path="…"/>…</vmdesk>: VmDesk's metadata without the install's files. */
static char *
metadata_without_install (const char *xml)
{
  g_auto(GStrv) disks = _vmd_xml_xpath_strings (xml,
                                                "/domain/metadata/vmdesk:vmdesk/vmdesk:disk/@path");
  xmlDocPtr doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNodePtr root = xmlNewNode (NULL, BAD_CAST "vmdesk");
  xmlChar *out = NULL;
  int length = 0;
  char *result;

  xmlDocSetRootElement (doc, root);
  for (guint i = 0; disks[i] != NULL; i++)
    xmlNewProp (xmlNewChild (root, NULL, BAD_CAST "disk", NULL), BAD_CAST "path",
                BAD_CAST disks[i]);
  xmlDocDumpMemory (doc, &out, &length);
  xmlFreeDoc (doc);
  result = g_strdup ((const char *) out);
  xmlFree (out);
  return result;
}

/* The files of an express install that @xml lists: its answers, and the
 * password in them. */
void
_vmd_machine_remove_install_files (const char *xml)
{
  g_auto(GStrv) files = _vmd_domain_xml_get_install_files (xml);

  for (guint i = 0; files[i] != NULL; i++)
    if (g_unlink (files[i]) != 0 && errno != ENOENT)
      g_message ("Could not remove the install's %s: %s", files[i], g_strerror (errno));
}

static void
finish_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FinishData *data = task_data;
  g_autofree char *xml = virDomainGetXMLDesc (data->domain, VIR_DOMAIN_XML_INACTIVE);
  g_autofree char *metadata = NULL;
  g_autoptr(GError) error = NULL;

  if (xml == NULL)
    {
      _vmd_set_error_from_libvirt (&error, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _vmd_machine_remove_install_files (xml);

  metadata = metadata_without_install (xml);
  if (virDomainSetMetadata (data->domain, VIR_DOMAIN_METADATA_ELEMENT, metadata, "vmdesk",
                            VMD_NS, VIR_DOMAIN_AFFECT_CONFIG) < 0)
    {
      _vmd_set_error_from_libvirt (&error, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->restart && virDomainCreate (data->domain) < 0)
    {
      _vmd_set_error_from_libvirt (&error, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_finished (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  VmdMachine *self = VMD_MACHINE (object);
  g_autoptr(GError) error = NULL;

  self->finishing_install = FALSE;
  self->installer_ran = FALSE;
  _vmd_machine_release_busy (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_message ("Could not finish the express install of %s: %s", self->name, error->message);
      return;
    }
  if (self->installing)
    {
      self->installing = FALSE;
      g_object_notify (G_OBJECT (self), "installing");
    }
}

/* @restart: whether to start the machine from its disk. */
void
_vmd_machine_finish_install (VmdMachine *self,
                             gboolean    restart)
{
  g_autoptr(GTask) task = NULL;
  FinishData *data;

  if (self->finishing_install || self->domain == NULL)
    return;
  self->finishing_install = TRUE;
  _vmd_machine_hold_busy (self);

  data = g_new0 (FinishData, 1);
  data->domain = _vmd_machine_dup_domain (self);
  data->restart = restart;
  task = g_task_new (self, NULL, on_finished, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) finish_data_free);
  g_task_run_in_thread (task, finish_thread);
}
