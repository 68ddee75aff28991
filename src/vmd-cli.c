/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vmd-budget.h"
#include "vmd-cli.h"
#include "vmd-cli-private.h"
#include "vmd-connection.h"
#include "vmd-creator.h"
#include "vmd-error.h"
#include "vmd-guest-spec.h"
#include "vmd-machine.h"
#include "vmd-name.h"
#include "vmd-host.h"
#include "vmd-media.h"
#include "vmd-planner.h"

typedef struct
{
  GMainLoop     *loop;
  VmdCliCommand  command;
  gboolean       json;
  VmdMedia      *media;
  VmdConnection *connection;
  VmdPlanner    *planner;     /* --plan, --create: the window's planner */
  GCancellable  *cancellable;
  guint          pending;     /* the connection's opening, the plan's loading */
  GError        *connection_error;
  const VmdCliCreate *create;
  GError        *error;
} Cli;

const char *
_vmd_cli_enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);

  return g_enum_get_value (klass, value)->value_nick;
}

void
_vmd_cli_member_string (JsonBuilder *b,
               const char  *name,
               const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

void
_vmd_cli_member_int (JsonBuilder *b,
            const char  *name,
            gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
member_bool (JsonBuilder *b,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

void
_vmd_cli_print_json (JsonBuilder *b,
            gboolean     pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, pretty);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

/* A failure: its message on stderr, and as JSON on stdout with --json.
 * Returns the exit status for it. */
int
_vmd_cli_report_error (const GError *error,
                       gboolean      json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      _vmd_cli_member_string (b, "error", error->message);
      _vmd_cli_member_int (b, "code", error->code);
      json_builder_end_object (b);
      _vmd_cli_print_json (b, FALSE);
    }
  g_printerr ("vmdesk: %s\n", error->message);
  return 1;
}

/* A script reads one line on failure: the engine's own notes (a lost
 * connection, a retry) only with G_MESSAGES_DEBUG. */
static GLogWriterOutput
quiet_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  if ((level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)) != 0 &&
      g_getenv ("G_MESSAGES_DEBUG") == NULL)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

void
_vmd_cli_quiet_logs (void)
{
  g_log_set_writer_func (quiet_writer, NULL, NULL);
}

static void
add_media (JsonBuilder *b,
           VmdMedia    *media)
{
  GListModel *candidates = vmd_media_get_candidates (media);
  OsinfoOs *os = vmd_media_get_os (media);
  g_autofree char *explanation = vmd_media_dup_explanation (media);

  g_autofree char *path = g_filename_display_name (vmd_media_get_path (media));

  _vmd_cli_member_string (b, "path", path);
  _vmd_cli_member_string (b, "volume-id", vmd_media_get_volume_id (media));
  _vmd_cli_member_string (b, "match", _vmd_cli_enum_nick (VMD_TYPE_MEDIA_MATCH, vmd_media_get_match (media)));
  _vmd_cli_member_string (b, "os", vmd_media_get_os_label (media));
  _vmd_cli_member_string (b, "os-id", os ? osinfo_entity_get_id (OSINFO_ENTITY (os)) : NULL);
  _vmd_cli_member_string (b, "template", os ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : NULL);
  _vmd_cli_member_string (b, "explanation", explanation);
  _vmd_cli_member_string (b, "architecture", vmd_media_get_architecture (media));
  member_bool (b, "installer", vmd_media_get_installer (media));
  member_bool (b, "live", vmd_media_get_live (media));
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(OsinfoOs) candidate = g_list_model_get_item (candidates, i);
      json_builder_add_string_value (b, osinfo_product_get_short_id (OSINFO_PRODUCT (candidate)));
    }
  json_builder_end_array (b);
}

