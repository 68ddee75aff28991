/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: an input is an image from sector 16 on (the 32 KiB
 * before it are zeros). vmd_iso_check must not crash on it, and when it
 * lets libosinfo read the labels, libosinfo must end (libFuzzer's
 * -timeout catches a hang, AddressSanitizer a crash). Built and run by
 * tests/fuzz/run.sh. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <osinfo/osinfo.h>

#include "vmd-iso.h"

#define PREFIX (16 * VMD_ISO_SECTOR)

typedef struct
{
  const guint8 *data;
  gsize         size;
} Image;

static gssize
read_image (gpointer  user_data,
            void     *buffer,
            gsize     count,
            guint64   offset)
{
  const Image *image = user_data;
  gsize n;

  if (offset >= image->size)
    return 0;
  n = MIN (count, image->size - offset);
  memcpy (buffer, image->data + offset, n);
  return n;
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree guint8 *bytes = g_malloc0 (PREFIX + size);
  Image image = { bytes, PREFIX + size };
  VmdIsoFacts facts;

  memcpy (bytes + PREFIX, data, size);
  if (vmd_iso_check (read_image, &image, image.size, &facts) == VMD_ISO_LABELS)
    {
      int fd = memfd_create ("image", MFD_CLOEXEC);
      g_autofree char *path = g_strdup_printf ("/proc/self/fd/%d", fd);
      g_autoptr(GMainContext) context = g_main_context_new ();
      g_autoptr(OsinfoMedia) media = NULL;
      g_autoptr(GError) error = NULL;

      if (write (fd, bytes, image.size) != (gssize) image.size)
        abort ();
      g_main_context_push_thread_default (context);
      media = osinfo_media_create_from_location_with_flags (path, NULL, 0, &error);
      g_main_context_pop_thread_default (context);
      close (fd);
    }
  return 0;
}
