/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-text"

#include "config.h"

#include "vmd-text.h"

static void
test_to_crlf (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "", "" },
    { "one line", "one line" },
    { "a\nb", "a\r\nb" },
    { "a\r\nb", "a\r\nb" },        /* already right: untouched */
    { "\n\n", "\r\n\r\n" },
    { "end\n", "end\r\n" },
    { "mixed\r\nand\nmore", "mixed\r\nand\r\nmore" },
    { "héllo\nwörld", "héllo\r\nwörld" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = 0;
      g_autofree char *out = vmd_text_to_crlf (cases[i].in, -1, &len);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpuint (len, ==, strlen (cases[i].out));
    }
}

static void
test_to_lf (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "", "" },
    { "a\r\nb", "a\nb" },
    { "a\nb", "a\nb" },
    { "a\rb", "a\nb" },            /* old Mac line end */
    { "\r\n\r\n", "\n\n" },
    { "end\r\n", "end\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = 0;
      g_autofree char *out = vmd_text_to_lf (cases[i].in, -1, &len);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpuint (len, ==, strlen (cases[i].out));
    }
}

static void
test_length_and_round_trip (void)
{
  /* The guest's data is a length, not a C string, and may stop mid-way. */
  g_autofree char *cut = vmd_text_to_lf ("ab\r\ncd", 3, NULL);
  g_autofree char *there = vmd_text_to_crlf ("x\ny\nz", -1, NULL);
  g_autofree char *back = vmd_text_to_lf (there, -1, NULL);

  g_assert_cmpstr (cut, ==, "ab\n");
  g_assert_cmpstr (back, ==, "x\ny\nz");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/text/to-crlf", test_to_crlf);
  g_test_add_func ("/text/to-lf", test_to_lf);
  g_test_add_func ("/text/length-and-round-trip", test_length_and_round_trip);

  return g_test_run ();
}
