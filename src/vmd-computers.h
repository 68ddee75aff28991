/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_COMPUTERS (vmd_computers_get_type ())

G_DECLARE_FINAL_TYPE (VmdComputers, vmd_computers, VMD, COMPUTERS, GObject)

VmdComputers  *vmd_computers_new          (GSettings     *settings,
                                           const char    *uri);
void           vmd_computers_open         (VmdComputers  *self);
gboolean       vmd_computers_can_add      (VmdComputers  *self);
VmdConnection *vmd_computers_get_primary  (VmdComputers  *self);
VmdConnection *vmd_computers_find         (VmdComputers  *self,
                                           const char    *uri);
char          *vmd_computers_add          (VmdComputers  *self,
                                           const char    *address,
                                           GError       **error);
gboolean       vmd_computers_remove       (VmdComputers  *self,
                                           const char    *uri,
                                           GError       **error);

char          *vmd_computer_uri_for_address (const char  *address,
                                             GError     **error);
char          *vmd_computer_dup_title     (const char    *uri);
gboolean       vmd_computer_is_this_one   (const char    *uri);

G_END_DECLS
