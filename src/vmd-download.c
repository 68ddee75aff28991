/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-download"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "vmd-download.h"
#include "vmd-error.h"

/* One file fetched over HTTP(S) with libsoup into a folder. It is written
 * under "NAME.part" and gets its name only once whole, so nothing
 * half-written ever carries the final name. A run that fails keeps the part;
 * the next run asks the server for the rest (HTTP Range), and so does a
 * cancelled one: vmd_download_discard() drops it. Runs on the main
 * context, as libsoup wants. */
struct _VmdDownload
{
  GObject  parent_instance;

  char    *url;
  GFile   *file;          /* the final name */
  GFile   *part;          /* NAME.part while it is incomplete */
  guint64  received;      /* bytes in the part, this run's and before */
  guint64  total;         /* 0: not known */
  guint64  resumed_from;  /* bytes there were when this run started */
  double   rate;          /* bytes per second, smoothed */
  gint64   sampled_at;    /* monotonic µs of the last rate sample */
  guint64  sampled;       /* bytes at the last rate sample */
  gint64   notified_at;
  guint    notify_source; /* the notification held back by the interval */
  gboolean running;
};

G_DEFINE_FINAL_TYPE (VmdDownload, vmd_download, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECEIVED,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define CHUNK (256 * 1024)
#define NOTIFY_INTERVAL_US (G_USEC_PER_SEC / 10)
#define SAMPLE_INTERVAL_US (G_USEC_PER_SEC / 2)

typedef struct
{
  SoupSession   *session;
  SoupMessage   *message;
  GInputStream  *input;
  GOutputStream *output;
  gboolean       restarted;   /* the server refused our range once: from zero */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->output);
  g_clear_object (&data->input);
  g_clear_object (&data->message);
  g_clear_object (&data->session);
  g_free (data);
}

static void
vmd_download_finalize (GObject *object)
{
  VmdDownload *self = (VmdDownload *) object;

  g_clear_handle_id (&self->notify_source, g_source_remove);
  g_free (self->url);
  g_clear_object (&self->file);
  g_clear_object (&self->part);

  G_OBJECT_CLASS (vmd_download_parent_class)->finalize (object);
}

static void
vmd_download_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VmdDownload *self = VMD_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_RECEIVED:
      g_value_set_uint64 (value, self->received);
      break;
    case PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_download_class_init (VmdDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_download_finalize;
  object_class->get_property = vmd_download_get_property;

  /* Notified at most ten times a second, and at the end. */
  properties[PROP_RECEIVED] =
    g_param_spec_uint64 ("received", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_download_init (VmdDownload *self)
{
}

/* The last part of the address's path, when it can name a file here. */
static char *
file_name_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_PATH, NULL);
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;

  if (uri == NULL)
    return g_strdup ("download.iso");
  path = g_uri_unescape_string (g_uri_get_path (uri), "/");
  base = path != NULL ? g_path_get_basename (path) : NULL;
  if (base == NULL || *base == '\0' || *base == '.' || strchr (base, '/') != NULL ||
      !g_utf8_validate (base, -1, NULL))
    return g_strdup ("download.iso");
  return g_steal_pointer (&base);
}

/**
 * vmd_download_new:
 * @url: an http or https address
 * @directory: where the file goes, named after the address's last part
 */
VmdDownload *
vmd_download_new (const char *url,
                  GFile      *directory)
{
  VmdDownload *self;
  g_autofree char *name = NULL;
  g_autofree char *part = NULL;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (directory), NULL);

  self = g_object_new (VMD_TYPE_DOWNLOAD, NULL);
  self->url = g_strdup (url);
  name = file_name_of (url);
  part = g_strconcat (name, ".part", NULL);
  self->file = g_file_get_child (directory, name);
  self->part = g_file_get_child (directory, part);
  return self;
}

const char *
vmd_download_get_url (VmdDownload *self)
{
  g_return_val_if_fail (VMD_IS_DOWNLOAD (self), NULL);
  return self->url;
}

/* The file once whole. */
GFile *
vmd_download_get_file (VmdDownload *self)
{
  g_return_val_if_fail (VMD_IS_DOWNLOAD (self), NULL);
  return self->file;
}

guint64
vmd_download_get_received (VmdDownload *self)
{
  g_return_val_if_fail (VMD_IS_DOWNLOAD (self), 0);
  return self->received;
}

/* The file's size, 0 while the server has not said. */
guint64
vmd_download_get_total (VmdDownload *self)
{
  g_return_val_if_fail (VMD_IS_DOWNLOAD (self), 0);
  return self->total;
}

