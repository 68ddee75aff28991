/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-computers"

#include "config.h"

#include "vmd-computers.h"
#include "vmd-connection.h"
#include "vmd-error.h"

/* The library's computers: what a person may type as another computer's
 * address, what the library calls each, and the list that follows the
 * settings (memory backend: no computer is reached). */

static void
test_addresses (void)
{
  static const struct { const char *typed; const char *uri; } good[] = {
    { "ada@server.local", "qemu+ssh://ada@server.local/session" },
    { "  server.local  ", "qemu+ssh://server.local/session" },
    { "server.local:2222", "qemu+ssh://server.local:2222/session" },
    { "ada@192.168.1.20/system", "qemu+ssh://ada@192.168.1.20/system" },
    { "ada@[::1]:22", "qemu+ssh://ada@[::1]:22/session" },
    { "qemu:///system", "qemu:///system" },
    { "qemu+ssh://ada@server/session", "qemu+ssh://ada@server/session" },
    { "qemu+ssh://ada@server/session?keyfile=/home/ada/.ssh/k",
      "qemu+ssh://ada@server/session?keyfile=/home/ada/.ssh/k" },
  };
  static const char *bad[] = {
    "", "   ", "http://server/session", "qemu+ssh://server/other", "qemu+ssh://server",
    "server/home", "server?x=1", "server#top", "vbox:///session", "user@", "@",
    "a b@server", "\"'; rm -rf ~'\"", "qemu+ssh://[::1/session", "-oProxyCommand=x",
    "qemu+ssh://a;b@server/session", "serveur.exemple.fr;id",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = vmd_computer_uri_for_address (good[i].typed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, good[i].uri);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = vmd_computer_uri_for_address (bad[i], &error);

      g_test_message ("“%s”: %s", bad[i], error ? error->message : "(accepted)");
      g_assert_null (uri);
      g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME);
    }
}

static void
test_titles (void)
{
  static const struct { const char *uri; const char *title; } titles[] = {
    { NULL, "This Computer" },
    { "qemu:///session", "This Computer" },
    { "qemu:///system", "This Computer, All Users" },
    { "qemu+ssh://ada@server.local/session", "ada@server.local" },
    { "qemu+ssh://server.local:2222/system", "server.local:2222" },
    { "test:///default", "test:///default" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *title = vmd_computer_dup_title (titles[i].uri);

      g_assert_cmpstr (title, ==, titles[i].title);
    }
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *changes)
{
  (*changes)++;
}

static const char *
uri_at (GListModel *model,
        guint       position)
{
  g_autoptr(VmdConnection) connection = g_list_model_get_item (model, position);

  return connection ? vmd_connection_get_uri (connection) : NULL;
}

static void
test_list (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("com.example.VmDesk");
  g_autoptr(GSettings) other = g_settings_new ("com.example.VmDesk");
  g_autoptr(VmdComputers) computers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_auto(GStrv) saved = NULL;
  GListModel *model;
  VmdConnection *server;
  guint changes = 0;

  /* What a person or a script left there: a duplicate, this computer
   * itself, and something that is no address. */
  g_settings_set_strv (settings, "computers",
                       (const char *[]) { "qemu:///system", "qemu:///system", "test:///default",
                                          "no such://thing", NULL });
  computers = vmd_computers_new (settings, "test:///default");
  model = G_LIST_MODEL (computers);
  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  g_assert_true (g_list_model_get_item_type (model) == VMD_TYPE_CONNECTION);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (uri_at (model, 0), ==, "test:///default");
  g_assert_cmpstr (uri_at (model, 1), ==, "qemu:///system");
  g_assert_true (vmd_computers_get_primary (computers) == vmd_computers_find (computers, "test:///default"));

  uri = vmd_computers_add (computers, "ada@server.invalid:2222", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uri, ==, "qemu+ssh://ada@server.invalid:2222/session");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpstr (uri_at (model, 2), ==, uri);
  server = vmd_computers_find (computers, "ada@server.invalid:2222");
  g_assert_nonnull (server);
  /* Made, not opened: nothing was reached. */
  g_assert_cmpint (vmd_connection_get_state (server), ==, VMD_CONNECTION_STATE_DISCONNECTED);
  saved = g_settings_get_strv (settings, "computers");
  g_assert_cmpstr (saved[g_strv_length (saved) - 1], ==, uri);

  /* Once each, this computer's included. */
  g_clear_pointer (&uri, g_free);
  uri = vmd_computers_add (computers, "qemu+ssh://ada@server.invalid:2222/session", &error);
  g_assert_null (uri);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_null (vmd_computers_add (computers, "test:///default", &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME);
  g_clear_error (&error);
  g_assert_false (vmd_computers_remove (computers, "test:///default", &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (vmd_computers_remove (computers, "qemu+ssh://nobody@nowhere/session", &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Changed behind the library's back (the command line, another
   * window): followed, the connections still there kept. */
  g_settings_set_strv (other, "computers",
                       (const char *[]) { "qemu+ssh://ada@server.invalid:2222/session", NULL });
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_true (vmd_computers_find (computers, "ada@server.invalid:2222") == server);
  g_assert_null (vmd_computers_find (computers, "qemu:///system"));

  g_assert_true (vmd_computers_remove (computers, "ada@server.invalid:2222", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "computers");
  g_assert_cmpuint (g_strv_length (saved), ==, 0);
}

/* Started on one connection (--connect): that one, no other. */
static void
test_one_connection (void)
{
  g_autoptr(VmdComputers) computers = vmd_computers_new (NULL, "test:///default");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (computers)), ==, 1);
  g_assert_null (vmd_computers_add (computers, "ada@server.invalid", &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/computers/addresses", test_addresses);
  g_test_add_func ("/computers/titles", test_titles);
  g_test_add_func ("/computers/list", test_list);
  g_test_add_func ("/computers/one-connection", test_one_connection);

  return g_test_run ();
}
