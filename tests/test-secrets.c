/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-secrets"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <libvirt/libvirt.h>

#include "vmd-engine.h"
#include "vmd-error.h"
#include "vmd-express.h"
#include "vmd-iso-fixtures.h"
#include "vmd-libvirt.h"
#include "vmd-secrets.h"
#include "vmd-test-util.h"

/* Guest users' passwords in the desktop's keyring. The program has a D-Bus
 * session of its own (GTestDBus, up before any thread starts: it sets the
 * environment) and, where a test wants a keyring, a gnome-keyring-daemon of
 * the test's own on it, whose login keyring (the default collection) it
 * makes and unlocks with the password written to its standard input (an
 * empty one makes none: it would ask for one). Without that daemon the
 * bus has no Secret Service at all: GTestDBus activates nothing. The
 * machines are the test driver's, in this process. */

#define TEST_URI      "test:///default"
#define SECRETS_NAME  "org.freedesktop.secrets"
#define SCHEMA_NAME   "com.example.VmDesk.Password"
#define PASSWORD      "correct horse battery staple"
#define KEYRING_MS    30000
#define NO_KEYRING    "The password could not be kept in the keyring: " \
                      "This desktop has no keyring service."

static char *root;             /* the test's XDG dirs, images and keyrings */
static char *installer;        /* a Debian installer image, express-ready */
static char *password_file;    /* PASSWORD, for vmdesk --password-file */
static GDBusConnection *bus;

typedef struct
{
  char          *keyring_home;
  GSubprocess   *keyring;
  gboolean       keyring_exited;
  VmdConnection *connection;
} Fixture;

static gboolean
secrets_owned (void)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", SECRETS_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static gboolean
keyring_answers_or_died (gpointer data)
{
  Fixture *fixture = data;

  return fixture->keyring_exited || secrets_owned ();
}

static gboolean
keyring_gone (gpointer data)
{
  return !secrets_owned ();
}

static void
on_keyring_exited (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->keyring_exited = TRUE;
}

/* A keyring daemon in the test's keyring home (made at the first start),
 * or FALSE (the test skipped) where none is installed. @unlock: its login
 * keyring, made if need be, is unlocked, else it stays as it is (locked,
 * or missing). */
