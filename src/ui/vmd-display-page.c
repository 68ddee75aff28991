/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-display-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <linux/input-event-codes.h>

#include "vmd-application.h"
#include "vmd-clipboard.h"
#include "vmd-display-page.h"
#include "vmd-display.h"
#include "vmd-machine.h"
#include "vmd-sound-button.h"
#include "vmd-spice-session.h"
#include "vmd-usb-button.h"

/* A guest's screen with what goes around it: back to the library, full
 * screen, keys a desktop would swallow, its own window. */
struct _VmdDisplayPage
{
  GtkWidget        parent_instance;

  /* template widgets */
  GtkWidget       *box;
  VmdDisplay      *display;
  GtkWidget       *force_off_button;
  AdwHeaderBar    *header;
  GtkWidget       *resume_button;
  VmdSoundButton  *sound_button;
  GtkWidget       *start_button;
  AdwStatusPage   *status;
  AdwWindowTitle  *title;
  VmdUsbButton    *usb_button;

  /* borrowed */
  GtkWindow       *window;        /* the root, while the page is in one */

  /* owned */
  VmdMachine      *machine;
  VmdSpiceSession *session;
  VmdClipboard    *clipboard;
  GCancellable    *copy_cancellable;
  GdkSurface      *surface;       /* the window's, while realized */
  char            *copy_status;   /* shown instead of the keyboard's state */
  guint            copy_status_source;
  guint            copying : 1;
  guint            minimized_away : 1;  /* session let go while minimized */
};

