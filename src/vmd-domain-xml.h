/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "vmd-guest-spec.h"

G_BEGIN_DECLS

char *vmd_domain_xml_from_spec (VmdGuestSpec  *spec,
                                const char    *disk_path,
                                const char    *uuid,
                                GError       **error);

G_END_DECLS
