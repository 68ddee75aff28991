/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-clipboard"

#include "config.h"

#include <spice-client.h>
#include <spice/vd_agent.h>

#include "vmd-clipboard.h"
#include "vmd-spice-session.h"
#include "vmd-text.h"

/* The desktop's clipboard and the guest's, both ways, through the SPICE
 * agent (spice-vdagent in the guest): text, with line ends converted for
 * guests that use CRLF, and images as PNG. */
struct _VmdClipboard
{
  GObject           parent_instance;

  GdkClipboard     *clipboard;
  VmdSpiceSession  *session;
  SpiceMainChannel *main;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdClipboard, vmd_clipboard, G_TYPE_OBJECT)

static gboolean
guest_uses_crlf (VmdClipboard *self)
{
  return self->main != NULL &&
         spice_main_channel_agent_test_capability (self->main, VD_AGENT_CAP_GUEST_LINEEND_CRLF);
}

/* The agent's capabilities come a moment after the agent itself. */
static gboolean
agent_ready (VmdClipboard *self)
{
  return self->main != NULL && vmd_spice_session_get_agent (self->session) &&
         spice_main_channel_agent_test_capability (self->main, VD_AGENT_CAP_CLIPBOARD_BY_DEMAND);
}

/* -- host -> guest --------------------------------------------------- */

static void
on_host_changed (GdkClipboard *clipboard,
                 VmdClipboard *self)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);
  guint32 types[2];
  int n = 0;

  /* What we put there ourselves came from the guest. */
  if (!agent_ready (self) || gdk_clipboard_is_local (clipboard))
    return;

  if (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) ||
      gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8"))
    types[n++] = VD_AGENT_CLIPBOARD_UTF8_TEXT;
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    types[n++] = VD_AGENT_CLIPBOARD_IMAGE_PNG;

  if (n > 0)
    spice_main_channel_clipboard_selection_grab (self->main, VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 types, n);
}

static void
on_host_text (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdClipboard) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  g_autofree char *converted = NULL;
  gsize length = 0;

  if (self->main == NULL)
    return;
  if (text == NULL)
    text = g_strdup ("");
  converted = guest_uses_crlf (self) ? vmd_text_to_crlf (text, -1, &length)
                                     : g_strdup (text);
  if (!guest_uses_crlf (self))
    length = strlen (converted);
  spice_main_channel_clipboard_selection_notify (self->main, VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 VD_AGENT_CLIPBOARD_UTF8_TEXT,
                                                 (const guchar *) converted, length);
}

static void
on_host_texture (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VmdClipboard) self = user_data;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object),
                                                                    result, NULL);
  g_autoptr(GBytes) png = texture ? gdk_texture_save_to_png_bytes (texture) : NULL;

  if (self->main == NULL)
    return;
  spice_main_channel_clipboard_selection_notify (self->main, VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 VD_AGENT_CLIPBOARD_IMAGE_PNG,
                                                 png ? g_bytes_get_data (png, NULL) : NULL,
                                                 png ? g_bytes_get_size (png) : 0);
}

static gboolean
on_guest_request (SpiceMainChannel *main_channel,
                  guint             selection,
                  guint             type,
                  VmdClipboard     *self)
{
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return FALSE;

  if (type == VD_AGENT_CLIPBOARD_UTF8_TEXT)
    gdk_clipboard_read_text_async (self->clipboard, self->cancellable, on_host_text,
                                   g_object_ref (self));
  else if (type == VD_AGENT_CLIPBOARD_IMAGE_PNG)
    gdk_clipboard_read_texture_async (self->clipboard, self->cancellable, on_host_texture,
                                      g_object_ref (self));
  else
    return FALSE;
  return TRUE;
}

/* -- guest -> host --------------------------------------------------- */

