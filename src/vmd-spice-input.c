/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-input"

#include "config.h"

#include "vmd-keymap.h"
#include "vmd-spice-session-private.h"

/* The guest's keyboard and mouse: SPICE's inputs channel, and the main
 * channel's mouse mode. Lives as long as the machine's session and follows
 * its channels; keys it pressed are let go when the channel goes or on
 * release_all_keys(), so that a guest never keeps a key held down. */

struct _VmdSpiceInput
{
  GObject             parent_instance;

  SpiceInputsChannel *inputs;
  SpiceMainChannel   *main;
  GHashTable         *pressed;  /* XT scancodes held down in the guest */
  guint               buttons;  /* SPICE_MOUSE_BUTTON_MASK_* */
  VmdKeyLocks         guest_locks;
  guint               absolute : 1;
};

G_DEFINE_FINAL_TYPE (VmdSpiceInput, vmd_spice_input, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_ABSOLUTE,
  PROP_GUEST_LOCKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_mouse_mode (VmdSpiceInput *self)
{
  int mode = SPICE_MOUSE_MODE_CLIENT;
  gboolean absolute;

  if (self->main != NULL)
    g_object_get (self->main, "mouse-mode", &mode, NULL);
  absolute = mode == SPICE_MOUSE_MODE_CLIENT;
  if (self->absolute == absolute)
    return;
  self->absolute = absolute;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ABSOLUTE]);
}

/* The guest's lock keys as its keyboard's lights say, reported by
 * spice-server whenever the guest sets them. */
static void
on_guest_modifiers (VmdSpiceInput *self)
{
  guint spice_locks = 0;
  VmdKeyLocks locks = 0;

  if (self->inputs != NULL)
    g_object_get (self->inputs, "key-modifiers", &spice_locks, NULL);
  if (spice_locks & SPICE_INPUTS_CAPS_LOCK)
    locks |= VMD_KEY_LOCK_CAPS;
  if (spice_locks & SPICE_INPUTS_NUM_LOCK)
    locks |= VMD_KEY_LOCK_NUM;
  if (spice_locks & SPICE_INPUTS_SCROLL_LOCK)
    locks |= VMD_KEY_LOCK_SCROLL;
  g_debug ("The guest's keyboard lights: %s%s%s", locks & VMD_KEY_LOCK_CAPS ? "Caps " : "",
           locks & VMD_KEY_LOCK_NUM ? "Num " : "", locks & VMD_KEY_LOCK_SCROLL ? "Scroll" : "");
  if (self->guest_locks == locks)
    return;
  self->guest_locks = locks;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GUEST_LOCKS]);
}

