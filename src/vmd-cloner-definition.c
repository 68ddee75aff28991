/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-cloner"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "vmd-cloner-private.h"
#include "vmd-domain-xml.h"
#include "vmd-files.h"
#include "vmd-guest-spec.h"
#include "vmd-libvirt.h"

/* What a copy is: the machine's definition made the copy's, or VmDesk's
 * usual make around an imported disk; its UEFI variables and TPM state;
 * and whether a file to import is a disk at all. */

/* Whether the file to import is a machine's disk: what libvirt's storage
 * recognised (qcow2, VMDK, VDI…), or raw data that starts as a disk does,
 * with a partition table; not an installer image, not anything else. */
gboolean
_vmd_cloner_check_image (RunData     *data,
                         const char  *path,
                         const char  *format,
                         GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  guint8 head[0x8006] = { 0 };
  gsize got = 0;

  if (!g_str_equal (format, "raw") && !g_str_equal (format, "iso"))
    return TRUE;
  in = g_file_read (file, NULL, NULL);
  if (in != NULL)
    g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &got, NULL, NULL);
  if (g_str_equal (format, "iso") || (got >= sizeof head && memcmp (head + 0x8001, "CD001", 5) == 0))
    return _vmd_cloner_fail (data, error, VMD_ERROR_NOT_MEDIA,
                             _("it is an installer image, not a disk: open it with "
                               "New Machine to install its system."));
  if (got < 512 || head[510] != 0x55 || head[511] != 0xaa)
    return _vmd_cloner_fail (data, error, VMD_ERROR_NOT_MEDIA,
                             _("it is not a disk image VmDesk knows (qcow2, VMDK, VDI, "
                               "VHD, OVA, or a raw disk with a partition table)."));
  return TRUE;
}

static xmlXPathObjectPtr
select_nodes (xmlXPathContextPtr  ctx,
              const char         *expr)
{
  return xmlXPathEvalExpression (BAD_CAST expr, ctx);
}

/* The source's definition, made the copy's: its name, its UUID, its disks;
 * no MAC addresses (libvirt makes new ones) and no NVRAM path (libvirt's
 * own for the new name, where the variables are copied). */
