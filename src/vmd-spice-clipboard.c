/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-clipboard"

#include "config.h"

#include <string.h>

#include <spice/vd_agent.h>

#include "vmd-spice-session-private.h"
#include "vmd-text.h"

/* The guest's clipboard, through the SPICE agent (spice-vdagent in the
 * guest): text, with line ends converted for guests that use CRLF, and
 * images as PNG. What the guest copies is fetched at once and handed out
 * as the "text" or "image" signal; what the desktop holds is offered with
 * vmd_spice_clipboard_offer(), and sent when the guest pastes ("request",
 * answered with vmd_spice_clipboard_send_text() or _send_image()). Only
 * the CLIPBOARD selection: the guest's PRIMARY selection stays there. */

struct _VmdSpiceClipboard
{
  GObject           parent_instance;

  SpiceMainChannel *main;
  guint             ready : 1;
};

G_DEFINE_FINAL_TYPE (VmdSpiceClipboard, vmd_spice_clipboard, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REQUEST,
  SIGNAL_TEXT,
  SIGNAL_IMAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
guest_uses_crlf (VmdSpiceClipboard *self)
{
  return self->main != NULL &&
         spice_main_channel_agent_test_capability (self->main, VD_AGENT_CAP_GUEST_LINEEND_CRLF);
}

/* The agent's capabilities come a moment after the agent itself. */
static void
on_agent (VmdSpiceClipboard *self)
{
  gboolean agent = FALSE, ready;

  if (self->main != NULL)
    g_object_get (self->main, "agent-connected", &agent, NULL);
  ready = agent && spice_main_channel_agent_test_capability (self->main,
                                                             VD_AGENT_CAP_CLIPBOARD_BY_DEMAND);
  if (self->ready == ready)
    return;
  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static gboolean
on_guest_request (SpiceMainChannel  *main_channel,
                  guint              selection,
                  guint              type,
                  VmdSpiceClipboard *self)
{
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return FALSE;
  if (type == VD_AGENT_CLIPBOARD_UTF8_TEXT)
    g_signal_emit (self, signals[SIGNAL_REQUEST], 0, (guint) VMD_CLIPBOARD_TEXT);
  else if (type == VD_AGENT_CLIPBOARD_IMAGE_PNG)
    g_signal_emit (self, signals[SIGNAL_REQUEST], 0, (guint) VMD_CLIPBOARD_IMAGE);
  else
    return FALSE;
  return TRUE;
}

static gboolean
on_guest_grab (SpiceMainChannel  *main_channel,
               guint              selection,
               guint32           *types,
               guint              ntypes,
               VmdSpiceClipboard *self)
{
  static const guint32 wanted[] = { VD_AGENT_CLIPBOARD_UTF8_TEXT, VD_AGENT_CLIPBOARD_IMAGE_PNG };

  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return FALSE;

  /* Fetched at once: clipboards are small, and the desktop's clipboard
   * then holds it even if the guest goes away. Text wins over an image. */
  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    for (guint i = 0; i < ntypes; i++)
      if (types[i] == wanted[w])
        {
          spice_main_channel_clipboard_selection_request (main_channel, selection, types[i]);
          return TRUE;
        }
  return TRUE;
}

static void
on_guest_data (SpiceMainChannel  *main_channel,
               guint              selection,
               guint              type,
               gpointer           data,
               guint              size,
               VmdSpiceClipboard *self)
{
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return;

  if (type == VD_AGENT_CLIPBOARD_UTF8_TEXT)
    {
      g_autofree char *text = vmd_text_to_lf (data, size, NULL);

      if (g_utf8_validate (text, -1, NULL))
        g_signal_emit (self, signals[SIGNAL_TEXT], 0, text);
    }
  else if (type == VD_AGENT_CLIPBOARD_IMAGE_PNG)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (data, size);

      g_signal_emit (self, signals[SIGNAL_IMAGE], 0, bytes);
    }
}

void
_vmd_spice_clipboard_set_main (VmdSpiceClipboard *self,
                               SpiceMainChannel  *main_channel)
{
  if (self->main == main_channel)
    return;
  if (self->main != NULL)
    g_signal_handlers_disconnect_by_data (self->main, self);
  g_set_object (&self->main, main_channel);
  if (main_channel != NULL)
    {
      g_signal_connect_object (main_channel, "main-clipboard-selection-grab",
                               G_CALLBACK (on_guest_grab), self, 0);
      g_signal_connect_object (main_channel, "main-clipboard-selection",
                               G_CALLBACK (on_guest_data), self, 0);
      g_signal_connect_object (main_channel, "main-clipboard-selection-request",
                               G_CALLBACK (on_guest_request), self, 0);
      g_signal_connect_object (main_channel, "main-agent-update", G_CALLBACK (on_agent), self,
                               G_CONNECT_SWAPPED);
    }
  on_agent (self);
}

/* Whether the guest's agent takes and gives clipboards now. */
gboolean
vmd_spice_clipboard_get_ready (VmdSpiceClipboard *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_CLIPBOARD (self), FALSE);
  return self->ready;
}