static gboolean
start_keyring (Fixture  *fixture,
               gboolean  unlock)
{
  const char *vars[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                         "XDG_RUNTIME_DIR" };
  const char *login = "vmdesk-test\n";
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *in;

  if (program == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed (Debian package gnome-keyring)");
      return FALSE;
    }
  if (fixture->keyring_home == NULL)
    {
      fixture->keyring_home = g_build_filename (root, "keyring-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (fixture->keyring_home));
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    g_subprocess_launcher_setenv (launcher, vars[i], fixture->keyring_home, TRUE);
  /* Whatever it would ask, it asks nobody's display. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  fixture->keyring_exited = FALSE;
  fixture->keyring = g_subprocess_launcher_spawn (launcher, &error, program, "--foreground",
                                                  "--components=secrets",
                                                  unlock ? "--unlock" : NULL, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (fixture->keyring, NULL, on_keyring_exited, fixture);

  /* --unlock: the login keyring's password on the standard input (an
   * empty one makes no keyring: it would ask for one). */
  in = g_subprocess_get_stdin_pipe (fixture->keyring);
  if (unlock)
    g_assert_true (g_output_stream_write_all (in, login, strlen (login), NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (vmd_test_wait_until (keyring_answers_or_died, fixture, KEYRING_MS));
  g_assert_false (fixture->keyring_exited);
  return TRUE;
}

static void
stop_keyring (Fixture *fixture)
{
  if (fixture->keyring != NULL)
    {
      g_subprocess_send_signal (fixture->keyring, SIGTERM);
      g_assert_true (vmd_test_wait_until (vmd_test_is_true, &fixture->keyring_exited,
                                          KEYRING_MS));
      g_assert_true (vmd_test_wait_until (keyring_gone, NULL, KEYRING_MS));
      g_clear_object (&fixture->keyring);
    }
  /* libsecret keeps the service it found, and the session it opened with
   * it: the next keyring is another. */
  secret_service_disconnect ();
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_connection_new (TEST_URI);
  g_assert_true (vmd_test_open (fixture->connection, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->connection);
  stop_keyring (fixture);
  g_free (fixture->keyring_home);
}

/* What any program (secret-tool, Seahorse) finds under VmDesk's schema,
 * not what VmDesk's calls say: the items of @uuid and @user (either NULL
 * for any). */
static GList *
find_items (const char *uuid,
            const char *user)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;

  g_hash_table_insert (attributes, (char *) "xdg:schema", (char *) SCHEMA_NAME);
  if (uuid != NULL)
    g_hash_table_insert (attributes, (char *) "uuid", (char *) uuid);
  if (user != NULL)
    g_hash_table_insert (attributes, (char *) "user", (char *) user);
  items = secret_service_search_sync (NULL, NULL, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                                      NULL, &error);
  g_assert_no_error (error);
  return items;
}

/* The one item of @user on @uuid (NULL: any), as the person sees it in
 * Seahorse: its label, its attributes, the password. Returns its uuid. */
static char *
assert_one_item (const char *uuid,
                 const char *user,
                 const char *machine,
                 const char *password)
{
  GList *items = find_items (uuid, user);
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *label = NULL;
  g_autofree char *want = g_strdup_printf ("Password of “%s” on “%s”", user, machine);
  char *found;

  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_item_get_attributes (items->data);
  value = secret_item_get_secret (items->data);
  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, want);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "user"), ==, user);
  g_assert_true (g_uuid_string_is_valid (g_hash_table_lookup (attributes, "uuid")));
  if (uuid != NULL)
    g_assert_cmpstr (g_hash_table_lookup (attributes, "uuid"), ==, uuid);
  g_assert_nonnull (value);
  g_assert_cmpstr (secret_value_get_text (value), ==, password);
  found = g_strdup (g_hash_table_lookup (attributes, "uuid"));
  g_list_free_full (items, g_object_unref);
  return found;
}

static void
assert_no_item (const char *uuid,
                const char *user)
{
  GList *items = find_items (uuid, user);

  g_assert_cmpuint (g_list_length (items), ==, 0);
}

typedef struct
{
  gboolean  done;
  char     *password;
  GError   *error;
} Lookup;

static void
on_looked_up (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->password = vmd_secrets_lookup_finish (result, &lookup->error);
  lookup->done = TRUE;
}

static char *
lookup (const char *uuid,
        const char *user)
{
  Lookup lookup = { 0 };

  vmd_secrets_lookup_async (uuid, user, NULL, on_looked_up, &lookup);
  g_assert_true (vmd_test_wait_until (vmd_test_is_true, &lookup.done, KEYRING_MS));
  g_assert_no_error (lookup.error);
  return lookup.password;
}

static void
store (const char *uuid,
       const char *user,
       const char *machine,
       const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_secrets_store_sync (uuid, user, machine, password, NULL, &error));
  g_assert_no_error (error);
}

/* Kept, found, replaced, cleared: all of one machine's users, none of
 * another machine's. */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *other = g_uuid_string_random ();
  g_autofree char *ada = NULL, *bob = NULL, *carol = NULL, *kept = NULL;
  g_autoptr(GError) error = NULL;

  if (!start_keyring (fixture, TRUE))
    return;

  store (uuid, "ada", "Debian 12", "first");
  store (uuid, "bob", "Debian 12", "bob’s");
  store (other, "ada", "Fedora 38", "other’s");
  store (uuid, "ada", "Debian 12", PASSWORD);
  g_free (assert_one_item (uuid, "ada", "Debian 12", PASSWORD));

  ada = lookup (uuid, "ada");
  bob = lookup (uuid, "bob");
  carol = lookup (uuid, "carol");
  g_assert_cmpstr (ada, ==, PASSWORD);
  g_assert_cmpstr (bob, ==, "bob’s");
  g_assert_null (carol);
  vmd_secrets_forget (&ada);
  g_assert_null (ada);

  g_assert_true (vmd_secrets_clear_sync (uuid, NULL, &error));
  g_assert_no_error (error);
  assert_no_item (uuid, NULL);
  g_assert_null (lookup (uuid, "bob"));
  kept = lookup (other, "ada");
  g_assert_cmpstr (kept, ==, "other’s");
  /* Nothing left to clear is no failure. */
  g_assert_true (vmd_secrets_clear_sync (uuid, NULL, &error));
  g_assert_no_error (error);
}

/* The files under @dir that hold @needle, as it is. */
static void
find_files_holding (const char *dir,
                    const char *needle,
                    GPtrArray  *found)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  gsize needle_length = strlen (needle);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_files_holding (path, needle, found);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
               g_file_get_contents (path, &contents, &length, NULL))
        for (gsize i = 0; i + needle_length <= length; i++)
          if (memcmp (contents + i, needle, needle_length) == 0)
            {
              g_ptr_array_add (found, g_steal_pointer (&path));
              break;
            }
    }
}