void
_vmd_spice_input_set_channels (VmdSpiceInput      *self,
                               SpiceInputsChannel *inputs,
                               SpiceMainChannel   *main_channel)
{
  gboolean was = self->inputs != NULL;

  if (self->inputs != inputs)
    {
      vmd_spice_input_release_all_keys (self);
      self->buttons = 0;
      if (self->inputs != NULL)
        g_signal_handlers_disconnect_by_data (self->inputs, self);
      g_set_object (&self->inputs, inputs);
      if (inputs != NULL)
        g_signal_connect_object (inputs, "inputs-modifiers", G_CALLBACK (on_guest_modifiers),
                                 self, G_CONNECT_SWAPPED);
      on_guest_modifiers (self);
    }
  if (self->main != main_channel)
    {
      if (self->main != NULL)
        g_signal_handlers_disconnect_by_data (self->main, self);
      g_set_object (&self->main, main_channel);
      if (main_channel != NULL)
        g_signal_connect_object (main_channel, "notify::mouse-mode", G_CALLBACK (on_mouse_mode),
                                 self, G_CONNECT_SWAPPED);
      on_mouse_mode (self);
    }
  if (was != (self->inputs != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

/* Whether keys and pointer reach a guest now. */
gboolean
vmd_spice_input_get_available (VmdSpiceInput *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_INPUT (self), FALSE);
  return self->inputs != NULL;
}

/* Whether the guest takes the pointer's position (its tablet), rather than
 * relative motion. */
gboolean
vmd_spice_input_get_absolute (VmdSpiceInput *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_INPUT (self), TRUE);
  return self->absolute;
}

/**
 * vmd_spice_input_key:
 * @scancode: an XT scancode (vmd_keymap_*_to_xt()); 0 is ignored
 * @press: pressed or released
 *
 * Only keys this object pressed are released. Pause is one sequence on
 * press, and nothing on release.
 */
void
vmd_spice_input_key (VmdSpiceInput *self,
                     guint          scancode,
                     gboolean       press)
{
  g_return_if_fail (VMD_IS_SPICE_INPUT (self));

  if (self->inputs == NULL || scancode == 0)
    return;

  if (scancode == VMD_KEYMAP_PAUSE)
    {
      gsize n;
      const VmdKeyStroke *strokes = vmd_keymap_pause_strokes (&n);

      for (gsize i = 0; press && i < n; i++)
        {
          if (strokes[i].press)
            spice_inputs_channel_key_press (self->inputs, strokes[i].scancode);
          else
            spice_inputs_channel_key_release (self->inputs, strokes[i].scancode);
        }
      return;
    }

  if (press)
    {
      spice_inputs_channel_key_press (self->inputs, scancode);
      g_hash_table_add (self->pressed, GUINT_TO_POINTER (scancode));
    }
  else if (g_hash_table_remove (self->pressed, GUINT_TO_POINTER (scancode)))
    spice_inputs_channel_key_release (self->inputs, scancode);
}

/* Presses the keys (Linux evdev codes) in order, then releases them in
 * reverse: what Ctrl+Alt+Del takes. */
void
vmd_spice_input_send_keys (VmdSpiceInput *self,
                           const guint   *evdev_codes,
                           gsize          n_codes)
{
  g_return_if_fail (VMD_IS_SPICE_INPUT (self));

  for (gsize i = 0; i < n_codes; i++)
    vmd_spice_input_key (self, vmd_keymap_evdev_to_xt (evdev_codes[i]), TRUE);
  for (gsize i = n_codes; i > 0; i--)
    vmd_spice_input_key (self, vmd_keymap_evdev_to_xt (evdev_codes[i - 1]), FALSE);
}

void
vmd_spice_input_release_all_keys (VmdSpiceInput *self)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (VMD_IS_SPICE_INPUT (self));

  if (self->inputs != NULL)
    {
      g_hash_table_iter_init (&iter, self->pressed);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        spice_inputs_channel_key_release (self->inputs, GPOINTER_TO_UINT (key));
    }
  g_hash_table_remove_all (self->pressed);
}

/* The guest's Caps, Num and Scroll Lock as it last said (none before it
 * says). */
VmdKeyLocks
vmd_spice_input_get_guest_locks (VmdSpiceInput *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_INPUT (self), 0);
  return self->guest_locks;
}

/* The guest's Caps, Num and Scroll Lock, as the desktop's. */
void
vmd_spice_input_set_locks (VmdSpiceInput *self,
                           VmdKeyLocks    locks)
{
  guint spice_locks = 0;

  g_return_if_fail (VMD_IS_SPICE_INPUT (self));

  if (self->inputs == NULL)
    return;
  if (locks & VMD_KEY_LOCK_CAPS)
    spice_locks |= SPICE_INPUTS_CAPS_LOCK;
  if (locks & VMD_KEY_LOCK_NUM)
    spice_locks |= SPICE_INPUTS_NUM_LOCK;
  if (locks & VMD_KEY_LOCK_SCROLL)
    spice_locks |= SPICE_INPUTS_SCROLL_LOCK;
  spice_inputs_channel_set_key_locks (self->inputs, spice_locks);
}

/* Where the pointer is on the guest's screen, in its pixels. */
void
vmd_spice_input_pointer_position (VmdSpiceInput *self,
                                  int            x,
                                  int            y)
{
  g_return_if_fail (VMD_IS_SPICE_INPUT (self));

  if (self->inputs != NULL)
    spice_inputs_channel_position (self->inputs, x, y, 0, self->buttons);
}

void
vmd_spice_input_pointer_motion (VmdSpiceInput *self,
                                int            dx,
                                int            dy)
{
  g_return_if_fail (VMD_IS_SPICE_INPUT (self));

  if (self->inputs != NULL && (dx != 0 || dy != 0))
    spice_inputs_channel_motion (self->inputs, dx, dy, self->buttons);
}

