/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-clone-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-cloner.h"
#include "vmd-clone-dialog.h"
#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-machine.h"
#include "vmd-name.h"

/* A full copy of a machine that is off, under a name checked as it is
 * typed: the copy's progress while the disks are copied, the engine's
 * reason in the window when it fails, and another try. While the machine
 * runs, Clone waits and says why; while the copy runs, the window stays. */
struct _VmdCloneDialog
{
  AdwWindow       parent_instance;

  /* template widgets */
  GtkButton      *clone_button;
  GtkLabel       *error_label;
  GtkLabel       *name_label;
  AdwEntryRow    *name_row;
  GtkProgressBar *progress_bar;
  GtkLabel       *state_label;

  /* owned */
  VmdConnection  *connection;
  VmdMachine     *machine;
  VmdCloner      *cloner;       /* while the copy runs */
};

G_DEFINE_FINAL_TYPE (VmdCloneDialog, vmd_clone_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CLONED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The name the copy will have; the reason when it cannot have it. */
static gboolean
check_name (VmdCloneDialog  *self,
            char           **out_name,
            GError         **error)
{
  return vmd_connection_check_new_name (self->connection,
                                        gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                        NULL, out_name, error);
}

/* Why the machine cannot be copied as it is now, if it cannot: the
 * cloner copies only a machine that is off, its disks still. */
static const char *
state_reason (VmdCloneDialog *self)
{
  if (vmd_machine_get_state (self->machine) != VMD_MACHINE_STATE_SHUT_OFF)
    return _("Shut the machine down to clone it.");
  if (vmd_machine_get_reason (self->machine) == VMD_MACHINE_REASON_SAVED)
    return _("The machine is saved: start it, then shut it down to clone it.");
  return NULL;
}

static void
update (VmdCloneDialog *self)
{
  g_autoptr(GError) name_error = NULL;
  gboolean running = self->cloner != NULL;
  gboolean name_ok = check_name (self, NULL, &name_error);
  const char *reason = state_reason (self);

  gtk_label_set_label (self->name_label, name_ok ? "" : name_error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->name_label), !name_ok);
  if (name_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");

  gtk_label_set_label (self->state_label, reason ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), reason != NULL && !running);

  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clone_button),
                            !running && name_ok && reason == NULL &&
                              !vmd_machine_get_busy (self->machine));
  /* Cancel, Escape: the copy cannot be stopped half way. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.close", !running);
}

static void
on_progress (VmdCloneDialog *self)
{
  const char *step;

  if (self->cloner == NULL)
    return;
  step = vmd_cloner_get_step (self->cloner);
  gtk_progress_bar_set_text (self->progress_bar, step ? step : "");
  gtk_progress_bar_set_fraction (self->progress_bar, vmd_cloner_get_fraction (self->cloner));
}

/* In the window, whole, until the next try: a toast would cut a message
 * this long. */
static void
show_error (VmdCloneDialog *self,
            const char     *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
on_cloned (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdCloneDialog) self = user_data;
  VmdCloner *cloner = VMD_CLONER (object);
  g_autoptr(VmdMachine) copy = NULL;
  g_autoptr(GError) error = NULL;

  copy = vmd_cloner_run_finish (cloner, result, &error);
  if (copy == NULL)
    g_message ("%s", error->message);
  /* Destroyed meanwhile (the application quit): nothing left to show. */
  if (self->cloner != cloner)
    return;

  g_signal_handlers_disconnect_by_data (cloner, self);
  g_clear_object (&self->cloner);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  if (copy == NULL)
    {
      show_error (self, error->message);
      update (self);
      /* Another name, perhaps, for another try. */
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CLONED], 0, copy);
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * vmd_clone_dialog_clone:
 *
 * What Clone does: copies the machine under the name typed, when it can.
 */
