/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-connection"

#include "config.h"

#include "vmd-budget.h"
#include "vmd-connection-private.h"
#include "vmd-host.h"
#include "vmd-machine.h"

/* What the connection's computer has and what it keeps for itself: the
 * host's facts as last read, the memory its guests hold, and the reserve
 * (the host-reserve setting, live). The library's meter, Start, Properties,
 * the new-machine review and the command line all judge with these. */

static void
on_reserve_changed (VmdConnection *self)
{
  _vmd_connection_notify (self, "reserve");
}

void
_vmd_connection_init_host (VmdConnection *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return;  /* the engine without VmDesk's settings: the default reserve */
  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_signal_connect_object (self->settings, "changed::host-reserve",
                           G_CALLBACK (on_reserve_changed), self, G_CONNECT_SWAPPED);
}

/**
 * vmd_connection_get_reserve:
 *
 * The memory the host keeps out of its guests' budget, in bytes, as the
 * person set it; 0: VmDesk's default (vmd_budget_default_reserve()).
 */
guint64
vmd_connection_get_reserve (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), 0);

  if (self->settings == NULL)
    return 0;
  return (guint64) g_settings_get_uint (self->settings, "host-reserve") << 20;
}

/**
 * vmd_connection_get_host:
 *
 * Returns: (nullable) (transfer none): the host's facts as last read by
 * vmd_host_query_async() on this connection
 */
VmdHost *
vmd_connection_get_host (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return self->host;
}

void
_vmd_connection_set_host (VmdConnection *self,
                          VmdHost       *host)
{
  if (g_set_object (&self->host, host))
    _vmd_connection_notify (self, "host");
}

/**
 * vmd_connection_compute_budget:
 * @host: (nullable): the host's facts; %NULL: the last read
 * @committed: the memory guests hold; G_MAXUINT64: as the connection counts it
 * @request: the memory the change adds
 *
 * Returns: (nullable): the verdict with the connection's reserve, or %NULL
 * before the host was ever read
 */
VmdBudget *
vmd_connection_compute_budget (VmdConnection *self,
                               VmdHost       *host,
                               guint64        committed,
                               guint64        request)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);

  if (host == NULL)
    host = self->host;
  if (host == NULL)
    return NULL;
  if (committed == G_MAXUINT64)
    committed = vmd_connection_get_committed_memory (self);
  return vmd_host_compute_budget (host, committed, request, vmd_connection_get_reserve (self));
}

/**
 * vmd_connection_get_committed_memory:
 *
 * The RAM that running, paused and otherwise active guests hold, in bytes:
 * what a hosted hypervisor takes from its host.
 */
guint64
vmd_connection_get_committed_memory (VmdConnection *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->machines));
  guint64 total = 0;

  g_return_val_if_fail (VMD_IS_CONNECTION (self), 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);

      if (vmd_machine_get_is_active (machine))
        total += vmd_machine_get_memory (machine);
    }
  return total;
}
