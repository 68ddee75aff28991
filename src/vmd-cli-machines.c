/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "vmd-cli.h"
#include "vmd-cli-private.h"
#include "vmd-cloner.h"
#include "vmd-connection.h"
#include "vmd-machine.h"
#include "vmd-os-db.h"
#include "vmd-snapshot.h"
#include "vmd-text.h"

/* `vmdesk --list` and the commands on one machine (`--save NAME`,
 * `--snapshot NAME --label LABEL`, `--snapshots NAME`…): the
 * window's operations for scripts, on the same engine objects. */

typedef struct
{
  GMainLoop     *loop;
  VmdCliCommand  command;
  const char    *name;
  const char    *label;
  const char    *new_name;
  gboolean       json;
  VmdConnection *connection;
  GError        *error;
} MachinesCli;

/* The names of the machines' systems, read from osinfo-db's files (a
 * script waits; a window would not). */
static GHashTable *
read_os_names (GListModel *machines)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (machines); i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (machines, i);

      if (vmd_machine_get_os_id (machine) != NULL)
        g_strv_builder_add (builder, vmd_machine_get_os_id (machine));
    }
  ids = g_strv_builder_end (builder);
  return vmd_os_db_read_names ((const char * const *) ids);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (vmd_machine_get_name (*(VmdMachine **) a),
                         vmd_machine_get_name (*(VmdMachine **) b));
}

static void
print_list (MachinesCli *cli)
{
  GListModel *model = vmd_connection_get_machines (cli->connection);
  g_autoptr(GHashTable) names = read_os_names (model);
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (machines, g_list_model_get_item (model, i));
  g_ptr_array_sort (machines, compare_names);

  json_builder_begin_array (b);
  for (guint i = 0; i < machines->len; i++)
    {
      VmdMachine *machine = machines->pdata[i];
      const char *os_id = vmd_machine_get_os_id (machine);
      const char *os_name = os_id ? g_hash_table_lookup (names, os_id) : NULL;
      g_autofree char *memory = g_format_size_full (vmd_machine_get_memory (machine),
                                                    G_FORMAT_SIZE_IEC_UNITS);

      if (os_name != NULL && *os_name == '\0')
        os_name = NULL;
      if (!cli->json)
        {
          /* A name is anyone's text: no escape reaches the terminal. */
          g_autofree char *name = vmd_text_make_printable (vmd_machine_get_name (machine), -1);

          g_print ("%-24s %-28s %-24s %10s %3u\n", name, vmd_machine_get_summary (machine),
                   os_name ? os_name : os_id ? os_id : "-", memory,
                   vmd_machine_get_vcpus (machine));
          continue;
        }
      json_builder_begin_object (b);
      _vmd_cli_member_string (b, "name", vmd_machine_get_name (machine));
      _vmd_cli_member_string (b, "uuid", vmd_machine_get_uuid (machine));
      _vmd_cli_member_string (b, "state", _vmd_cli_enum_nick (VMD_TYPE_MACHINE_STATE,
                                                              vmd_machine_get_state (machine)));
      _vmd_cli_member_string (b, "reason", _vmd_cli_enum_nick (VMD_TYPE_MACHINE_REASON,
                                                               vmd_machine_get_reason (machine)));
      _vmd_cli_member_string (b, "summary", vmd_machine_get_summary (machine));
      _vmd_cli_member_string (b, "os-id", os_id);
      _vmd_cli_member_string (b, "os-name", os_name);
      _vmd_cli_member_int (b, "memory", (gint64) vmd_machine_get_memory (machine));
      _vmd_cli_member_int (b, "vcpus", vmd_machine_get_vcpus (machine));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (cli->json)
    _vmd_cli_print_json (b, TRUE);
}

static void
on_systems_read (MachinesCli *cli)
{
  if (vmd_connection_get_reading_systems (cli->connection))
    return;
  g_signal_handlers_disconnect_by_data (cli->connection, cli);
  print_list (cli);
  g_main_loop_quit (cli->loop);
}

static void
print_snapshots (MachinesCli *cli,
                 GListModel  *snapshots)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (snapshots); i++)
    {
      g_autoptr(VmdSnapshot) snapshot = g_list_model_get_item (snapshots, i);
      g_autofree char *created = g_date_time_format_iso8601 (vmd_snapshot_get_created (snapshot));
      const char *state = _vmd_cli_enum_nick (VMD_TYPE_MACHINE_STATE,
                                              vmd_snapshot_get_state (snapshot));

      if (!cli->json)
        {
          g_autofree char *label = vmd_text_make_printable (vmd_snapshot_get_label (snapshot), -1);

          g_print ("%-32s %-25s %-10s %-11s%s\n", label, created, state,
                   vmd_snapshot_get_has_memory (snapshot) ? _("memory") : _("disks only"),
                   vmd_snapshot_get_is_current (snapshot) ? _(" (current)") : "");
          continue;
        }
      json_builder_begin_object (b);
      _vmd_cli_member_string (b, "label", vmd_snapshot_get_label (snapshot));
      _vmd_cli_member_string (b, "created", created);
      _vmd_cli_member_string (b, "state", state);
      json_builder_set_member_name (b, "memory");
      json_builder_add_boolean_value (b, vmd_snapshot_get_has_memory (snapshot));
      json_builder_set_member_name (b, "current");
      json_builder_add_boolean_value (b, vmd_snapshot_get_is_current (snapshot));
      _vmd_cli_member_string (b, "screen", vmd_snapshot_get_screen (snapshot));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (cli->json)
    _vmd_cli_print_json (b, TRUE);
}

