/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-name"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-error.h"
#include "vmd-name.h"

/* The length of the image file name's stem, before "-2" and ".qcow2". */
#define FILE_BASE_MAX 48

static gboolean
is_space (gunichar c)
{
  return g_unichar_isspace (c) && !g_unichar_iscntrl (c);
}

/* What was typed, as the machine will be called: " Debian  12 " and
 * "Debian 12" are one name. White space at either end goes (a line end
 * pasted with a name included), runs of spaces inside become one, and the
 * text is composed (NFC) so that "é" typed two ways is one name. Line
 * breaks, tabs and other control characters inside stay, for
 * vmd_name_check() to refuse with its reason. */
char *
vmd_name_normalize (const char *typed)
{
  g_autofree char *valid = g_utf8_make_valid (typed ? typed : "", -1);
  g_autofree char *composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  GString *out = g_string_sized_new (strlen (composed));
  gboolean pending_space = FALSE;

  for (const char *p = composed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_space (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

static gboolean
fail (GError    **error,
      const char *message)
{
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_NAME, message);
  return FALSE;
}

/* How many of @name's first characters fit in the limits. */
static guint
chars_that_fit (const char *name)
{
  guint n = 0;

  for (const char *p = name; *p != '\0' && n < VMD_NAME_MAX_CHARS; p = g_utf8_next_char (p))
    {
      if ((gsize) (g_utf8_next_char (p) - name) > VMD_NAME_MAX_BYTES)
        break;
      n++;
    }
  return n;
}

/**
 * vmd_name_check:
 * @name: a name as vmd_name_normalize() made it
 *
 * Whether a machine can be called @name, with the reason a person can act
 * on when it cannot. Whether another machine has the name already is the
 * caller's question: it knows the machines.
 */
gboolean
vmd_name_check (const char  *name,
                GError     **error)
{
  if (name == NULL || *name == '\0')
    return fail (error, _("Give the machine a name."));
  if (!g_utf8_validate (name, -1, NULL))
    return fail (error, _("The name holds bytes that are not text: type it again."));

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (c == '/')
        return fail (error, _("A name cannot contain “/”."));
      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT ||
          type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        return fail (error, _("A name cannot contain line breaks, tabs or other invisible "
                              "characters."));
    }

  /* "." and ".." are folders, and ".x" a hidden file, in libvirt's folders. */
  if (name[0] == '.')
    return fail (error, _("A name cannot start with “.”."));

  if (g_utf8_strlen (name, -1) > VMD_NAME_MAX_CHARS || strlen (name) > VMD_NAME_MAX_BYTES)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "The name is too long: keep it to %u character.",
                                      "The name is too long: keep it to %u characters.",
                                      chars_that_fit (name)),
                         chars_that_fit (name));
      return fail (error, message);
    }
  return TRUE;
}

/* "Debian 11 “work”" -> "Debian-11-work": the stem of the machine's image
 * file, which any tool copes with: ASCII letters, digits, '_', '.' and
 * '-' (neither first), at most FILE_BASE_MAX bytes. */
char *
vmd_name_to_file_base (const char *name)
{
  GString *base = g_string_new (NULL);

  for (const char *p = name; p && *p && base->len < FILE_BASE_MAX; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 128 && (g_ascii_isalnum (c) || c == '_' || (c == '.' && base->len > 0)))
        g_string_append_c (base, c);
      else if (base->len > 0 && base->str[base->len - 1] != '-')
        g_string_append_c (base, '-');
    }
  while (base->len > 0 && (base->str[base->len - 1] == '-' || base->str[base->len - 1] == '.'))
    g_string_truncate (base, base->len - 1);
  if (base->len == 0)
    g_string_append (base, "machine");

  return g_string_free (base, FALSE);
}