static void
add_plan (JsonBuilder   *b,
          VmdGuestSpec  *spec,
          VmdHost       *host,
          VmdBudget     *budget,
          const char    *disk_warning)
{
  json_builder_set_member_name (b, "plan");
  json_builder_begin_object (b);
  _vmd_cli_member_string (b, "name", vmd_guest_spec_get_name (spec));
  _vmd_cli_member_int (b, "memory", vmd_guest_spec_get_memory (spec));
  _vmd_cli_member_int (b, "vcpus", vmd_guest_spec_get_vcpus (spec));
  _vmd_cli_member_int (b, "disk-size", vmd_guest_spec_get_disk_size (spec));
  _vmd_cli_member_string (b, "firmware", _vmd_cli_enum_nick (VMD_TYPE_FIRMWARE, vmd_guest_spec_get_firmware (spec)));
  member_bool (b, "secure-boot", vmd_guest_spec_get_secure_boot (spec));
  member_bool (b, "tpm", vmd_guest_spec_get_tpm (spec));
  _vmd_cli_member_string (b, "hypervisor", vmd_guest_spec_get_kvm (spec) ? "kvm" : "qemu");
  _vmd_cli_member_string (b, "disk-bus", vmd_guest_spec_get_disk_bus (spec));
  _vmd_cli_member_string (b, "network", vmd_guest_spec_get_net_model (spec));
  _vmd_cli_member_string (b, "video", vmd_guest_spec_get_video (spec));
  _vmd_cli_member_string (b, "sound", vmd_guest_spec_get_sound (spec));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "budget");
  json_builder_begin_object (b);
  _vmd_cli_member_string (b, "verdict", _vmd_cli_enum_nick (VMD_TYPE_BUDGET_VERDICT, budget->verdict));
  _vmd_cli_member_int (b, "host-memory", budget->host_total);
  _vmd_cli_member_int (b, "host-available", budget->host_available);
  _vmd_cli_member_int (b, "reserve", budget->reserve);
  _vmd_cli_member_int (b, "committed", budget->committed);
  _vmd_cli_member_int (b, "after", budget->after);
  _vmd_cli_member_string (b, "summary", budget->summary);
  _vmd_cli_member_int (b, "free-disk", vmd_host_get_free_disk (host));
  _vmd_cli_member_string (b, "disk-warning", disk_warning);
  json_builder_end_object (b);
}

/* --express: the install libosinfo can answer, or why not. */
static void
add_express (JsonBuilder *b,
             VmdPlanner  *planner)
{
  const GError *why_not = NULL;
  VmdExpress *express = vmd_planner_get_express (planner, &why_not);

  json_builder_set_member_name (b, "express");
  json_builder_begin_object (b);
  if (express == NULL)
    _vmd_cli_member_string (b, "unavailable", why_not ? why_not->message : NULL);
  else
    {
      _vmd_cli_member_string (b, "script", vmd_express_get_script_id (express));
      _vmd_cli_member_string (b, "profile", vmd_express_get_profile (express));
      _vmd_cli_member_string (b, "injection",
                              _vmd_cli_enum_nick (VMD_TYPE_EXPRESS_INJECTION,
                                                  vmd_express_get_injection (express)));
      _vmd_cli_member_string (b, "file", vmd_express_get_filename (express));
      member_bool (b, "needs-internet", vmd_express_get_needs_internet (express));
      member_bool (b, "product-key", vmd_express_get_wants_product_key (express));
    }
  json_builder_end_object (b);
}

static void
print_express (VmdPlanner *planner)
{
  const GError *why_not = NULL;
  VmdExpress *express = vmd_planner_get_express (planner, &why_not);
  g_autofree char *how = NULL;

  if (express == NULL)
    {
      /* Translators: the reason follows */
      g_print ("%-13s %s %s\n", _("Express install:"), _("not available:"),
               why_not ? why_not->message : "");
      return;
    }
  how = vmd_express_describe (express);
  g_print ("%-13s %s%s\n", _("Express install:"), how,
           vmd_express_get_needs_internet (express) ? _(" (needs the internet)") : "");
}

