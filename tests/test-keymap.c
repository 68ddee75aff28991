/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keymap"

#include "config.h"

#include <linux/input-event-codes.h>

#include "vmd-keymap.h"

typedef struct
{
  guint       evdev;
  const char *name;
  guint       xt;
} Row;

#define ROW(key, xt) { key, #key, xt },

/* Every key of the table against the scancode it must send, listed here by
 * scancode (set 1; E0-prefixed as 0x100 | code), not in the table's order. */
static const Row expected[] = {
  ROW (KEY_ESC,              0x01)
  ROW (KEY_1,                0x02)
  ROW (KEY_2,                0x03)
  ROW (KEY_3,                0x04)
  ROW (KEY_4,                0x05)
  ROW (KEY_5,                0x06)
  ROW (KEY_6,                0x07)
  ROW (KEY_7,                0x08)
  ROW (KEY_8,                0x09)
  ROW (KEY_9,                0x0a)
  ROW (KEY_0,                0x0b)
  ROW (KEY_MINUS,            0x0c)
  ROW (KEY_EQUAL,            0x0d)
  ROW (KEY_BACKSPACE,        0x0e)
  ROW (KEY_TAB,              0x0f)
  ROW (KEY_Q,                0x10)
  ROW (KEY_W,                0x11)
  ROW (KEY_E,                0x12)
  ROW (KEY_R,                0x13)
  ROW (KEY_T,                0x14)
  ROW (KEY_Y,                0x15)
  ROW (KEY_U,                0x16)
  ROW (KEY_I,                0x17)
  ROW (KEY_O,                0x18)
  ROW (KEY_P,                0x19)
  ROW (KEY_LEFTBRACE,        0x1a)
  ROW (KEY_RIGHTBRACE,       0x1b)
  ROW (KEY_ENTER,            0x1c)
  ROW (KEY_LEFTCTRL,         0x1d)
  ROW (KEY_A,                0x1e)
  ROW (KEY_S,                0x1f)
  ROW (KEY_D,                0x20)
  ROW (KEY_F,                0x21)
  ROW (KEY_G,                0x22)
  ROW (KEY_H,                0x23)
  ROW (KEY_J,                0x24)
  ROW (KEY_K,                0x25)
  ROW (KEY_L,                0x26)
  ROW (KEY_SEMICOLON,        0x27)
  ROW (KEY_APOSTROPHE,       0x28)
  ROW (KEY_GRAVE,            0x29)
  ROW (KEY_LEFTSHIFT,        0x2a)
  ROW (KEY_BACKSLASH,        0x2b)
  ROW (KEY_Z,                0x2c)
  ROW (KEY_X,                0x2d)
  ROW (KEY_C,                0x2e)
  ROW (KEY_V,                0x2f)
  ROW (KEY_B,                0x30)
  ROW (KEY_N,                0x31)
  ROW (KEY_M,                0x32)
  ROW (KEY_COMMA,            0x33)
  ROW (KEY_DOT,              0x34)
  ROW (KEY_SLASH,            0x35)
  ROW (KEY_RIGHTSHIFT,       0x36)
  ROW (KEY_KPASTERISK,       0x37)
  ROW (KEY_LEFTALT,          0x38)
  ROW (KEY_SPACE,            0x39)
  ROW (KEY_CAPSLOCK,         0x3a)
  ROW (KEY_F1,               0x3b)
  ROW (KEY_F2,               0x3c)
  ROW (KEY_F3,               0x3d)
  ROW (KEY_F4,               0x3e)
  ROW (KEY_F5,               0x3f)
  ROW (KEY_F6,               0x40)
  ROW (KEY_F7,               0x41)
  ROW (KEY_F8,               0x42)
  ROW (KEY_F9,               0x43)
  ROW (KEY_F10,              0x44)
  ROW (KEY_NUMLOCK,          0x45)
  ROW (KEY_SCROLLLOCK,       0x46)
  ROW (KEY_KP7,              0x47)
  ROW (KEY_KP8,              0x48)
  ROW (KEY_KP9,              0x49)
  ROW (KEY_KPMINUS,          0x4a)
  ROW (KEY_KP4,              0x4b)
  ROW (KEY_KP5,              0x4c)
  ROW (KEY_KP6,              0x4d)
  ROW (KEY_KPPLUS,           0x4e)
  ROW (KEY_KP1,              0x4f)
  ROW (KEY_KP2,              0x50)
  ROW (KEY_KP3,              0x51)
  ROW (KEY_KP0,              0x52)
  ROW (KEY_KPDOT,            0x53)
  ROW (KEY_F16,              0x55)
  ROW (KEY_102ND,            0x56)
  ROW (KEY_F11,              0x57)
  ROW (KEY_F12,              0x58)
  ROW (KEY_KPEQUAL,          0x59)
  ROW (KEY_F20,              0x5a)
  ROW (KEY_KPJPCOMMA,        0x5c)
  ROW (KEY_F13,              0x5d)
  ROW (KEY_F14,              0x5e)
  ROW (KEY_F15,              0x5f)
  ROW (KEY_F23,              0x6d)
  ROW (KEY_F24,              0x6f)
  ROW (KEY_KATAKANAHIRAGANA, 0x70)
  ROW (KEY_HANJA,            0x71)
  ROW (KEY_HANGEUL,          0x72)
  ROW (KEY_RO,               0x73)
  ROW (KEY_F21,              0x74)
  ROW (KEY_ZENKAKUHANKAKU,   0x76)
  ROW (KEY_HIRAGANA,         0x77)
  ROW (KEY_KATAKANA,         0x78)
  ROW (KEY_HENKAN,           0x79)
  ROW (KEY_MUHENKAN,         0x7b)
  ROW (KEY_YEN,              0x7d)
  ROW (KEY_KPCOMMA,          0x7e)
  ROW (KEY_F17,             0x103)
  ROW (KEY_F19,             0x104)
  ROW (KEY_PREVIOUSSONG,    0x110)
  ROW (KEY_NEXTSONG,        0x119)
  ROW (KEY_KPENTER,         0x11c)
  ROW (KEY_RIGHTCTRL,       0x11d)
  ROW (KEY_MUTE,            0x120)
  ROW (KEY_CALC,            0x121)
  ROW (KEY_PLAYPAUSE,       0x122)
  ROW (KEY_STOPCD,          0x124)
  ROW (KEY_VOLUMEDOWN,      0x12e)
  ROW (KEY_VOLUMEUP,        0x130)
  ROW (KEY_HOMEPAGE,        0x132)
  ROW (KEY_KPSLASH,         0x135)
  ROW (KEY_SYSRQ,           0x137)
  ROW (KEY_RIGHTALT,        0x138)
  ROW (KEY_HOME,            0x147)
  ROW (KEY_UP,              0x148)
  ROW (KEY_PAGEUP,          0x149)
  ROW (KEY_LEFT,            0x14b)
  ROW (KEY_RIGHT,           0x14d)
  ROW (KEY_END,             0x14f)
  ROW (KEY_DOWN,            0x150)
  ROW (KEY_PAGEDOWN,        0x151)
  ROW (KEY_INSERT,          0x152)
  ROW (KEY_DELETE,          0x153)
  ROW (KEY_LEFTMETA,        0x15b)
  ROW (KEY_RIGHTMETA,       0x15c)
  ROW (KEY_COMPOSE,         0x15d)
  ROW (KEY_POWER,           0x15e)
  ROW (KEY_SLEEP,           0x15f)
  ROW (KEY_WAKEUP,          0x163)
  ROW (KEY_SEARCH,          0x165)
  ROW (KEY_BOOKMARKS,       0x166)
  ROW (KEY_REFRESH,         0x167)
  ROW (KEY_STOP,            0x168)
  ROW (KEY_FORWARD,         0x169)
  ROW (KEY_BACK,            0x16a)
  ROW (KEY_COMPUTER,        0x16b)
  ROW (KEY_MAIL,            0x16c)
  ROW (KEY_MEDIA,           0x16d)
  ROW (KEY_F18,             0x177)
  ROW (KEY_F22,             0x179)
  ROW (KEY_PAUSE,           VMD_KEYMAP_PAUSE)
};

