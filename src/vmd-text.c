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

/* Text that comes from a file a user was handed (an image's labels, a file
 * name) goes to a terminal, to JSON and to labels: valid UTF-8, with
 * control and formatting characters (escape sequences, bidirectional
 * overrides, line separators) shown as U+FFFD. */
char *
vmd_text_make_printable (const char *text,
                         gssize      length)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  valid = g_utf8_make_valid (text ? text : "", length);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT ||
          type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_unichar (out, 0xFFFD);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* A file's name as messages quote it. */
char *
vmd_text_dup_display_basename (const char *path)
{
  g_autofree char *name = g_filename_display_basename (path);

  return vmd_text_make_printable (name, -1);
}
