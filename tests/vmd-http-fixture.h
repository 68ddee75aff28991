/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An HTTP/1.1 server on 127.0.0.1 for download tests, serving one file's
 * bytes, answering in its own threads:
 *   /NAME        the file (200, or 206 for "Range: bytes=N-")
 *   /slow/NAME   the same, 16 KiB every 10 ms
 *   /cut/NAME    without a Range: the full length announced, half of it
 *                sent, then the connection closed; with one: as /NAME
 *   /stall/NAME  the full length announced, half of it sent, then nothing
 *                until the client closes
 *   /logo.png    a small PNG
 *   anything else: 404 */
typedef struct _VmdHttpFixture VmdHttpFixture;

VmdHttpFixture *vmd_http_fixture_new        (GBytes         *content);
guint16         vmd_http_fixture_get_port   (VmdHttpFixture *self);
char           *vmd_http_fixture_dup_url    (VmdHttpFixture *self,
                                             const char     *path);
/* The Range header of the last request ("" without one). */
char           *vmd_http_fixture_dup_range  (VmdHttpFixture *self);
guint           vmd_http_fixture_get_requests (VmdHttpFixture *self);
void            vmd_http_fixture_free       (VmdHttpFixture *self);

void            vmd_http_fixture_write_catalog (VmdHttpFixture *self,
                                                const char     *config_dir);

/* A port on 127.0.0.1 where nothing listens. */
guint16         vmd_http_fixture_closed_port (void);

G_END_DECLS
