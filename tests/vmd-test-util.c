/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-test"

#include "config.h"

#include "vmd-test-util.h"

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
vmd_test_wait_until (VmdTestCondition condition,
                     gpointer         data,
                     guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (10, wake, NULL);
  gboolean ok;

  while (!(ok = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return ok;
}

typedef struct
{
  VmdMachine *machine;
  int         state;
} StateWait;

static gboolean
state_reached (gpointer data)
{
  StateWait *wait = data;

  return (int) vmd_machine_get_state (wait->machine) == wait->state;
}

gboolean
vmd_test_wait_for_state (VmdMachine *machine,
                         int         state,
                         guint       timeout_ms)
{
  StateWait wait = { machine, state };

  return vmd_test_wait_until (state_reached, &wait, timeout_ms);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} AsyncWait;

static gboolean
async_done (gpointer data)
{
  return ((AsyncWait *) data)->done;
}

static void
on_opened (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->ok = vmd_connection_open_finish (VMD_CONNECTION (object), result, &wait->error);
  wait->done = TRUE;
}

gboolean
vmd_test_open (VmdConnection  *connection,
               GError        **error)
{
  AsyncWait wait = { 0 };

  vmd_connection_open_async (connection, NULL, on_opened, &wait);
  g_assert_true (vmd_test_wait_until (async_done, &wait, 60000));
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

static void
on_run (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->ok = vmd_machine_run_finish (VMD_MACHINE (object), result, &wait->error);
  wait->done = TRUE;
}

gboolean
vmd_test_run (VmdMachine        *machine,
              VmdMachineAction   action,
              GError           **error)
{
  AsyncWait wait = { 0 };

  vmd_machine_run_async (machine, action, NULL, on_run, &wait);
  g_assert_true (vmd_test_wait_until (async_done, &wait, 120000));
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

typedef struct
{
  VmdConnection *connection;
  const char    *name;
} NameWait;

static gboolean
machine_present (gpointer data)
{
  NameWait *wait = data;

  return vmd_connection_find_machine_by_name (wait->connection, wait->name) != NULL;
}

static gboolean
machine_absent (gpointer data)
{
  return !machine_present (data);
}

VmdMachine *
vmd_test_wait_for_machine (VmdConnection *connection,
                           const char    *name,
                           guint          timeout_ms)
{
  NameWait wait = { connection, name };

  vmd_test_wait_until (machine_present, &wait, timeout_ms);
  return vmd_connection_find_machine_by_name (connection, name);
}

gboolean
vmd_test_wait_machine_gone (VmdConnection *connection,
                            const char    *name,
                            guint          timeout_ms)
{
  NameWait wait = { connection, name };

  return vmd_test_wait_until (machine_absent, &wait, timeout_ms);
}
