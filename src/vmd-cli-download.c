/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "vmd-cli.h"
#include "vmd-cli-private.h"
#include "vmd-download.h"
#include "vmd-os-db.h"

/* `vmdesk --download OS-ID`: the system's installer from the address
 * libosinfo has, into the download folder, with a progress line. */
typedef struct
{
  GMainLoop   *loop;
  char        *id;
  gboolean     json;
  gboolean     tty;
  gint64       printed_at;
  char        *printed;     /* the last line, not printed twice */
  VmdDownload *download;
  OsinfoMedia *media;
  GFile       *file;
  GError      *error;
} Fetch;

static void
print_progress (Fetch    *fetch,
                gboolean  last)
{
  g_autofree char *text = vmd_download_dup_progress_text (fetch->download);
  gint64 now = g_get_monotonic_time ();

  if (fetch->json)
    return;
  if (fetch->tty)
    {
      /* One line, rewritten in place. */
      g_print ("\r%s\033[K%s", text, last ? "\n" : "");
      fflush (stdout);
    }
  else if ((last || now - fetch->printed_at >= G_USEC_PER_SEC) &&
           g_strcmp0 (text, fetch->printed) != 0)
    {
      fetch->printed_at = now;
      g_print ("%s\n", text);
      fflush (stdout);
      g_free (fetch->printed);
      fetch->printed = g_steal_pointer (&text);
    }
}

static void
on_received (Fetch *fetch)
{
  if (vmd_download_get_received (fetch->download) > 0)
    print_progress (fetch, FALSE);
}

static void
on_downloaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->file = vmd_download_run_finish (VMD_DOWNLOAD (object), result, &fetch->error);
  if (fetch->file != NULL || vmd_download_get_received (fetch->download) > 0)
    print_progress (fetch, TRUE);
  g_main_loop_quit (fetch->loop);
}

static void
on_db_loaded (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(OsinfoOs) os = NULL;
  g_autofree char *resumed = NULL;

  if (!vmd_os_db_load_finish (VMD_OS_DB (object), result, &fetch->error))
    {
      g_main_loop_quit (fetch->loop);
      return;
    }
  fetch->media = vmd_os_db_find_download (VMD_OS_DB (object), fetch->id, &fetch->error);
  if (fetch->media == NULL)
    {
      g_main_loop_quit (fetch->loop);
      return;
    }
  os = osinfo_media_get_os (fetch->media);
  directory = vmd_download_default_directory ();
  fetch->download = vmd_download_new (osinfo_media_get_url (fetch->media), directory);
  if (!fetch->json)
    {
      g_autofree char *where = g_file_get_parse_name (vmd_download_get_file (fetch->download));

      /* Translators: "Downloading Debian 12 from URL to PATH" */
      g_print (_("Downloading %s from %s to %s\n"), osinfo_product_get_name (OSINFO_PRODUCT (os)),
               osinfo_media_get_url (fetch->media), where);
    }
  g_signal_connect_swapped (fetch->download, "notify::received", G_CALLBACK (on_received),
                            fetch);
  vmd_download_run_async (fetch->download, NULL, on_downloaded, fetch);
}

/**
 * vmd_cli_download:
 * @id: a system's short id ("debian12") or full libosinfo id
 *
 * Returns: the exit status: 0 when the file is whole in the download folder
 */
int
vmd_cli_download (const char *id,
                  gboolean    json)
{
  Fetch fetch = { 0 };
  int status = 0;

  g_return_val_if_fail (id != NULL, 2);

  _vmd_cli_quiet_logs ();
  fetch.loop = g_main_loop_new (NULL, FALSE);
  fetch.id = g_strdup (id);
  fetch.json = json;
  fetch.tty = isatty (STDOUT_FILENO);
  vmd_os_db_load_async (vmd_os_db_get_default (), NULL, on_db_loaded, &fetch);
  g_main_loop_run (fetch.loop);

  if (fetch.error == NULL)
    {
      g_autofree char *path = g_file_get_path (fetch.file);
      g_autoptr(OsinfoOs) os = osinfo_media_get_os (fetch.media);

      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          _vmd_cli_member_string (b, "os", osinfo_entity_get_id (OSINFO_ENTITY (os)));
          _vmd_cli_member_string (b, "url", vmd_download_get_url (fetch.download));
          _vmd_cli_member_string (b, "file", path);
          _vmd_cli_member_int (b, "size", (gint64) vmd_download_get_total (fetch.download));
          _vmd_cli_member_int (b, "resumed-from",
                               (gint64) vmd_download_get_resumed_from (fetch.download));
          json_builder_end_object (b);
          _vmd_cli_print_json (b, FALSE);
        }
      else
        g_print (_("Downloaded to %s\n"), path);
    }
  else
    status = _vmd_cli_report_error (fetch.error, json);

  g_clear_error (&fetch.error);
  g_clear_object (&fetch.file);
  g_clear_object (&fetch.media);
  g_clear_object (&fetch.download);
  g_free (fetch.id);
  g_free (fetch.printed);
  g_main_loop_unref (fetch.loop);
  return status;
}