static gboolean
on_guest_grab (SpiceMainChannel *main_channel,
               guint             selection,
               guint32          *types,
               guint             ntypes,
               VmdClipboard     *self)
{
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return FALSE;

  /* Fetched at once: clipboards are small, and the desktop's clipboard
   * then holds it even if the guest goes away. Text wins over an image. */
  for (guint i = 0; i < ntypes; i++)
    if (types[i] == VD_AGENT_CLIPBOARD_UTF8_TEXT)
      {
        spice_main_channel_clipboard_selection_request (main_channel, selection, types[i]);
        return TRUE;
      }
  for (guint i = 0; i < ntypes; i++)
    if (types[i] == VD_AGENT_CLIPBOARD_IMAGE_PNG)
      {
        spice_main_channel_clipboard_selection_request (main_channel, selection, types[i]);
        return TRUE;
      }
  return TRUE;
}

static void
on_guest_data (SpiceMainChannel *main_channel,
               guint             selection,
               guint             type,
               gpointer          data,
               guint             size,
               VmdClipboard     *self)
{
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return;

  if (type == VD_AGENT_CLIPBOARD_UTF8_TEXT)
    {
      g_autofree char *text = vmd_text_to_lf (data, size, NULL);

      if (g_utf8_validate (text, -1, NULL))
        gdk_clipboard_set_text (self->clipboard, text);
    }
  else if (type == VD_AGENT_CLIPBOARD_IMAGE_PNG)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (data, size);
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (bytes, NULL);

      if (texture != NULL)
        gdk_clipboard_set_texture (self->clipboard, texture);
    }
}

/* -- plumbing --------------------------------------------------------- */

static void
on_agent (VmdClipboard *self)
{
  /* A guest whose agent just started gets what the desktop holds now. */
  if (agent_ready (self))
    on_host_changed (self->clipboard, self);
}

static void
on_main (VmdClipboard *self)
{
  SpiceMainChannel *main_channel = vmd_spice_session_get_main (self->session);

  if (self->main == main_channel)
    return;
  if (self->main != NULL)
    g_signal_handlers_disconnect_by_data (self->main, self);
  g_set_object (&self->main, main_channel);
  if (main_channel == NULL)
    return;

  g_signal_connect (main_channel, "main-clipboard-selection-grab", G_CALLBACK (on_guest_grab), self);
  g_signal_connect (main_channel, "main-clipboard-selection", G_CALLBACK (on_guest_data), self);
  g_signal_connect (main_channel, "main-clipboard-selection-request",
                    G_CALLBACK (on_guest_request), self);
  g_signal_connect_swapped (main_channel, "main-agent-update", G_CALLBACK (on_agent), self);
}

static void
vmd_clipboard_dispose (GObject *object)
{
  VmdClipboard *self = (VmdClipboard *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->main != NULL)
    g_signal_handlers_disconnect_by_data (self->main, self);
  g_clear_object (&self->main);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->clipboard != NULL)
    g_signal_handlers_disconnect_by_data (self->clipboard, self);
  g_clear_object (&self->clipboard);

  G_OBJECT_CLASS (vmd_clipboard_parent_class)->dispose (object);
}

static void
vmd_clipboard_class_init (VmdClipboardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_clipboard_dispose;
}

static void
vmd_clipboard_init (VmdClipboard *self)
{
  self->cancellable = g_cancellable_new ();
}

VmdClipboard *
vmd_clipboard_new (GdkClipboard    *clipboard,
                   VmdSpiceSession *session)
{
  VmdClipboard *self;

  g_return_val_if_fail (GDK_IS_CLIPBOARD (clipboard), NULL);
  g_return_val_if_fail (VMD_IS_SPICE_SESSION (session), NULL);

  self = g_object_new (VMD_TYPE_CLIPBOARD, NULL);
  self->clipboard = g_object_ref (clipboard);
  self->session = g_object_ref (session);
  g_signal_connect (clipboard, "changed", G_CALLBACK (on_host_changed), self);
  g_signal_connect_swapped (session, "notify::main", G_CALLBACK (on_main), self);
  g_signal_connect_swapped (session, "notify::agent", G_CALLBACK (on_agent), self);
  on_main (self);
  return self;
}
