/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Input latency as a user feels it, the same way for every program: from a
 * key pressed on the X server (XTest) to the first change of the client's
 * window (XDamage), for keys that make the guest draw. Alternates a letter
 * and Backspace, so that the guest's line neither grows nor scrolls.
 *   x-latency WINDOW-ID KEYS   -> prints the median and the 95th percentile */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/Xdamage.h>
#include <X11/keysym.h>

#include "x-clock.h"

/* Waits up to timeout for a change of the window; returns when it came. */
static double
next_damage (Display *dpy,
             Damage   damage,
             int      event_base,
             double   timeout)
{
  double end = now () + timeout;

  while (now () < end)
    {
      while (XPending (dpy))
        {
          XEvent event;

          XNextEvent (dpy, &event);
          if (event.type == event_base + XDamageNotify)
            {
              double when = now ();

              XDamageSubtract (dpy, damage, None, None);
              return when;
            }
        }
      {
        struct timespec pause = { 0, 200000 };
        nanosleep (&pause, NULL);
      }
    }
  return -1;
}

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  Display *dpy;
  Window window;
  Damage damage;
  int event_base, error_base, n, got = 0, idle = 0;
  double *ms;
  KeyCode keys[2];

  if (argc != 3)
    {
      fprintf (stderr, "usage: x-latency WINDOW-ID KEYS\n");
      return 2;
    }
  window = (Window) strtoul (argv[1], NULL, 0);
  n = atoi (argv[2]);
  ms = calloc (n, sizeof (double));

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL || !XDamageQueryExtension (dpy, &event_base, &error_base))
    {
      fprintf (stderr, "x-latency: no X display with the DAMAGE extension\n");
      return 1;
    }
  keys[0] = XKeysymToKeycode (dpy, XK_x);
  keys[1] = XKeysymToKeycode (dpy, XK_BackSpace);
  damage = XDamageCreate (dpy, window, XDamageReportNonEmpty);
  XSync (dpy, False);

  /* What the window does by itself: a blinking cursor would be counted as
   * an answer. */
  while (next_damage (dpy, damage, event_base, 0.5) >= 0 && idle < 1000)
    idle++;
  for (double end = now () + 2; now () < end;)
    if (next_damage (dpy, damage, event_base, end - now ()) >= 0)
      idle++;

  for (int i = 0; i < n; i++)
    {
      double start, answer;

      /* Quiet first: the previous key's drawing is over. */
      while (next_damage (dpy, damage, event_base, 0.3) >= 0)
        ;
      start = now ();
      XTestFakeKeyEvent (dpy, keys[i % 2], True, CurrentTime);
      XTestFakeKeyEvent (dpy, keys[i % 2], False, CurrentTime);
      XFlush (dpy);
      answer = next_damage (dpy, damage, event_base, 2.0);
      if (answer >= 0)
        ms[got++] = (answer - start) * 1000;
    }

  qsort (ms, got, sizeof (double), compare);
  if (got == 0)
    printf ("no answer to %d keys (idle changes %d)\n", n, idle);
  else
    printf ("%.1f %.1f %d %d %d\n", ms[got / 2], ms[(int) (got * 0.95) < got ? (int) (got * 0.95) : got - 1],
            got, n, idle);
  XDamageDestroy (dpy, damage);
  XCloseDisplay (dpy);
  free (ms);
  return 0;
}
