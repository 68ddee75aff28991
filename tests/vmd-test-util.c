/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-test"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-engine.h"
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

  if (g_str_equal (vmd_connection_get_uri (connection), "qemu:///session"))
    vmd_test_start_daemon ();
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

gboolean
vmd_test_delete (VmdMachine         *machine,
                 const char * const *also,
                 GError            **error)
{
  AsyncWait wait = { 0 };

  vmd_machine_delete_async (machine, also, NULL, on_run, &wait);
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

/* Private XDG dirs, so the session daemon is this test's own. Short paths:
 * the daemon's and QEMU's UNIX sockets live there, and sun_path holds 108
 * bytes, too few for G_TEST_OPTION_ISOLATE_DIRS' deep folders. */
char *
vmd_test_isolate_short_dirs (void)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("vmd-XXXXXX", &error);
  const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                         "XDG_STATE_HOME", "XDG_RUNTIME_DIR" };
  const char *names[] = { "c", "d", "k", "s", "r" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (root, names[i], NULL);

      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      g_setenv (vars[i], dir, TRUE);
    }
  if (vmd_test_sanitized ())
    {
      g_setenv ("LIBVIRT_AUTOSTART", "0", TRUE);
      vmd_test_start_daemon ();
    }
  return root;
}

void
vmd_test_remove_dirs (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL &&
         (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        vmd_test_remove_dirs (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}


typedef struct
{
  gboolean  done;
  GObject  *result;
  GError   *error;
} ObjectWait;

static gboolean
object_done (gpointer data)
{
  return ((ObjectWait *) data)->done;
}

static void
on_media_identified (GObject *o, GAsyncResult *r, gpointer d)
{
  ObjectWait *w = d;
  w->result = G_OBJECT (vmd_media_identify_finish (r, &w->error));
  w->done = TRUE;
}

static void
on_host_queried (GObject *o, GAsyncResult *r, gpointer d)
{
  ObjectWait *w = d;
  w->result = G_OBJECT (vmd_host_query_finish (r, &w->error));
  w->done = TRUE;
}

static void
on_creator_done (GObject *o, GAsyncResult *r, gpointer d)
{
  ObjectWait *w = d;
  w->result = G_OBJECT (vmd_creator_run_finish (VMD_CREATOR (o), r, &w->error));
  w->done = TRUE;
}

static GObject *
finish_wait (ObjectWait  *w,
             guint        timeout_ms,
             GError     **error)
{
  g_assert_true (vmd_test_wait_until (object_done, w, timeout_ms));
  if (w->error != NULL)
    g_propagate_error (error, w->error);
  return w->result;
}

VmdMedia *
vmd_test_identify (const char  *path,
                   GError     **error)
{
  ObjectWait w = { 0 };

  vmd_media_identify_async (path, NULL, on_media_identified, &w);
  return VMD_MEDIA (finish_wait (&w, 30000, error));
}

VmdHost *
vmd_test_query_host (VmdConnection  *connection,
                     GError        **error)
{
  ObjectWait w = { 0 };

  vmd_host_query_async (connection, NULL, on_host_queried, &w);
  return VMD_HOST (finish_wait (&w, 30000, error));
}

VmdMachine *
vmd_test_create (VmdCreator  *creator,
                 GError     **error)
{
  ObjectWait w = { 0 };

  vmd_creator_run_async (creator, NULL, on_creator_done, &w);
  return VMD_MACHINE (finish_wait (&w, 120000, error));
}

static void
on_cloner_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ObjectWait *w = user_data;

  w->result = G_OBJECT (vmd_cloner_run_finish (VMD_CLONER (object), result, &w->error));
  w->done = TRUE;
}

/* A clone or an import run to its end, which must come within @timeout_ms:
 * a copy that hangs fails the test rather than the suite's timeout. */
VmdMachine *
vmd_test_clone (VmdCloner  *cloner,
                guint       timeout_ms,
                GError    **error)
{
  ObjectWait w = { 0 };

  vmd_cloner_run_async (cloner, NULL, on_cloner_done, &w);
  return VMD_MACHINE (finish_wait (&w, timeout_ms, error));
}

/* The environment of the tools a test runs (virsh, qemu-img,
 * grub-mkrescue and its xorriso…): meson's MALLOC_PERTURB_ is for VmDesk's
 * code, and xorriso 1.5.4 crashes now and then with it. */
static GStrv
tool_environ (void)
{
  return g_environ_unsetenv (g_get_environ (), "MALLOC_PERTURB_");
}

/* A command's standard output; its exit status in *status. */
char *
vmd_test_run_capture (const char * const *argv,
                      int                *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;

  g_auto(GStrv) env = tool_environ ();

  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &wait_status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (status)
    *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return out;
}

/* SHA-256 of a file, read a block at a time: disk images are big. */
char *
vmd_test_checksum (const char *path)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *block = g_malloc (1 << 20);
  int fd = g_open (path, O_RDONLY, 0);
  gssize got;

  g_assert_cmpint (fd, >=, 0);
  while ((got = read (fd, block, 1 << 20)) > 0)
    g_checksum_update (sum, block, got);
  g_assert_cmpint (got, ==, 0);
  close (fd);
  return g_strdup (g_checksum_get_string (sum));
}

