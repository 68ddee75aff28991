/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-snapshots-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-machine.h"
#include "vmd-snapshot.h"
#include "vmd-snapshots-dialog.h"

/* One machine's snapshots, newest first: take one, revert to one, delete
 * one, the last two after a confirmation that says what is lost. One
 * operation at a time, and none while the machine is busy with another
 * (starting, saving...); the list is read again after each. */
struct _VmdSnapshotsDialog
{
  AdwWindow          parent_instance;

  /* template widgets */
  GtkLabel          *error_label;
  GtkListBox        *list_box;
  GtkSpinner        *loading_spinner;
  AdwEntryRow       *name_row;
  GtkBox            *progress_box;
  GtkLabel          *progress_label;
  GtkSpinner        *progress_spinner;
  GtkStack          *stack;

  /* owned */
  VmdMachine        *machine;
  GListStore        *snapshots;     /* newest first */
  GCancellable      *list_cancellable;
  VmdSnapshotAction  action;        /* the operation running, if running */
  gboolean           running;
};

/* The width of a snapshot's picture of the screen, in the list. */
#define SCREEN_WIDTH 96

G_DEFINE_FINAL_TYPE (VmdSnapshotsDialog, vmd_snapshots_dialog, ADW_TYPE_WINDOW)

static gboolean
is_busy (VmdSnapshotsDialog *self)
{
  return self->running || self->machine == NULL || vmd_machine_get_busy (self->machine);
}

static void
update_actions (VmdSnapshotsDialog *self)
{
  g_autofree char *name = NULL;

  if (self->machine == NULL)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "snapshots.take",
                                 !is_busy (self) && *name != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "snapshots.revert", !is_busy (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "snapshots.delete", !is_busy (self));
}

/* What a new snapshot is called unless the person names it: now, as this
 * language writes a date and a time. A name cannot hold "/", which many
 * languages' dates do. */
static char *
default_name (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  char *name = g_date_time_format (now, "%x %X");

  return g_strdelimit (name, "/", '-');
}

static void
show_progress (VmdSnapshotsDialog *self,
               const char         *label)
{
  g_autofree char *text = NULL;

  if (self->running)
    {
      switch (self->action)
        {
        case VMD_SNAPSHOT_ACTION_CREATE:
          text = g_strdup_printf (_("Taking the snapshot “%s”…"), label);
          break;
        case VMD_SNAPSHOT_ACTION_REVERT:
          text = g_strdup_printf (_("Reverting to “%s”…"), label);
          break;
        case VMD_SNAPSHOT_ACTION_DELETE:
        default:
          text = g_strdup_printf (_("Deleting “%s”…"), label);
          break;
        }
      gtk_label_set_label (self->progress_label, text);
    }
  /* A spinner spins only while it is seen. */
  gtk_spinner_set_spinning (self->progress_spinner, self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_box), self->running);
}

/* In the window, whole, until the next operation: a toast would cut a
 * message this long. */
static void
show_error (VmdSnapshotsDialog *self,
            const char         *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void list_snapshots (VmdSnapshotsDialog *self);

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  return a == b || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

static gboolean
same_snapshots (GListModel *shown,
                GPtrArray  *listed)
{
  if (g_list_model_get_n_items (shown) != listed->len)
    return FALSE;
  for (guint i = 0; i < listed->len; i++)
    {
      g_autoptr(VmdSnapshot) row = g_list_model_get_item (shown, i);
      VmdSnapshot *read = listed->pdata[i];

      if (g_strcmp0 (vmd_snapshot_get_label (row), vmd_snapshot_get_label (read)) != 0 ||
          vmd_snapshot_get_is_current (row) != vmd_snapshot_get_is_current (read) ||
          !same_time (vmd_snapshot_get_created (row), vmd_snapshot_get_created (read)))
        return FALSE;
    }
  return TRUE;
}

static void
on_listed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdSnapshotsDialog) self = user_data;
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(GPtrArray) newest_first = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint n;

  listed = vmd_machine_list_snapshots_finish (VMD_MACHINE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->machine == NULL)
    return;

  gtk_spinner_set_spinning (self->loading_spinner, FALSE);
  if (listed == NULL)
    {
      g_message ("%s", error->message);
      show_error (self, error->message);
      return;
    }

  n = g_list_model_get_n_items (listed);
  for (guint i = n; i > 0; i--)
    g_ptr_array_add (newest_first, g_list_model_get_item (listed, i - 1));
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  /* Read again and the same: the rows, and their pictures, stay. */
  if (same_snapshots (G_LIST_MODEL (self->snapshots), newest_first))
    return;
  g_list_store_splice (self->snapshots, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->snapshots)),
                       newest_first->pdata, newest_first->len);
}