static char *
iec (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static void
print_text (Cli          *cli,
            VmdGuestSpec *spec,
            VmdBudget    *budget,
            const char   *disk_warning)
{
  VmdMedia *media = cli->media;
  OsinfoOs *os = vmd_media_get_os (media);
  GListModel *candidates = vmd_media_get_candidates (media);
  g_autofree char *explanation = vmd_media_dup_explanation (media);

  g_print ("%-13s %s\n", _("System:"), vmd_media_get_os_label (media));
  if (os != NULL)
    g_print ("%-13s %s\n", _("libosinfo id:"), osinfo_entity_get_id (OSINFO_ENTITY (os)));
  if (explanation != NULL)
    g_print ("%-13s %s\n", _("Note:"), explanation);
  g_print ("%-13s %s\n", _("Volume id:"), vmd_media_get_volume_id (media) ?: "");
  g_print ("%-13s %s\n", _("Architecture:"), vmd_media_get_architecture (media));
  g_print ("%-13s %s\n", _("Kind:"), vmd_media_get_live (media) ? _("live system")
                                     : vmd_media_get_installer (media) ? _("installer")
                                     : _("disc image"));
  if (g_list_model_get_n_items (candidates) > 1)
    {
      g_print ("%-13s", _("Could also be:"));
      for (guint i = 1; i < g_list_model_get_n_items (candidates); i++)
        {
          g_autoptr(OsinfoOs) other = g_list_model_get_item (candidates, i);
          g_print (" %s", osinfo_product_get_name (OSINFO_PRODUCT (other)));
        }
      g_print ("\n");
    }

  if (spec == NULL)
    return;

  {
    g_autofree char *memory = iec (vmd_guest_spec_get_memory (spec));
    g_autofree char *disk = g_format_size (vmd_guest_spec_get_disk_size (spec));

    g_print ("\n");
    g_print ("%-13s %s\n", _("Name:"), vmd_guest_spec_get_name (spec));
    g_print ("%-13s %s\n", _("Memory:"), memory);
    g_print ("%-13s %u\n", _("CPUs:"), vmd_guest_spec_get_vcpus (spec));
    g_print ("%-13s %s\n", _("Disk:"), disk);
    g_print ("%-13s %s%s\n", _("Firmware:"),
             vmd_guest_spec_get_firmware (spec) == VMD_FIRMWARE_EFI ? "UEFI" : "BIOS",
             vmd_guest_spec_get_secure_boot (spec) ? _(", secure boot") : "");
    if (vmd_guest_spec_get_tpm (spec))
      g_print ("%-13s %s\n", _("TPM:"), _("emulated TPM 2.0"));
    g_print ("%-13s %s\n", _("Hypervisor:"),
             vmd_guest_spec_get_kvm (spec) ? "KVM"
             : _("QEMU emulation (no usable KVM: the machine will be slow)"));
    g_print ("%-13s disk %s, network %s, video %s, sound %s\n", _("Devices:"),
             vmd_guest_spec_get_disk_bus (spec), vmd_guest_spec_get_net_model (spec),
             vmd_guest_spec_get_video (spec), vmd_guest_spec_get_sound (spec));
    g_print ("\n%-13s %s: %s\n", _("Memory use:"), vmd_budget_verdict_to_string (budget->verdict),
             budget->summary);
    if (disk_warning != NULL)
      g_print ("%-13s %s\n", _("Disk space:"), disk_warning);
  }
}

static void
on_created (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(VmdMachine) machine = vmd_creator_run_finish (VMD_CREATOR (object), result,
                                                          &cli->error);

  if (machine != NULL)
    {
      const char *notice = vmd_creator_get_notice (VMD_CREATOR (object));
      const char *warning = vmd_creator_get_warning (VMD_CREATOR (object));

      /* Said on stdout: a script that wants silence has the exit status. */
      g_print (_("Created “%s”; it is starting.\n"), vmd_machine_get_name (machine));
      if (notice != NULL)
        g_print ("%s\n", notice);
      /* The machine is made; what was not kept (the password) is a warning. */
      if (warning != NULL)
        g_printerr ("vmdesk: %s\n", warning);
    }
  g_main_loop_quit (cli->loop);
}

/* The person's changes to the plan, checked as the review page checks them. */
static gboolean
apply_changes (Cli           *cli,
               VmdGuestSpec  *spec,
               GError       **error)
{
  const VmdCliCreate *create = cli->create;

  if (create->name != NULL)
    {
      g_autofree char *name = NULL;

      if (!vmd_connection_check_new_name (cli->connection, create->name, NULL, &name, error))
        return FALSE;
      vmd_guest_spec_set_name (spec, name);
    }
  if (create->memory_mib > 0)
    {
      guint64 memory = create->memory_mib << 20;

      if (memory < vmd_guest_spec_get_min_memory (spec))
        {
          g_autofree char *least = iec (vmd_guest_spec_get_min_memory (spec));

          g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED,
                       _("This system needs at least %s of memory."), least);
          return FALSE;
        }
      vmd_guest_spec_set_memory (spec, memory);
    }
  if (create->cpus > 0)
    vmd_guest_spec_set_vcpus (spec, create->cpus);
  if (create->disk_gb > 0)
    vmd_guest_spec_set_disk_size (spec, create->disk_gb * 1000 * 1000 * 1000);
  return TRUE;
}

