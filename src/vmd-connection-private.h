/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-os-db.h"

G_BEGIN_DECLS

#include "vmd-libvirt.h"

struct _VmdConnection
{
  GObject             parent_instance;

  /* owned */
  char               *uri;
  virConnectPtr       conn;
  GListStore         *machines;
  GHashTable         *by_uuid;       /* uuid -> VmdMachine (borrowed from machines) */
  GHashTable         *event_serial;  /* uuid -> last event serial seen for it */
  GError             *error;
  GCancellable       *cancellable;
  GPtrArray          *open_waiters;  /* GTask */
  GSettings          *settings;      /* the host's reserve, if VmDesk's settings are there */
  VmdHost            *host;          /* the host's facts, as last read */

  VmdConnectionState  state;
  int                 lifecycle_id;
  guint               serial;
  guint               reconnect_source;
  guint               settle_source;
  guint               settle_count;
  guint               reconnect_delay;
  guint               os_ids_serial;  /* the OS ids fetch under way */
  guint               opening : 1;
  guint               reading_systems : 1;
};

void          _vmd_connection_add_or_update  (VmdConnection       *self,
                                              virDomainPtr         domain,
                                              const VmdDomainInfo *info,
                                              GPtrArray           *newcomers);
void          _vmd_connection_fetch_os_ids   (VmdConnection       *self,
                                              GPtrArray           *domains,
                                              GPtrArray           *infos);
GHashTable   *_vmd_domain_infos_fetch_first_os (GPtrArray         *domains,
                                                GPtrArray         *infos);
void          _vmd_connection_remove_machine (VmdConnection       *self,
                                              const char          *uuid);
void          _vmd_connection_refresh_domain (VmdConnection       *self,
                                              virDomainPtr         domain,
                                              const char          *uuid);
int           _vmd_connection_on_lifecycle   (virConnectPtr        conn,
                                              virDomainPtr         domain,
                                              int                  event,
                                              int                  detail,
                                              void                *opaque);
void          _vmd_connection_update_os_names (VmdConnection      *self);
void          _vmd_connection_set_reading_systems (VmdConnection  *self,
                                                   gboolean        reading);

void          _vmd_connection_notify     (VmdConnection       *self,
                                          const char          *property);
void          _vmd_connection_init_host  (VmdConnection       *self);
void          _vmd_connection_set_host   (VmdConnection       *self,
                                          VmdHost             *host);
virConnectPtr _vmd_connection_dup_conn   (VmdConnection       *self);
void          _vmd_connection_run_when_open (VmdConnection     *self,
                                             GTask             *task,
                                             GTaskThreadFunc    func);
VmdMachine   *_vmd_connection_add_domain (VmdConnection       *self,
                                          virDomainPtr         domain,
                                          const VmdDomainInfo *info);

G_END_DECLS