gboolean
vmd_download_get_running (VmdDownload *self)
{
  g_return_val_if_fail (VMD_IS_DOWNLOAD (self), FALSE);
  return self->running;
}

/* The bytes an earlier run had fetched, which this one kept. */
guint64
vmd_download_get_resumed_from (VmdDownload *self)
{
  g_return_val_if_fail (VMD_IS_DOWNLOAD (self), 0);
  return self->resumed_from;
}

static char *
time_left_text (guint64 seconds)
{
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second left", "%u seconds left",
                                         (gulong) seconds), (guint) seconds);
  if (seconds < 3600)
    {
      guint minutes = (guint) ((seconds + 30) / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute left",
                                           "%u minutes left", minutes), minutes);
    }
  else
    {
      guint hours = (guint) (seconds / 3600);
      guint minutes = (guint) ((seconds % 3600) / 60);
      /* Translators: "2 h 5 min left" */
      return g_strdup_printf (_("%u h %u min left"), hours, minutes);
    }
}

/**
 * vmd_download_dup_progress_text:
 *
 * "1.2 GB of 2.1 GB · 4.2 MB/s · 3 minutes left", or as much of it as
 * is known.
 */
char *
vmd_download_dup_progress_text (VmdDownload *self)
{
  g_autofree char *received = NULL;
  g_autofree char *total = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *left = NULL;
  GString *text;

  g_return_val_if_fail (VMD_IS_DOWNLOAD (self), NULL);

  received = g_format_size (self->received);
  text = g_string_new (NULL);
  if (self->total > 0)
    {
      total = g_format_size (self->total);
      /* Translators: bytes received "of" the file's size */
      g_string_printf (text, _("%s of %s"), received, total);
    }
  else
    g_string_assign (text, received);

  if (self->running && self->rate >= 1)
    {
      g_autofree char *size = g_format_size ((guint64) self->rate);
      /* Translators: a speed, as in "4.2 MB/s" */
      rate = g_strdup_printf (_("%s/s"), size);
      g_string_append_printf (text, " · %s", rate);
      if (self->total > self->received)
        {
          left = time_left_text ((guint64) ((self->total - self->received) / self->rate));
          g_string_append_printf (text, " · %s", left);
        }
    }
  return g_string_free (text, FALSE);
}

/* The folder downloads go to: the download-directory setting, else the
 * user's Downloads folder, else ~/Downloads. */
GFile *
vmd_download_default_directory (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  const char *downloads;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "download-directory"))
    {
      g_autoptr(GSettings) settings = g_settings_new_full (schema, NULL, NULL);
      g_autofree char *path = g_settings_get_string (settings, "download-directory");

      if (*path != '\0')
        return g_file_new_for_commandline_arg (path);
    }
  downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  if (downloads != NULL)
    return g_file_new_for_path (downloads);
  return g_file_new_build_filename (g_get_home_dir (), "Downloads", NULL);
}

static void
notify_received (VmdDownload *self)
{
  g_clear_handle_id (&self->notify_source, g_source_remove);
  self->notified_at = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED]);
}

/* What came during the interval is told at its end, even when nothing
 * comes after it. */
static gboolean
on_notify_due (gpointer user_data)
{
  VmdDownload *self = user_data;

  self->notify_source = 0;
  notify_received (self);
  return G_SOURCE_REMOVE;
}

static void
set_received (VmdDownload *self,
              guint64      received,
              gboolean     force_notify)
{
  gint64 now = g_get_monotonic_time ();

  self->received = received;
  if (self->sampled_at == 0 || received < self->sampled)
    {
      self->sampled_at = now;
      self->sampled = received;
    }
  else if (now - self->sampled_at >= SAMPLE_INTERVAL_US)
    {
      double rate = (double) (received - self->sampled) * G_USEC_PER_SEC /
                    (double) (now - self->sampled_at);

      self->rate = self->rate == 0 ? rate : 0.7 * self->rate + 0.3 * rate;
      self->sampled_at = now;
      self->sampled = received;
    }
  if (force_notify || now - self->notified_at >= NOTIFY_INTERVAL_US)
    notify_received (self);
  else if (self->notify_source == 0)
    self->notify_source = g_timeout_add (NOTIFY_INTERVAL_US / 1000, on_notify_due, self);
}

static void
set_total (VmdDownload *self,
           guint64      total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : url);
}