#undef ROW

static void
test_every_entry (void)
{
  guint mapped = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const Row *row = &expected[i];
      g_autofree char *got = g_strdup_printf ("%s %#x", vmd_keymap_evdev_name (row->evdev),
                                              vmd_keymap_evdev_to_xt (row->evdev));
      g_autofree char *want = g_strdup_printf ("%s %#x", row->name, row->xt);

      g_assert_cmpstr (got, ==, want);
    }

  /* Nothing in the table that this list does not know, and a name exactly
   * where there is a code. */
  for (guint code = 0; code < vmd_keymap_get_size (); code++)
    {
      gboolean has_code = vmd_keymap_evdev_to_xt (code) != 0;

      g_assert_cmpint (has_code, ==, vmd_keymap_evdev_name (code) != NULL);
      if (has_code)
        mapped++;
    }
  g_assert_cmpuint (mapped, ==, G_N_ELEMENTS (expected));
  g_test_message ("%u keys mapped", mapped);
}

static void
test_every_key_of_a_105_key_keyboard (void)
{
  /* The keys a user has in front of them: losing any of these is a bug. */
  static const guint keys[] = {
    KEY_ESC, KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6, KEY_F7, KEY_F8, KEY_F9,
    KEY_F10, KEY_F11, KEY_F12, KEY_SYSRQ, KEY_SCROLLLOCK, KEY_PAUSE,
    KEY_GRAVE, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9, KEY_0,
    KEY_MINUS, KEY_EQUAL, KEY_BACKSPACE, KEY_INSERT, KEY_HOME, KEY_PAGEUP,
    KEY_NUMLOCK, KEY_KPSLASH, KEY_KPASTERISK, KEY_KPMINUS,
    KEY_TAB, KEY_Q, KEY_W, KEY_E, KEY_R, KEY_T, KEY_Y, KEY_U, KEY_I, KEY_O, KEY_P,
    KEY_LEFTBRACE, KEY_RIGHTBRACE, KEY_ENTER, KEY_DELETE, KEY_END, KEY_PAGEDOWN,
    KEY_KP7, KEY_KP8, KEY_KP9, KEY_KPPLUS,
    KEY_CAPSLOCK, KEY_A, KEY_S, KEY_D, KEY_F, KEY_G, KEY_H, KEY_J, KEY_K, KEY_L,
    KEY_SEMICOLON, KEY_APOSTROPHE, KEY_BACKSLASH, KEY_KP4, KEY_KP5, KEY_KP6,
    KEY_LEFTSHIFT, KEY_102ND, KEY_Z, KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M,
    KEY_COMMA, KEY_DOT, KEY_SLASH, KEY_RIGHTSHIFT, KEY_UP, KEY_KP1, KEY_KP2, KEY_KP3,
    KEY_KPENTER, KEY_LEFTCTRL, KEY_LEFTMETA, KEY_LEFTALT, KEY_SPACE, KEY_RIGHTALT,
    KEY_RIGHTMETA, KEY_COMPOSE, KEY_RIGHTCTRL, KEY_LEFT, KEY_DOWN, KEY_RIGHT,
    KEY_KP0, KEY_KPDOT,
  };

  g_assert_cmpuint (G_N_ELEMENTS (keys), ==, 105);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmphex (vmd_keymap_evdev_to_xt (keys[i]), !=, 0);
}