/* The password's first line of @path ("-": the standard input), without
 * its line end. */
static char *
read_password (const char  *path,
               GError     **error)
{
  g_autofree char *content = NULL;
  gsize length = 0;
  char *line;

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);

      if (g_io_channel_read_to_end (in, &content, &length, error) != G_IO_STATUS_NORMAL)
        return NULL;
    }
  else if (!g_file_get_contents (path, &content, &length, error))
    return NULL;

  line = g_strndup (content, strcspn (content, "\r\n"));
  memset (content, 0, length);
  if (*line == '\0' || !g_utf8_validate (line, -1, NULL))
    {
      g_free (line);
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED,
                   _("“%s” holds no password on its first line."), path);
      return NULL;
    }
  return line;
}

/* --express: the answers libosinfo writes for the image, for the user
 * given (or the desktop's) with the password of --password-file. */
static gboolean
set_express (Cli         *cli,
             VmdCreator  *creator,
             GError     **error)
{
  const GError *why_not = NULL;
  VmdExpress *express = vmd_planner_get_express (cli->planner, &why_not);
  g_autofree char *password = NULL;

  if (express == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED, _("No express install: %s"),
                   why_not ? why_not->message : "");
      return FALSE;
    }
  if (cli->create->password_file == NULL)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_FAILED,
                           _("An express install needs the user’s password: give it with "
                             "--password-file FILE."));
      return FALSE;
    }
  password = read_password (cli->create->password_file, error);
  if (password == NULL)
    return FALSE;
  if (cli->create->user != NULL)
    vmd_express_set_user (express, cli->create->user, NULL, TRUE);
  vmd_creator_set_express (creator, express, password);
  memset (password, 0, strlen (password));
  return TRUE;
}

/* The budget's say before anything is made: over the host's memory, or
 * past the free disk space, only with --force. */
static gboolean
check_budget (Cli           *cli,
              VmdGuestSpec  *spec,
              VmdBudget     *budget,
              const char    *disk_warning,
              GError       **error)
{
  if (cli->create->force)
    return TRUE;
  if (budget->verdict == VMD_BUDGET_OVER)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED,
                   _("“%s” was not created: %s Give it less memory (--memory MIB), or add "
                     "--force."), vmd_guest_spec_get_name (spec), budget->summary);
      return FALSE;
    }
  if (disk_warning != NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE,
                   _("“%s” was not created: %s Give it a smaller disk (--disk GB), or add "
                     "--force."), vmd_guest_spec_get_name (spec), disk_warning);
      return FALSE;
    }
  return TRUE;
}

