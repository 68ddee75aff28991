/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vmd-http-fixture.h"

/* A test's HTTP server: blocking I/O, a thread per connection
 * (GThreadedSocketService), so it answers whatever the test's own main
 * loop or a child process is doing. What it does wrong on purpose (a cut
 * connection, a slow body) is the point; everything else is plain HTTP. */
struct _VmdHttpFixture
{
  GSocketService *service;
  GThread        *thread;      /* where the service accepts */
  GMainContext   *context;
  GMainLoop      *loop;
  GBytes         *content;
  guint16         port;
  GCancellable   *stop;        /* stalled answers end with the fixture */
  GMutex          lock;
  GCond           idle;
  guint           active;       /* connections being answered */
  char           *last_range;
  guint           requests;
};

#define SLOW_CHUNK (16 * 1024)

/* /logo.png: a 2×2 PNG, a system's logo. */
static const char logo_png[] =
  "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d"
  "\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00\x00\x02"
  "\x08\x02\x00\x00\x00\xfd\xd4\x9a\x73\x00\x00\x00"
  "\x10\x49\x44\x41\x54\x78\x9c\x63\x50\x48\x38\x00"
  "\x44\x0c\x10\x0a\x00\x20\x8e\x05\x01\xe7\xd9\x93"
  "\x7b\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
  "\x82";

#define SLOW_PAUSE_US (10 * 1000)

static gboolean
write_text (GOutputStream *out,
            const char    *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
}

static void
send_body (GOutputStream *out,
           const guint8  *data,
           gsize          size,
           gboolean       slow)
{
  gsize step = slow ? SLOW_CHUNK : size;

  for (gsize done = 0; done < size; done += step)
    {
      if (!g_output_stream_write_all (out, data + done, MIN (step, size - done), NULL, NULL,
                                      NULL))
        return;
      if (slow)
        g_usleep (SLOW_PAUSE_US);
    }
}

static void answer (VmdHttpFixture    *self,
                    GSocketConnection *connection);

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  VmdHttpFixture *self = user_data;

  g_mutex_lock (&self->lock);
  self->active++;
  g_mutex_unlock (&self->lock);
  answer (self, connection);
  g_mutex_lock (&self->lock);
  self->active--;
  g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
answer (VmdHttpFixture    *self,
        GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (in);
  g_autofree char *request = NULL;
  g_autofree char *range = g_strdup ("");
  g_auto(GStrv) parts = NULL;
  const guint8 *data;
  gsize size;
  guint64 from = 0;
  const char *path;
  gboolean slow = FALSE, cut = FALSE, stall = FALSE;
  char *header;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
  request = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);
  if (request == NULL)
    return;
  while ((header = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL)) != NULL)
    {
      g_strchomp (header);
      if (*header == '\0')
        {
          g_free (header);
          break;
        }
      if (g_ascii_strncasecmp (header, "Range:", 6) == 0)
        {
          g_free (range);
          range = g_strstrip (g_strdup (header + 6));
        }
      g_free (header);
    }

  g_mutex_lock (&self->lock);
  g_free (self->last_range);
  self->last_range = g_strdup (range);
  self->requests++;
  g_mutex_unlock (&self->lock);

  parts = g_strsplit (g_strchomp (request), " ", 3);
  path = parts[0] != NULL && parts[1] != NULL ? parts[1] : "/";
  if (g_str_has_prefix (path, "/slow/"))
    slow = TRUE, path += 5;
  else if (g_str_has_prefix (path, "/cut/"))
    cut = TRUE, path += 4;
  else if (g_str_has_prefix (path, "/stall/"))
    stall = TRUE, path += 6;
  if (strcmp (path, "/logo.png") == 0)
    {
      g_autofree char *head =
        g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: %"
                         G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                         sizeof logo_png - 1);
      if (write_text (out, head))
        send_body (out, (const guint8 *) logo_png, sizeof logo_png - 1, FALSE);
      return;
    }
  if (strcmp (path, "/fixture.iso") != 0)
    {
      write_text (out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }

  data = g_bytes_get_data (self->content, &size);
  if (g_str_has_prefix (range, "bytes="))
    from = g_ascii_strtoull (range + 6, NULL, 10);
  if (from > 0 && from < size)
    {
      g_autofree char *head =
        g_strdup_printf ("HTTP/1.1 206 Partial Content\r\nContent-Length: %" G_GSIZE_FORMAT
                         "\r\nContent-Range: bytes %" G_GUINT64_FORMAT "-%" G_GSIZE_FORMAT
                         "/%" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                         size - from, from, size - 1, size);
      if (write_text (out, head))
        send_body (out, data + from, size - from, slow);
      return;
    }
  else
    {
      g_autofree char *head =
        g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT
                         "\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n", size);
      if (write_text (out, head))
        send_body (out, data, cut || stall ? size / 2 : size, slow);
      if (stall)
        {
          /* Nothing more until the client goes (or the fixture does). */
          char byte;
          while (g_input_stream_read (in, &byte, 1, self->stop, NULL) > 0)
            ;
        }
    }
}

/* The service accepts in a thread of its own: the test's main thread may
 * be blocked waiting for a child that downloads. */
static gpointer
serve (gpointer user_data)
{
  VmdHttpFixture *self = user_data;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);
  self->service = g_threaded_socket_service_new (8);
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  g_signal_connect (self->service, "run", G_CALLBACK (on_run), self);
  g_socket_service_start (self->service);

  g_mutex_lock (&self->lock);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);

  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

