/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Passwords of guests' users, in the desktop's keyring (the Secret
 * Service): schema "com.example.VmDesk.Password", attributes "uuid" (the
 * machine's libvirt UUID) and "user" (the guest user's login). Errors are
 * VMD_ERROR_UNSUPPORTED where no keyring answers (no session bus, no
 * Secret Service on it), VMD_ERROR_FAILED otherwise. */

gboolean  vmd_secrets_store_sync    (const char           *uuid,
                                     const char           *user,
                                     const char           *machine_name,
                                     const char           *password,
                                     GCancellable         *cancellable,
                                     GError              **error);
void      vmd_secrets_lookup_async  (const char           *uuid,
                                     const char           *user,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
char     *vmd_secrets_lookup_finish (GAsyncResult         *result,
                                     GError              **error);
gboolean  vmd_secrets_clear_sync    (const char           *uuid,
                                     GCancellable         *cancellable,
                                     GError              **error);
void      vmd_secrets_forget        (char                **password);

G_END_DECLS