void
vmd_clone_dialog_clone (VmdCloneDialog *self)
{
  g_autofree char *name = NULL;

  g_return_if_fail (VMD_IS_CLONE_DIALOG (self));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->clone_button)) ||
      !check_name (self, &name, NULL))
    return;

  self->cloner = vmd_cloner_new (self->connection, self->machine, name);
  g_signal_connect_swapped (self->cloner, "notify::step", G_CALLBACK (on_progress), self);
  g_signal_connect_swapped (self->cloner, "notify::fraction", G_CALLBACK (on_progress), self);
  /* Out of the name before it goes insensitive: GtkText left focused
   * there keeps blinking a cursor it warns about. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  show_error (self, NULL);
  gtk_progress_bar_set_text (self->progress_bar, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  update (self);
  vmd_cloner_run_async (self->cloner, NULL, on_cloned, g_object_ref (self));
}

VmdMachine *
vmd_clone_dialog_get_machine (VmdCloneDialog *self)
{
  g_return_val_if_fail (VMD_IS_CLONE_DIALOG (self), NULL);
  return self->machine;
}

gboolean
vmd_clone_dialog_get_running (VmdCloneDialog *self)
{
  g_return_val_if_fail (VMD_IS_CLONE_DIALOG (self), FALSE);
  return self->cloner != NULL;
}

/* "NAME (copy)", or "NAME (copy 2)" and on when that one is taken. */
static char *
free_name (VmdConnection *connection,
           const char    *name)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *typed = n == 1
        /* Translators: the name offered for a copy of the machine %s */
        ? g_strdup_printf (_("%s (copy)"), name)
        /* Translators: the name offered for the %u-th copy of the machine %s */
        : g_strdup_printf (_("%s (copy %u)"), name, n);
      g_autofree char *candidate = vmd_name_normalize (typed);

      if (vmd_connection_find_machine_by_name (connection, candidate) == NULL)
        return g_steal_pointer (&candidate);
    }
}

static gboolean
vmd_clone_dialog_close_request (GtkWindow *window)
{
  VmdCloneDialog *self = VMD_CLONE_DIALOG (window);

  /* The copy goes on whatever the window does: it stays to tell how it
   * ended. */
  if (self->cloner != NULL)
    return TRUE;
  return GTK_WINDOW_CLASS (vmd_clone_dialog_parent_class)->close_request (window);
}

static void
vmd_clone_dialog_dispose (GObject *object)
{
  VmdCloneDialog *self = (VmdCloneDialog *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_CLONE_DIALOG);
  if (self->cloner != NULL)
    g_signal_handlers_disconnect_by_data (self->cloner, self);
  g_clear_object (&self->cloner);
  g_clear_object (&self->connection);
  g_clear_object (&self->machine);

  G_OBJECT_CLASS (vmd_clone_dialog_parent_class)->dispose (object);
}

static void
vmd_clone_dialog_class_init (VmdCloneDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = vmd_clone_dialog_dispose;
  window_class->close_request = vmd_clone_dialog_close_request;

  /* The copy is made, in the connection's model: the machine. */
  signals[SIGNAL_CLONED] = g_signal_new ("cloned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, VMD_TYPE_MACHINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-clone-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, clone_button);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, state_label);
  gtk_widget_class_bind_template_callback (widget_class, update);
  gtk_widget_class_bind_template_callback (widget_class, vmd_clone_dialog_clone);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vmd_clone_dialog_init (VmdCloneDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

VmdCloneDialog *
vmd_clone_dialog_new (GtkWindow     *parent,
                      VmdConnection *connection,
                      VmdMachine    *machine)
{
  VmdCloneDialog *self;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);

  self = g_object_new (VMD_TYPE_CLONE_DIALOG, "transient-for", parent, NULL);
  self->connection = g_object_ref (connection);
  self->machine = g_object_ref (machine);

  title = g_strdup_printf (_("Clone “%s”"), vmd_machine_get_name (machine));
  gtk_window_set_title (GTK_WINDOW (self), title);
  name = free_name (connection, vmd_machine_get_name (machine));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  /* Where typing goes: the name offered, ready to be typed over. */
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (machine, "notify::reason", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (machine, "notify::busy", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  /* Another machine may take the name meanwhile, or give it up. */
  g_signal_connect_object (vmd_connection_get_machines (connection), "items-changed",
                           G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  return self;
}
