/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-keymap"

#include "config.h"

#include <linux/input-event-codes.h>

#include "vmd-keymap.h"

/* Linux evdev key codes (what GTK reports, + 8 on X11 and Wayland) to PC XT
 * set-1 make codes, as spice_inputs_channel_key_press() takes them: an E0-
 * prefixed code is 0x100 | code.
 *
 * The bytes end up in QEMU's SPICE keyboard, which reads every byte with the
 * 0x80 bit set as a release and turns the rest into a QEMU key through its
 * own set-1 table. So a code is right when QEMU reads it as the same key,
 * and that decides the two places where the PC tables disagree:
 *  - Hangeul and Hanja are 0x72 and 0x71. A Korean keyboard sends 0xf2 and
 *    0xf1 with no release, but QEMU would read those as the release of a key
 *    never pressed, and the guest would never see the key.
 *  - F13..F24 use the codes Linux gives them (QEMU reads them as F13..F24
 *    since QEMU 8), not Microsoft's 0x64..0x6e, 0x76: QEMU reads those as
 *    Open, Paste, Setup, File... which is worse than nothing.
 *
 * One list feeds both the codes and the names, so they cannot drift apart. */
#define KEYS(K) \
  /* Main block: evdev numbered it after set 1, Esc..KP. are equal. */ \
  K (KEY_ESC,              0x01) \
  K (KEY_1,                0x02) \
  K (KEY_2,                0x03) \
  K (KEY_3,                0x04) \
  K (KEY_4,                0x05) \
  K (KEY_5,                0x06) \
  K (KEY_6,                0x07) \
  K (KEY_7,                0x08) \
  K (KEY_8,                0x09) \
  K (KEY_9,                0x0a) \
  K (KEY_0,                0x0b) \
  K (KEY_MINUS,            0x0c) \
  K (KEY_EQUAL,            0x0d) \
  K (KEY_BACKSPACE,        0x0e) \
  K (KEY_TAB,              0x0f) \
  K (KEY_Q,                0x10) \
  K (KEY_W,                0x11) \
  K (KEY_E,                0x12) \
  K (KEY_R,                0x13) \
  K (KEY_T,                0x14) \
  K (KEY_Y,                0x15) \
  K (KEY_U,                0x16) \
  K (KEY_I,                0x17) \
  K (KEY_O,                0x18) \
  K (KEY_P,                0x19) \
  K (KEY_LEFTBRACE,        0x1a) \
  K (KEY_RIGHTBRACE,       0x1b) \
  K (KEY_ENTER,            0x1c) \
  K (KEY_LEFTCTRL,         0x1d) \
  K (KEY_A,                0x1e) \
  K (KEY_S,                0x1f) \
  K (KEY_D,                0x20) \
  K (KEY_F,                0x21) \
  K (KEY_G,                0x22) \
  K (KEY_H,                0x23) \
  K (KEY_J,                0x24) \
  K (KEY_K,                0x25) \
  K (KEY_L,                0x26) \
  K (KEY_SEMICOLON,        0x27) \
  K (KEY_APOSTROPHE,       0x28) \
  K (KEY_GRAVE,            0x29) \
  K (KEY_LEFTSHIFT,        0x2a) \
  K (KEY_BACKSLASH,        0x2b) \
  K (KEY_Z,                0x2c) \
  K (KEY_X,                0x2d) \
  K (KEY_C,                0x2e) \
  K (KEY_V,                0x2f) \
  K (KEY_B,                0x30) \
  K (KEY_N,                0x31) \
  K (KEY_M,                0x32) \
  K (KEY_COMMA,            0x33) \
  K (KEY_DOT,              0x34) \
  K (KEY_SLASH,            0x35) \
  K (KEY_RIGHTSHIFT,       0x36) \
  K (KEY_KPASTERISK,       0x37) \
  K (KEY_LEFTALT,          0x38) \
  K (KEY_SPACE,            0x39) \
  K (KEY_CAPSLOCK,         0x3a) \
  K (KEY_F1,               0x3b) \
  K (KEY_F2,               0x3c) \
  K (KEY_F3,               0x3d) \
  K (KEY_F4,               0x3e) \
  K (KEY_F5,               0x3f) \
  K (KEY_F6,               0x40) \
  K (KEY_F7,               0x41) \
  K (KEY_F8,               0x42) \
  K (KEY_F9,               0x43) \
  K (KEY_F10,              0x44) \
  K (KEY_NUMLOCK,          0x45) \
  K (KEY_SCROLLLOCK,       0x46) \
  K (KEY_KP7,              0x47) \
  K (KEY_KP8,              0x48) \
  K (KEY_KP9,              0x49) \
  K (KEY_KPMINUS,          0x4a) \
  K (KEY_KP4,              0x4b) \
  K (KEY_KP5,              0x4c) \
  K (KEY_KP6,              0x4d) \
  K (KEY_KPPLUS,           0x4e) \
  K (KEY_KP1,              0x4f) \
  K (KEY_KP2,              0x50) \
  K (KEY_KP3,              0x51) \
  K (KEY_KP0,              0x52) \
  K (KEY_KPDOT,            0x53) \
  /* 102-key (ISO) and later additions. */ \
  K (KEY_102ND,            0x56) \
  K (KEY_F11,              0x57) \
  K (KEY_F12,              0x58) \
  K (KEY_KPEQUAL,          0x59) \
  K (KEY_KPCOMMA,          0x7e) \
  K (KEY_F13,              0x5d) \
  K (KEY_F14,              0x5e) \
  K (KEY_F15,              0x5f) \
  K (KEY_F16,              0x55) \
  K (KEY_F17,             0x103) \
  K (KEY_F18,             0x177) \
  K (KEY_F19,             0x104) \
  K (KEY_F20,              0x5a) \
  K (KEY_F21,              0x74) \
  K (KEY_F22,             0x179) \
  K (KEY_F23,              0x6d) \
  K (KEY_F24,              0x6f) \
  /* Japanese and Korean keyboards. */ \
  K (KEY_KATAKANAHIRAGANA, 0x70) \
  K (KEY_RO,               0x73) \
  K (KEY_ZENKAKUHANKAKU,   0x76) \
  K (KEY_HIRAGANA,         0x77) \
  K (KEY_KATAKANA,         0x78) \
  K (KEY_HENKAN,           0x79) \
  K (KEY_MUHENKAN,         0x7b) \
  K (KEY_YEN,              0x7d) \
  K (KEY_KPJPCOMMA,        0x5c) \
  K (KEY_HANJA,            0x71) \
  K (KEY_HANGEUL,          0x72) \
  /* The E0 keys of a 101/104-key keyboard. */ \
  K (KEY_KPENTER,         0x11c) \
  K (KEY_RIGHTCTRL,       0x11d) \
  K (KEY_KPSLASH,         0x135) \
  K (KEY_SYSRQ,           0x137) \
  K (KEY_RIGHTALT,        0x138) \
  K (KEY_HOME,            0x147) \
  K (KEY_UP,              0x148) \
  K (KEY_PAGEUP,          0x149) \
  K (KEY_LEFT,            0x14b) \
  K (KEY_RIGHT,           0x14d) \
  K (KEY_END,             0x14f) \
  K (KEY_DOWN,            0x150) \
  K (KEY_PAGEDOWN,        0x151) \
  K (KEY_INSERT,          0x152) \
  K (KEY_DELETE,          0x153) \
  K (KEY_LEFTMETA,        0x15b) \
  K (KEY_RIGHTMETA,       0x15c) \
  K (KEY_COMPOSE,         0x15d) \
  K (KEY_PAUSE,           VMD_KEYMAP_PAUSE) \
  /* Multimedia, browser and ACPI keys. */ \
  K (KEY_PREVIOUSSONG,    0x110) \
  K (KEY_NEXTSONG,        0x119) \
  K (KEY_MUTE,            0x120) \
  K (KEY_CALC,            0x121) \
  K (KEY_PLAYPAUSE,       0x122) \
  K (KEY_STOPCD,          0x124) \
  K (KEY_VOLUMEDOWN,      0x12e) \
  K (KEY_VOLUMEUP,        0x130) \
  K (KEY_HOMEPAGE,        0x132) \
  K (KEY_POWER,           0x15e) \
  K (KEY_SLEEP,           0x15f) \
  K (KEY_WAKEUP,          0x163) \
  K (KEY_SEARCH,          0x165) \
  K (KEY_BOOKMARKS,       0x166) \
  K (KEY_REFRESH,         0x167) \
  K (KEY_STOP,            0x168) \
  K (KEY_FORWARD,         0x169) \
  K (KEY_BACK,            0x16a) \
  K (KEY_COMPUTER,        0x16b) \
  K (KEY_MAIL,            0x16c) \
  K (KEY_MEDIA,           0x16d)