/* The list read again when the window is back in front: a script or
 * virsh may have changed it meanwhile (libvirt tells of no snapshot's
 * coming or going). Not during an operation, which reads it at its end. */
static void
on_active (VmdSnapshotsDialog *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)) && !is_busy (self) && self->machine != NULL)
    list_snapshots (self);
}

static void
list_snapshots (VmdSnapshotsDialog *self)
{
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  vmd_machine_list_snapshots_async (self->machine, self->list_cancellable, on_listed,
                                    g_object_ref (self));
}

static void
on_operation_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VmdSnapshotsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vmd_machine_snapshot_finish (VMD_MACHINE (object), result, &error);

  self->running = FALSE;
  if (!ok)
    g_message ("%s", error->message);
  /* Closed meanwhile: the operation went on; its failure is in the log. */
  if (self->machine == NULL)
    return;

  if (!ok)
    show_error (self, error->message);
  else if (self->action == VMD_SNAPSHOT_ACTION_CREATE)
    {
      g_autofree char *name = default_name ();

      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
    }
  show_progress (self, NULL);
  update_actions (self);
  list_snapshots (self);
}

static void
run (VmdSnapshotsDialog *self,
     VmdSnapshotAction   action,
     const char         *label)
{
  if (is_busy (self))
    return;

  self->running = TRUE;
  self->action = action;
  show_error (self, NULL);
  show_progress (self, label);
  update_actions (self);
  vmd_machine_snapshot_async (self->machine, action, label, NULL, on_operation_done,
                              g_object_ref (self));
}

static void
take_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  VmdSnapshotsDialog *self = VMD_SNAPSHOTS_DIALOG (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *label = g_strstrip (g_strdup (text));

  if (*label != '\0')
    run (self, VMD_SNAPSHOT_ACTION_CREATE, label);
}

static void
on_name_activated (VmdSnapshotsDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "snapshots.take", NULL);
}

static VmdSnapshot *
find_snapshot (VmdSnapshotsDialog *self,
               const char         *label)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->snapshots));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdSnapshot) snapshot = g_list_model_get_item (G_LIST_MODEL (self->snapshots), i);

      if (g_strcmp0 (vmd_snapshot_get_label (snapshot), label) == 0)
        return snapshot;
    }
  return NULL;
}

static void
on_confirmed (AdwMessageDialog   *dialog,
              const char         *response,
              VmdSnapshotsDialog *self)
{
  const char *label = g_object_get_data (G_OBJECT (dialog), "label");

  if (g_strcmp0 (response, "revert") == 0)
    run (self, VMD_SNAPSHOT_ACTION_REVERT, label);
  else if (g_strcmp0 (response, "delete") == 0)
    run (self, VMD_SNAPSHOT_ACTION_DELETE, label);
}

static void
confirm (VmdSnapshotsDialog *self,
         const char         *label,
         const char         *heading,
         const char         *body,
         const char         *response,
         const char         *response_label)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    response, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "label", g_strdup (label), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Reverting loses what the machine runs now and what changed on its disks
 * since: say so, and what the machine will be afterwards. */
static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  VmdSnapshotsDialog *self = VMD_SNAPSHOTS_DIALOG (widget);
  const char *label = g_variant_get_string (param, NULL);
  const char *name = vmd_machine_get_name (self->machine);
  VmdSnapshot *snapshot = find_snapshot (self, label);
  g_autofree char *heading = NULL;
  g_autofree char *lost = NULL;
  g_autofree char *body = NULL;

  if (snapshot == NULL || is_busy (self))
    return;

  heading = g_strdup_printf (_("Revert “%s” to “%s”?"), name, label);
  if (vmd_machine_get_is_active (self->machine))
    lost = g_strdup_printf (_("What “%s” runs now is stopped and lost, with every change made "
                              "to its disks since the snapshot was taken."), name);
  else
    lost = g_strdup_printf (_("Every change made to the disks of “%s” since the snapshot was "
                              "taken is lost."), name);
  body = g_strconcat (lost, " ",
                      vmd_snapshot_get_has_memory (snapshot)
                        ? _("The machine then runs on from where it was at that moment.")
                        : _("The machine is then shut off, as it was at that moment."),
                      NULL);
  confirm (self, label, heading, body, "revert", _("_Revert"));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  VmdSnapshotsDialog *self = VMD_SNAPSHOTS_DIALOG (widget);
  const char *label = g_variant_get_string (param, NULL);
  g_autofree char *heading = NULL;

  if (find_snapshot (self, label) == NULL || is_busy (self))
    return;

  heading = g_strdup_printf (_("Delete snapshot “%s”?"), label);
  confirm (self, label, heading,
           _("The machine stays as it is now, but it can no longer go back to the moment "
             "this snapshot was taken."),
           "delete", _("_Delete"));
}