VmdHttpFixture *
vmd_http_fixture_new (GBytes *content)
{
  VmdHttpFixture *self = g_new0 (VmdHttpFixture, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  self->content = g_bytes_ref (content);
  self->last_range = g_strdup ("");
  self->stop = g_cancellable_new ();
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("http-fixture", serve, self);
  g_mutex_lock (&self->lock);
  while (self->port == 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

guint16
vmd_http_fixture_get_port (VmdHttpFixture *self)
{
  return self->port;
}

char *
vmd_http_fixture_dup_url (VmdHttpFixture *self,
                          const char     *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", self->port, path);
}

char *
vmd_http_fixture_dup_range (VmdHttpFixture *self)
{
  char *range;

  g_mutex_lock (&self->lock);
  range = g_strdup (self->last_range);
  g_mutex_unlock (&self->lock);
  return range;
}

guint
vmd_http_fixture_get_requests (VmdHttpFixture *self)
{
  guint requests;

  g_mutex_lock (&self->lock);
  requests = self->requests;
  g_mutex_unlock (&self->lock);
  return requests;
}

void
vmd_http_fixture_free (VmdHttpFixture *self)
{
  g_cancellable_cancel (self->stop);
  g_main_loop_quit (self->loop);
  g_thread_join (self->thread);
  /* Answers still being written end when their client has gone. */
  g_mutex_lock (&self->lock);
  while (self->active > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
  g_clear_object (&self->stop);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_bytes_unref (self->content);
  g_free (self->last_range);
  g_cond_clear (&self->idle);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static void
write_entry (const char *dir,
             const char *id,
             const char *short_id,
             const char *name,
             const char *released,
             const char *eol,
             const char *url,
             const char *logo)
{
  /* libosinfo wants http://HOST/A/B in os/HOST/A-B.xml */
  g_autofree char *file = g_strdup_printf ("%s/test-%s.xml", dir, strrchr (id, '/') + 1);
  g_autofree char *eol_xml = eol ? g_strdup_printf ("<eol-date>%s</eol-date>", eol)
                                 : g_strdup ("");
  g_autofree char *logo_xml = logo ? g_strdup_printf ("<logo>%s</logo>", logo) : g_strdup ("");
  g_autofree char *label = g_ascii_strup (short_id, -1);
  g_autofree char *media = url ? g_strdup_printf ("<media arch=\"x86_64\"><url>%s</url>"
                                                  "<iso><volume-id>^%s$</volume-id></iso>"
                                                  "</media>", url, label)
                               : g_strdup ("");
  g_autofree char *xml =
    g_strdup_printf ("<?xml version=\"1.0\"?>\n<libosinfo version=\"0.0.1\">"
                     "<os id=\"%s\"><short-id>%s</short-id><name>%s</name>"
                     "<vendor>VmDesk</vendor><family>linux</family><distro>vmdtest</distro>"
                     "<release-date>%s</release-date>%s%s%s</os></libosinfo>\n",
                     id, short_id, name, released, eol_xml, logo_xml, media);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (file, xml, -1, &error));
}

/* The test's systems in libosinfo's user database under @config_dir (what
 * $XDG_CONFIG_HOME is when the database loads): two current ones with an
 * address here (OS 2: /slow/, OS 4: /cut/, OS 5: /stall/), one past its end of life, one
 * not released yet, one without an address. An image labelled "VMDTEST2"
 * is OS 2's; OS 2 has a logo (/logo.png). */
void
vmd_http_fixture_write_catalog (VmdHttpFixture *self,
                                const char     *config_dir)
{
  g_autofree char *dir = g_build_filename (config_dir, "osinfo", "os", "vmdesk.example", NULL);
  g_autofree char *url = vmd_http_fixture_dup_url (self, "/slow/fixture.iso");
  g_autofree char *cut_url = vmd_http_fixture_dup_url (self, "/cut/fixture.iso");
  g_autofree char *stall_url = vmd_http_fixture_dup_url (self, "/stall/fixture.iso");
  g_autofree char *logo = vmd_http_fixture_dup_url (self, "/logo.png");
  g_autofree char *old_url = vmd_http_fixture_dup_url (self, "/old/fixture.iso");
  g_autofree char *future_url = vmd_http_fixture_dup_url (self, "/future/fixture.iso");

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_entry (dir, "http://vmdesk.example/test/2", "vmdtest2", "VmDesk Test OS 2",
               "2024-05-01", NULL, url, logo);
  write_entry (dir, "http://vmdesk.example/test/4", "vmdtest4", "VmDesk Test OS 4",
               "2023-03-01", NULL, cut_url, NULL);
  write_entry (dir, "http://vmdesk.example/test/5", "vmdtest5", "VmDesk Test OS 5",
               "2022-02-01", NULL, stall_url, NULL);
  write_entry (dir, "http://vmdesk.example/test/1", "vmdtest1", "VmDesk Test OS 1",
               "2019-01-01", "2021-01-01", old_url, NULL);
  write_entry (dir, "http://vmdesk.example/test/3", "vmdtest3", "VmDesk Test OS 3",
               "2099-01-01", NULL, future_url, NULL);
  write_entry (dir, "http://vmdesk.example/test/0", "vmdtestnourl", "VmDesk Test OS 0",
               "2020-01-01", NULL, NULL, NULL);
}

guint16
vmd_http_fixture_closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}