/* The error a person can act on, from what libsoup and GIO said. */
static GError *
network_error (VmdDownload  *self,
               const GError *error)
{
  g_autofree char *host = host_of (self->url);
  g_autofree char *got = g_format_size (self->received);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error->domain == VMD_ERROR)
    return g_error_copy (error);
  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (VMD_ERROR, VMD_ERROR_NETWORK,
                        _("No network: the address of %s could not be found. Check the "
                          "connection to the internet, then try again."), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (VMD_ERROR, VMD_ERROR_NETWORK,
                        _("%s refused the connection. Try again later."), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return g_error_new (VMD_ERROR, VMD_ERROR_NETWORK,
                        _("No network: %s cannot be reached. Check the connection to the "
                          "internet, then try again."), host);
  if (error->domain == G_IO_ERROR && self->received > 0 &&
      (error->code == G_IO_ERROR_PARTIAL_INPUT || error->code == G_IO_ERROR_CONNECTION_CLOSED ||
       error->code == G_IO_ERROR_BROKEN_PIPE || error->code == G_IO_ERROR_TIMED_OUT ||
       error->code == G_IO_ERROR_FAILED))
    return g_error_new (VMD_ERROR, VMD_ERROR_NETWORK,
                        _("The download from %s stopped after %s (%s). Trying again goes on "
                          "from there."), host, got, error->message);
  return g_error_new (VMD_ERROR, VMD_ERROR_NETWORK, _("Could not download from %s: %s"),
                      host, error->message);
}

static void
fail (GTask        *task,
      const GError *error)
{
  VmdDownload *self = g_task_get_source_object (task);

  self->running = FALSE;
  notify_received (self);
  g_task_return_error (task, network_error (self, error));
}

static void send_request (GTask *task);
static void read_next (GTask *task);

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdDownload *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  g_autofree char *total = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      fail (task, error);
      return;
    }
  if (self->total > 0 && self->received != self->total)
    {
      g_autoptr(GError) cut = NULL;
      g_autofree char *host = host_of (self->url);

      got = g_format_size (self->received);
      total = g_format_size (self->total);
      cut = g_error_new (VMD_ERROR, VMD_ERROR_NETWORK,
                         _("The download from %s stopped after %s of %s. Trying again goes on "
                           "from there."), host, got, total);
      fail (task, cut);
      return;
    }
  /* Whole: it gets its name, never over a file that took it meanwhile. */
  if (!g_file_move (self->part, self->file, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
    {
      self->running = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->running = FALSE;
  set_total (self, self->received);
  set_received (self, self->received, TRUE);
  g_task_return_pointer (task, g_object_ref (self->file), g_object_unref);
}

/* Closes the part, then fails with @error (or, without one, finishes). */
static void
close_part (GTask  *task,
            GError *error)
{
  RunData *data = g_task_get_task_data (task);

  if (error != NULL)
    {
      g_output_stream_close (data->output, NULL, NULL);
      fail (task, error);
      g_object_unref (task);
      return;
    }
  g_output_stream_close_async (data->output, G_PRIORITY_DEFAULT, NULL, on_closed, task);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  VmdDownload *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    {
      close_part (task, g_steal_pointer (&error));
      return;
    }
  set_received (self, self->received + written, FALSE);
  read_next (task);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gconstpointer chunk;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      close_part (task, g_steal_pointer (&error));
      return;
    }
  chunk = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      close_part (task, NULL);
      return;
    }
  /* The bytes live until the write is done: the task holds them. */
  g_object_set_data_full (G_OBJECT (task), "chunk", g_steal_pointer (&bytes),
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (data->output, chunk, size, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_written, task);
}

static void
read_next (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->input, CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_read, task);
}

