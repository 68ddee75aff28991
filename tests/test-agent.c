/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-agent"

#include "config.h"

#include <linux/input-event-codes.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-display.h"
#include "vmd-display-geometry.h"
#include "vmd-display-page.h"
#include "vmd-keymap.h"
#include "vmd-machine.h"
#include "vmd-spice-session.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"

/* What the SPICE agent gives, end to end: a Linux guest running
 * spice-vdagent (tests/agent-guest, built by build-aux/dev.sh) boots under
 * TCG on a real qemu:///session and VmDesk's screen of it opens. A text
 * copied in another program of the desktop (xclip) reaches the guest's
 * clipboard; a text copied in the guest reaches the desktop's; a file
 * dropped on the screen arrives in the guest whole; the guest's screen takes
 * the window's size, and follows it; its pointer and keyboard get what the
 * desktop's do. The guest says what it holds and what its kernel sees on its
 * serial console, which QEMU writes to a file. */

#define URI   "qemu:///session"
#define GUEST "agent guest"
#define TITLE "VmDesk agent test"

static char *workdir;
static char *serial_log;
static VmdConnection *connection;
static VmdMachine *machine;
static VmdApplication *app;
static GtkWidget *window;
static GtkWidget *page;

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
serial_says (gpointer data)
{
  return vmd_test_serial_says (data);
}

/* No video streams: spice-client-glib would look for GStreamer elements
 * that this machine does not have, and warn. */
static void
define_guest (void)
{
  const char *dir = g_getenv ("VMD_AGENT_GUEST_DIR");
  g_autofree char *kernel = g_build_filename (dir, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (dir, "initrd.cpio", NULL);
  /* QXL, or virtio-gpu: what VmDesk gives guests that osinfo says take it. */
  const char *video = g_getenv ("VMD_AGENT_VIDEO") ? g_getenv ("VMD_AGENT_VIDEO") : "qxl";
  g_autofree char *xml = NULL;

  serial_log = g_build_filename (workdir, "serial.log", NULL);
  vmd_test_serial_init (serial_log);
  g_test_message ("the guest's display: %s", video);
  xml = g_markup_printf_escaped (
    "<domain type='qemu'><name>%s</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu>"
    "<os><type arch='x86_64' machine='q35'>hvm</type><kernel>%s</kernel><initrd>%s</initrd>"
    "<cmdline>console=ttyS0 quiet</cmdline></os>"
    "<devices>"
    "<serial type='file'><source path='%s'/><target port='0'/></serial>"
    "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"
    "<graphics type='spice'><listen type='none'/><streaming mode='off'/></graphics>"
    "<video><model type='%s'/></video>"
    "</devices></domain>",
    GUEST, kernel, initrd, serial_log, video);

  vmd_test_define_and_start (URI, xml);
}

static gboolean
agent_connected (gpointer data)
{
  VmdSpiceSession *session = vmd_display_get_session (vmd_display_page_get_display (data));

  return session != NULL && vmd_spice_session_get_agent (session);
}

static void
test_clipboard (void)
{
  g_autofree char *text = NULL;

  /* Copied in another program while the guest's screen is open. */
  vmd_test_desktop_copy ("copied on the desktop");
  g_assert_true (vmd_test_wait_serial ("clipboard: copied on the desktop", 60000));

  /* The guest answers with a copy of its own. */
  g_assert_true (vmd_test_wait_until (vmd_test_desktop_holds, "copied in the guest", 60000));
  text = vmd_test_desktop_clipboard ();
  g_assert_cmpstr (text, ==, "copied in the guest");
}

/* Another program of the desktop copies an image; the guest receives it
 * and copies it back; the desktop then holds the same pixels. */
static void
test_clipboard_image (void)
{
  g_autofree char *path = g_build_filename (workdir, "copied.png", NULL);
  g_autofree char *back = g_build_filename (workdir, "back.png", NULL);
  g_autofree char *script = g_strdup_printf ("xclip -selection clipboard -t image/png -i '%s'", path);
  g_autofree char *read = g_strdup_printf ("xclip -o -selection clipboard -t image/png > '%s'", back);
  const char *copy_argv[] = { "sh", "-c", script, NULL };
  const char *read_argv[] = { "sh", "-c", read, NULL };
  g_autoptr(GdkPixbuf) image = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GdkPixbuf) received = NULL;
  g_autoptr(GError) error = NULL;

  for (int y = 0; y < 48; y++)
    for (int x = 0; x < 64; x++)
      {
        guint8 *p = gdk_pixbuf_get_pixels (image) + y * gdk_pixbuf_get_rowstride (image) + x * 3;

        p[0] = x * 4;
        p[1] = y * 5;
        p[2] = (x ^ y) * 3;
      }
  g_assert_true (gdk_pixbuf_save (image, path, "png", &error, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) copy_argv, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, NULL, NULL, NULL, NULL));
  g_assert_true (vmd_test_wait_serial ("vmdesk-agent: image:", 60000));

  /* The guest's copy comes back; xclip reads it off our clipboard while the
   * main loop runs to serve it. */
  for (int attempt = 0; attempt < 60 && received == NULL; attempt++)
    {
      vmd_test_run_serving (read_argv, 10000);
      received = gdk_pixbuf_new_from_file (back, NULL);
      if (received == NULL || gdk_pixbuf_get_width (received) != 64)
        {
          g_clear_object (&received);
          vmd_test_wait_until (never, NULL, 1000);
        }
    }
  g_assert_nonnull (received);
  g_assert_cmpint (gdk_pixbuf_get_height (received), ==, 48);
  for (int y = 0; y < 48; y++)
    for (int x = 0; x < 64; x++)
      {
        const guint8 *a = gdk_pixbuf_get_pixels (image) + y * gdk_pixbuf_get_rowstride (image) + x * 3;
        const guint8 *b = gdk_pixbuf_get_pixels (received) + y * gdk_pixbuf_get_rowstride (received) +
                          x * gdk_pixbuf_get_n_channels (received);

        g_assert_true (a[0] == b[0] && a[1] == b[1] && a[2] == b[2]);
      }
}

