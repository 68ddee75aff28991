/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

#include "vmd-types.h"

G_BEGIN_DECLS

typedef struct _VmdMedia VmdMedia;

/* How sure VmDesk is of the OS on an image. */
typedef enum
{
  VMD_MEDIA_MATCH_EXACT,    /* libosinfo knows this very release */
  VMD_MEDIA_MATCH_FAMILY,   /* a newer release of a known family: settings of the newest known one */
  VMD_MEDIA_MATCH_UNKNOWN,  /* nothing recognised: generic settings */
} VmdMediaMatch;

#define VMD_TYPE_MEDIA_MATCH (vmd_media_match_get_type ())
#define VMD_TYPE_MEDIA       (vmd_media_get_type ())

GType vmd_media_match_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (VmdMedia, vmd_media, VMD, MEDIA, GObject)

void           vmd_media_identify_async    (const char          *path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void           vmd_media_identify_there_async (VmdConnection    *connection,
                                               const char       *path,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
VmdMedia      *vmd_media_identify_finish   (GAsyncResult        *result,
                                            GError             **error);

const char    *vmd_media_get_path          (VmdMedia            *self);
gboolean       vmd_media_get_remote        (VmdMedia            *self);
const char    *vmd_media_get_volume_id     (VmdMedia            *self);
const char    *vmd_media_get_architecture  (VmdMedia            *self);
gboolean       vmd_media_get_installer     (VmdMedia            *self);
gboolean       vmd_media_get_live          (VmdMedia            *self);
guint64        vmd_media_get_size          (VmdMedia            *self);
VmdMediaMatch  vmd_media_get_match         (VmdMedia            *self);

/* The candidate OSes, likeliest first (several when volume ids are shared,
 * as Windows 10 and 11 do); empty when nothing was recognised. */
GListModel    *vmd_media_get_candidates    (VmdMedia            *self);
OsinfoOs      *vmd_media_get_os            (VmdMedia            *self);
OsinfoMedia   *vmd_media_get_osinfo_media  (VmdMedia            *self);
void           vmd_media_select_os         (VmdMedia            *self,
                                            guint                position);

/* What to call the OS ("Debian 11", or "Debian 12" for a release newer than
 * the database) and, for a family match, a sentence saying whose settings
 * are used. */
const char    *vmd_media_get_os_label      (VmdMedia            *self);
char          *vmd_media_dup_explanation   (VmdMedia            *self);

void vmd_media_set_read_timeout (guint ms);

G_END_DECLS
