/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keymap"

#include "config.h"

#include <linux/input-event-codes.h>

#include "vmd-keymap.h"

/* Every key of the table against the scancode a PC keyboard sends, listed
 * here by scancode (set 1; E0-prefixed as 0x100 | code). */
static const struct { guint evdev; guint xt; } expected[] = {
  { KEY_ESC, 0x01 },
  { KEY_1, 0x02 },
  { KEY_2, 0x03 },
  { KEY_3, 0x04 },
  { KEY_4, 0x05 },
  { KEY_5, 0x06 },
  { KEY_6, 0x07 },
  { KEY_7, 0x08 },
  { KEY_8, 0x09 },
  { KEY_9, 0x0a },
  { KEY_0, 0x0b },
  { KEY_MINUS, 0x0c },
  { KEY_EQUAL, 0x0d },
  { KEY_BACKSPACE, 0x0e },
  { KEY_TAB, 0x0f },
  { KEY_Q, 0x10 },
  { KEY_W, 0x11 },
  { KEY_E, 0x12 },
  { KEY_R, 0x13 },
  { KEY_T, 0x14 },
  { KEY_Y, 0x15 },
  { KEY_U, 0x16 },
  { KEY_I, 0x17 },
  { KEY_O, 0x18 },
  { KEY_P, 0x19 },
  { KEY_LEFTBRACE, 0x1a },
  { KEY_RIGHTBRACE, 0x1b },
  { KEY_ENTER, 0x1c },
  { KEY_LEFTCTRL, 0x1d },
  { KEY_A, 0x1e },
  { KEY_S, 0x1f },
  { KEY_D, 0x20 },
  { KEY_F, 0x21 },
  { KEY_G, 0x22 },
  { KEY_H, 0x23 },
  { KEY_J, 0x24 },
  { KEY_K, 0x25 },
  { KEY_L, 0x26 },
  { KEY_SEMICOLON, 0x27 },
  { KEY_APOSTROPHE, 0x28 },
  { KEY_GRAVE, 0x29 },
  { KEY_LEFTSHIFT, 0x2a },
  { KEY_BACKSLASH, 0x2b },
  { KEY_Z, 0x2c },
  { KEY_X, 0x2d },
  { KEY_C, 0x2e },
  { KEY_V, 0x2f },
  { KEY_B, 0x30 },
  { KEY_N, 0x31 },
  { KEY_M, 0x32 },
  { KEY_COMMA, 0x33 },
  { KEY_DOT, 0x34 },
  { KEY_SLASH, 0x35 },
  { KEY_RIGHTSHIFT, 0x36 },
  { KEY_KPASTERISK, 0x37 },
  { KEY_LEFTALT, 0x38 },
  { KEY_SPACE, 0x39 },
  { KEY_CAPSLOCK, 0x3a },
  { KEY_F1, 0x3b },
  { KEY_F2, 0x3c },
  { KEY_F3, 0x3d },
  { KEY_F4, 0x3e },
  { KEY_F5, 0x3f },
  { KEY_F6, 0x40 },
  { KEY_F7, 0x41 },
  { KEY_F8, 0x42 },
  { KEY_F9, 0x43 },
  { KEY_F10, 0x44 },
  { KEY_NUMLOCK, 0x45 },
  { KEY_SCROLLLOCK, 0x46 },
  { KEY_KP7, 0x47 },
  { KEY_KP8, 0x48 },
  { KEY_KP9, 0x49 },
  { KEY_KPMINUS, 0x4a },
  { KEY_KP4, 0x4b },
  { KEY_KP5, 0x4c },
  { KEY_KP6, 0x4d },
  { KEY_KPPLUS, 0x4e },
  { KEY_KP1, 0x4f },
  { KEY_KP2, 0x50 },
  { KEY_KP3, 0x51 },
  { KEY_KP0, 0x52 },
  { KEY_KPDOT, 0x53 },
  { KEY_102ND, 0x56 },
  { KEY_F11, 0x57 },
  { KEY_F12, 0x58 },
  { KEY_KPEQUAL, 0x59 },
  { KEY_KPJPCOMMA, 0x5c },
  { KEY_F13, 0x64 },
  { KEY_F14, 0x65 },
  { KEY_F15, 0x66 },
  { KEY_F16, 0x67 },
  { KEY_F17, 0x68 },
  { KEY_F18, 0x69 },
  { KEY_F19, 0x6a },
  { KEY_F20, 0x6b },
  { KEY_F21, 0x6c },
  { KEY_F22, 0x6d },
  { KEY_F23, 0x6e },
  { KEY_KATAKANAHIRAGANA, 0x70 },
  { KEY_RO, 0x73 },
  { KEY_F24, 0x76 },
  { KEY_HIRAGANA, 0x77 },
  { KEY_KATAKANA, 0x78 },
  { KEY_HENKAN, 0x79 },
  { KEY_MUHENKAN, 0x7b },
  { KEY_YEN, 0x7d },
  { KEY_KPCOMMA, 0x7e },
  { KEY_HANJA, 0xf1 },
  { KEY_HANGEUL, 0xf2 },
  { KEY_PREVIOUSSONG, 0x110 },
  { KEY_NEXTSONG, 0x119 },
  { KEY_KPENTER, 0x11c },
  { KEY_RIGHTCTRL, 0x11d },
  { KEY_MUTE, 0x120 },
  { KEY_CALC, 0x121 },
  { KEY_PLAYPAUSE, 0x122 },
  { KEY_STOPCD, 0x124 },
  { KEY_VOLUMEDOWN, 0x12e },
  { KEY_VOLUMEUP, 0x130 },
  { KEY_HOMEPAGE, 0x132 },
  { KEY_KPSLASH, 0x135 },
  { KEY_SYSRQ, 0x137 },
  { KEY_RIGHTALT, 0x138 },
  { KEY_HOME, 0x147 },
  { KEY_UP, 0x148 },
  { KEY_PAGEUP, 0x149 },
  { KEY_LEFT, 0x14b },
  { KEY_RIGHT, 0x14d },
  { KEY_END, 0x14f },
  { KEY_DOWN, 0x150 },
  { KEY_PAGEDOWN, 0x151 },
  { KEY_INSERT, 0x152 },
  { KEY_DELETE, 0x153 },
  { KEY_LEFTMETA, 0x15b },
  { KEY_RIGHTMETA, 0x15c },
  { KEY_COMPOSE, 0x15d },
  { KEY_POWER, 0x15e },
  { KEY_SLEEP, 0x15f },
  { KEY_WAKEUP, 0x163 },
  { KEY_SEARCH, 0x165 },
  { KEY_BOOKMARKS, 0x166 },
  { KEY_REFRESH, 0x167 },
  { KEY_STOP, 0x168 },
  { KEY_FORWARD, 0x169 },
  { KEY_BACK, 0x16a },
  { KEY_COMPUTER, 0x16b },
  { KEY_MAIL, 0x16c },
  { KEY_MEDIA, 0x16d },
  { KEY_PAUSE, VMD_KEYMAP_PAUSE },
};