/* The guest's screen is exactly the size of the widget showing it, so
 * drawn 1:1; the guest's display says it set that mode. */
static void
assert_guest_fills_display (GtkWidget *display)
{
  g_autofree char *mode = NULL;
  VmdDisplayFit fit;
  int width, height;

  if (!vmd_test_wait_until (vmd_test_guest_fills_display, display, 60000))
    {
      g_autofree char *why = NULL;

      vmd_display_get_guest_size (VMD_DISPLAY (display), &width, &height);
      why = g_strdup_printf ("the guest's screen stayed %dx%d in a widget of %dx%d", width,
                             height, gtk_widget_get_width (display),
                             gtk_widget_get_height (display));
      vmd_test_show_serial (why);
    }
  g_assert_true (vmd_test_guest_fills_display (display));
  vmd_display_get_guest_size (VMD_DISPLAY (display), &width, &height);
  g_test_message ("guest screen %dx%d, GTK scale %d", width, height,
                  gtk_widget_get_scale_factor (display));
  mode = g_strdup_printf ("vmdesk-agent: mode: %dx%d set", width, height);
  g_assert_true (vmd_test_wait_serial (mode, 10000));
  vmd_display_fit (width, height, gtk_widget_get_width (display), gtk_widget_get_height (display),
                   &fit);
  /* One guest pixel to a pixel of the desktop's. */
  g_assert_cmpfloat (fit.scale * gtk_widget_get_scale_factor (display), ==, 1.0);
  g_assert_cmpfloat (fit.x, ==, 0);
  g_assert_cmpfloat (fit.y, ==, 0);
}

static void
xdotool (const char *const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  int status = -1;

  g_strv_builder_add (builder, "xdotool");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_cmpint (status, ==, 0);
}

static void
focus_window (const char *title)
{
  xdotool ((const char *[]) { "search", "--sync", "--name", title, "windowfocus", "--sync", NULL });
}

static void
resize_window (int width,
               int height)
{
  g_autofree char *w = g_strdup_printf ("%d", width);
  g_autofree char *h = g_strdup_printf ("%d", height);

  xdotool ((const char *[]) { "search", "--sync", "--name", TITLE, "windowsize", w, h, NULL });
}

/* The guest's resolution follows the window: at once, and after the user
 * makes the window smaller, then larger. Its display's driver takes the
 * sizes VmDesk asks for; its "desktop" (modetest) sets them. */
static void
test_resolution (void)
{
  GtkWidget *display = GTK_WIDGET (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page)));
  const int sizes[][2] = { { 853, 601 }, { 1210, 845 } };

  assert_guest_fills_display (display);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      VmdTestWidth was = { display, gtk_widget_get_width (display) };

      resize_window (sizes[i][0], sizes[i][1]);
      g_assert_true (vmd_test_wait_until (vmd_test_width_changed, &was, 10000));
      assert_guest_fills_display (display);
    }
}

/* The mouse, in client mode: the agent's tablet in the guest goes where the
 * pointer is over the guest's screen (at 1:1 here, after the resolution
 * test), and gets each button and the wheel. xdotool's events are real X
 * events, through GTK. */