G_DEFINE_FINAL_TYPE (VmdDisplayPage, vmd_display_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_BACK,
  SIGNAL_NEW_WINDOW,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_copy_status (VmdDisplayPage *self)
{
  g_clear_handle_id (&self->copy_status_source, g_source_remove);
  g_clear_pointer (&self->copy_status, g_free);
}

static void
update (VmdDisplayPage *self)
{
  VmdMachineState state;
  VmdSpiceState spice;
  const char *status = NULL;
  const char *description = NULL;
  g_autofree char *title = NULL;
  gboolean over_frame = FALSE;
  gboolean buttons;

  if (self->machine == NULL)
    return;

  state = vmd_machine_get_state (self->machine);
  spice = vmd_spice_session_get_state (self->session);

  adw_window_title_set_title (self->title, vmd_machine_get_name (self->machine));
  if (self->copy_status != NULL)
    adw_window_title_set_subtitle (self->title, self->copy_status);
  else if (state == VMD_MACHINE_STATE_RUNNING && spice != VMD_SPICE_STATE_CONNECTED)
    /* Keys typed now are VmDesk's: nothing takes them to the guest. */
    adw_window_title_set_subtitle (self->title, _("Not connected to the screen"));
  else
    adw_window_title_set_subtitle (self->title,
                                   vmd_display_get_shortcuts_inhibited (self->display)
                                     ? _("Keys go to the machine · Ctrl+Alt gives them back")
                                     : _("Click the screen to type into the machine"));

  switch (state)
    {
    case VMD_MACHINE_STATE_RUNNING:
      if (spice == VMD_SPICE_STATE_FAILED)
        {
          status = _("Cannot Show the Screen");
          description = vmd_spice_session_get_error (self->session);
        }
      else if (spice != VMD_SPICE_STATE_CONNECTED &&
               vmd_spice_session_get_error (self->session) != NULL)
        {
          /* The link went (over SSH): the last frame is no longer live. */
          status = _("Reconnecting to the screen…");
          description = vmd_spice_session_get_error (self->session);
        }
      else if (!vmd_display_get_ready (self->display))
        status = _("Connecting to the screen…");
      break;
    /* Over the guest's last frame, which stays in sight: it is where the
     * machine stopped. */
    case VMD_MACHINE_STATE_PAUSED:
    case VMD_MACHINE_STATE_SHUTTING_DOWN:
      status = vmd_machine_get_summary (self->machine);
      description = vmd_machine_get_explanation (self->machine);
      over_frame = TRUE;
      break;
    case VMD_MACHINE_STATE_CRASHED:
      title = g_strdup_printf (_("“%s” Crashed"), vmd_machine_get_name (self->machine));
      status = title;
      description = vmd_machine_get_explanation (self->machine);
      break;
    case VMD_MACHINE_STATE_UNKNOWN:
    case VMD_MACHINE_STATE_SHUT_OFF:
    case VMD_MACHINE_STATE_SUSPENDED:
    default:
      title = g_strdup_printf (_("“%s” Is Not Running"), vmd_machine_get_name (self->machine));
      status = title;
      description = vmd_machine_get_explanation (self->machine);
      if (description == NULL)
        description = vmd_machine_get_summary (self->machine);
      break;
    }

  adw_status_page_set_title (self->status, status ? status : "");
  vmd_ui_set_status_description (self->status, description);
  gtk_widget_set_visible (GTK_WIDGET (self->status), status != NULL);
  if (over_frame)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "vmd-over-frame");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "vmd-over-frame");
  if (vmd_machine_get_has_problem (self->machine))
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "vmd-problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "vmd-problem");
  /* A guest on its way down may still ask its user something: the notice
   * keeps to the bottom, and the rest of the screen takes the mouse. */
  gtk_widget_set_valign (GTK_WIDGET (self->status),
                         state == VMD_MACHINE_STATE_SHUTTING_DOWN ? GTK_ALIGN_END : GTK_ALIGN_FILL);

  gtk_widget_set_visible (self->start_button,
                          vmd_machine_state_can_run (state, VMD_MACHINE_ACTION_START));
  gtk_widget_set_visible (self->resume_button,
                          vmd_machine_state_can_run (state, VMD_MACHINE_ACTION_RESUME));
  gtk_widget_set_visible (self->force_off_button,
                          state == VMD_MACHINE_STATE_SHUTTING_DOWN ||
                          (state == VMD_MACHINE_STATE_PAUSED &&
                           vmd_machine_get_has_problem (self->machine)));
  buttons = gtk_widget_get_visible (self->start_button) ||
            gtk_widget_get_visible (self->resume_button) ||
            gtk_widget_get_visible (self->force_off_button);
  /* The overlay lets clicks through to the screen, except when it offers
   * something to do. */
  gtk_widget_set_can_target (GTK_WIDGET (self->status), buttons);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.start",
                                 vmd_machine_can_run (self->machine, VMD_MACHINE_ACTION_START));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.resume",
                                 vmd_machine_can_run (self->machine, VMD_MACHINE_ACTION_RESUME));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.force-off",
                                 vmd_machine_can_run (self->machine, VMD_MACHINE_ACTION_FORCE_OFF));
}

VmdMachine *
vmd_display_page_get_machine (VmdDisplayPage *self)
{
  g_return_val_if_fail (VMD_IS_DISPLAY_PAGE (self), NULL);
  return self->machine;
}

VmdDisplay *
vmd_display_page_get_display (VmdDisplayPage *self)
{
  g_return_val_if_fail (VMD_IS_DISPLAY_PAGE (self), NULL);
  return self->display;
}

/* A screen nobody can see costs nothing: while its window is minimized,
 * the page lets go of the session, which lingers a few seconds and then
 * closes; it connects again when the window comes back. Not while a file
 * is being copied into the guest. */
static void
sync_minimized (VmdDisplayPage *self)
{
  gboolean minimized = self->surface != NULL &&
                       (gdk_toplevel_get_state (GDK_TOPLEVEL (self->surface)) &
                        GDK_TOPLEVEL_STATE_MINIMIZED) != 0;
  /* A guest that plays or records keeps its session: people listen to a
   * window they do not look at. */
  gboolean away = minimized && self->session != NULL && !self->copying &&
                  !vmd_spice_audio_get_playing (vmd_spice_session_get_audio (self->session)) &&
                  !vmd_spice_audio_get_recording (vmd_spice_session_get_audio (self->session));

  if (away == self->minimized_away)
    return;
  self->minimized_away = away;
  if (away)
    vmd_spice_session_disconnect (self->session);
  else
    vmd_spice_session_connect (self->session);
}

