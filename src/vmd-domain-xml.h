/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "vmd-express.h"
#include "vmd-guest-spec.h"

G_BEGIN_DECLS

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

G_END_DECLS