static GtkWidget *
row_button (const char *icon_name,
            const char *tooltip,
            const char *action_name,
            const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", label);
  return button;
}

static void
load_screen_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_scale (task_data, SCREEN_WIDTH, -1,
                                                                   TRUE, &error);

  /* Decoded and scaled here: a 1080p picture is not for the main thread. */
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

static void
on_screen_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

/* What the machine's screen showed, or an icon for a snapshot without a
 * picture (of a machine that was off). */
static GtkWidget *
screen_widget (VmdSnapshot *snapshot)
{
  const char *screen = vmd_snapshot_get_screen (snapshot);
  GtkWidget *picture;
  g_autoptr(GTask) task = NULL;

  if (screen == NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("drive-harddisk-symbolic");

      gtk_widget_set_size_request (icon, SCREEN_WIDTH, SCREEN_WIDTH * 9 / 16);
      gtk_widget_add_css_class (icon, "dim-label");
      return icon;
    }
  picture = gtk_picture_new ();
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (picture, SCREEN_WIDTH, SCREEN_WIDTH * 9 / 16);
  gtk_widget_set_margin_top (picture, 6);
  gtk_widget_set_margin_bottom (picture, 6);
  task = g_task_new (NULL, NULL, on_screen_loaded, g_object_ref (picture));
  g_task_set_task_data (task, g_strdup (screen), g_free);
  g_task_run_in_thread (task, load_screen_thread);
  return picture;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  VmdSnapshot *snapshot = item;
  const char *label = vmd_snapshot_get_label (snapshot);
  g_autoptr(GDateTime) created = g_date_time_to_local (vmd_snapshot_get_created (snapshot));
  g_autofree char *date = g_date_time_format (created, "%x %X");
  g_autoptr(GString) subtitle = g_string_new (date);
  GtkWidget *row = adw_action_row_new ();

  g_string_append_printf (subtitle, " · %s",
                          vmd_snapshot_get_has_memory (snapshot) ? _("With memory")
                                                                 : _("Disks only"));
  if (vmd_snapshot_get_is_current (snapshot))
    g_string_append_printf (subtitle, " · %s", _("Current"));

  /* What the person typed, shown as typed: quotes, "<" and "&" are not
   * markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), screen_widget (snapshot));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("edit-undo-symbolic", _("Revert to This Snapshot"),
                                         "snapshots.revert", label));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("user-trash-symbolic", _("Delete Snapshot"),
                                         "snapshots.delete", label));
  return row;
}

VmdMachine *
vmd_snapshots_dialog_get_machine (VmdSnapshotsDialog *self)
{
  g_return_val_if_fail (VMD_IS_SNAPSHOTS_DIALOG (self), NULL);
  return self->machine;
}

static void
vmd_snapshots_dialog_dispose (GObject *object)
{
  VmdSnapshotsDialog *self = (VmdSnapshotsDialog *) object;

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_clear_object (&self->machine);

  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_SNAPSHOTS_DIALOG);
  g_clear_object (&self->snapshots);

  G_OBJECT_CLASS (vmd_snapshots_dialog_parent_class)->dispose (object);
}

static void
vmd_snapshots_dialog_class_init (VmdSnapshotsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_snapshots_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-snapshots-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsDialog, list_box);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsDialog, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsDialog, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsDialog, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activated);
  gtk_widget_class_bind_template_callback (widget_class, update_actions);

  gtk_widget_class_install_action (widget_class, "snapshots.take", NULL, take_action);
  gtk_widget_class_install_action (widget_class, "snapshots.revert", "s", revert_action);
  gtk_widget_class_install_action (widget_class, "snapshots.delete", "s", delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vmd_snapshots_dialog_init (VmdSnapshotsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->snapshots = g_list_store_new (VMD_TYPE_SNAPSHOT);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->snapshots), create_row, self,
                           NULL);
}

/**
 * vmd_snapshots_dialog_new:
 *
 * The snapshots of @machine, in a window over @parent; they are read as it
 * opens.
 */
VmdSnapshotsDialog *
vmd_snapshots_dialog_new (GtkWindow  *parent,
                          VmdMachine *machine)
{
  VmdSnapshotsDialog *self;
  g_autofree char *title = NULL;
  g_autofree char *name = default_name ();

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);

  self = g_object_new (VMD_TYPE_SNAPSHOTS_DIALOG, "transient-for", parent, NULL);
  self->machine = g_object_ref (machine);
  g_signal_connect_swapped (machine, "notify::busy", G_CALLBACK (update_actions), self);

  title = g_strdup_printf (_("Snapshots of “%s”"), vmd_machine_get_name (machine));
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  update_actions (self);

  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->loading_spinner, TRUE);
  list_snapshots (self);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active), NULL);
  return self;
}