void
vmd_display_page_set_machine (VmdDisplayPage *self,
                              VmdMachine     *machine)
{
  g_return_if_fail (VMD_IS_DISPLAY_PAGE (self));

  if (self->machine == machine)
    return;

  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  clear_copy_status (self);
  g_clear_object (&self->clipboard);
  self->copying = FALSE;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (vmd_spice_session_get_audio (self->session), self);
      vmd_sound_button_set_audio (self->sound_button, NULL);
      vmd_usb_button_set_usb (self->usb_button, NULL);
      vmd_display_set_session (self->display, NULL);
      if (!self->minimized_away)
        vmd_spice_session_disconnect (self->session);
      self->minimized_away = FALSE;
      g_clear_object (&self->session);
    }
  g_set_object (&self->machine, machine);
  if (machine == NULL)
    return;

  self->session = vmd_spice_session_dup_for_machine (machine);
  g_signal_connect_swapped (self->session, "notify::state", G_CALLBACK (update), self);
  g_signal_connect_swapped (machine, "notify::state", G_CALLBACK (update), self);
  g_signal_connect_swapped (machine, "notify::reason", G_CALLBACK (update), self);
  g_signal_connect_swapped (machine, "notify::busy", G_CALLBACK (update), self);
  g_signal_connect_swapped (machine, "notify::name", G_CALLBACK (update), self);
  vmd_display_set_session (self->display, self->session);
  vmd_sound_button_set_audio (self->sound_button, vmd_spice_session_get_audio (self->session));
  vmd_usb_button_set_usb (self->usb_button, vmd_spice_session_get_usb (self->session));
  g_signal_connect_swapped (vmd_spice_session_get_audio (self->session), "notify::playing",
                            G_CALLBACK (sync_minimized), self);
  g_signal_connect_swapped (vmd_spice_session_get_audio (self->session), "notify::recording",
                            G_CALLBACK (sync_minimized), self);
  self->clipboard = vmd_clipboard_new (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->session);
  vmd_spice_session_connect (self->session);
  sync_minimized (self);
  update (self);
}

/* -- files dropped on the screen go into the guest (needs its agent) ---- */

static gboolean
end_copy_status (gpointer user_data)
{
  VmdDisplayPage *self = user_data;

  self->copy_status_source = 0;
  clear_copy_status (self);
  update (self);
  return G_SOURCE_REMOVE;
}

/* A copy's progress, then its outcome, takes the header's subtitle from
 * the keyboard's state; the outcome stays there for a few seconds. */
static void
show_copy_status (VmdDisplayPage *self,
                  const char     *text,
                  gboolean        done)
{
  clear_copy_status (self);
  self->copy_status = g_strdup (text);
  if (done)
    self->copy_status_source = g_timeout_add_seconds (8, end_copy_status, self);
  update (self);
}

static void
on_copy_progress (goffset  current,
                  goffset  total,
                  gpointer user_data)
{
  VmdDisplayPage *self = user_data;
  g_autofree char *text = NULL;

  if (total <= 0)
    return;
  text = g_strdup_printf (_("Copying into the machine… %d %%"), (int) (current * 100 / total));
  show_copy_status (self, text, FALSE);
}

