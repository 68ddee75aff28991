/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-clipboard"

#include "config.h"

#include "vmd-clipboard.h"
#include "vmd-spice-session.h"

/* The desktop's clipboard and the guest's, both ways: GdkClipboard on this
 * side, the session's VmdSpiceClipboard on the guest's. */
struct _VmdClipboard
{
  GObject            parent_instance;

  GdkClipboard      *clipboard;
  VmdSpiceClipboard *guest;
  GCancellable      *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdClipboard, vmd_clipboard, G_TYPE_OBJECT)

/* -- host -> guest --------------------------------------------------- */

static void
on_host_changed (GdkClipboard *clipboard,
                 VmdClipboard *self)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);
  VmdClipboardFormats offer = 0;

  /* What we put there ourselves came from the guest. */
  if (gdk_clipboard_is_local (clipboard))
    return;

  if (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) ||
      gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8"))
    offer |= VMD_CLIPBOARD_TEXT;
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    offer |= VMD_CLIPBOARD_IMAGE;
  vmd_spice_clipboard_offer (self->guest, offer);
}

static void
on_host_text (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdClipboard) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  if (self->guest != NULL)
    vmd_spice_clipboard_send_text (self->guest, text);
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

  if (self->guest != NULL)
    vmd_spice_clipboard_send_image (self->guest, png);
}

static void
on_guest_request (VmdSpiceClipboard *guest,
                  guint              format,
                  VmdClipboard      *self)
{
  if (format == VMD_CLIPBOARD_TEXT)
    gdk_clipboard_read_text_async (self->clipboard, self->cancellable, on_host_text,
                                   g_object_ref (self));
  else if (format == VMD_CLIPBOARD_IMAGE)
    gdk_clipboard_read_texture_async (self->clipboard, self->cancellable, on_host_texture,
                                      g_object_ref (self));
}

/* -- guest -> host --------------------------------------------------- */

static void
on_guest_text (VmdSpiceClipboard *guest,
               const char        *text,
               VmdClipboard      *self)
{
  gdk_clipboard_set_text (self->clipboard, text);
}

static void
on_guest_image (VmdSpiceClipboard *guest,
                GBytes            *png,
                VmdClipboard      *self)
{
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (png, NULL);

  if (texture != NULL)
    gdk_clipboard_set_texture (self->clipboard, texture);
}

/* -- plumbing --------------------------------------------------------- */

/* A guest whose agent just started gets what the desktop holds now. */
static void
on_ready (VmdClipboard *self)
{
  if (vmd_spice_clipboard_get_ready (self->guest))
    on_host_changed (self->clipboard, self);
}

static void
vmd_clipboard_dispose (GObject *object)
{
  VmdClipboard *self = (VmdClipboard *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->guest != NULL)
    g_signal_handlers_disconnect_by_data (self->guest, self);
  g_clear_object (&self->guest);
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
  self->guest = g_object_ref (vmd_spice_session_get_clipboard (session));
  g_signal_connect (clipboard, "changed", G_CALLBACK (on_host_changed), self);
  g_signal_connect (self->guest, "request", G_CALLBACK (on_guest_request), self);
  g_signal_connect (self->guest, "text", G_CALLBACK (on_guest_text), self);
  g_signal_connect (self->guest, "image", G_CALLBACK (on_guest_image), self);
  g_signal_connect_swapped (self->guest, "notify::ready", G_CALLBACK (on_ready), self);
  return self;
}