static void
test_mouse (void)
{
  GtkWidget *display = GTK_WIDGET (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page)));
  const struct { int x, y; } points[] = { { 300, 200 }, { 701, 499 } };
  const struct { const char *button, *name; } buttons[] = {
    { "1", "BTN_LEFT" }, { "2", "BTN_MIDDLE" }, { "3", "BTN_RIGHT" },
    { "8", "BTN_SIDE" }, { "9", "BTN_EXTRA" },
  };
  int scale = gtk_widget_get_scale_factor (display);
  graphene_point_t origin;
  double sx, sy;

  /* A size the window manager or X settled on after the resolution test
   * is followed too: waited for, not read at once. */
  assert_guest_fills_display (display);
  g_assert_true (vmd_test_wait_serial ("vmdesk-agent: pointer /dev/input/", 30000));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &sx, &sy);
  /* The X server's pixels are the guest's (1:1 after the resolution test),
   * whatever GTK's scale. */
  g_assert_true (gtk_widget_compute_point (display, GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (0, 0), &origin));
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree char *x = g_strdup_printf ("%d", (int) ((origin.x + sx) * scale) + points[i].x);
      g_autofree char *y = g_strdup_printf ("%d", (int) ((origin.y + sy) * scale) + points[i].y);
      g_autofree char *needle = g_strdup_printf ("vmdesk-agent: pointer at %d,%d.",
                                                 points[i].x, points[i].y);

      xdotool ((const char *[]) { "search", "--sync", "--name", TITLE, "mousemove", "--sync",
                                  "--window", "%1", x, y, NULL });
      g_assert_true (vmd_test_wait_serial (needle, 30000));
    }

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      g_autofree char *down = g_strdup_printf ("vmdesk-agent: %s down.", buttons[i].name);
      g_autofree char *up = g_strdup_printf ("vmdesk-agent: %s up.", buttons[i].name);

      xdotool ((const char *[]) { "click", buttons[i].button, NULL });
      g_assert_true (vmd_test_wait_serial (down, 30000));
      g_assert_true (vmd_test_wait_serial (up, 30000));
    }

  /* X's wheel buttons: up is 4, down 5; GTK makes them scroll events. */
  xdotool ((const char *[]) { "click", "4", NULL });
  g_assert_true (vmd_test_wait_serial ("vmdesk-agent: wheel 1.", 30000));
  xdotool ((const char *[]) { "click", "5", NULL });
  g_assert_true (vmd_test_wait_serial ("vmdesk-agent: wheel -1.", 30000));
}

static void
fake_key (guint    keycode,
          gboolean press)
{
  Display *xdisplay = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));

  XTestFakeKeyEvent (xdisplay, keycode, press, CurrentTime);
  XFlush (xdisplay);
}

/* What QEMU 7.2 (Debian 12) has no PS/2 code for, and drops: keys it has no
 * key for at all, and Hangeul and Hanja, which it knows but cannot send in
 * scan code set 2. */
static gboolean
qemu_drops (guint evdev)
{
  switch (evdev)
    {
    case KEY_ZENKAKUHANKAKU: case KEY_KATAKANA: case KEY_KPJPCOMMA: case KEY_SEARCH:
    case KEY_HANGEUL: case KEY_HANJA:
      return TRUE;
    default:
      return evdev >= KEY_F13 && evdev <= KEY_F24;
    }
}

static guint
serial_count (const char *needle)
{
  g_autofree char *log = NULL;
  guint count = 0;

  if (g_file_get_contents (serial_log, &log, NULL, NULL))
    for (const char *p = strstr (log, needle); p != NULL; p = strstr (p + 1, needle))
      count++;
  return count;
}

typedef struct
{
  const char *needle;
  guint       count;
} Count;

static gboolean
serial_count_grew (gpointer data)
{
  Count *was = data;

  return serial_count (was->needle) > was->count;
}

static gboolean
guest_got_key (guint evdev)
{
  g_autofree char *down = g_strdup_printf ("vmdesk-agent: key %u down.", evdev);
  g_autofree char *up = g_strdup_printf ("vmdesk-agent: key %u up.", evdev);

  return vmd_test_wait_until (serial_says, down, 5000) && vmd_test_wait_until (serial_says, up, 5000);
}

static void
type_key (guint evdev)
{
  fake_key (evdev + 8, TRUE);
  fake_key (evdev + 8, FALSE);
}

/* Every key VmDesk knows, pressed on the desktop's X server as a keyboard
 * would (XTest: real X events through GTK, by hardware keycode), reaches the
 * guest as the same key: its kernel reports the evdev code the desktop's
 * has. That checks the table against QEMU's and Linux's, not against
 * itself. X11 keycodes stop at 255, so evdev codes above 247 are not
 * reached this way. */