void
vmd_test_set_flag (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

gboolean
vmd_test_is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* The pid in one of libvirt's pid files under this test's runtime dir
 * ("libvirtd.pid", "qemu/run/NAME.pid"), or 0. */
GPid
vmd_test_read_libvirt_pid (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_runtime_dir (), "libvirt", name, NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return (GPid) g_ascii_strtoll (text, NULL, 10);
}

/* A test on a session daemon of its own: private XDG dirs (to remove with
 * vmd_test_remove_dirs() at the end), GTest and the engine set up. */
char *
vmd_test_init_session (int    *argc,
                       char ***argv)
{
  char *root = vmd_test_isolate_short_dirs ();

  g_test_init (argc, argv, NULL);
  vmd_engine_init ();
  return root;
}

/* Under AddressSanitizer no libvirt call may start the session daemon:
 * libvirt's child does work (it allocates) between fork and exec, and
 * GCC 12's ASan allocator is not fork-safe, so the child can wait for ever
 * on a lock another thread held. The tests start the daemon themselves:
 * GLib's spawned child only execs. */
gboolean
vmd_test_sanitized (void)
{
#ifdef __SANITIZE_ADDRESS__
  return TRUE;
#else
  return FALSE;
#endif
}

static gboolean
daemon_answers (void)
{
  g_autofree char *path = g_build_filename (g_get_user_runtime_dir (), "libvirt", "libvirt-sock",
                                            NULL);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (addr.sun_path, path, sizeof addr.sun_path);
  ok = connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
  close (fd);
  return ok;
}

/* With libvirt's own start of the daemon turned off (LIBVIRT_AUTOSTART=0:
 * sanitized, set by vmd_test_isolate_short_dirs(); or by a test that keeps
 * the daemon away at times, before its first thread): starts this test's
 * session daemon unless it answers. Otherwise nothing: libvirt starts it on
 * demand, as for a user. */
void
vmd_test_start_daemon (void)
{
  const char *argv[] = { "/usr/sbin/libvirtd", "--timeout=120", "--daemon", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  if (g_strcmp0 (g_getenv ("LIBVIRT_AUTOSTART"), "0") != 0 || getuid () == 0 ||
      daemon_answers ())
    return;
  /* --daemon returns once the daemon listens. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (daemon_answers ());
}

/* A command that must succeed: its output (stdout and stderr) as it
 * failed, otherwise its standard output. */
char *
vmd_test_run_ok (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;

  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) env = tool_environ ();

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv);

      g_error ("%s failed: %s%s", command, out, err);
    }
  return out;
}

/* vmdesk (this build's) with --connect @uri and @args, its data folder
 * @data_home if not %NULL: its exit status, and what it printed. */