static void
on_copied (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdDisplayPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->copying = FALSE;
  sync_minimized (self);
  if (!vmd_spice_session_copy_files_finish (VMD_SPICE_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->machine == NULL)
        return;
      /* No agent: what the guest needs, on its own. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
        {
          show_copy_status (self, error->message, TRUE);
          return;
        }
      g_autofree char *text = g_strdup_printf (_("Copying failed: %s"), error->message);
      show_copy_status (self, text, TRUE);
      return;
    }
  if (self->machine != NULL)
    show_copy_status (self, _("Copied into the machine’s Downloads folder"), TRUE);
}

static gboolean
on_drop (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         VmdDisplayPage *self)
{
  GSList *files = g_value_get_boxed (value);
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();

  if (self->session == NULL || files == NULL)
    return FALSE;

  for (GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (sources, l->data);
  g_ptr_array_add (sources, NULL);

  g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  self->copy_cancellable = g_cancellable_new ();
  self->copying = TRUE;
  show_copy_status (self, _("Copying into the machine…"), FALSE);
  vmd_spice_session_copy_files_async (self->session, (GFile **) sources->pdata,
                                      self->copy_cancellable, on_copy_progress, self,
                                      on_copied, g_object_ref (self));
  return TRUE;
}

/* Full screen is the guest's screen and nothing else, in whichever window
 * the page is. */
static void
on_fullscreened (VmdDisplayPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->header), !gtk_window_is_fullscreen (self->window));
}

static void
vmd_display_page_root (GtkWidget *widget)
{
  VmdDisplayPage *self = VMD_DISPLAY_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (vmd_display_page_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (!GTK_IS_WINDOW (root))
    return;
  self->window = GTK_WINDOW (root);
  g_signal_connect_swapped (self->window, "notify::fullscreened", G_CALLBACK (on_fullscreened), self);
  on_fullscreened (self);
}

static void
vmd_display_page_realize (GtkWidget *widget)
{
  VmdDisplayPage *self = VMD_DISPLAY_PAGE (widget);
  GdkSurface *surface;

  GTK_WIDGET_CLASS (vmd_display_page_parent_class)->realize (widget);
  surface = gtk_native_get_surface (gtk_widget_get_native (widget));
  if (!GDK_IS_TOPLEVEL (surface))
    return;
  self->surface = g_object_ref (surface);
  g_signal_connect_swapped (surface, "notify::state", G_CALLBACK (sync_minimized), self);
  sync_minimized (self);
}

static void
vmd_display_page_unrealize (GtkWidget *widget)
{
  VmdDisplayPage *self = VMD_DISPLAY_PAGE (widget);

  if (self->surface != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->surface, self);
      g_clear_object (&self->surface);
    }
  GTK_WIDGET_CLASS (vmd_display_page_parent_class)->unrealize (widget);
}

static void
vmd_display_page_unroot (GtkWidget *widget)
{
  VmdDisplayPage *self = VMD_DISPLAY_PAGE (widget);

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_func (self->window, on_fullscreened, self);
  self->window = NULL;

  GTK_WIDGET_CLASS (vmd_display_page_parent_class)->unroot (widget);
}

/* Whether the page offers to open its guest in a window of its own (not
 * when it is in one already). */
void
vmd_display_page_set_detachable (VmdDisplayPage *self,
                                 gboolean        detachable)
{
  g_return_if_fail (VMD_IS_DISPLAY_PAGE (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.new-window", detachable);
}

static void
back_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

static void
new_window_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  g_signal_emit (widget, signals[SIGNAL_NEW_WINDOW], 0);
}

/* Through the window, which checks the budget first. */
static void
start_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  VmdDisplayPage *self = VMD_DISPLAY_PAGE (widget);

  if (self->machine != NULL)
    gtk_widget_activate_action (widget, "win.start-machine", "s",
                                vmd_machine_get_uuid (self->machine));
}

static void
on_action_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VmdDisplayPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_run_finish (VMD_MACHINE (object), result, &error) &&
      self->machine == VMD_MACHINE (object))
    show_copy_status (self, error->message, TRUE);
}

/* Resuming and forcing off take no RAM from the host: straight to the
 * machine, which works in a window of its own too. */
