/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The overcommit rule of a hosted hypervisor: guests' RAM is the host's. */
typedef enum
{
  VMD_BUDGET_FITS,   /* stays under host RAM minus the host's reserve */
  VMD_BUDGET_TIGHT,  /* eats into the reserve, or more than is free right now: may swap */
  VMD_BUDGET_OVER,   /* more than the host has: needs an explicit confirmation */
} VmdBudgetVerdict;

#define VMD_TYPE_BUDGET_VERDICT (vmd_budget_verdict_get_type ())
GType vmd_budget_verdict_get_type (void) G_GNUC_CONST;

typedef struct _VmdBudget
{
  guint64           host_total;      /* bytes of RAM in the host */
  guint64           host_available;  /* bytes the host could hand out right now */
  guint64           committed;       /* RAM of the guests already running or paused */
  guint64           request;         /* RAM the change adds (a new or started guest, growth) */
  guint64           reserve;         /* what the host keeps for itself */
  guint64           after;           /* committed + request */
  VmdBudgetVerdict  verdict;
  char             *summary;         /* one sentence with the numbers */
} VmdBudget;

guint64    vmd_budget_default_reserve (guint64           host_total);
VmdBudget *vmd_budget_compute         (guint64           host_total,
                                       guint64           host_available,
                                       guint64           committed,
                                       guint64           request,
                                       guint64           reserve);
VmdBudget *vmd_budget_compute_for     (guint64           host_total,
                                       guint64           host_available,
                                       guint64           committed,
                                       guint64           request,
                                       guint64           reserve,
                                       const char       *computer);
void       vmd_budget_free            (VmdBudget        *budget);
char      *vmd_budget_check_disk      (guint64           disk_size,
                                       guint64           free_disk);
const char *vmd_budget_verdict_to_string (VmdBudgetVerdict verdict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdBudget, vmd_budget_free)

G_END_DECLS