/* The password file given to vmdesk is the only one that holds it, of all
 * the test's files (its XDG dirs, the machines' images, the keyrings):
 * which also shows that the search finds a password where one is. */
static void
assert_only_password_file_holds_it (void)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  find_files_holding (root, PASSWORD, found);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("%s holds the password", (char *) found->pdata[i]);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (found->pdata[0], ==, password_file);
}

/* An express install of Debian for "ada", on the test driver. */
static VmdMachine *
create_express (Fixture     *fixture,
                const char  *name,
                VmdCreator **creator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = vmd_test_identify (installer, &error);
  g_autoptr(VmdExpress) express = NULL;
  g_autoptr(VmdHost) host = NULL;
  g_autoptr(VmdGuestSpec) spec = NULL;
  VmdMachine *machine;

  g_assert_no_error (error);
  express = vmd_express_new_for_media (media, &error);
  g_assert_no_error (error);
  vmd_express_set_user (express, "ada", "Ada Lovelace", TRUE);
  host = vmd_test_query_host (fixture->connection, &error);
  g_assert_no_error (error);
  spec = vmd_guest_spec_new_for_media (media, host,
                                       vmd_connection_get_machines (fixture->connection));
  vmd_guest_spec_set_name (spec, name);

  *creator = vmd_creator_new (fixture->connection, spec);
  vmd_creator_set_express (*creator, express, PASSWORD);
  machine = vmd_test_create (*creator, &error);
  g_assert_no_error (error);
  return machine;
}

/* The machine's definition, as libvirt keeps it and as it runs. */
static char *
dump_xml (const char   *uuid,
          unsigned int  flags)
{
  virConnectPtr conn = virConnectOpen (TEST_URI);
  virDomainPtr domain = virDomainLookupByUUIDString (conn, uuid);
  char *xml;

  g_assert_nonnull (domain);
  xml = virDomainGetXMLDesc (domain, flags);
  g_assert_nonnull (xml);
  virDomainFree (domain);
  virConnectClose (conn);
  return xml;
}

/* The express install's password: in the keyring under the machine's
 * UUID and the user, in no file and no definition (the installer's own
 * answers are compressed into its initrd, for its run); deleting the
 * machine takes the password and the answers away. */
static void
test_create_express (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL, *live_xml = NULL;
  g_auto(GStrv) install = NULL;
  const char *uuid;

  if (!start_keyring (fixture, TRUE))
    return;

  machine = create_express (fixture, "Keyring “one”", &creator);
  uuid = vmd_machine_get_uuid (machine);
  g_assert_null (vmd_creator_get_warning (creator));
  g_free (assert_one_item (uuid, "ada", "Keyring “one”", PASSWORD));

  xml = dump_xml (uuid, VIR_DOMAIN_XML_INACTIVE);
  live_xml = dump_xml (uuid, 0);
  g_assert_null (strstr (xml, PASSWORD));
  g_assert_null (strstr (live_xml, PASSWORD));
  install = _vmd_domain_xml_get_install_files (xml);
  g_assert_cmpuint (g_strv_length (install), ==, 2);
  for (guint i = 0; install[i] != NULL; i++)
    g_assert_true (g_file_test (install[i], G_FILE_TEST_IS_REGULAR));
  assert_only_password_file_holds_it ();

  g_assert_true (vmd_test_delete (machine, NULL, &error));
  g_assert_no_error (error);
  assert_no_item (uuid, NULL);
  for (guint i = 0; install[i] != NULL; i++)
    g_assert_false (g_file_test (install[i], G_FILE_TEST_EXISTS));
}

/* vmdesk --create NAME --express for "bob"; @with_bus FALSE: without a
 * session bus at all (nor an X display to start one for). */
static int
run_vmdesk_create (const char  *name,
                   gboolean     with_bus,
                   char       **out,
                   char       **err)
{
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (!with_bus)
    {
      g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
    }
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--connect", TEST_URI,
                                         "--create", installer, "--express", "--user", "bob",
                                         "--password-file", password_file, "--name", name, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  g_test_message ("vmdesk --create %s: %d %s", name, g_subprocess_get_exit_status (process), *err);
  return g_subprocess_get_exit_status (process);
}

/* The command line's express install keeps the password as the window's
 * does (the test driver forgets the machine with the process; the keyring
 * does not). The password file is the only file that holds it, which also
 * shows that the search finds a password where one is. */