#define CODE(key, xt) [key] = xt,
#define NAME(key, xt) [key] = #key,

static const guint xt_codes[] = { KEYS (CODE) };
static const char * const names[G_N_ELEMENTS (xt_codes)] = { KEYS (NAME) };

#undef CODE
#undef NAME

/* What a PC keyboard sends for Pause, on press only: E1 1D 45 E1 9D C5,
 * which QEMU's SPICE keyboard reads as Pause. spice-client-glib sends no
 * raw byte: it keeps a code's 0x37f bits (E1 would go out as 61), sends
 * 0x200 | code as E1 then code, and sets 0x80 on a release. So these four
 * strokes are those six bytes, as spice-gtk's own widget sends them. */
static const VmdKeyStroke pause_strokes[] = {
  { 0x21d, TRUE }, { 0x45, TRUE }, { 0x21d, FALSE }, { 0x45, FALSE },
};

/**
 * vmd_keymap_evdev_to_xt:
 *
 * The set-1 make code of an evdev key (0x100 | code for E0 keys),
 * %VMD_KEYMAP_PAUSE for Pause, 0 for a key with no code.
 */
guint
vmd_keymap_evdev_to_xt (guint evdev)
{
  return evdev < G_N_ELEMENTS (xt_codes) ? xt_codes[evdev] : 0;
}

/* X11 and Wayland hardware keycodes are evdev codes + 8. */
guint
vmd_keymap_x11_to_xt (guint hardware_keycode)
{
  return hardware_keycode < 8 ? 0 : vmd_keymap_evdev_to_xt (hardware_keycode - 8);
}

const VmdKeyStroke *
vmd_keymap_pause_strokes (gsize *length)
{
  g_return_val_if_fail (length != NULL, NULL);

  *length = G_N_ELEMENTS (pause_strokes);
  return pause_strokes;
}

/* "KEY_A" for KEY_A: for logs and tests, NULL for a key with no code. */
const char *
vmd_keymap_evdev_name (guint evdev)
{
  return evdev < G_N_ELEMENTS (names) ? names[evdev] : NULL;
}

/* One past the highest evdev code the table knows. */
guint
vmd_keymap_get_size (void)
{
  return G_N_ELEMENTS (xt_codes);
}
