/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VMD_ISO_SECTOR 2048

/* Reads up to @count bytes at @offset, as pread() does: the number read
 * (short at the end of the image), or -1 with errno set. */
typedef gssize (*VmdIsoReadFunc) (gpointer  user_data,
                                  void     *buffer,
                                  gsize     count,
                                  guint64   offset);

/* What VmDesk may do with an image, once its structures are checked. */
typedef enum
{
  VMD_ISO_NOT_MEDIA,      /* neither ISO 9660 nor UDF */
  VMD_ISO_TRUNCATED,      /* shorter than its primary volume descriptor says */
  VMD_ISO_DAMAGED,        /* ISO 9660 whose directories libosinfo cannot walk safely */
  VMD_ISO_UNREADABLE,     /* a read failed (errno says why) */
  VMD_ISO_LABELS,         /* libosinfo may read its labels */
  VMD_ISO_NO_LABELS,      /* a disc image libosinfo must not read (UDF only): unknown system */
} VmdIsoVerdict;

typedef struct
{
  guint64 expected_size;  /* what the primary volume descriptor says, or 0 */
  int     read_errno;     /* for VMD_ISO_UNREADABLE */
} VmdIsoFacts;

VmdIsoVerdict vmd_iso_check (VmdIsoReadFunc  read,
                             gpointer        user_data,
                             guint64         file_size,
                             VmdIsoFacts    *facts);

G_END_DECLS
