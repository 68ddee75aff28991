/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libvirt/libvirt.h>

#include "vmd-express.h"
#include "vmd-guest-spec.h"
#include "vmd-libvirt.h"

G_BEGIN_DECLS

/* One creation's state, in its worker thread (vmd-creator.c), and the
 * clean-up after a failed one (vmd-creator-undo.c). */
typedef struct
{
  virConnectPtr  conn;
  char          *uri;       /* to clean up on when the daemon went away */
  VmdGuestSpec  *spec;      /* a private copy of the decisions that may change */
  gboolean       start;
  char          *uuid;      /* chosen here, to find the guest again whatever happens */
  gboolean       defined;   /* a definition was sent: the daemon may hold one */
  char          *vol_name;  /* the volume asked for, once it was asked for */
  virDomainPtr   domain;
  VmdDomainInfo *info;
  char          *notice;    /* what the host turned down, for the person */
  char          *warning;   /* what the keyring turned down, for the person */
  VmdExpress    *express;
  char          *password;
  gboolean       password_kept;  /* in the keyring, under the UUID */
  VmdExpressFiles install;  /* what the express install was given */
} RunData;

char *_vmd_creator_undo (RunData *data);

/* vmd-creator-kvm.c: this computer's KVM stopped the new guest at once */
gboolean _vmd_creator_paused_by_kvm (virDomainPtr domain);

G_END_DECLS
