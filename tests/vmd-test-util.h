/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-cloner.h"
#include "vmd-connection.h"
#include "vmd-creator.h"
#include "vmd-host.h"
#include "vmd-media.h"
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

VmdMedia   *vmd_test_identify          (const char       *path,
                                        GError          **error);
VmdHost    *vmd_test_query_host        (VmdConnection    *connection,
                                        GError          **error);
gboolean    vmd_test_delete            (VmdMachine       *machine,
                                        const char * const *also,
                                        GError          **error);
VmdMachine *vmd_test_create            (VmdCreator       *creator,
                                        GError          **error);
VmdMachine *vmd_test_clone             (VmdCloner        *cloner,
                                        guint             timeout_ms,
                                        GError          **error);
void        vmd_test_define_and_start  (const char       *uri,
                                        const char       *xml);
void        vmd_test_serial_init       (const char       *path);
gboolean    vmd_test_serial_says       (const char       *needle);
void        vmd_test_show_serial       (const char       *why);
gboolean    vmd_test_wait_serial       (const char       *needle,
                                        guint             timeout_ms);
char       *vmd_test_isolate_short_dirs (void);
void        vmd_test_remove_dirs       (const char       *path);
char       *vmd_test_init_session      (int              *argc,
                                        char           ***argv);
GPid        vmd_test_read_libvirt_pid  (const char       *name);
gboolean    vmd_test_sanitized         (void);
void        vmd_test_start_daemon      (void);

/* A GAsyncReadyCallback that sets the gboolean at @user_data, and the
 * condition that waits for it. */
void        vmd_test_set_flag          (GObject          *object,
                                        GAsyncResult     *result,
                                        gpointer          user_data);
gboolean    vmd_test_is_true           (gpointer          data);

char       *vmd_test_run_capture       (const char * const *argv,
                                        int                *status);
char       *vmd_test_checksum          (const char       *path);
char       *vmd_test_run_ok            (const char * const *argv);
int         vmd_test_vmdesk            (const char       *uri,
                                        const char * const *args,
                                        const char       *data_home,
                                        char            **out,
                                        char            **err);
int         vmd_test_vmdesk_env        (const char       *uri,
                                        const char * const *args,
                                        const char * const *env,
                                        char            **out,
                                        char            **err);
char       *vmd_test_dumpxml           (const char       *uri,
                                        const char       *name,
                                        const char       *xpath);
char       *vmd_test_pool_names        (const char       *uri);
void        vmd_test_assert_one_line   (const char       *err,
                                        const char       *says);

G_END_DECLS