static void
test_keyboard (void)
{
  GtkWidget *display = GTK_WIDGET (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page)));
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) dropped = g_string_new (NULL);
  guint arrived = 0;

  g_assert_true (vmd_test_wait_serial ("vmdesk-agent: keyboard /dev/input/", 30000));
  focus_window (TITLE);
  gtk_widget_grab_focus (display);
  g_assert_true (gtk_widget_has_focus (display));

  for (guint evdev = 1; evdev <= 247; evdev++)
    {
      g_autofree char *down = g_strdup_printf ("vmdesk-agent: key %u down.", evdev);

      if (vmd_keymap_evdev_to_xt (evdev) == 0)
        continue;
      type_key (evdev);
      if (qemu_drops (evdev))
        {
          /* A key the guest got before the Esc that follows it would be
           * there once that Esc is. */
          Count esc = { "vmdesk-agent: key 1 up.", serial_count ("vmdesk-agent: key 1 up.") };

          type_key (KEY_ESC);
          g_assert_true (vmd_test_wait_until (serial_count_grew, &esc, 5000));
          if (serial_says (down))
            arrived++;
          else
            g_string_append_printf (dropped, " %s", vmd_keymap_evdev_name (evdev));
          continue;
        }
      if (guest_got_key (evdev))
        arrived++;
      else
        g_string_append_printf (missing, " %s (%u)", vmd_keymap_evdev_name (evdev), evdev);
    }
  g_test_message ("%u keys reached the guest; QEMU dropped:%s", arrived, dropped->str);
  g_assert_cmpstr (missing->str, ==, "");
}

/* Focus leaving the guest's screen lets go of what the guest holds, though
 * the user's finger is still on the key; Caps Lock turned on elsewhere
 * meanwhile is on in the guest once its screen has focus again. */
static void
test_focus (void)
{
  GtkWidget *display = GTK_WIDGET (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page)));
  GtkWidget *other = gtk_window_new ();
  Count shift_down = { "vmdesk-agent: key 42 down.", serial_count ("vmdesk-agent: key 42 down.") };
  Count shift_up = { "vmdesk-agent: key 42 up.", serial_count ("vmdesk-agent: key 42 up.") };
  Count caps = { "vmdesk-agent: key 58 down.", serial_count ("vmdesk-agent: key 58 down.") };

  focus_window (TITLE);
  gtk_widget_grab_focus (display);
  fake_key (KEY_LEFTSHIFT + 8, TRUE);
  g_assert_true (vmd_test_wait_until (serial_count_grew, &shift_down, 5000));

  gtk_window_set_title (GTK_WINDOW (other), "Another window");
  gtk_window_present (GTK_WINDOW (other));
  focus_window ("Another window");
  g_assert_true (vmd_test_wait_until (serial_count_grew, &shift_up, 5000));
  fake_key (KEY_LEFTSHIFT + 8, FALSE);

  type_key (KEY_CAPSLOCK);
  g_assert_cmpuint (serial_count (caps.needle), ==, caps.count);
  focus_window (TITLE);
  g_assert_true (vmd_test_wait_until (serial_count_grew, &caps, 5000));
  /* And off again, in the guest too. */
  caps.count = serial_count (caps.needle);
  type_key (KEY_CAPSLOCK);
  g_assert_true (vmd_test_wait_until (serial_count_grew, &caps, 5000));
  gtk_window_destroy (GTK_WINDOW (other));
}

static gboolean
desktop_caps_lock (void)
{
  GdkSeat *seat = gdk_display_get_default_seat (gtk_widget_get_display (window));

  return gdk_device_get_caps_lock_state (gdk_seat_get_keyboard (seat));
}

typedef struct
{
  VmdSpiceInput *input;
  Count          caps;
} GuestCaps;

/* The guest typed Caps Lock again, and its lights agree with the desktop's. */
static gboolean
guest_caps_back (gpointer data)
{
  GuestCaps *guest = data;
  gboolean caps = (vmd_spice_input_get_guest_locks (guest->input) & VMD_KEY_LOCK_CAPS) != 0;

  return serial_count (guest->caps.needle) >= guest->caps.count + 2 && caps == desktop_caps_lock ();
}

static gboolean
guest_caps_agree (gpointer data)
{
  GuestCaps *guest = data;
  gboolean caps = (vmd_spice_input_get_guest_locks (guest->input) & VMD_KEY_LOCK_CAPS) != 0;

  return caps == desktop_caps_lock ();
}