static void
run_action (VmdDisplayPage   *self,
            VmdMachineAction  action)
{
  if (self->machine != NULL && vmd_machine_can_run (self->machine, action))
    vmd_machine_run_async (self->machine, action, NULL, on_action_done, g_object_ref (self));
}

static void
resume_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  run_action (VMD_DISPLAY_PAGE (widget), VMD_MACHINE_ACTION_RESUME);
}

static void
force_off_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  run_action (VMD_DISPLAY_PAGE (widget), VMD_MACHINE_ACTION_FORCE_OFF);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (widget));

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* Keys a desktop keeps for itself: sent as evdev codes through the same
 * table as typed keys. */
static void
send_keys_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  VmdDisplayPage *self = VMD_DISPLAY_PAGE (widget);
  const char *which = g_variant_get_string (param, NULL);
  static const guint fkeys[] = { KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6,
                                 KEY_F7, KEY_F8, KEY_F9, KEY_F10, KEY_F11, KEY_F12 };
  guint keys[3] = { KEY_LEFTCTRL, KEY_LEFTALT, 0 };

  if (g_str_equal (which, "ctrl-alt-del"))
    keys[2] = KEY_DELETE;
  else if (g_str_equal (which, "ctrl-alt-backspace"))
    keys[2] = KEY_BACKSPACE;
  else if (g_str_has_prefix (which, "ctrl-alt-f"))
    {
      guint64 n = g_ascii_strtoull (which + strlen ("ctrl-alt-f"), NULL, 10);

      if (n >= 1 && n <= 12)
        keys[2] = fkeys[n - 1];
    }

  if (keys[2] != 0 && self->session != NULL)
    vmd_spice_input_send_keys (vmd_spice_session_get_input (self->session), keys,
                               G_N_ELEMENTS (keys));
  gtk_widget_grab_focus (GTK_WIDGET (self->display));
}

static void
vmd_display_page_dispose (GObject *object)
{
  VmdDisplayPage *self = (VmdDisplayPage *) object;

  vmd_display_page_set_machine (self, NULL);
  if (self->display != NULL)
    g_signal_handlers_disconnect_by_data (self->display, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_DISPLAY_PAGE);

  G_OBJECT_CLASS (vmd_display_page_parent_class)->dispose (object);
}

static void
vmd_display_page_class_init (VmdDisplayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_display_page_dispose;

  widget_class->root = vmd_display_page_root;
  widget_class->unroot = vmd_display_page_unroot;
  widget_class->realize = vmd_display_page_realize;
  widget_class->unrealize = vmd_display_page_unrealize;

  signals[SIGNAL_BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_NEW_WINDOW] = g_signal_new ("new-window", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);

  g_type_ensure (VMD_TYPE_DISPLAY);
  g_type_ensure (VMD_TYPE_SOUND_BUTTON);
  g_type_ensure (VMD_TYPE_USB_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-display-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, box);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, display);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, force_off_button);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, header);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, sound_button);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, status);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, title);
  gtk_widget_class_bind_template_child (widget_class, VmdDisplayPage, usb_button);

  gtk_widget_class_install_action (widget_class, "page.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "page.new-window", NULL, new_window_action);
  gtk_widget_class_install_action (widget_class, "page.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "page.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "page.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "page.force-off", NULL, force_off_action);
  gtk_widget_class_install_action (widget_class, "page.send-keys", "s", send_keys_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vmd-display-page");
}

static void
vmd_display_page_init (VmdDisplayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self->display), GTK_EVENT_CONTROLLER (drop));
  }

  g_signal_connect_swapped (self->display, "notify::ready", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->display, "notify::shortcuts-inhibited", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->display, "notify::has-focus", G_CALLBACK (update), self);
}

GtkWidget *
vmd_display_page_new (void)
{
  return g_object_new (VMD_TYPE_DISPLAY_PAGE, NULL);
}