int
vmd_test_vmdesk (const char          *uri,
                 const char * const  *args,
                 const char          *data_home,
                 char               **out,
                 char               **err)
{
  const char *env[] = { "XDG_DATA_HOME", data_home, NULL };

  return vmd_test_vmdesk_env (uri, args, data_home ? env : NULL, out, err);
}

/* As vmd_test_vmdesk(), with @env's NAME, VALUE pairs set in its
 * environment. */
int
vmd_test_vmdesk_env (const char          *uri,
                     const char * const  *args,
                     const char * const  *env,
                     char               **out,
                     char               **err)
{
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dropped_out = NULL, *dropped_err = NULL;
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add_many (builder, binary, "--connect", uri, NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out ? out : &dropped_out,
                                 err ? err : &dropped_err, &error);
  g_assert_no_error (error);
  g_test_message ("vmdesk %s %s: %d %s", args[0], args[1] ? args[1] : "",
                  g_subprocess_get_exit_status (process), err ? *err : dropped_err);
  return g_subprocess_get_exit_status (process);
}

/* What `virsh dumpxml --inactive --xpath` reads of machine @name on @uri;
 * an attribute's value alone. */
char *
vmd_test_dumpxml (const char *uri,
                  const char *name,
                  const char *xpath)
{
  const char *argv[] = { "virsh", "-c", uri, "dumpxml", "--inactive", "--xpath", xpath, name,
                         NULL };
  int status;
  g_autofree char *out = vmd_test_run_capture (argv, &status);
  char *quote;

  g_assert_cmpint (status, ==, 0);
  g_strstrip (out);
  quote = strstr (out, "=\"");
  if (quote != NULL && g_str_has_suffix (out, "\""))
    return g_strndup (quote + 2, strlen (quote + 2) - 1);
  return g_steal_pointer (&out);
}

/* The storage pools of @uri, by name, separated by spaces. */
char *
vmd_test_pool_names (const char *uri)
{
  const char *argv[] = { "virsh", "-c", uri, "pool-list", "--all", "--name", NULL };
  g_autofree char *out = vmd_test_run_capture (argv, NULL);
  g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_strstrip (lines[i]);
  return g_strjoinv (" ", lines);
}

/* A command line's error: one line, that says @says. */
void
vmd_test_assert_one_line (const char *err,
                          const char *says)
{
  g_assert_nonnull (strstr (err, says));
  g_assert_cmpuint (strlen (err), ==, strcspn (err, "\n") + 1);
}

/* A guest defined from @xml and started, behind VmDesk's back. */
void
vmd_test_define_and_start (const char *uri,
                           const char *xml)
{
  virConnectPtr conn = virConnectOpen (uri);
  virDomainPtr domain;

  g_assert_nonnull (conn);
  domain = virDomainDefineXML (conn, xml);
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  virDomainFree (domain);
  virConnectClose (conn);
}

/* -- a guest's serial console, which QEMU writes to a file ------------- */

static char *serial_log;

/* @path: the file of the guest's `<serial type='file'>` */
void
vmd_test_serial_init (const char *path)
{
  g_free (serial_log);
  serial_log = g_strdup (path);
}

gboolean
vmd_test_serial_says (const char *needle)
{
  g_autofree char *log = NULL;

  return g_file_get_contents (serial_log, &log, NULL, NULL) && strstr (log, needle) != NULL;
}

/* For a failure's log: what the guest has said so far. */
void
vmd_test_show_serial (const char *why)
{
  g_autofree char *log = NULL;

  g_file_get_contents (serial_log, &log, NULL, NULL);
  g_test_message ("%s; the guest's console said:\n%s", why, log);
}

static gboolean
serial_says_cb (gpointer data)
{
  return vmd_test_serial_says (data);
}

gboolean
vmd_test_wait_serial (const char *needle,
                      guint       timeout_ms)
{
  gboolean ok = vmd_test_wait_until (serial_says_cb, (gpointer) needle, timeout_ms);

  if (!ok)
    {
      g_autofree char *why = g_strdup_printf ("waited for “%s” from the guest", needle);

      vmd_test_show_serial (why);
    }
  return ok;
}
