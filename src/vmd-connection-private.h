/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-error.h"

G_BEGIN_DECLS

virConnectPtr _vmd_connection_dup_conn (VmdConnection *self);

G_END_DECLS
