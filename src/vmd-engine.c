/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-engine"

#include "config.h"

#include <signal.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-glib/libvirt-glib.h>

#include "vmd-engine.h"

static void
on_libvirt_error (void        *user_data,
                  virErrorPtr  error)
{
  /* Every failure reaches the caller as a GError; the raw text only goes to
   * the debug log instead of stderr. */
  g_debug ("libvirt: %s", error->message ? error->message : "(no message)");
}

/**
 * vmd_engine_init:
 *
 * Sets up libvirt for use from a GLib program: its event loop runs on the
 * thread-default main context of the process (libvirt-glib), so domain
 * events and connection-close notices arrive as ordinary main-loop sources.
 * Safe to call more than once.
 */
void
vmd_engine_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GError) error = NULL;

      /* A daemon that dies mid-write would otherwise kill us with SIGPIPE:
       * libvirt leaves ignoring it to the application. */
      signal (SIGPIPE, SIG_IGN);

      if (!gvir_init_check (NULL, NULL, &error))
        g_critical ("Cannot initialise libvirt: %s", error->message);
      virSetErrorFunc (NULL, on_libvirt_error);
      gvir_event_register ();
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * vmd_engine_dup_images_dir:
 *
 * Where VmDesk keeps guest disk images: `$XDG_DATA_HOME/vmdesk/images`.
 */
char *
vmd_engine_dup_images_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "vmdesk", "images", NULL);
}
