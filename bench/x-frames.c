/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Counts how often an X window's content changes (XDamage), the same way for
 * every program: a client's frames as the X server sees them.
 *   x-frames WINDOW-ID SECONDS   -> prints the count */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

#include "x-clock.h"

int
main (int   argc,
      char *argv[])
{
  Display *dpy;
  Window window;
  Damage damage;
  int event_base, error_base;
  double seconds, end;
  long frames = 0;

  if (argc != 3)
    {
      fprintf (stderr, "usage: x-frames WINDOW-ID SECONDS\n");
      return 2;
    }
  window = (Window) strtoul (argv[1], NULL, 0);
  seconds = atof (argv[2]);

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL || !XDamageQueryExtension (dpy, &event_base, &error_base))
    {
      fprintf (stderr, "x-frames: no X display with the DAMAGE extension\n");
      return 1;
    }

  damage = XDamageCreate (dpy, window, XDamageReportNonEmpty);
  XSync (dpy, False);
  end = now () + seconds;

  while (now () < end)
    {
      while (XPending (dpy))
        {
          XEvent event;

          XNextEvent (dpy, &event);
          if (event.type == event_base + XDamageNotify)
            {
              /* One change reported; clear it so the next one reports too. */
              XDamageSubtract (dpy, damage, None, None);
              frames++;
            }
        }
      {
        struct timespec pause = { 0, 1000000 };
        nanosleep (&pause, NULL);
      }
    }

  XDamageDestroy (dpy, damage);
  XCloseDisplay (dpy);
  printf ("%ld\n", frames);
  return 0;
}
