/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What the scripting commands share: JSON out, enum values by nick. */
const char *_vmd_cli_enum_nick     (GType        type,
                                    int          value);
void        _vmd_cli_member_string (JsonBuilder *b,
                                    const char  *name,
                                    const char  *value);
void        _vmd_cli_member_int    (JsonBuilder *b,
                                    const char  *name,
                                    gint64       value);
void        _vmd_cli_print_json    (JsonBuilder *b,
                                    gboolean     pretty);
void        _vmd_cli_quiet_logs    (void);
int         _vmd_cli_report_error  (const GError *error,
                                    gboolean      json);

G_END_DECLS
