/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "vmd-error.h"
#include "vmd-name.h"

/* What people type, as the machine will be called. */
static void
test_normalize (void)
{
  static const struct { const char *typed, *name; } cases[] = {
    { "ok name", "ok name" },
    { " ok name", "ok name" },
    { "ok   name  ", "ok name" },
    { "   ", "" },
    { "", "" },
    { "Debian 12\n", "Debian 12" },            /* pasted with its line end */
    { "\tDebian\u00a012", "Debian 12" },       /* a tab, a no-break space */
    { "Cafe\xcc\x81", "Caf\xc3\xa9" },      /* e + combining acute -> é */
    { "a\nb", "a\nb" },                       /* refused by the check, with its reason */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = vmd_name_normalize (cases[i].typed);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
  g_assert_cmpstr (vmd_name_normalize (NULL), ==, "");
}

static void
assert_refused (const char *name,
                const char *reason)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_name_check (name, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, reason));
  /* A reason fits under a field: one sentence. */
  g_assert_cmpuint (strlen (error->message), <, 100);
}

static void
test_check (void)
{
  g_autofree char *long_ascii = g_strnfill (VMD_NAME_MAX_CHARS + 1, 'a');
  g_autofree char *max_ascii = g_strnfill (VMD_NAME_MAX_CHARS, 'a');
  g_autoptr(GString) wide = g_string_new (NULL);

  g_assert_true (vmd_name_check ("Debian 12", NULL));
  g_assert_true (vmd_name_check ("created \"from\" <ISO> & co", NULL));
  g_assert_true (vmd_name_check ("Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", NULL));
  g_assert_true (vmd_name_check ("-dash", NULL));
  g_assert_true (vmd_name_check ("a..b", NULL));
  g_assert_true (vmd_name_check (max_ascii, NULL));

  assert_refused ("", "Give the machine a name");
  assert_refused (NULL, "Give the machine a name");
  assert_refused ("../../etc/x", "cannot contain “/”");
  assert_refused ("a/b", "cannot contain “/”");
  assert_refused ("..", "cannot start with “.”");
  assert_refused (".", "cannot start with “.”");
  assert_refused (".hidden", "cannot start with “.”");
  assert_refused ("a\nb", "line breaks");
  assert_refused ("a\tb", "line breaks");
  assert_refused ("a\x1b[2Jb", "line breaks");
  assert_refused ("a\xe2\x80\xae" "b", "invisible");       /* a right-to-left override */
  assert_refused ("a\xff", "not text");
  assert_refused (long_ascii, "keep it to 100 characters");

  /* Past the bytes a file name can hold before the characters run out:
   * 3-byte characters, 66 of which fit in 200 bytes. */
  for (int i = 0; i < 80; i++)
    g_string_append (wide, "\xe6\x97\xa5");
  assert_refused (wide->str, "keep it to 66 characters");
}

/* The image file's stem: safe for every tool, and bounded. */
static void
test_file_base (void)
{
  static const struct { const char *name, *base; } cases[] = {
    { "Debian 11 \"work\"", "Debian-11-work" },
    { "created \"from\" <ISO> & co", "created-from-ISO-co" },
    { "..", "machine" },
    { ".hidden", "hidden" },
    { "--x--", "x" },
    { "\xe6\x97\xa5\xe6\x9c\xac", "machine" },
    { "Ubuntu 24.04", "Ubuntu-24.04" },
    { "a.", "a" },
  };
  g_autofree char *longest = g_strnfill (VMD_NAME_MAX_CHARS, 'x');
  g_autofree char *base = vmd_name_to_file_base (longest);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = vmd_name_to_file_base (cases[i].name);

      g_assert_cmpstr (got, ==, cases[i].base);
    }
  g_assert_cmpuint (strlen (base), <=, 48);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/name/normalize", test_normalize);
  g_test_add_func ("/name/check", test_check);
  g_test_add_func ("/name/file-base", test_file_base);
  return g_test_run ();
}
