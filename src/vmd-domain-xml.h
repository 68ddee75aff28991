/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vmd-express.h"
#include "vmd-guest-spec.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)

/* The shared folder's SPICE port, and its virtio port in the guest. */
#define VMD_FOLDER_CHANNEL "org.spice-space.webdav.0"

char *vmd_domain_xml_from_spec (VmdGuestSpec  *spec,
                                const char    *disk_path,
                                const char    *uuid,
                                GError       **error);
char *vmd_domain_xml_for_install (VmdGuestSpec           *spec,
                                  const char             *disk_path,
                                  const char             *uuid,
                                  const VmdExpressFiles  *install,
                                  gboolean                installer_run,
                                  GError                **error);

void  vmd_domain_xml_add_folder_channel (GVirConfigDomain *domain);

G_END_DECLS