static void
test_shape (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GString) bad = g_string_new (NULL);

  for (guint code = 0; code < vmd_keymap_get_size (); code++)
    {
      guint xt = vmd_keymap_evdev_to_xt (code);
      const char *name = vmd_keymap_evdev_name (code);

      if (xt == 0 || xt == VMD_KEYMAP_PAUSE)
        continue;
      /* Make codes only: the 0x80 bit means "released". No exception, not
       * even Hangeul and Hanja (see vmd-keymap.c). */
      if (xt & 0x80)
        g_string_append_printf (bad, "%s %#x has the release bit\n", name, xt);
      /* Plain, or E0-prefixed, and E0 00 is no key. */
      if ((xt & ~0x17fu) != 0 || xt == 0x100)
        g_string_append_printf (bad, "%s %#x is no set-1 code\n", name, xt);
      /* No two keys send the same code: a PC keyboard has none. */
      if (g_hash_table_contains (seen, GUINT_TO_POINTER (xt)))
        g_string_append_printf (bad, "%s %#x is another key's code\n", name, xt);
      g_hash_table_add (seen, GUINT_TO_POINTER (xt));
    }

  g_assert_cmpstr (bad->str, ==, "");
}

/* The bytes spice-client-glib sends for a key (spice_make_scancode()), and
 * what QEMU's SPICE keyboard makes of them (kbd_push_key()): a key number
 * with E0 as 0x80, and whether it went down. */
static void
spice_to_qemu (guint     xt,
               gboolean  release,
               guint    *key_number,
               gboolean *down)
{
  guint8 bytes[2];
  guint n = 0;
  gboolean e0 = FALSE;

  if (xt & 0x100)
    bytes[n++] = 0xe0;
  bytes[n++] = (xt & 0xff) | (release ? 0x80 : 0);

  *key_number = 0;
  *down = FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (bytes[i] == 0xe0)
        {
          e0 = TRUE;
          continue;
        }
      *key_number = (bytes[i] & 0x7f) | (e0 ? 0x80 : 0);
      *down = (bytes[i] & 0x80) == 0;
    }
}

