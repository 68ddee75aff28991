/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-budget"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-budget.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

G_DEFINE_ENUM_TYPE (VmdBudgetVerdict, vmd_budget_verdict,
  G_DEFINE_ENUM_VALUE (VMD_BUDGET_FITS, "fits"),
  G_DEFINE_ENUM_VALUE (VMD_BUDGET_TIGHT, "tight"),
  G_DEFINE_ENUM_VALUE (VMD_BUDGET_OVER, "over"))

/**
 * vmd_budget_default_reserve:
 *
 * What the host keeps for itself: the larger of 2 GiB and a fifth of its RAM.
 */
guint64
vmd_budget_default_reserve (guint64 host_total)
{
  return MAX (2 * GIB, host_total / 5);
}

static char *
size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

/**
 * vmd_budget_compute:
 * @reserve: 0 for vmd_budget_default_reserve()
 *
 * The verdict on adding @request bytes of guest RAM to the @committed bytes
 * that running and paused guests already hold. A hosted hypervisor cannot
 * count on overcommit: guests' RAM is the host's RAM.
 */
VmdBudget *
vmd_budget_compute (guint64 host_total,
                    guint64 host_available,
                    guint64 committed,
                    guint64 request,
                    guint64 reserve)
{
  return vmd_budget_compute_for (host_total, host_available, committed, request, reserve, NULL);
}

/**
 * vmd_budget_compute_for:
 * @computer: (nullable): the computer the machines run on, named as the
 *   library names it, when it is not this one
 *
 * vmd_budget_compute(), its sentence about @computer.
 */
VmdBudget *
vmd_budget_compute_for (guint64     host_total,
                        guint64     host_available,
                        guint64     committed,
                        guint64     request,
                        guint64     reserve,
                        const char *computer)
{
  VmdBudget *budget = g_new0 (VmdBudget, 1);
  g_autofree char *after_s = NULL;
  g_autofree char *total_s = NULL;
  g_autofree char *reserve_s = NULL;
  g_autofree char *request_s = NULL;
  g_autofree char *available_s = NULL;
  g_autofree char *left_s = NULL;
  guint64 usable;

  budget->host_total = host_total;
  budget->host_available = host_available;
  budget->committed = committed;
  budget->request = request;
  budget->reserve = reserve ? reserve : vmd_budget_default_reserve (host_total);
  budget->after = committed + request;
  usable = host_total > budget->reserve ? host_total - budget->reserve : 0;

  after_s = size (budget->after);
  total_s = size (host_total);
  reserve_s = size (budget->reserve);
  request_s = size (request);
  available_s = size (host_available);

  if (budget->after > host_total)
    {
      budget->verdict = VMD_BUDGET_OVER;
      budget->summary = computer == NULL
        ? g_strdup_printf (_("Machines would need %s of memory, more than the %s this computer has. "
                             "It would swap heavily, and machines may be stopped."),
                           after_s, total_s)
        : g_strdup_printf (_("Machines would need %s of memory, more than the %s that %s has. "
                             "It would swap heavily, and machines may be stopped."),
                           after_s, total_s, computer);
    }
  else if (budget->after > usable)
    {
      budget->verdict = VMD_BUDGET_TIGHT;
      budget->summary = computer == NULL
        ? g_strdup_printf (_("Machines would use %s of this computer’s %s of memory, eating into "
                             "the %s it keeps for itself: it may slow down and swap."),
                           after_s, total_s, reserve_s)
        : g_strdup_printf (_("Machines would use %s of the %s of memory of %s, eating into "
                             "the %s it keeps for itself: it may slow down and swap."),
                           after_s, total_s, computer, reserve_s);
    }
  else if (request > host_available)
    {
      budget->verdict = VMD_BUDGET_TIGHT;
      budget->summary = computer == NULL
        ? g_strdup_printf (_("This needs %s of memory, but only %s is free right now: "
                             "the computer may swap until other programs give memory back."),
                           request_s, available_s)
        : g_strdup_printf (_("This needs %s of memory, but only %s is free on %s right now: "
                             "it may swap until other programs give memory back."),
                           request_s, available_s, computer);
    }
  else
    {
      budget->verdict = VMD_BUDGET_FITS;
      left_s = size (host_total - budget->after);
      budget->summary = computer == NULL
        ? g_strdup_printf (_("Machines would use %s of this computer’s %s of memory, "
                             "leaving %s for it."),
                           after_s, total_s, left_s)
        : g_strdup_printf (_("Machines would use %s of the %s of memory of %s, "
                             "leaving %s for it."),
                           after_s, total_s, computer, left_s);
    }

  return budget;
}

void
vmd_budget_free (VmdBudget *budget)
{
  if (budget == NULL)
    return;
  g_free (budget->summary);
  g_free (budget);
}

/**
 * vmd_budget_check_disk:
 *
 * Returns: (nullable): a warning when a thin disk image that may grow to
 * @disk_size bytes would not fit in @free_disk bytes, else %NULL.
 */
char *
vmd_budget_check_disk (guint64 disk_size,
                       guint64 free_disk)
{
  g_autofree char *disk_s = NULL;
  g_autofree char *free_s = NULL;

  if (free_disk == 0 || disk_size <= free_disk)
    return NULL;

  disk_s = g_format_size (disk_size);
  free_s = g_format_size (free_disk);
  return g_strdup_printf (_("The disk may grow to %s, but only %s is free where VmDesk keeps "
                            "disk images. The machine will stop when that runs out."),
                          disk_s, free_s);
}

const char *
vmd_budget_verdict_to_string (VmdBudgetVerdict verdict)
{
  switch (verdict)
    {
    case VMD_BUDGET_FITS:
      return _("Fits");
    case VMD_BUDGET_TIGHT:
      return _("Tight");
    case VMD_BUDGET_OVER:
    default:
      return _("Over");
    }
}
