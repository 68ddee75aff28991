/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-cli.h"
#include "vmd-cli-private.h"
#include "vmd-computers.h"
#include "vmd-connection.h"
#include "vmd-text.h"

/* `vmdesk --computers`, `--add-computer ADDRESS`, `--remove-computer
 * ADDRESS`: the library's computers, as the window's sidebar has them,
 * through the same list (VmdComputers) and the same settings. Nothing is
 * reached: adding a computer does not connect to it. `vmdesk --images`:
 * the installer images a computer has, as New Machine lists them there. */

static void
print_computers (VmdComputers *computers,
                 gboolean      json)
{
  GListModel *model = G_LIST_MODEL (computers);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (model, i);
      const char *uri = vmd_connection_get_uri (connection);
      g_autofree char *title = vmd_computer_dup_title (uri);

      if (!json)
        {
          g_autofree char *shown = vmd_text_make_printable (title, -1);

          g_print ("%-32s %s\n", shown, uri);
          continue;
        }
      json_builder_begin_object (b);
      _vmd_cli_member_string (b, "name", title);
      _vmd_cli_member_string (b, "uri", uri);
      json_builder_set_member_name (b, "this-computer");
      json_builder_add_boolean_value (b, i == 0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (json)
    _vmd_cli_print_json (b, TRUE);
}

int
vmd_cli_computers (VmdCliComputers  command,
                   const char      *address,
                   const char      *uri,
                   gboolean         json)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *primary = uri ? g_strdup (uri) : g_settings_get_string (settings, "uri");
  g_autoptr(VmdComputers) computers = vmd_computers_new (settings, primary);
  g_autoptr(GError) error = NULL;
  g_autofree char *added = NULL;

  _vmd_cli_quiet_logs ();

  switch (command)
    {
    case VMD_CLI_COMPUTERS:
      print_computers (computers, json);
      return 0;
    case VMD_CLI_ADD_COMPUTER:
      added = vmd_computers_add (computers, address, &error);
      if (added == NULL)
        return _vmd_cli_report_error (error, json);
      break;
    case VMD_CLI_REMOVE_COMPUTER:
      if (!vmd_computers_remove (computers, address, &error))
        return _vmd_cli_report_error (error, json);
      break;
    default:
      g_assert_not_reached ();
    }

  /* Written before the process ends (dconf writes in the background). */
  g_settings_sync ();
  print_computers (computers, json);
  return 0;
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *images;
  GError    *error;
} Listing;

static void
on_images (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Listing *listing = user_data;

  listing->images = vmd_connection_list_images_finish (VMD_CONNECTION (object), result,
                                                       &listing->error);
  g_main_loop_quit (listing->loop);
}

int
vmd_cli_images (const char *uri,
                gboolean    json)
{
  g_autoptr(VmdConnection) connection = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  Listing listing = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  int status = 0;

  _vmd_cli_quiet_logs ();
  connection = vmd_connection_new (uri);
  vmd_connection_list_images_async (connection, NULL, on_images, &listing);
  g_main_loop_run (listing.loop);
  g_main_loop_unref (listing.loop);
  if (listing.images == NULL)
    {
      status = _vmd_cli_report_error (listing.error, json);
      g_clear_error (&listing.error);
      return status;
    }

  json_builder_begin_array (b);
  for (guint i = 0; i < listing.images->len; i++)
    {
      const VmdStoredImage *image = listing.images->pdata[i];

      if (!json)
        {
          g_autofree char *name = vmd_text_make_printable (image->name, -1);
          g_autofree char *path = vmd_text_make_printable (image->path, -1);
          g_autofree char *size = g_format_size (image->size);

          g_print ("%-32s %10s  %s\n", name, size, path);
          continue;
        }
      json_builder_begin_object (b);
      _vmd_cli_member_string (b, "name", image->name);
      _vmd_cli_member_string (b, "path", image->path);
      _vmd_cli_member_string (b, "pool", image->pool);
      _vmd_cli_member_int (b, "size", image->size);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (json)
    _vmd_cli_print_json (b, TRUE);
  g_ptr_array_unref (listing.images);
  return 0;
}