/* The desktop's clipboard holds these now: the guest may paste them. */
void
vmd_spice_clipboard_offer (VmdSpiceClipboard   *self,
                           VmdClipboardFormats  formats)
{
  guint32 types[2];
  int n = 0;

  g_return_if_fail (VMD_IS_SPICE_CLIPBOARD (self));

  if (!self->ready)
    return;
  if (formats & VMD_CLIPBOARD_TEXT)
    types[n++] = VD_AGENT_CLIPBOARD_UTF8_TEXT;
  if (formats & VMD_CLIPBOARD_IMAGE)
    types[n++] = VD_AGENT_CLIPBOARD_IMAGE_PNG;
  if (n > 0)
    spice_main_channel_clipboard_selection_grab (self->main, VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 types, n);
}

/* The answer to "request" for text; NULL sends nothing the guest pastes. */
void
vmd_spice_clipboard_send_text (VmdSpiceClipboard *self,
                               const char        *text)
{
  g_autofree char *converted = NULL;
  gsize length;

  g_return_if_fail (VMD_IS_SPICE_CLIPBOARD (self));

  if (self->main == NULL)
    return;
  if (text == NULL)
    text = "";
  if (guest_uses_crlf (self))
    converted = vmd_text_to_crlf (text, -1, &length);
  else
    {
      converted = g_strdup (text);
      length = strlen (converted);
    }
  spice_main_channel_clipboard_selection_notify (self->main, VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 VD_AGENT_CLIPBOARD_UTF8_TEXT,
                                                 (const guchar *) converted, length);
}

/* The answer to "request" for an image: PNG bytes, or NULL. */
void
vmd_spice_clipboard_send_image (VmdSpiceClipboard *self,
                                GBytes            *png)
{
  g_return_if_fail (VMD_IS_SPICE_CLIPBOARD (self));

  if (self->main == NULL)
    return;
  spice_main_channel_clipboard_selection_notify (self->main, VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 VD_AGENT_CLIPBOARD_IMAGE_PNG,
                                                 png ? g_bytes_get_data (png, NULL) : NULL,
                                                 png ? g_bytes_get_size (png) : 0);
}

static void
vmd_spice_clipboard_dispose (GObject *object)
{
  _vmd_spice_clipboard_set_main (VMD_SPICE_CLIPBOARD (object), NULL);
  G_OBJECT_CLASS (vmd_spice_clipboard_parent_class)->dispose (object);
}

static void
vmd_spice_clipboard_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, VMD_SPICE_CLIPBOARD (object)->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_spice_clipboard_class_init (VmdSpiceClipboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_spice_clipboard_dispose;
  object_class->get_property = vmd_spice_clipboard_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The guest pastes: one VmdClipboardFormats value, to answer with
   * send_text() or send_image(). */
  signals[SIGNAL_REQUEST] =
    g_signal_new ("request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  /* The guest copied text (UTF-8, LF line ends). */
  signals[SIGNAL_TEXT] =
    g_signal_new ("text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The guest copied an image: PNG bytes. */
  signals[SIGNAL_IMAGE] =
    g_signal_new ("image", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BYTES);
}

static void
vmd_spice_clipboard_init (VmdSpiceClipboard *self)
{
}

VmdSpiceClipboard *
_vmd_spice_clipboard_new (void)
{
  return g_object_new (VMD_TYPE_SPICE_CLIPBOARD, NULL);
}
