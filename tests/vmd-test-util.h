/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-connection.h"
#include "vmd-machine.h"

G_BEGIN_DECLS

typedef gboolean (*VmdTestCondition) (gpointer data);

/* Runs the default main context until @condition holds or @timeout_ms pass.
 * Returns whether it holds. */
gboolean    vmd_test_wait_until        (VmdTestCondition  condition,
                                        gpointer          data,
                                        guint             timeout_ms);
gboolean    vmd_test_wait_for_state    (VmdMachine       *machine,
                                        int               state,
                                        guint             timeout_ms);
gboolean    vmd_test_open              (VmdConnection    *connection,
                                        GError          **error);
gboolean    vmd_test_run               (VmdMachine       *machine,
                                        VmdMachineAction  action,
                                        GError          **error);
VmdMachine *vmd_test_wait_for_machine  (VmdConnection    *connection,
                                        const char       *name,
                                        guint             timeout_ms);
gboolean    vmd_test_wait_machine_gone (VmdConnection    *connection,
                                        const char       *name,
                                        guint             timeout_ms);

G_END_DECLS