static void
test_every_entry (void)
{
  guint mapped = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmphex (vmd_keymap_evdev_to_xt (expected[i].evdev), ==, expected[i].xt);
      g_assert_nonnull (vmd_keymap_evdev_name (expected[i].evdev));
    }

  /* Nothing in the table that this list does not know. */
  for (guint code = 0; code < vmd_keymap_get_size (); code++)
    if (vmd_keymap_evdev_to_xt (code) != 0)
      mapped++;
  g_assert_cmpuint (mapped, ==, G_N_ELEMENTS (expected));
  g_test_message ("%u keys mapped", mapped);
}

static void
test_shape (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint code = 0; code < vmd_keymap_get_size (); code++)
    {
      guint xt = vmd_keymap_evdev_to_xt (code);

      if (xt == 0 || xt == VMD_KEYMAP_PAUSE)
        continue;
      /* Make codes only: the 0x80 bit means "released". Korean keyboards'
       * Hangeul and Hanja keys are the exception: 0xf2 and 0xf1, sent
       * without a release. */
      if (code != KEY_HANGEUL && code != KEY_HANJA)
        g_assert_cmphex (xt & 0x80, ==, 0);
      /* Plain, or E0-prefixed: nothing else. */
      g_assert_cmphex (xt & ~0x1ffu, ==, 0);
      /* No two keys send the same code. */
      g_assert_false (g_hash_table_contains (seen, GUINT_TO_POINTER (xt)));
      g_hash_table_add (seen, GUINT_TO_POINTER (xt));
    }
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
  for (guint code = 0; code < 8; code++)
    g_assert_cmpuint (vmd_keymap_x11_to_xt (code), ==, 0);
  g_assert_cmphex (vmd_keymap_x11_to_xt (KEY_A + 8), ==, 0x1e);
  g_assert_cmphex (vmd_keymap_x11_to_xt (KEY_RIGHTCTRL + 8), ==, 0x11d);
  g_assert_cmphex (vmd_keymap_x11_to_xt (KEY_PAUSE + 8), ==, VMD_KEYMAP_PAUSE);
}

static void
test_pause (void)
{
  static const guint8 want[] = { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };
  gsize n = 0;
  const guint8 *seq = vmd_keymap_pause_sequence (&n);

  g_assert_cmpmem (seq, n, want, sizeof want);
}

static void
test_out_of_range (void)
{
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (vmd_keymap_get_size ()), ==, 0);
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (0xffff), ==, 0);
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (G_MAXUINT), ==, 0);
  g_assert_cmpuint (vmd_keymap_x11_to_xt (G_MAXUINT), ==, 0);
  g_assert_null (vmd_keymap_evdev_name (0xffff));
  g_assert_cmpuint (vmd_keymap_evdev_to_xt (KEY_RESERVED), ==, 0);
  g_assert_cmpstr (vmd_keymap_evdev_name (KEY_A), ==, "KEY_A");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/keymap/every-entry", test_every_entry);
  g_test_add_func ("/keymap/shape", test_shape);
  g_test_add_func ("/keymap/main-block", test_main_block_is_set1);
  g_test_add_func ("/keymap/x11", test_x11);
  g_test_add_func ("/keymap/pause", test_pause);
  g_test_add_func ("/keymap/out-of-range", test_out_of_range);

  return g_test_run ();
}