static void
on_listed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  MachinesCli *cli = user_data;
  g_autoptr(GListModel) snapshots = NULL;

  snapshots = vmd_machine_list_snapshots_finish (VMD_MACHINE (object), result, &cli->error);
  if (snapshots != NULL)
    print_snapshots (cli, snapshots);
  g_main_loop_quit (cli->loop);
}

static void
on_snapshot_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MachinesCli *cli = user_data;

  vmd_machine_snapshot_finish (VMD_MACHINE (object), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static void
on_cloned (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  MachinesCli *cli = user_data;
  g_autoptr(VmdMachine) copy = vmd_cloner_run_finish (VMD_CLONER (object), result, &cli->error);

  if (copy != NULL && cli->command == VMD_CLI_IMPORT)
    {
      g_autofree char *name = vmd_text_make_printable (vmd_machine_get_name (copy), -1);

      g_print (_("Imported as “%s”.\n"), name);
    }
  g_main_loop_quit (cli->loop);
}

static void
on_renamed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  MachinesCli *cli = user_data;

  vmd_machine_rename_finish (VMD_MACHINE (object), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  MachinesCli *cli = user_data;

  vmd_machine_run_finish (VMD_MACHINE (object), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static void
run_on_machine (MachinesCli *cli)
{
  VmdMachine *machine = vmd_connection_find_machine_by_name (cli->connection, cli->name);

  if (machine == NULL)
    {
      g_set_error (&cli->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no machine named “%s” on %s."), cli->name,
                   vmd_connection_get_uri (cli->connection));
      g_main_loop_quit (cli->loop);
      return;
    }

  switch (cli->command)
    {
    case VMD_CLI_SAVE:
      if (!vmd_machine_can_run (machine, VMD_MACHINE_ACTION_SAVE))
        {
          g_set_error (&cli->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("“%s” is not running (%s): there is nothing to save."), cli->name,
                       vmd_machine_get_summary (machine));
          g_main_loop_quit (cli->loop);
          return;
        }
      vmd_machine_run_async (machine, VMD_MACHINE_ACTION_SAVE, NULL, on_run_done, cli);
      break;
    case VMD_CLI_SNAPSHOTS:
      vmd_machine_list_snapshots_async (machine, NULL, on_listed, cli);
      break;
    case VMD_CLI_SNAPSHOT:
    case VMD_CLI_REVERT:
    case VMD_CLI_DELETE_SNAPSHOT:
      vmd_machine_snapshot_async (machine,
                                  cli->command == VMD_CLI_SNAPSHOT ? VMD_SNAPSHOT_ACTION_CREATE :
                                  cli->command == VMD_CLI_REVERT ? VMD_SNAPSHOT_ACTION_REVERT :
                                  VMD_SNAPSHOT_ACTION_DELETE,
                                  cli->label, NULL, on_snapshot_done, cli);
      break;
    case VMD_CLI_CLONE:
      {
        g_autoptr(VmdCloner) cloner = vmd_cloner_new (cli->connection, machine, cli->new_name);

        vmd_cloner_run_async (cloner, NULL, on_cloned, cli);
      }
      break;
    case VMD_CLI_RENAME:
      vmd_machine_rename_async (machine, cli->new_name, NULL, on_renamed, cli);
      break;
    case VMD_CLI_IDENTIFY:
    case VMD_CLI_PLAN:
    case VMD_CLI_CREATE:
    case VMD_CLI_IMPORT:
    case VMD_CLI_LIST:
    default:
      g_assert_not_reached ();
    }
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MachinesCli *cli = user_data;

  if (!vmd_connection_open_finish (cli->connection, result, &cli->error))
    {
      g_main_loop_quit (cli->loop);
      return;
    }

  if (cli->command == VMD_CLI_IMPORT)
    {
      g_autoptr(VmdCloner) importer = vmd_cloner_new_for_image (cli->connection, cli->name,
                                                                 cli->new_name);

      vmd_cloner_run_async (importer, NULL, on_cloned, cli);
    }
  else if (cli->command == VMD_CLI_LIST)
    {
      g_signal_connect_swapped (cli->connection, "notify::reading-systems",
                                G_CALLBACK (on_systems_read), cli);
      on_systems_read (cli);
    }
  else
    run_on_machine (cli);
}

/**
 * vmd_cli_run_machines:
 * @command: %VMD_CLI_LIST, or a command on one machine
 * @name: (nullable): the machine, for the commands on one; the file, for
 *   %VMD_CLI_IMPORT
 * @label: (nullable): the snapshot, for the commands on one
 * @new_name: (nullable): the name of a copy, or the machine's new one
 *
 * Returns: the exit status: 0, or 1 with a one-line message on stderr
 */
int
vmd_cli_run_machines (VmdCliCommand  command,
                      const char    *name,
                      const char    *label,
                      const char    *new_name,
                      const char    *uri,
                      gboolean       json)
{
  MachinesCli cli = { 0 };
  int status = 0;

  g_return_val_if_fail (command == VMD_CLI_LIST || name != NULL, 2);

  _vmd_cli_quiet_logs ();
  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.command = command;
  cli.name = name;
  cli.label = label;
  cli.new_name = new_name;
  cli.json = json;
  cli.connection = vmd_connection_new (uri);

  /* A lost connection retries for ever: a script gets the first failure. */
  vmd_connection_open_async (cli.connection, NULL, on_connected, &cli);
  g_main_loop_run (cli.loop);

  if (cli.error != NULL)
    {
      g_printerr ("vmdesk: %s\n", cli.error->message);
      status = 1;
    }

  g_clear_error (&cli.error);
  g_clear_object (&cli.connection);
  g_main_loop_unref (cli.loop);
  return status;
}
