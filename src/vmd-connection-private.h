/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-error.h"

G_BEGIN_DECLS

#include "vmd-libvirt.h"

virConnectPtr _vmd_connection_dup_conn   (VmdConnection       *self);
VmdMachine   *_vmd_connection_add_domain (VmdConnection       *self,
                                          virDomainPtr         domain,
                                          const VmdDomainInfo *info);

G_END_DECLS
