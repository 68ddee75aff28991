/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VMD_TYPE_SSH_TUNNEL (vmd_ssh_tunnel_get_type ())

G_DECLARE_FINAL_TYPE (VmdSshTunnel, vmd_ssh_tunnel, VMD, SSH_TUNNEL, GObject)

VmdSshTunnel *vmd_ssh_tunnel_new        (void);
int           vmd_ssh_tunnel_connect    (VmdSshTunnel  *self,
                                         const char    *uri,
                                         const char    *target,
                                         GCancellable  *cancellable,
                                         GError       **error);
void          vmd_ssh_tunnel_close      (VmdSshTunnel  *self);
GStrv         vmd_ssh_tunnel_build_argv (const char    *uri,
                                         const char    *local,
                                         const char    *target,
                                         GError       **error);

char         *vmd_ssh_run_sync          (const char    *uri,
                                         const char    *command,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