static void
test_qemu_reads_press_and_release (void)
{
  g_autoptr(GString) bad = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      guint xt = expected[i].xt;
      guint pressed, released;
      gboolean press_down, release_down;

      if (xt == VMD_KEYMAP_PAUSE)
        continue;

      spice_to_qemu (xt, FALSE, &pressed, &press_down);
      spice_to_qemu (xt, TRUE, &released, &release_down);
      if (!press_down || release_down || pressed != released ||
          pressed != ((xt & 0x7f) | (xt & 0x100 ? 0x80 : 0)))
        g_string_append_printf (bad, "%s %#x: QEMU reads %#x %s, then %#x %s\n",
                                expected[i].name, xt,
                                pressed, press_down ? "down" : "up",
                                released, release_down ? "down" : "up");
    }

  g_assert_cmpstr (bad->str, ==, "");
}

static void
test_main_block_is_set1 (void)
{
  /* evdev numbered Esc..KP. after set 1: 1..83 are equal. */
  for (guint code = KEY_ESC; code <= KEY_KPDOT; code++)
    g_assert_cmphex (vmd_keymap_evdev_to_xt (code), ==, code);
}

static void
test_x11 (void)
{
  for (guint keycode = 0; keycode < 8; keycode++)
    g_assert_cmpuint (vmd_keymap_x11_to_xt (keycode), ==, 0);
  for (guint code = 0; code < vmd_keymap_get_size () + 16; code++)
    g_assert_cmphex (vmd_keymap_x11_to_xt (code + 8), ==, vmd_keymap_evdev_to_xt (code));

  g_assert_cmphex (vmd_keymap_x11_to_xt (38), ==, 0x1e);   /* a on X11 */
  g_assert_cmphex (vmd_keymap_x11_to_xt (105), ==, 0x11d); /* Control_R */
  g_assert_cmphex (vmd_keymap_x11_to_xt (127), ==, VMD_KEYMAP_PAUSE);
}

/* The bytes spice-client-glib 0.42 puts on the wire for a stroke: it keeps
 * a code's 0x37f bits, sets 0x80 on a release, and sends 0x100 | code and
 * 0x200 | code as E0 or E1, then code. */
static void
add_wire_bytes (GByteArray         *bytes,
                const VmdKeyStroke *stroke)
{
  guint code = (stroke->scancode & 0x37f) | (stroke->press ? 0 : 0x80);
  guint8 prefix = code & 0x200 ? 0xe1 : 0xe0;
  guint8 byte = code & 0xff;

  if (code >= 0x100)
    g_byte_array_append (bytes, &prefix, 1);
  g_byte_array_append (bytes, &byte, 1);
}

static void
test_pause (void)
{
  static const guint8 want[] = { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize n = 0;
  const VmdKeyStroke *strokes = vmd_keymap_pause_strokes (&n);

  for (gsize i = 0; i < n; i++)
    add_wire_bytes (bytes, &strokes[i]);
  g_assert_cmpmem (bytes->data, bytes->len, want, sizeof want);
  g_assert_cmphex (vmd_keymap_evdev_to_xt (KEY_PAUSE), ==, VMD_KEYMAP_PAUSE);
  /* Callers tell it from every real code. */
  g_assert_cmphex (VMD_KEYMAP_PAUSE, >, 0x1ff);
}

static void
test_out_of_range (void)
{
  guint size = vmd_keymap_get_size ();

  /* The table ends with the last key it knows: the codes after it are
   * outside the array, and must not be read. */
  g_assert_cmpuint (size, ==, KEY_MEDIA + 1);
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (size), ==, 0);
  g_assert_null (vmd_keymap_evdev_name (size));
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (KEY_MAX), ==, 0);
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (0xffff), ==, 0);
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (G_MAXUINT), ==, 0);
  g_assert_cmpuint (vmd_keymap_x11_to_xt (0xffff), ==, 0);
  g_assert_cmpuint (vmd_keymap_x11_to_xt (G_MAXUINT), ==, 0);
  g_assert_null (vmd_keymap_evdev_name (0xffff));
  g_assert_null (vmd_keymap_evdev_name (G_MAXUINT));

  /* Inside the table, keys with no set-1 code. */
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (KEY_RESERVED), ==, 0);
  g_assert_null (vmd_keymap_evdev_name (KEY_RESERVED));
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (KEY_MACRO), ==, 0);
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (KEY_HELP), ==, 0);
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (KEY_BRIGHTNESSUP), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/keymap/every-entry", test_every_entry);
  g_test_add_func ("/keymap/105-keys", test_every_key_of_a_105_key_keyboard);
  g_test_add_func ("/keymap/shape", test_shape);
  g_test_add_func ("/keymap/qemu-reads-press-and-release", test_qemu_reads_press_and_release);
  g_test_add_func ("/keymap/main-block", test_main_block_is_set1);
  g_test_add_func ("/keymap/x11", test_x11);
  g_test_add_func ("/keymap/pause", test_pause);
  g_test_add_func ("/keymap/out-of-range", test_out_of_range);

  return g_test_run ();
}