/* A guest that turns its own Caps Lock over (as a guest's kernel or X
 * server starting does) gets the desktop's back while its screen has the
 * keyboard, or it would type capitals under a desktop that shows Caps Lock
 * off from then on. QEMU's own key, typed past VmDesk, stands for it. */
static void
test_guest_locks (void)
{
  GtkWidget *display = GTK_WIDGET (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page)));
  VmdSpiceSession *session = vmd_display_get_session (VMD_DISPLAY (display));
  GuestCaps guest = { vmd_spice_session_get_input (session),
                      { "vmdesk-agent: key 58 down.", 0 } };
  const char *argv[] = { "virsh", "-c", URI, "qemu-monitor-command", "--hmp", GUEST,
                         "sendkey caps_lock", NULL };
  gboolean desktop;

  focus_window (TITLE);
  gtk_widget_grab_focus (display);
  desktop = desktop_caps_lock ();
  g_assert_true (vmd_test_wait_until (guest_caps_agree, &guest, 20000));

  guest.caps.count = serial_count (guest.caps.needle);
  g_free (vmd_test_run_ok (argv));
  g_assert_true (vmd_test_wait_until (serial_count_grew, &guest.caps, 20000));
  g_assert_true (vmd_test_wait_until (guest_caps_back, &guest, 20000));
  g_assert_cmpint (desktop_caps_lock (), ==, desktop);
}

typedef struct
{
  gsize               from;
  const char *const  *needles;
} Sequence;

/* The needles, in order, in what the guest said after from. */
static gboolean
serial_says_in_order (gpointer data)
{
  Sequence *sequence = data;
  g_autofree char *log = NULL;
  gsize length = 0;
  const char *p;

  if (!g_file_get_contents (serial_log, &log, &length, NULL) || length < sequence->from)
    return FALSE;
  p = log + sequence->from;
  for (guint i = 0; p != NULL && sequence->needles[i] != NULL; i++)
    p = strstr (p, sequence->needles[i]);
  return p != NULL;
}

static gsize
serial_length (void)
{
  g_autofree char *log = NULL;
  gsize length = 0;

  g_file_get_contents (serial_log, &log, &length, NULL);
  return length;
}

/* The header's menu sends the keys a desktop keeps for itself: Ctrl and Alt
 * down, the key, and all up again in reverse. */
static void
test_send_keys (void)
{
  const struct { const char *target; guint key; } combos[] = {
    { "ctrl-alt-backspace", KEY_BACKSPACE }, { "ctrl-alt-f1", KEY_F1 }, { "ctrl-alt-f12", KEY_F12 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (combos); i++)
    {
      g_autofree char *down = g_strdup_printf ("vmdesk-agent: key %u down.", combos[i].key);
      g_autofree char *up = g_strdup_printf ("vmdesk-agent: key %u up.", combos[i].key);
      const char *needles[] = { "vmdesk-agent: key 29 down.", "vmdesk-agent: key 56 down.", down,
                                up, "vmdesk-agent: key 56 up.", "vmdesk-agent: key 29 up.", NULL };
      Sequence sequence = { serial_length (), needles };

      g_assert_true (gtk_widget_activate_action (page, "page.send-keys", "s", combos[i].target));
      g_assert_true (vmd_test_wait_until (serial_says_in_order, &sequence, 10000));
    }
}

/* Ctrl+Alt+Del from the menu restarts the guest, as Linux does by default;
 * VmDesk's screen of it comes back by itself, and the new agent is asked
 * for the window's size again. What follows runs on the restarted guest. */
static void
test_ctrl_alt_del (void)
{
  GtkWidget *display = GTK_WIDGET (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page)));
  const char *needles[] = { "reboot: Restarting system", "vmdesk-agent: ready", NULL };
  Sequence sequence = { serial_length (), needles };
  g_autofree char *mode = NULL;
  Count set;
  int width, height;

  vmd_display_get_guest_size (VMD_DISPLAY (display), &width, &height);
  mode = g_strdup_printf ("vmdesk-agent: mode: %dx%d set", width, height);
  set = (Count) { mode, serial_count (mode) };

  g_assert_true (gtk_widget_activate_action (page, "page.send-keys", "s", "ctrl-alt-del"));
  g_assert_true (vmd_test_wait_until (serial_says_in_order, &sequence, 180000));
  g_assert_true (vmd_test_wait_until (agent_connected, page, 60000));
  g_assert_true (vmd_test_wait_until (serial_count_grew, &set, 60000));
  assert_guest_fills_display (display);
}

static AdwWindowTitle *
find_title (GtkWidget *widget)
{
  if (ADW_IS_WINDOW_TITLE (widget))
    return ADW_WINDOW_TITLE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwWindowTitle *title = find_title (child);

      if (title != NULL)
        return title;
    }
  return NULL;
}

