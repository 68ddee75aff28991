/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Line ends for text crossing the clipboard between host and guest. */
char *vmd_text_to_crlf (const char *text,
                        gssize      length,
                        gsize      *out_length);
char *vmd_text_to_lf   (const char *text,
                        gssize      length,
                        gsize      *out_length);

G_END_DECLS
