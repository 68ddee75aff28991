/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When a program's window is painted, measured the same way for every
 * program: it starts the program, takes its first large top-level window as
 * the X server maps it, and reads the window's pixels each time the server
 * reports a change (XDamage). The window is painted at the first change
 * after which its pixels stay what they are at the end.
 *   x-painted SECONDS COMMAND [ARG...]
 * prints "MAP_MS PAINTED_MS CHANGES PID": milliseconds from the start to
 * the window mapped and to the pixels final, the number of changes seen,
 * and the window's _NET_WM_PID (0 if it has none). The program keeps
 * running: the caller measures it further, then ends it. Run without a
 * window manager, so that top-level windows are the root's children. */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>

#include "x-clock.h"

#define MIN_SIDE    200
#define MAX_SAMPLES 100000
#define GRAB_GAP    0.02

typedef struct
{
  double   time;
  uint64_t hash;
} Sample;

static Sample samples[MAX_SAMPLES];
static int n_samples;

static int
ignore_errors (Display     *dpy,
               XErrorEvent *event)
{
  (void) dpy;
  (void) event;
  return 0;
}

/* FNV-1a over the window's pixels; 0 if the window cannot be read. */
static uint64_t
grab (Display *dpy,
      Window   window)
{
  XWindowAttributes attrs;
  XImage *image;
  uint64_t hash = 1469598103934665603ull;

  if (!XGetWindowAttributes (dpy, window, &attrs))
    return 0;
  image = XGetImage (dpy, window, 0, 0, attrs.width, attrs.height, AllPlanes, ZPixmap);
  if (image == NULL)
    return 0;
  for (int y = 0; y < image->height; y++)
    {
      const unsigned char *row = (const unsigned char *) image->data + (long) y * image->bytes_per_line;

      for (int x = 0; x < image->width * image->bits_per_pixel / 8; x++)
        hash = (hash ^ row[x]) * 1099511628211ull;
    }
  hash ^= (uint64_t) attrs.width << 32 | (uint64_t) attrs.height;
  XDestroyImage (image);
  return hash;
}

static void
sample (Display *dpy,
        Window   window)
{
  if (n_samples < MAX_SAMPLES)
    {
      samples[n_samples].time = now ();
      samples[n_samples].hash = grab (dpy, window);
      n_samples++;
    }
}

static unsigned long
window_pid (Display *dpy,
            Window   window)
{
  Atom type;
  int format;
  unsigned long n, after, pid = 0;
  unsigned char *data = NULL;

  if (XGetWindowProperty (dpy, window, XInternAtom (dpy, "_NET_WM_PID", False), 0, 1,
                          False, XA_CARDINAL, &type, &format, &n, &after, &data) == Success &&
      data != NULL && n == 1)
    pid = *(unsigned long *) data;
  if (data != NULL)
    XFree (data);
  return pid;
}

int
main (int   argc,
      char *argv[])
{
  Display *dpy;
  Window window = None;
  Damage damage = None;
  int event_base, error_base;
  double start, end, map_time = 0, last_grab = 0;
  int dirty = 0;
  long changes = 0;
  pid_t child;

  if (argc < 3)
    {
      fprintf (stderr, "usage: x-painted SECONDS COMMAND [ARG...]\n");
      return 2;
    }

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL || !XDamageQueryExtension (dpy, &event_base, &error_base))
    {
      fprintf (stderr, "x-painted: no X display with the DAMAGE extension\n");
      return 1;
    }
  XSetErrorHandler (ignore_errors);
  XSelectInput (dpy, DefaultRootWindow (dpy), SubstructureNotifyMask);
  /* The pointer rests in the screen's corner, outside the window: under
   * it, a hover or a tooltip would change the window after it is done.
   * (xdotool 3.20160805's mousemove leaves Xvfb's pointer where it is.) */
  XWarpPointer (dpy, None, DefaultRootWindow (dpy), 0, 0, 0, 0,
                DisplayWidth (dpy, DefaultScreen (dpy)) - 1,
                DisplayHeight (dpy, DefaultScreen (dpy)) - 1);
  XSync (dpy, False);

  start = now ();
  end = start + atof (argv[1]);
  child = fork ();
  if (child == 0)
    {
      close (ConnectionNumber (dpy));
      dup2 (2, 1);  /* our output is the figures alone */
      execvp (argv[2], argv + 2);
      _exit (127);
    }

  while (now () < end)
    {
      while (XPending (dpy))
        {
          XEvent event;

          XNextEvent (dpy, &event);
          if (event.type == MapNotify && window == None && !event.xmap.override_redirect)
            {
              XWindowAttributes attrs;

              if (XGetWindowAttributes (dpy, event.xmap.window, &attrs) &&
                  attrs.width >= MIN_SIDE && attrs.height >= MIN_SIDE)
                {
                  window = event.xmap.window;
                  map_time = now ();
                  damage = XDamageCreate (dpy, window, XDamageReportNonEmpty);
                  sample (dpy, window);
                  last_grab = now ();
                }
            }
          else if (damage != None && event.type == event_base + XDamageNotify)
            {
              XDamageSubtract (dpy, damage, None, None);
              changes++;
              dirty = 1;
            }
        }
      /* Read the pixels once the changes pause, at most every 20 ms. */
      if (dirty && now () - last_grab >= GRAB_GAP)
        {
          sample (dpy, window);
          last_grab = now ();
          dirty = 0;
        }
      {
        struct timespec pause = { 0, 2000000 };
        nanosleep (&pause, NULL);
      }
    }

  if (window == None)
    {
      fprintf (stderr, "x-painted: no window was mapped\n");
      return 1;
    }

  sample (dpy, window);
  {
    uint64_t final = samples[n_samples - 1].hash;
    int first = n_samples - 1;

    while (first > 0 && samples[first - 1].hash == final)
      first--;
    /* X_PAINTED_TRACE=1: each sample's time and pixels, on stderr. */
    if (getenv ("X_PAINTED_TRACE") != NULL)
      for (int i = 0; i < n_samples; i++)
        fprintf (stderr, "x-painted: %.0f ms %016" PRIx64 "\n",
                 (samples[i].time - start) * 1000, samples[i].hash);
    printf ("%.0f %.0f %ld %lu\n", (map_time - start) * 1000,
            (samples[first].time - start) * 1000, changes, window_pid (dpy, window));
  }
  XDamageDestroy (dpy, damage);
  XCloseDisplay (dpy);
  return 0;
}
