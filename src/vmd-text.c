/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-text"

#include "config.h"

#include <string.h>

#include "vmd-text.h"

/* "a\nb" -> "a\r\nb"; existing "\r\n" stay as they are. The result is
 * NUL-terminated; @out_length excludes the NUL. */
char *
vmd_text_to_crlf (const char *text,
                  gssize      length,
                  gsize      *out_length)
{
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  GString *out = g_string_sized_new (len + len / 16 + 1);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, text[i]);
    }

  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* "a\r\nb" -> "a\nb"; a lone "\r" (old Mac) becomes "\n" too. */
char *
vmd_text_to_lf (const char *text,
                gssize      length,
                gsize      *out_length)
{
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  GString *out = g_string_sized_new (len + 1);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\r')
        {
          g_string_append_c (out, '\n');
          if (i + 1 < len && text[i + 1] == '\n')
            i++;
        }
      else
        g_string_append_c (out, text[i]);
    }

  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}
