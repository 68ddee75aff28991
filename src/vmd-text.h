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

/* Untrusted text made fit to show: valid UTF-8, no control characters. */
char *vmd_text_make_printable       (const char *text,
                                     gssize      length);
char *vmd_text_dup_display_basename (const char *path);

G_END_DECLS