static void
on_part_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  VmdDownload *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GFileOutputStream *output;

  if (self->received > 0)
    output = g_file_append_to_finish (G_FILE (source), result, &error);
  else
    output = g_file_replace_finish (G_FILE (source), result, &error);
  if (output == NULL)
    {
      g_autoptr(GError) local = NULL;

      /* This computer's side: the folder, not the network. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        local = g_error_new (VMD_ERROR, error->code == G_IO_ERROR_PERMISSION_DENIED
                                        ? VMD_ERROR_PERMISSION : VMD_ERROR_FAILED,
                             _("Could not write the download in %s: %s"),
                             g_file_peek_path (G_FILE (source)), error->message);
      fail (task, local != NULL ? local : error);
      g_object_unref (task);
      return;
    }
  data->output = G_OUTPUT_STREAM (output);
  set_received (self, self->received, TRUE);
  read_next (task);
}

static void
open_part (GTask   *task,
           gboolean append)
{
  VmdDownload *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (append)
    g_file_append_to_async (self->part, G_FILE_CREATE_PRIVATE, G_PRIORITY_DEFAULT, cancellable,
                            on_part_opened, task);
  else
    {
      self->received = 0;
      self->resumed_from = 0;
      g_file_replace_async (self->part, NULL, FALSE, G_FILE_CREATE_PRIVATE, G_PRIORITY_DEFAULT,
                            cancellable, on_part_opened, task);
    }
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  VmdDownload *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  goffset start = 0, end = 0, total = 0;
  guint status;

  data->input = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->input == NULL)
    {
      fail (task, error);
      g_object_unref (task);
      return;
    }
  status = soup_message_get_status (data->message);
  headers = soup_message_get_response_headers (data->message);

  if (status == SOUP_STATUS_PARTIAL_CONTENT && self->received > 0 &&
      soup_message_headers_get_content_range (headers, &start, &end, &total) &&
      start == (goffset) self->received)
    {
      set_total (self, total > 0 ? (guint64) total : 0);
      open_part (task, TRUE);
      return;
    }
  if (status == SOUP_STATUS_OK)
    {
      goffset length = soup_message_headers_get_content_length (headers);

      set_total (self, length > 0 ? (guint64) length : 0);
      open_part (task, FALSE);
      return;
    }
  /* A range the server cannot give (the part is not a start of this file
   * any more): once more, from zero. */
  if ((status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE ||
       status == SOUP_STATUS_PARTIAL_CONTENT) && !data->restarted)
    {
      data->restarted = TRUE;
      self->received = 0;
      self->resumed_from = 0;
      g_clear_object (&data->input);
      send_request (task);
      return;
    }

  self->running = FALSE;
  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                             _("The server has no such file any more (HTTP %u %s): %s"),
                             status, soup_message_get_reason_phrase (data->message), self->url);
  else
    g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED,
                             _("The server refused the download (HTTP %u %s): %s"),
                             status, soup_message_get_reason_phrase (data->message), self->url);
  g_object_unref (task);
}

static void
send_request (GTask *task)
{
  RunData *data = g_task_get_task_data (task);
  VmdDownload *self = g_task_get_source_object (task);

  g_clear_object (&data->message);
  data->message = soup_message_new (SOUP_METHOD_GET, self->url);
  if (self->received > 0)
    soup_message_headers_set_range (soup_message_get_request_headers (data->message),
                                    (goffset) self->received, -1);
  soup_session_send_async (data->session, data->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_sent, task);
}

/**
 * vmd_download_run_async:
 *
 * Fetches the file, going on from a part an earlier run left. When a file
 * already has the final name, that file is the result.
 */
void
vmd_download_run_async (VmdDownload         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  RunData *data;

  g_return_if_fail (VMD_IS_DOWNLOAD (self));
  g_return_if_fail (!self->running);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_download_run_async);

  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED,
                               _("“%s” is not a web address VmDesk can download from."),
                               self->url);
      return;
    }

  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL && g_file_info_get_size (info) > 0)
    {
      self->received = self->total = self->resumed_from = (guint64) g_file_info_get_size (info);
      g_task_return_pointer (task, g_object_ref (self->file), g_object_unref);
      return;
    }

  directory = g_file_get_parent (self->file);
  if (!g_file_make_directory_with_parents (directory, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&info);
  info = g_file_query_info (self->part, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  self->received = info != NULL ? (guint64) g_file_info_get_size (info) : 0;
  self->resumed_from = self->received;
  self->rate = 0;
  self->sampled_at = 0;
  self->running = TRUE;

  data = g_new0 (RunData, 1);
  data->session = soup_session_new_with_options ("user-agent", "VmDesk/" PACKAGE_VERSION " ",
                                                 "timeout", 60, NULL);
  /* Sizes and ranges count the file's own bytes: no compressed transfer. */
  soup_session_remove_feature_by_type (data->session, SOUP_TYPE_CONTENT_DECODER);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  send_request (g_steal_pointer (&task));
}

/**
 * vmd_download_discard:
 *
 * Deletes what a run that did not finish left, so that nothing of it
 * stays on disk. Not while it runs.
 */
void
vmd_download_discard (VmdDownload *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VMD_IS_DOWNLOAD (self));
  g_return_if_fail (!self->running);

  if (!g_file_delete (self->part, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_warning ("Could not delete %s: %s", g_file_peek_path (self->part), error->message);
  self->received = 0;
  self->resumed_from = 0;
  notify_received (self);
}

/**
 * vmd_download_run_finish:
 *
 * Returns: (transfer full): the file, whole under its name
 */
GFile *
vmd_download_run_finish (VmdDownload   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