static gboolean
subtitle_says (gpointer data)
{
  return g_strcmp0 (adw_window_title_get_subtitle (find_title (page)), data) == 0;
}

/* A file dropped on the guest's screen arrives in the guest, whole, and the
 * header says so. */
static void
test_file_drop (void)
{
  g_autofree char *path = g_build_filename (workdir, "dropped.bin", NULL);
  g_autofree char *needle = NULL;
  g_autofree char *md5 = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (300000);

  for (guint i = 0; i < 300000; i++)
    {
      guint8 b = g_rand_int (rand);

      g_byte_array_append (bytes, &b, 1);
    }
  g_assert_true (g_file_set_contents (path, (char *) bytes->data, bytes->len, NULL));
  md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, bytes->data, bytes->len);

  vmd_test_drop_file (GTK_WIDGET (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page))), path);

  needle = g_strdup_printf ("received: dropped.bin 300000 bytes %s", md5);
  g_assert_true (vmd_test_wait_serial (needle, 60000));
  g_assert_true (vmd_test_wait_until (subtitle_says,
                                      "Copied into the machine’s Downloads folder", 10000));
  /* It stays there a while, whatever else the header has to say meanwhile
   * (a pause and a resume redraw it). */
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_PAUSE, NULL));
  g_assert_true (vmd_test_run (machine, VMD_MACHINE_ACTION_RESUME, NULL));
  g_assert_true (subtitle_says ("Copied into the machine’s Downloads folder"));
}

/* -- VmDesk's own shortcuts, while the guest has the keyboard ----------- */

typedef struct
{
  char  *name;    /* "app.quit" */
  guint  count;
} Activation;

static void
on_activate (GSimpleAction *action,
             GVariant      *param,
             Activation    *activation)
{
  activation->count++;
}

static void
on_close_request (GtkWindow *self,
                  guint     *count)
{
  (*count)++;
}

/* Counts every activation of the application's and the window's actions. */
static GPtrArray *
watch_actions (void)
{
  GActionMap *maps[] = { G_ACTION_MAP (app), G_ACTION_MAP (window) };
  GPtrArray *activations = g_ptr_array_new ();

  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      g_auto(GStrv) names = g_action_group_list_actions (G_ACTION_GROUP (maps[m]));

      for (guint i = 0; names[i] != NULL; i++)
        {
          GAction *action = g_action_map_lookup_action (maps[m], names[i]);
          Activation *activation;

          /* A stateful action with no handler of its own would stop
           * changing state once one is connected. */
          if (!G_IS_SIMPLE_ACTION (action) || g_action_get_state_type (action) != NULL)
            continue;
          activation = g_new0 (Activation, 1);
          activation->name = g_strdup_printf ("%s.%s", m == 0 ? "app" : "win", names[i]);
          g_signal_connect (action, "activate", G_CALLBACK (on_activate), activation);
          g_ptr_array_add (activations, activation);
        }
    }
  return activations;
}

static guint
activations_of (GPtrArray  *activations,
                const char *name)
{
  for (guint i = 0; i < activations->len; i++)
    {
      Activation *activation = g_ptr_array_index (activations, i);

      if (g_str_equal (activation->name, name))
        return activation->count;
    }
  return 0;
}

static void
unwatch_actions (GPtrArray *activations)
{
  GActionMap *maps[] = { G_ACTION_MAP (app), G_ACTION_MAP (window) };

  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      g_auto(GStrv) names = g_action_group_list_actions (G_ACTION_GROUP (maps[m]));

      for (guint i = 0; names[i] != NULL; i++)
        g_signal_handlers_disconnect_matched (g_action_map_lookup_action (maps[m], names[i]),
                                              G_SIGNAL_MATCH_FUNC, 0, 0, NULL, on_activate, NULL);
    }
  for (guint i = 0; i < activations->len; i++)
    {
      Activation *activation = g_ptr_array_index (activations, i);

      g_free (activation->name);
      g_free (activation);
    }
  g_ptr_array_free (activations, TRUE);
}

/* The evdev codes a desktop keyboard sends for an accelerator: its
 * modifiers, and Shift where the key is on a shifted level ("?"), then the
 * key. */
