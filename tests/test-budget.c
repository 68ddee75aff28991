/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-budget"

#include "config.h"

#include "vmd-budget.h"

#define MIB (G_GUINT64_CONSTANT (1) << 20)
#define GIB (G_GUINT64_CONSTANT (1) << 30)

static void
test_reserve (void)
{
  /* The larger of 2 GiB and a fifth of the host. */
  g_assert_cmpuint (vmd_budget_default_reserve (4 * GIB), ==, 2 * GIB);
  g_assert_cmpuint (vmd_budget_default_reserve (10 * GIB), ==, 2 * GIB);
  g_assert_cmpuint (vmd_budget_default_reserve (10 * GIB + 5), ==, 2 * GIB + 1);
  g_assert_cmpuint (vmd_budget_default_reserve (20 * GIB), ==, 4 * GIB);
  g_assert_cmpuint (vmd_budget_default_reserve (0), ==, 2 * GIB);
}

typedef struct
{
  const char       *what;
  guint64           total, available, committed, request, reserve;
  VmdBudgetVerdict  verdict;
  const char       *says;  /* a piece of the summary */
} Case;

/* A 20 GiB host keeps 4 GiB: 16 GiB are for guests. */
static const Case cases[] = {
  { "nothing running, small guest", 20 * GIB, 18 * GIB, 0, 2 * GIB, 0,
    VMD_BUDGET_FITS, "2.0 GiB of this computer’s 20.0 GiB" },
  { "exactly up to the reserve", 20 * GIB, 18 * GIB, 12 * GIB, 4 * GIB, 0,
    VMD_BUDGET_FITS, "leaving 4.0 GiB" },
  { "one MiB into the reserve", 20 * GIB, 18 * GIB, 12 * GIB, 4 * GIB + MIB, 0,
    VMD_BUDGET_TIGHT, "eating into the 4.0 GiB" },
  { "exactly all of the host", 20 * GIB, 18 * GIB, 12 * GIB, 8 * GIB, 0,
    VMD_BUDGET_TIGHT, "20.0 GiB of this computer’s 20.0 GiB" },
  { "one MiB over the host", 20 * GIB, 18 * GIB, 12 * GIB, 8 * GIB + MIB, 0,
    VMD_BUDGET_OVER, "more than the 20.0 GiB this computer has" },
  { "fits the rule, but not free now", 20 * GIB, 1 * GIB, 0, 2 * GIB, 0,
    VMD_BUDGET_TIGHT, "only 1.0 GiB is free right now" },
  { "exactly what is free now", 20 * GIB, 2 * GIB, 0, 2 * GIB, 0,
    VMD_BUDGET_FITS, "leaving 18.0 GiB" },
  { "small host: the 2 GiB floor", 4 * GIB, 4 * GIB, 0, 2 * GIB + MIB, 0,
    VMD_BUDGET_TIGHT, "eating into the 2.0 GiB" },
  { "small host: at the floor", 4 * GIB, 4 * GIB, 0, 2 * GIB, 0,
    VMD_BUDGET_FITS, "leaving 2.0 GiB" },
  { "a reserve set by the user", 20 * GIB, 18 * GIB, 0, 17 * GIB, 1 * GIB,
    VMD_BUDGET_FITS, "leaving 3.0 GiB" },
  { "a guest as big as the host", 8 * GIB, 8 * GIB, 0, 8 * GIB, 0,
    VMD_BUDGET_TIGHT, "keeps for itself" },
  { "a guest bigger than the host", 8 * GIB, 8 * GIB, 0, 9 * GIB, 0,
    VMD_BUDGET_OVER, "Machines would need 9.0 GiB" },
};

/* g_format_size() puts a no-break space before the unit. */
static char *
plain (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "\u00a0", -1);

  return g_strjoinv (" ", parts);
}

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(VmdBudget) budget =
        vmd_budget_compute (c->total, c->available, c->committed, c->request, c->reserve);

      g_test_message ("%s: %s", c->what, budget->summary);
      g_assert_cmpint (budget->verdict, ==, c->verdict);
      g_assert_cmpuint (budget->after, ==, c->committed + c->request);
      g_autofree char *summary = plain (budget->summary);

      g_assert_nonnull (strstr (summary, c->says));
    }
}

/* Another computer's machines take its memory: each verdict says whose. */
static void
test_other_computer (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(VmdBudget) budget = vmd_budget_compute_for (c->total, c->available, c->committed,
                                                            c->request, c->reserve, "ada@server");

      g_test_message ("%s: %s", c->what, budget->summary);
      g_assert_cmpint (budget->verdict, ==, c->verdict);
      g_assert_nonnull (strstr (budget->summary, "ada@server"));
      g_assert_null (strstr (budget->summary, "this computer"));
    }
}

static void
test_disk (void)
{
  g_autofree char *fits = vmd_budget_check_disk (20 * GIB, 20 * GIB);
  g_autofree char *over_raw = vmd_budget_check_disk (64 * GIB, 20 * GIB);
  g_autofree char *over = plain (over_raw);
  g_autofree char *unknown = vmd_budget_check_disk (64 * GIB, 0);

  g_assert_null (fits);
  g_assert_null (unknown);
  g_assert_nonnull (strstr (over, "68.7 GB"));
  g_assert_nonnull (strstr (over, "21.5 GB"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/budget/reserve", test_reserve);
  g_test_add_func ("/budget/table", test_table);
  g_test_add_func ("/budget/other-computer", test_other_computer);
  g_test_add_func ("/budget/disk", test_disk);

  return g_test_run ();
}