static int
spice_button (VmdPointerButton button,
              guint           *mask)
{
  static const struct { int button; guint mask; } map[] = {
    [VMD_POINTER_BUTTON_LEFT] = { SPICE_MOUSE_BUTTON_LEFT, SPICE_MOUSE_BUTTON_MASK_LEFT },
    [VMD_POINTER_BUTTON_MIDDLE] = { SPICE_MOUSE_BUTTON_MIDDLE, SPICE_MOUSE_BUTTON_MASK_MIDDLE },
    [VMD_POINTER_BUTTON_RIGHT] = { SPICE_MOUSE_BUTTON_RIGHT, SPICE_MOUSE_BUTTON_MASK_RIGHT },
    [VMD_POINTER_BUTTON_UP] = { SPICE_MOUSE_BUTTON_UP, 0 },
    [VMD_POINTER_BUTTON_DOWN] = { SPICE_MOUSE_BUTTON_DOWN, 0 },
    [VMD_POINTER_BUTTON_SIDE] = { SPICE_MOUSE_BUTTON_SIDE, SPICE_MOUSE_BUTTON_MASK_SIDE },
    [VMD_POINTER_BUTTON_EXTRA] = { SPICE_MOUSE_BUTTON_EXTRA, SPICE_MOUSE_BUTTON_MASK_EXTRA },
  };

  if ((guint) button >= G_N_ELEMENTS (map))
    return SPICE_MOUSE_BUTTON_INVALID;
  *mask = map[button].mask;
  return map[button].button;
}

void
vmd_spice_input_button (VmdSpiceInput    *self,
                        VmdPointerButton  button,
                        gboolean          press)
{
  guint mask = 0;
  int spice;

  g_return_if_fail (VMD_IS_SPICE_INPUT (self));

  spice = spice_button (button, &mask);
  if (self->inputs == NULL || spice == SPICE_MOUSE_BUTTON_INVALID)
    return;
  if (press)
    {
      self->buttons |= mask;
      spice_inputs_channel_button_press (self->inputs, spice, self->buttons);
    }
  else
    {
      self->buttons &= ~mask;
      spice_inputs_channel_button_release (self->inputs, spice, self->buttons);
    }
}

/* Wheel clicks: positive scrolls down, negative up. */
void
vmd_spice_input_wheel (VmdSpiceInput *self,
                       int            clicks)
{
  VmdPointerButton button = clicks > 0 ? VMD_POINTER_BUTTON_DOWN : VMD_POINTER_BUTTON_UP;

  g_return_if_fail (VMD_IS_SPICE_INPUT (self));

  for (int i = 0; i < ABS (clicks); i++)
    {
      vmd_spice_input_button (self, button, TRUE);
      vmd_spice_input_button (self, button, FALSE);
    }
}

static void
vmd_spice_input_dispose (GObject *object)
{
  _vmd_spice_input_set_channels (VMD_SPICE_INPUT (object), NULL, NULL);
  G_OBJECT_CLASS (vmd_spice_input_parent_class)->dispose (object);
}

static void
vmd_spice_input_finalize (GObject *object)
{
  g_hash_table_unref (VMD_SPICE_INPUT (object)->pressed);
  G_OBJECT_CLASS (vmd_spice_input_parent_class)->finalize (object);
}

static void
vmd_spice_input_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VmdSpiceInput *self = VMD_SPICE_INPUT (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, vmd_spice_input_get_available (self));
      break;
    case PROP_ABSOLUTE:
      g_value_set_boolean (value, self->absolute);
      break;
    case PROP_GUEST_LOCKS:
      g_value_set_uint (value, self->guest_locks);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_spice_input_class_init (VmdSpiceInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vmd_spice_input_dispose;
  object_class->finalize = vmd_spice_input_finalize;
  object_class->get_property = vmd_spice_input_get_property;

  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, FALSE, ro);
  properties[PROP_ABSOLUTE] = g_param_spec_boolean ("absolute", NULL, NULL, TRUE, ro);
  /* VmdKeyLocks */
  properties[PROP_GUEST_LOCKS] = g_param_spec_uint ("guest-locks", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_spice_input_init (VmdSpiceInput *self)
{
  self->pressed = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->absolute = TRUE;
}

VmdSpiceInput *
_vmd_spice_input_new (void)
{
  return g_object_new (VMD_TYPE_SPICE_INPUT, NULL);
}
