/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <json-glib/json-glib.h>

#include "vmd-iso-fixtures.h"
#include "vmd-test-util.h"

#define TEST_URI "test:///default"

/* vmdesk --identify / --plan, run as a script would: the real binary. */

static char *iso_dir;

static int
run (const char  *argv1,
     const char  *argv2,
     const char  *argv3,
     const char  *argv4,
     const char  *argv5,
     char       **out,
     char       **err)
{
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  const char *argv[] = { binary, argv1, argv2, argv3, argv4, argv5, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
make_iso (const char *file,
          const char *volume_id)
{
  VmdTestIso spec = { .volume_id = volume_id, .with_files = TRUE };
  g_autoptr(GError) error = NULL;
  char *path = vmd_test_make_iso (iso_dir, file, &spec, &error);

  g_assert_no_error (error);
  return path;
}

static void
test_identify (void)
{
  g_autofree char *iso = make_iso ("debian.iso", "Debian 11.6.0 amd64 n");
  g_autofree char *out = NULL, *err = NULL, *json = NULL, *jerr = NULL;
  g_autoptr(JsonObject) obj = NULL;

  g_assert_cmpint (run ("--identify", iso, NULL, NULL, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Debian 11"));
  g_assert_nonnull (strstr (out, "http://debian.org/debian/11"));

  g_assert_cmpint (run ("--identify", iso, "--json", NULL, NULL, &json, &jerr), ==, 0);
  obj = parse (json);
  g_assert_cmpstr (json_object_get_string_member (obj, "match"), ==, "exact");
  g_assert_cmpstr (json_object_get_string_member (obj, "os-id"), ==, "http://debian.org/debian/11");
  g_assert_cmpstr (json_object_get_string_member (obj, "architecture"), ==, "x86_64");
  g_assert_true (json_object_get_boolean_member (obj, "installer"));
}

static void
test_identify_family (void)
{
  g_autofree char *iso = make_iso ("ubuntu.iso", "Ubuntu 24.04 LTS amd64");
  g_autofree char *json = NULL, *err = NULL;
  g_autoptr(JsonObject) obj = NULL;

  g_assert_cmpint (run ("--identify", iso, "--json", NULL, NULL, &json, &err), ==, 0);
  obj = parse (json);
  g_assert_cmpstr (json_object_get_string_member (obj, "match"), ==, "family");
  g_assert_cmpstr (json_object_get_string_member (obj, "os"), ==, "Ubuntu 24.04");
  g_assert_nonnull (strstr (json_object_get_string_member (obj, "explanation"), "using the settings of"));
}

static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = vmd_test_make_text_file (iso_dir, "notes.iso", &error);
  g_autofree char *out = NULL, *err = NULL, *json = NULL, *jerr = NULL;
  g_autoptr(JsonObject) obj = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (run ("--identify", text, NULL, NULL, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "“notes.iso” is not an installer image"));
  g_assert_cmpstr (out, ==, "");

  g_assert_cmpint (run ("--plan", "/no/such.iso", "--json", NULL, NULL, &json, &jerr), !=, 0);
  obj = parse (json);
  g_assert_nonnull (strstr (json_object_get_string_member (obj, "error"), "does not exist"));
}

static void
test_plan (void)
{
  g_autofree char *iso = make_iso ("plan.iso", "Debian 11.6.0 amd64 n");
  g_autofree char *out = NULL, *err = NULL, *json = NULL, *jerr = NULL;
  g_autoptr(JsonObject) obj = NULL;
  JsonObject *plan, *budget;

  g_assert_cmpint (run ("--plan", iso, "--connect", "test:///default", NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Memory use:"));
  g_assert_nonnull (strstr (out, "of this computer’s"));

  g_assert_cmpint (run ("--plan", iso, "--connect", "test:///default", "--json", &json, &jerr), ==, 0);
  obj = parse (json);
  plan = json_object_get_object_member (obj, "plan");
  budget = json_object_get_object_member (obj, "budget");
  g_assert_cmpstr (json_object_get_string_member (plan, "name"), ==, "Debian 11");
  g_assert_cmpint (json_object_get_int_member (plan, "memory"), >, 0);
  g_assert_cmpint (json_object_get_int_member (budget, "host-memory"), >, 0);
  /* The test driver's guest "test" runs with 8 GiB: it counts. */
  g_assert_cmpint (json_object_get_int_member (budget, "committed"), ==, G_GINT64_CONSTANT (8) << 30);
  g_assert_nonnull (json_object_get_string_member (budget, "verdict"));
}

/* --plan --express: the install libosinfo can answer, and how the answers
 * reach the installer; or why there is none. */
static void
test_plan_express (void)
{
  g_autofree char *iso = make_iso ("express.iso", "Debian 11.6.0 amd64 n");
  g_autofree char *other = make_iso ("other.iso", "MY_FILES");
  g_autofree char *out = NULL, *err = NULL, *json = NULL, *jerr = NULL;
  g_autofree char *none = NULL, *none_err = NULL;
  g_autoptr(JsonObject) obj = NULL;
  JsonObject *express;

  g_assert_cmpint (run ("--plan", iso, "--express", "--connect", "test:///default", &out, &err),
                   ==, 0);
  g_assert_nonnull (strstr (out, "Express install: preseed, desktop profile, added to the "
                                 "installer’s initrd"));
  g_assert_cmpint (run ("--plan", iso, "--express", "--json", "--connect=test:///default", &json,
                        &jerr), ==, 0);
  obj = parse (json);
  express = json_object_get_object_member (obj, "express");
  g_assert_cmpstr (json_object_get_string_member (express, "script"), ==,
                   "http://debian.org/debian/preseed/desktop");
  g_assert_cmpstr (json_object_get_string_member (express, "injection"), ==, "initrd");
  g_assert_cmpstr (json_object_get_string_member (express, "file"), ==, "preseed.cfg");

  g_assert_cmpint (run ("--plan", other, "--express", "--connect", "test:///default", &none,
                        &none_err), ==, 0);
  g_assert_nonnull (strstr (none, "Express install: not available: VmDesk does not know this "
                                  "image well enough"));
}

/* The memory the person keeps for this computer (the host-reserve
 * setting) counts in --plan as in the window: both ask the connection. */
static void
test_plan_reserve (void)
{
  g_autofree char *iso = make_iso ("reserve.iso", "Debian 11.6.0 amd64 n");
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  g_autofree char *config = g_build_filename (iso_dir, "config", NULL);
  g_autofree char *settings_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  const char *argv[] = { binary, "--plan", iso, "--connect", "test:///default", "--json", NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) obj = NULL;
  JsonObject *budget;
  int status = 0;

  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, "[com/example/VmDesk]\nhost-reserve=uint32 3000\n",
                                      -1, &error));
  g_assert_no_error (error);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "keyfile", TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &json, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  obj = parse (json);
  budget = json_object_get_object_member (obj, "budget");
  g_assert_cmpint (json_object_get_int_member (budget, "reserve"), ==,
                   G_GINT64_CONSTANT (3000) << 20);
}

/* Flags go anywhere: before the image, after it, between. */
static void
test_option_order (void)
{
  g_autofree char *iso = make_iso ("order.iso", "Debian 11.6.0 amd64 n");
  g_autofree char *plan = NULL, *plan_err = NULL, *id = NULL, *id_err = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonObject) id_obj = NULL;

  g_assert_cmpint (run ("--plan", "--json", iso, "--connect", "test:///default",
                        &plan, &plan_err), ==, 0);
  obj = parse (plan);
  g_assert_true (json_object_has_member (obj, "plan"));

  g_assert_cmpint (run ("--json", iso, "--identify", NULL, NULL, &id, &id_err), ==, 0);
  id_obj = parse (id);
  g_assert_cmpstr (json_object_get_string_member (id_obj, "os"), ==, "Debian 11");
}

/* Labels read off an image reach a terminal and JSON made harmless. */
static void
test_untrusted_label (void)
{
  g_autofree char *iso = make_iso ("escape.iso", "Debian\033]0;pwned\007\033[2J 0");
  g_autofree char *out = NULL, *err = NULL, *json = NULL, *jerr = NULL;
  g_autoptr(JsonObject) obj = NULL;

  g_assert_cmpint (run ("--identify", iso, NULL, NULL, NULL, &out, &err), ==, 0);
  g_assert_null (strchr (out, '\033'));
  g_assert_null (strchr (out, '\007'));
  g_assert_null (strstr (out, "Debian 0"));

  g_assert_cmpint (run ("--identify", "--json", iso, NULL, NULL, &json, &jerr), ==, 0);
  g_assert_true (g_utf8_validate (json, -1, NULL));
  obj = parse (json);
  g_assert_cmpstr (json_object_get_string_member (obj, "os"), ==, "Debian");
}

/* A libvirt test driver of our own: one machine running, one off. */
static char *
make_node (void)
{
  static const char xml[] =
    "<node>\n"
    "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    "    <name>busy one</name><memory unit='MiB'>1024</memory><vcpu>2</vcpu>\n"
    "    <os><type>hvm</type></os>\n"
    "    <metadata><libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
    "<libosinfo:os id='http://debian.org/debian/11'/></libosinfo:libosinfo></metadata>\n"
    "  </domain>\n"
    "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    "    <name>idle \"one\" &amp; &lt;it&gt;</name><memory unit='MiB'>512</memory><vcpu>1</vcpu>\n"
    "    <os><type>hvm</type></os>\n"
    "    <test:runstate>5</test:runstate>\n"
    "  </domain>\n"
    "</node>\n";
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (iso_dir, "node.xml", NULL);

  g_assert_true (g_file_set_contents (path, xml, -1, &error));
  g_assert_no_error (error);
  return g_strconcat ("test://", path, NULL);
}

static void
test_list (void)
{
  g_autofree char *uri = make_node ();
  g_autofree char *out = NULL, *err = NULL, *json = NULL, *jerr = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *machines;
  JsonObject *first, *second;

  g_assert_cmpint (run ("--connect", uri, "--list", NULL, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "busy one"));
  g_assert_nonnull (strstr (out, "Debian 11"));
  g_assert_nonnull (strstr (out, "Running"));
  g_assert_nonnull (strstr (out, "idle \"one\" & <it>"));
  g_assert_cmpstr (err, ==, "");

  g_assert_cmpint (run ("--list", "--json", "--connect", uri, NULL, &json, &jerr), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  machines = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (machines), ==, 2);
  first = json_array_get_object_element (machines, 0);
  second = json_array_get_object_element (machines, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "busy one");
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "running");
  g_assert_cmpstr (json_object_get_string_member (first, "os-id"), ==, "http://debian.org/debian/11");
  g_assert_cmpstr (json_object_get_string_member (first, "os-name"), ==, "Debian 11");
  g_assert_cmpint (json_object_get_int_member (first, "memory"), ==, 1024 * 1024 * 1024);
  g_assert_cmpint (json_object_get_int_member (first, "vcpus"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (second, "name"), ==, "idle \"one\" & <it>");
  g_assert_cmpstr (json_object_get_string_member (second, "state"), ==, "shut-off");
  g_assert_true (json_object_get_null_member (second, "os-id"));
}

static void
test_save (void)
{
  g_autofree char *uri = make_node ();
  g_autofree char *out = NULL, *err = NULL;

  /* The test driver forgets between processes: that a save took is the
   * session tests' (test-save); here, what a script is told. */
  g_assert_cmpint (run ("--connect", uri, "--save", "busy one", NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run ("--connect", uri, "--save", "idle \"one\" & <it>", NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "is not running"));
  g_assert_cmpuint (strlen (err), ==, strcspn (err, "\n") + 1);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run ("--connect", uri, "--save", "nobody", NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "no machine named “nobody”"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run ("--connect", "bogus:///nowhere", "--list", NULL, NULL, &out, &err), ==, 1);
  g_assert_cmpuint (strlen (err), ==, strcspn (err, "\n") + 1);
}

static int
run_argv (const char * const  *args,
          char               **out,
          char               **err)
{
  g_autofree char *binary = g_build_filename (g_getenv ("VMD_BUILD_DIR"), "src", "vmdesk", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", iso_dir, TRUE);
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* Where the machines' disks would go: this test's folder. */
  g_strv_builder_add (builder, binary);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                               &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* vmdesk --create --express: the password is asked for; an image without
 * the installer's kernel where its system keeps it is refused, nothing
 * made (the session tests boot a real installer: test-express-install). */
static void
test_create_express (void)
{
  g_autofree char *iso = make_iso ("express-create.iso", "Debian 11.6.0 amd64 n");
  g_autofree char *other = make_iso ("no-express.iso", "MY_FILES");
  g_autofree char *password = g_build_filename (iso_dir, "password", NULL);
  g_autofree char *empty = g_build_filename (iso_dir, "empty-password", NULL);
  const char *no_password[] = { "--connect", "test:///default", "--create", iso, "--express",
                                "--name", "express one", NULL };
  const char *empty_password[] = { "--connect", "test:///default", "--create", iso, "--express",
                                   "--password-file", empty, "--name", "express one", NULL };
  const char *no_kernel[] = { "--connect", "test:///default", "--create", iso, "--express",
                              "--password-file", password, "--name", "express one", NULL };
  const char *unknown[] = { "--connect", "test:///default", "--create", other, "--express",
                            "--password-file", password, NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (password, "secret\nignored\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "\n", -1, NULL));

  g_assert_cmpint (run_argv (no_password, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "give it with --password-file FILE"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (empty_password, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "holds no password on its first line"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (no_kernel, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "The installer image has no “install.amd/vmlinuz”"));
  g_assert_cmpuint (strlen (err), ==, strcspn (err, "\n") + 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (unknown, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "No express install: VmDesk does not know this image"));
}

/* vmdesk --create: the plan as --plan makes it, the person's changes, the
 * budget's say first (refused over the host's memory unless --force). The
 * test driver forgets between processes: that the machine runs is the
 * session tests'; here, what a script is told. */
static void
test_create (void)
{
  g_autofree char *iso = make_iso ("create.iso", "Debian 11.6.0 amd64 n");
  const char *made[] = { "--connect", "test:///default", "--create", iso, "--name",
                         "  my “new” <one> ", "--memory", "1024", "--cpus", "2", "--disk", "2",
                         NULL };
  const char *huge[] = { "--connect", "test:///default", "--create", iso, "--memory",
                         "100000000", NULL };
  const char *forced[] = { "--connect", "test:///default", "--create", iso, "--memory",
                           "100000000", "--disk", "2", "--force", NULL };
  const char *big_disk[] = { "--connect", "test:///default", "--create", iso, "--disk",
                             "100000", NULL };
  const char *taken[] = { "--connect", "test:///default", "--create", iso, "--name", "test", NULL };
  const char *bad_name[] = { "--connect", "test:///default", "--create", iso, "--name", "a/b",
                             NULL };
  const char *tiny[] = { "--connect", "test:///default", "--create", iso, "--memory", "16", NULL };
  g_autofree char *out = NULL, *err = NULL;

  if (run_argv (made, &out, &err) != 0)
    g_error ("vmdesk --create failed: %s", err);
  g_assert_nonnull (strstr (out, "Created “my “new” <one>”"));
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (huge, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "was not created"));
  g_assert_nonnull (strstr (err, "--force"));
  g_assert_cmpuint (strlen (err), ==, strcspn (err, "\n") + 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (forced, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Created “Debian 11”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (big_disk, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "smaller disk"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (taken, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "exists already"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (bad_name, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "cannot contain “/”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_argv (tiny, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "at least"));
}

/* `vmdesk --computers`, `--add-computer`, `--remove-computer`: the
 * library's computers, kept in the settings (a real back end here, that
 * one process writes and the next reads). */
static void
test_computers (void)
{
  g_autofree char *config = g_build_filename (iso_dir, "config", NULL);
  const char *env[] = { "GSETTINGS_BACKEND", "keyfile", "XDG_CONFIG_HOME", config, NULL };
  const char *list[] = { "--computers", NULL };
  const char *list_json[] = { "--computers", "--json", NULL };
  const char *add[] = { "--add-computer", "ada@server.invalid:2222", NULL };
  const char *add_system[] = { "--add-computer", "qemu:///system", NULL };
  const char *add_bad[] = { "--add-computer", "ada@server; rm -rf ~", NULL };
  const char *remove_this[] = { "--remove-computer", TEST_URI, NULL };
  const char *remove_added[] = { "--remove-computer", "qemu+ssh://ada@server.invalid:2222/session",
                                 NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, list, env, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "test:///default                  test:///default\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, add, env, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "ada@server.invalid:2222          "
                                 "qemu+ssh://ada@server.invalid:2222/session\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, add, env, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "is in the library already"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, add_bad, env, &out, &err), ==, 1);
  vmd_test_assert_one_line (err, "is not a computer’s name or address");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, add_system, env, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Another process reads what these wrote, in the order added. */
  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, list_json, env, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"uri\" : \"qemu+ssh://ada@server.invalid:2222/session\""));
  g_assert_true (strstr (out, "ada@server.invalid") < strstr (out, "This Computer, All Users"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, remove_this, env, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "always in the library"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, remove_added, env, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (vmd_test_vmdesk_env (TEST_URI, list, env, &out, &err), ==, 0);
  g_assert_null (strstr (out, "ada@server.invalid"));
  g_assert_nonnull (strstr (out, "This Computer, All Users         qemu:///system\n"));
}

int
main (int   argc,
      char *argv[])
{
  iso_dir = vmd_test_init_with_dir (&argc, &argv, "vmd-cli-XXXXXX");

  g_test_add_func ("/cli/identify", test_identify);
  g_test_add_func ("/cli/identify-family", test_identify_family);
  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/plan", test_plan);
  g_test_add_func ("/cli/plan-reserve", test_plan_reserve);
  g_test_add_func ("/cli/plan-express", test_plan_express);
  g_test_add_func ("/cli/option-order", test_option_order);
  g_test_add_func ("/cli/untrusted-label", test_untrusted_label);
  g_test_add_func ("/cli/list", test_list);
  g_test_add_func ("/cli/computers", test_computers);
  g_test_add_func ("/cli/save", test_save);
  g_test_add_func ("/cli/create", test_create);
  g_test_add_func ("/cli/create-express", test_create_express);

  return vmd_test_run_and_remove (&iso_dir);
}
