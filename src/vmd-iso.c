/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-iso"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "vmd-iso.h"

/* libosinfo 1.10 reads an image's labels from sector 16 (as a primary
 * volume descriptor, whatever it is) and sector 17; when sector 17 is not
 * an El Torito boot record it walks the root directory looking for
 * /ppc/bootinfo.txt. That walk trusts the image: a directory of size 0
 * makes it wait for ever (a read of 0 bytes into a NULL buffer), a size of
 * 4 GiB allocates 4 GiB, and a record at a directory's end is read past
 * the buffer. This file replays the reads libosinfo will make, and says
 * whether they end. */

#define FIRST_VD           (16 * (guint64) VMD_ISO_SECTOR)
#define PVD_VOLUME         40
#define PVD_VOLUME_LEN     32
#define PVD_BLOCKS         80
#define PVD_BLOCK_SIZE     128
#define PVD_ROOT_RECORD    156
#define SVD_SYSTEM         7
#define SVD_SYSTEM_LEN     32
#define BOOTABLE_TAG       "EL TORITO SPECIFICATION"

/* A directory record: length, extent (little-endian at 2), size (at 10),
 * flags (at 25), then the name at 33. */
#define DR_EXTENT          2
#define DR_SIZE            10
#define DR_FLAGS           25
#define DR_NAME            33
#define DR_FLAG_DIRECTORY  (1 << 1)

/* Real root directories hold a few kilobytes; anything this big is
 * damage, and libosinfo would allocate all of it. */
#define MAX_DIRECTORY      (4 * 1024 * 1024)

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

/* As libosinfo's is_str_empty after g_strchomp: nothing but spaces. */
static gboolean
blank (const guint8 *p,
       gsize         len)
{
  for (gsize i = 0; i < len && p[i] != '\0'; i++)
    if (!g_ascii_isspace (p[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_el_torito (const guint8 *svd)
{
  char system[SVD_SYSTEM_LEN];

  memcpy (system, svd + SVD_SYSTEM, SVD_SYSTEM_LEN);
  system[SVD_SYSTEM_LEN - 1] = '\0';
  g_strchomp (system);
  return strcmp (system, BOOTABLE_TAG) == 0;
}

typedef enum
{
  WALK_ENDS,     /* libosinfo finishes, found or not */
  WALK_UNSAFE,   /* libosinfo would hang, allocate without bound or read past its buffer */
  WALK_ERROR,    /* our own read failed */
} Walk;

/* Replays search_ppc_bootinfo: for each path component, read the directory
 * at (extent * block size, as a 32-bit product: libosinfo's arithmetic),
 * then scan its records as libosinfo does. */
static Walk
walk_ppc_bootinfo (VmdIsoReadFunc  read,
                   gpointer        user_data,
                   const guint8   *root,
                   guint16         block_size,
                   int            *read_errno)
{
  static const char * const path[] = { "ppc", "bootinfo.txt" };
  guint32 extent = le32 (root + DR_EXTENT);
  guint32 size = le32 (root + DR_SIZE);

  for (guint depth = 0; depth < G_N_ELEMENTS (path); depth++)
    {
      const char *component = path[depth];
      gsize component_len = strlen (component);
      gboolean want_dir = depth + 1 < G_N_ELEMENTS (path);
      g_autofree guint8 *dir = NULL;
      guint32 offset = (guint32) (extent * block_size);
      gsize at = 0;
      gsize filled = 0;
      gssize n;

      if (size == 0 || size > MAX_DIRECTORY)
        return WALK_UNSAFE;

      dir = g_malloc0 (size);
      while (filled < size)
        {
          n = read (user_data, dir + filled, size - filled, (guint64) offset + filled);
          if (n < 0)
            {
              *read_errno = errno;
              return WALK_ERROR;
            }
          if (n == 0)
            return WALK_ENDS;  /* libosinfo: "No directory record extent" */
          filled += n;
        }

      do
        {
          const guint8 *record = dir + at;
          gboolean is_dir;

          if (record[0] == 0)
            {
              at++;
              continue;
            }
          /* libosinfo reads the flags and compares the name without
           * looking at the record's or the directory's length. */
          if (at + DR_NAME + component_len > size)
            return WALK_UNSAFE;

          is_dir = (record[DR_FLAGS] & DR_FLAG_DIRECTORY) != 0;
          if (is_dir == want_dir &&
              g_ascii_strncasecmp (component, (const char *) record + DR_NAME, component_len) == 0)
            break;
          at += record[0];
        }
      while (at < size);

      if (at >= size)
        return WALK_ENDS;  /* not there: libosinfo says "not bootable" */

      extent = le32 (dir + at + DR_EXTENT);
      size = le32 (dir + at + DR_SIZE);
    }

  return WALK_ENDS;
}

/**
 * vmd_iso_check:
 * @read: how to read the image
 * @file_size: the image's size in bytes
 *
 * Looks at what libosinfo will read of an image before it reads it.
 * Reads at most a few sectors and two directories, each bounded in size.
 */
VmdIsoVerdict
vmd_iso_check (VmdIsoReadFunc  read,
               gpointer        user_data,
               guint64         file_size,
               VmdIsoFacts    *facts)
{
  guint8 vd[2 * VMD_ISO_SECTOR];
  gboolean iso9660;
  gssize n;

  g_return_val_if_fail (read != NULL, VMD_ISO_NOT_MEDIA);
  g_return_val_if_fail (facts != NULL, VMD_ISO_NOT_MEDIA);

  memset (facts, 0, sizeof *facts);
  memset (vd, 0, sizeof vd);

  n = read (user_data, vd, sizeof vd, FIRST_VD);
  if (n < 0)
    {
      facts->read_errno = errno;
      return VMD_ISO_UNREADABLE;
    }

  /* "CD001": ISO 9660; "BEA01": the start of a UDF volume (DVD images). */
  iso9660 = memcmp (vd + 1, "CD001", 5) == 0;
  if (n < VMD_ISO_SECTOR || (!iso9660 && memcmp (vd + 1, "BEA01", 5) != 0))
    return VMD_ISO_NOT_MEDIA;

  /* A primary volume descriptor says how big the volume is: an image
   * smaller than that is an interrupted download. */
  if (vd[0] == 1 && iso9660)
    {
      guint64 blocks = le32 (vd + PVD_BLOCKS);
      guint64 block_size = le16 (vd + PVD_BLOCK_SIZE);

      facts->expected_size = blocks * (block_size ? block_size : VMD_ISO_SECTOR);
      if (file_size < facts->expected_size)
        return VMD_ISO_TRUNCATED;
    }

  /* libosinfo stops before the walk when there is no volume id, when it
   * cannot read sector 17 in full, or when sector 17 is a boot record. */
  if (blank (vd + PVD_VOLUME, PVD_VOLUME_LEN) || n < VMD_ISO_SECTOR + SVD_SYSTEM + SVD_SYSTEM_LEN ||
      is_el_torito (vd + VMD_ISO_SECTOR))
    return VMD_ISO_LABELS;

  switch (walk_ppc_bootinfo (read, user_data, vd + PVD_ROOT_RECORD,
                             le16 (vd + PVD_BLOCK_SIZE), &facts->read_errno))
    {
    case WALK_ENDS:
      return VMD_ISO_LABELS;
    case WALK_ERROR:
      return VMD_ISO_UNREADABLE;
    case WALK_UNSAFE:
    default:
      return iso9660 ? VMD_ISO_DAMAGED : VMD_ISO_NO_LABELS;
    }
}