char *
_vmd_cloner_copy_definition (RunData    *data,
                             const char *xml)
{
  xmlDocPtr doc = xmlReadMemory (xml, strlen (xml), "domain.xml", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlXPathContextPtr ctx;
  xmlXPathObjectPtr obj;
  xmlChar *out = NULL;
  int len = 0;
  char *result;

  if (doc == NULL)
    return NULL;
  ctx = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (ctx, BAD_CAST "vmdesk", BAD_CAST VMD_NS);

  obj = select_nodes (ctx, "/domain/name | /domain/uuid");
  for (int i = 0; obj != NULL && obj->nodesetval != NULL && i < obj->nodesetval->nodeNr; i++)
    {
      xmlNodePtr node = obj->nodesetval->nodeTab[i];
      gboolean is_name = xmlStrEqual (node->name, BAD_CAST "name");

      xmlNodeSetContent (node, NULL);
      xmlNodeAddContent (node, BAD_CAST (is_name ? data->name : data->uuid));
    }
  xmlXPathFreeObject (obj);

  obj = select_nodes (ctx, "/domain/devices/interface/mac | /domain/os/nvram");
  for (int i = 0; obj != NULL && obj->nodesetval != NULL && i < obj->nodesetval->nodeNr; i++)
    {
      xmlUnlinkNode (obj->nodesetval->nodeTab[i]);
      xmlFreeNode (obj->nodesetval->nodeTab[i]);
    }
  xmlXPathFreeObject (obj);

  /* The disks, and VmDesk's record of which are its own. */
  obj = select_nodes (ctx, "/domain/devices/disk/source/@file | "
                           "/domain/metadata/vmdesk:vmdesk/vmdesk:disk/@path");
  for (int i = 0; obj != NULL && obj->nodesetval != NULL && i < obj->nodesetval->nodeNr; i++)
    {
      xmlNodePtr attr = obj->nodesetval->nodeTab[i];
      xmlChar *value = xmlNodeGetContent (attr);

      for (guint d = 0; d < data->disks->len; d++)
        {
          Disk *disk = data->disks->pdata[d];

          if (g_strcmp0 ((char *) value, disk->source) == 0)
            xmlSetProp (attr->parent, attr->name, BAD_CAST disk->copy);
        }
      xmlFree (value);
    }
  xmlXPathFreeObject (obj);

  xmlXPathFreeContext (ctx);
  xmlDocDumpMemory (doc, &out, &len);
  xmlFreeDoc (doc);
  result = g_strdup ((char *) out);
  xmlFree (out);
  return result;
}

/* UEFI variables and TPM state: files beside the daemon, copied where
 * libvirt looks for the copy's. On another host they stay behind: the copy
 * starts with fresh ones. */
gboolean
_vmd_cloner_copy_state (RunData     *data,
                        const char  *xml,
                        GError     **error)
{
  g_auto(GStrv) uefi = _vmd_xml_xpath_strings (xml, "/domain/os[@firmware='efi']/@firmware | "
                                                     "/domain/os/loader[@type='pflash']/@type");
  g_auto(GStrv) nvram = _vmd_xml_xpath_strings (xml, "/domain/os/nvram");
  g_auto(GStrv) tpm = _vmd_xml_xpath_strings (xml, "/domain/devices/tpm/backend/@type");
  g_autoptr(GError) local = NULL;
  char source_uuid[VIR_UUID_STRING_BUFLEN];

  if (!_vmd_conn_is_local (data->conn))
    return TRUE;

  if (uefi[0] != NULL)
    {
      g_autofree char *from = nvram[0] ? g_strdup (nvram[0])
                                       : _vmd_default_nvram_path (data->conn, data->source_name);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        {
          data->nvram = _vmd_default_nvram_path (data->conn, data->name);
          if (!_vmd_file_copy (from, data->nvram, FALSE, &local))
            return _vmd_cloner_fail (data, error, VMD_ERROR_FAILED, local->message);
        }
    }

  if (tpm[0] != NULL && g_str_equal (tpm[0], "emulator") &&
      virDomainGetUUIDString (data->source, source_uuid) == 0)
    {
      g_autofree char *from = _vmd_tpm_state_dir (data->conn, source_uuid);

      if (g_file_test (from, G_FILE_TEST_IS_DIR))
        {
          data->tpm = _vmd_tpm_state_dir (data->conn, data->uuid);
          if (!_vmd_tree_copy (from, data->tpm, &local))
            return _vmd_cloner_fail (data, error, VMD_ERROR_FAILED, local->message);
        }
    }
  return TRUE;
}

/* An imported disk's machine: VmDesk's usual make (q35, BIOS, SATA, QXL,
 * SPICE: what a system installed elsewhere boots with, whatever drivers it
 * has), with the memory, processors and system the person chose. */
char *
_vmd_cloner_import_definition (RunData  *data,
                               GError  **error)
{
  g_autoptr(VmdGuestSpec) spec = vmd_guest_spec_new ();
  g_autofree char *kvm = virConnectGetDomainCapabilities (data->conn, NULL, "x86_64", "q35",
                                                          "kvm", 0);
  Disk *disk = data->disks->pdata[0];

  vmd_guest_spec_set_name (spec, data->name);
  /* KVM where the host has it; the host's CPU model only where a start
   * can fall back from it (the creator's), not here. */
  vmd_guest_spec_set_platform (spec, data->os_id, NULL, NULL, VMD_FIRMWARE_BIOS, FALSE, FALSE,
                               kvm != NULL);
  vmd_guest_spec_set_host_cpu (spec, FALSE);
  if (data->memory > 0)
    vmd_guest_spec_set_memory (spec, data->memory);
  if (data->vcpus > 0)
    vmd_guest_spec_set_vcpus (spec, data->vcpus);
  return vmd_domain_xml_from_spec (spec, disk->copy, data->uuid, error);
}