static void
finish (Cli *cli)
{
  VmdGuestSpec *spec = NULL;
  g_autoptr(VmdBudget) budget = NULL;
  g_autofree char *disk_warning = NULL;

  if (cli->planner != NULL)
    {
      spec = vmd_planner_get_spec (cli->planner);
      if (cli->command == VMD_CLI_CREATE && !apply_changes (cli, spec, &cli->error))
        {
          g_main_loop_quit (cli->loop);
          return;
        }
      budget = vmd_planner_dup_budget (cli->planner);
      disk_warning = vmd_planner_dup_disk_warning (cli->planner);
    }

  if (cli->command == VMD_CLI_CREATE)
    {
      g_autoptr(VmdCreator) creator = NULL;

      if (!check_budget (cli, spec, budget, disk_warning, &cli->error))
        {
          g_main_loop_quit (cli->loop);
          return;
        }
      creator = vmd_creator_new (cli->connection, spec);
      if (cli->create->express && !set_express (cli, creator, &cli->error))
        {
          g_main_loop_quit (cli->loop);
          return;
        }
      vmd_creator_run_async (creator, NULL, on_created, cli);
      return;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_media (b, cli->media);
      if (spec != NULL)
        add_plan (b, spec, vmd_planner_get_host (cli->planner), budget, disk_warning);
      if (spec != NULL && cli->create->express)
        add_express (b, cli->planner);
      json_builder_end_object (b);
      _vmd_cli_print_json (b, TRUE);
    }
  else
    {
      print_text (cli, spec, budget, disk_warning);
      if (spec != NULL && cli->create->express)
        print_express (cli->planner);
    }

  g_main_loop_quit (cli->loop);
}

/* Both the connection and the plan are done: an error, or on. What is
 * wrong with the file is said before what is wrong with the connection. */
static void
step_done (Cli *cli)
{
  if (--cli->pending > 0)
    return;
  if (cli->error == NULL)
    cli->error = g_steal_pointer (&cli->connection_error);
  g_clear_error (&cli->connection_error);
  if (cli->error != NULL)
    g_main_loop_quit (cli->loop);
  else
    finish (cli);
}

/* No connection: the plan waits for no host once the file is read. */
static void
stop_plan (Cli *cli)
{
  if (vmd_planner_get_media (cli->planner) != NULL)
    g_cancellable_cancel (cli->cancellable);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cli *cli = user_data;

  if (!vmd_connection_open_finish (cli->connection, result, &cli->connection_error))
    {
      g_signal_connect_swapped (cli->planner, "notify::media", G_CALLBACK (stop_plan), cli);
      stop_plan (cli);
    }
  step_done (cli);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (vmd_planner_load_finish (cli->planner, result, &error))
    cli->media = g_object_ref (vmd_planner_get_media (cli->planner));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cli->error = g_steal_pointer (&error);
  step_done (cli);
}

static void
on_identified (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cli *cli = user_data;

  cli->media = vmd_media_identify_finish (result, &cli->error);
  if (cli->media == NULL)
    g_main_loop_quit (cli->loop);
  else
    finish (cli);
}

/**
 * vmd_cli_run:
 * @create: (nullable): for %VMD_CLI_CREATE, the person's changes
 */
int
vmd_cli_run (VmdCliCommand        command,
             const char          *path,
             const char          *uri,
             const VmdCliCreate  *create,
             gboolean             json)
{
  static const VmdCliCreate keep_all = { 0 };
  Cli cli = { 0 };
  int status = 0;

  g_return_val_if_fail (path != NULL, 2);

  _vmd_cli_quiet_logs ();
  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.command = command;
  cli.json = json;
  cli.create = create ? create : &keep_all;
  if (command == VMD_CLI_PLAN || command == VMD_CLI_CREATE)
    {
      /* What the file is and this computer's numbers, as the window has them. */
      cli.connection = vmd_connection_new (uri);
      cli.planner = cli.create->there ? vmd_planner_new_there (cli.connection, path)
                                      : vmd_planner_new (cli.connection, path);
      cli.cancellable = g_cancellable_new ();
      cli.pending = 2;
      vmd_planner_load_async (cli.planner, cli.cancellable, on_loaded, &cli);
      vmd_connection_open_async (cli.connection, NULL, on_connected, &cli);
    }
  else if (cli.create->there)
    {
      cli.connection = vmd_connection_new (uri);
      vmd_media_identify_there_async (cli.connection, path, NULL, on_identified, &cli);
    }
  else
    vmd_media_identify_async (path, NULL, on_identified, &cli);
  g_main_loop_run (cli.loop);

  if (cli.error != NULL)
    status = _vmd_cli_report_error (cli.error, json);

  g_clear_error (&cli.error);
  g_clear_object (&cli.media);
  g_clear_object (&cli.planner);
  g_clear_object (&cli.cancellable);
  g_clear_object (&cli.connection);
  g_main_loop_unref (cli.loop);
  return status;
}