static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *uuid = NULL;

  if (!start_keyring (fixture, TRUE))
    return;

  g_assert_cmpint (run_vmdesk_create ("Keyring two", TRUE, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Created “Keyring two”"));
  g_assert_cmpstr (err, ==, "");
  uuid = assert_one_item (NULL, "bob", "Keyring two", PASSWORD);
  assert_only_password_file_holds_it ();
  g_assert_true (vmd_secrets_clear_sync (uuid, NULL, NULL));
}

/* No Secret Service on the bus: libsecret says so at once (the name "was
 * not provided by any .service files"), not after D-Bus's 25 s timeout;
 * the machine is made all the same and the creator says what was not
 * kept; deleting it does not fail. The command line's machine too. */
static void
test_no_keyring (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (secrets_owned ());
  g_assert_false (vmd_secrets_store_sync (uuid, "ada", "Debian 12", PASSWORD, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, "This desktop has no keyring service.");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_assert_false (vmd_secrets_clear_sync (uuid, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  machine = create_express (fixture, "Keyring three", &creator);
  g_assert_cmpstr (vmd_creator_get_warning (creator), ==, NO_KEYRING);
  g_assert_true (vmd_test_delete (machine, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (run_vmdesk_create ("Keyring four", TRUE, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Created “Keyring four”"));
  g_assert_cmpstr (err, ==, "vmdesk: " NO_KEYRING "\n");
}

/* A keyring that would ask (to unlock the login keyring, or to make one)
 * is not asked: a creation would wait for as long as nobody answers, as
 * on a display nobody watches. The machine is made, the creator says why
 * the password was not kept. */
static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* No login keyring yet: none is made. */
  if (!start_keyring (fixture, FALSE))
    return;
  g_assert_false (vmd_secrets_store_sync (uuid, "ada", "Debian 12", PASSWORD, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "This desktop has no default keyring.");
  g_clear_error (&error);
  stop_keyring (fixture);

  /* A login keyring that a new daemon has not unlocked. */
  g_assert_true (start_keyring (fixture, TRUE));
  store (uuid, "ada", "Debian 12", PASSWORD);
  stop_keyring (fixture);
  g_assert_true (start_keyring (fixture, FALSE));
  start = g_get_monotonic_time ();
  g_assert_false (vmd_secrets_store_sync (uuid, "ada", "Debian 12", "other", NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The keyring is locked.");
  g_clear_error (&error);
  /* Nor is it asked to remove: what it holds stays until it is unlocked. */
  g_assert_true (vmd_secrets_clear_sync (uuid, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  machine = create_express (fixture, "Keyring six", &creator);
  g_assert_cmpstr (vmd_creator_get_warning (creator), ==,
                   "The password could not be kept in the keyring: The keyring is locked.");
  g_assert_true (vmd_test_delete (machine, NULL, &error));
  g_assert_no_error (error);
}

/* No session bus at all: the machine is made. */
static void
test_no_bus (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_vmdesk_create ("Keyring five", FALSE, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Created “Keyring five”"));
  g_assert_cmpstr (err, ==, "vmdesk: " NO_KEYRING "\n");
}

/* The installer image, made once: a kernel and an initrd where Debian
 * keeps them. */
static void
make_installer (void)
{
  g_autofree char *dir = g_build_filename (root, "iso", NULL);
  g_autofree char *kernel = g_build_filename (dir, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (dir, "initrd.gz", NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (kernel, "not a kernel", -1, NULL));
  g_assert_true (g_file_set_contents (initrd, "not an initrd", -1, NULL));
  installer = vmd_test_make_debian_installer (dir, "debian.iso", "install.amd/vmlinuz", kernel,
                                              initrd);
  password_file = g_build_filename (dir, "password", NULL);
  g_assert_true (g_file_set_contents (password_file, PASSWORD "\n", -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *dbus;
  int status;

  root = vmd_test_isolate_short_dirs ();
  g_test_init (&argc, &argv, NULL);
  dbus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (dbus);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_assert_nonnull (bus);
  vmd_engine_init ();
  make_installer ();

#define ADD(path, func) \
  g_test_add ("/secrets/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("round-trip", test_round_trip);
  ADD ("create-express", test_create_express);
  ADD ("cli", test_cli);
  ADD ("no-keyring", test_no_keyring);
  ADD ("locked", test_locked);
  ADD ("no-bus", test_no_bus);

  status = g_test_run ();
  /* Stopped, not taken down (nor dropped, which takes it down): libsecret's
   * proxies made in its sync calls' passing contexts keep the session bus's
   * connection to the end, which g_test_dbus_down() waits for. */
  g_dbus_connection_set_exit_on_close (bus, FALSE);
  secret_service_disconnect ();
  g_clear_object (&bus);
  g_test_dbus_stop (dbus);
  vmd_test_remove_dirs (root);
  g_free (root);
  return status;
}