static guint
accel_keys (const char *accel,
            guint       keys[5])
{
  GdkDisplay *display = gtk_widget_get_display (window);
  g_autofree GdkKeymapKey *map = NULL;
  GdkModifierType mods;
  guint keyval, n = 0;
  int n_map = 0;

  g_assert_true (gtk_accelerator_parse (accel, &keyval, &mods));
  g_assert_true (gdk_display_map_keyval (display, keyval, &map, &n_map));
  g_assert_cmpint (n_map, >, 0);
  if (mods & GDK_CONTROL_MASK)
    keys[n++] = KEY_LEFTCTRL;
  if ((mods & GDK_SHIFT_MASK) || map[0].level == 1)
    keys[n++] = KEY_LEFTSHIFT;
  if (mods & GDK_ALT_MASK)
    keys[n++] = KEY_LEFTALT;
  if (mods & GDK_SUPER_MASK)
    keys[n++] = KEY_LEFTMETA;
  keys[n++] = map[0].keycode - 8;
  return n;
}

/* Presses the keys in order and lets go of them in reverse, as fingers do;
 * returns the guest's serial length before. */
static gsize
press_combo (const guint *keys,
             guint        n)
{
  gsize from = serial_length ();

  for (guint i = 0; i < n; i++)
    fake_key (keys[i] + 8, TRUE);
  for (guint i = n; i > 0; i--)
    fake_key (keys[i - 1] + 8, FALSE);
  return from;
}

/* The guest got the keys of a combination, each down then up. */
static gboolean
guest_got_combo (gsize        from,
                 const guint *keys,
                 guint        n)
{
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  Sequence sequence;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (needles, g_strdup_printf ("vmdesk-agent: key %u down.", keys[i]));
  for (guint i = n; i > 0; i--)
    g_ptr_array_add (needles, g_strdup_printf ("vmdesk-agent: key %u up.", keys[i - 1]));
  g_ptr_array_add (needles, NULL);
  sequence = (Sequence) { from, (const char *const *) needles->pdata };
  return vmd_test_wait_until (serial_says_in_order, &sequence, 10000);
}

static gboolean
resume_enabled (gpointer data)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), "resume");
}

static gboolean
shortcuts_released (gpointer data)
{
  return !vmd_display_get_shortcuts_inhibited (data);
}

/* Every accelerator VmDesk defines, and the keys GTK and the window keep
 * for themselves (F10, Tab, Alt, Escape, the context menu), typed on the
 * guest's screen in VmDesk's own window: the guest gets each, VmDesk does
 * nothing (no action runs, the window neither closes nor opens another, the
 * focus stays on the screen, the guest keeps running). After Ctrl+Alt,
 * VmDesk's accelerators are VmDesk's again. */
static void
test_accelerators (void)
{
  GtkWidget *display = GTK_WIDGET (vmd_display_page_get_display (VMD_DISPLAY_PAGE (page)));
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  const char *more[] = { "F10", "<Shift>F10", "Menu", "Tab", "<Shift>Tab", "Escape",
                         "Alt_L", "<Control>f", "<Control>comma", "<Control>question", NULL };
  g_autoptr(GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *activations;
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_toplevels = g_list_model_get_n_items (toplevels);
  guint closes = 0;
  guint keys[5], n;
  gsize from;

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) these = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                   actions[i]);

      for (guint j = 0; these[j] != NULL; j++)
        g_ptr_array_add (accels, g_strdup (these[j]));
    }
  g_assert_cmpuint (accels->len, >=, 12);
  for (guint i = 0; more[i] != NULL; i++)
    g_ptr_array_add (accels, g_strdup (more[i]));

  activations = watch_actions ();
  g_signal_connect (window, "close-request", G_CALLBACK (on_close_request), &closes);
  focus_window (TITLE);
  gtk_widget_grab_focus (display);
  g_assert_true (vmd_display_get_shortcuts_inhibited (VMD_DISPLAY (display)));

  for (guint i = 0; i < accels->len; i++)
    {
      const char *accel = g_ptr_array_index (accels, i);
      guint ran = 0;

      n = accel_keys (accel, keys);
      from = press_combo (keys, n);
      if (!guest_got_combo (from, keys, n))
        {
          vmd_test_show_serial (accel);
          g_error ("the guest did not get %s", accel);
        }
      for (guint a = 0; a < activations->len; a++)
        ran += ((Activation *) g_ptr_array_index (activations, a))->count;
      g_test_message ("%s: the guest got it; VmDesk's actions ran %u times", accel, ran);
      g_assert_cmpuint (ran, ==, 0);
      g_assert_cmpuint (closes, ==, 0);
      g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_toplevels);
      g_assert_true (gtk_widget_has_focus (display));
      g_assert_false (gtk_window_is_fullscreen (GTK_WINDOW (window)));
      g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_RUNNING);
    }

  /* Ctrl+Alt gives them back: Ctrl+P pauses the machine, Ctrl+Shift+R
   * resumes it, and the guest gets neither. */
  press_combo ((const guint[]) { KEY_LEFTCTRL, KEY_LEFTALT }, 2);
  g_assert_true (vmd_test_wait_until (shortcuts_released, display, 5000));
  n = accel_keys ("<Control>p", keys);
  press_combo (keys, n);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_PAUSED, 20000));
  g_assert_cmpuint (activations_of (activations, "win.pause"), ==, 1);
  /* Once VmDesk is done pausing it and offers Resume. */
  g_assert_true (vmd_test_wait_until (resume_enabled, NULL, 20000));
  n = accel_keys ("<Control><Shift>r", keys);
  from = press_combo (keys, n);
  g_assert_true (vmd_test_wait_for_state (machine, VMD_MACHINE_STATE_RUNNING, 20000));
  g_assert_cmpuint (activations_of (activations, "win.resume"), ==, 1);
  g_assert_false (serial_says_in_order (&(Sequence) {
    from, (const char *const[]) { "vmdesk-agent: key 19 down.", NULL } }));

  /* A click on the screen hands the keys to the guest again. */
  xdotool ((const char *[]) { "search", "--sync", "--name", TITLE, "mousemove", "--sync",
                              "--window", "%1", "200", "300", "click", "1", NULL });
  g_assert_true (vmd_test_wait_until ((VmdTestCondition) vmd_display_get_shortcuts_inhibited,
                                      display, 5000));
  n = accel_keys ("<Control>p", keys);
  from = press_combo (keys, n);
  g_assert_true (guest_got_combo (from, keys, n));
  g_assert_cmpuint (activations_of (activations, "win.pause"), ==, 1);

  g_signal_handlers_disconnect_by_func (window, on_close_request, &closes);
  unwatch_actions (activations);
}

typedef struct
{
  const char *path;
  void      (*func) (void);
} Test;

/* In order: the later ones run on the guest the earlier ones left. */
static const Test tests[] = {
  { "/agent/resolution", test_resolution },
  { "/agent/mouse", test_mouse },
  { "/agent/keyboard", test_keyboard },
  { "/agent/focus", test_focus },
  { "/agent/guest-locks", test_guest_locks },
  { "/agent/send-keys", test_send_keys },
  { "/agent/ctrl-alt-del", test_ctrl_alt_del },
  { "/agent/clipboard", test_clipboard },
  { "/agent/clipboard-image", test_clipboard_image },
  { "/agent/file-drop", test_file_drop },
  { "/agent/accelerators", test_accelerators },
};

/* GLib forgets the fatal-log handler at each test, and the volume sync may
 * warn during any: whenever an agent connects, as after a restart. */
static void
run_test (gconstpointer data)
{
  vmd_test_allow_volume_warning ();
  ((const Test *) data)->func ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = vmd_test_isolate_short_dirs ();
  g_autoptr(GError) error = NULL;
  const char *dir = g_getenv ("VMD_AGENT_GUEST_DIR");
  g_autofree char *initrd = dir ? g_build_filename (dir, "initrd.cpio", NULL) : NULL;
  g_autofree char *xclip = g_find_program_in_path ("xclip");
  int status;

  g_test_init (&argc, &argv, NULL);
  vmd_test_allow_volume_warning ();

  if (initrd == NULL || !g_file_test (initrd, G_FILE_TEST_EXISTS) || xclip == NULL)
    {
      g_test_skip ("No agent guest: build-aux/dev.sh builds it (tests/agent-guest/build.sh)");
      return g_test_run ();
    }
  if (!vmd_test_gui_init_as_user ())
    return g_test_run ();

  workdir = g_dir_make_tmp ("vmd-agent-XXXXXX", &error);
  g_assert_no_error (error);

  connection = vmd_connection_new (URI);
  g_assert_true (vmd_test_open (connection, NULL));
  define_guest ();
  machine = vmd_test_wait_for_machine (connection, GUEST, 10000);
  g_assert_nonnull (machine);
  g_object_ref (machine);

  /* The guest's screen in VmDesk's own window, with the application's
   * actions and accelerators, as `vmdesk --show` opens it. */
  app = vmd_test_application_new ();
  window = vmd_test_show_in_app_window (app, TITLE, 1024, 800, GUEST, &page);

  g_assert_true (vmd_test_wait_serial ("vmdesk-agent: ready", 180000));
  g_assert_true (vmd_test_wait_until (agent_connected, page, 60000));
  vmd_test_wait_until (never, NULL, 2000);

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_test);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  vmd_test_run (machine, VMD_MACHINE_ACTION_DELETE, NULL);
  g_clear_object (&machine);
  g_clear_object (&connection);
  vmd_test_remove_dirs (workdir);
  vmd_test_remove_dirs (root);
  return status;
}
