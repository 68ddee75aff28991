/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-properties-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-budget.h"
#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-folder-group.h"
#include "vmd-host.h"
#include "vmd-machine.h"
#include "vmd-name.h"
#include "vmd-properties-dialog.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define GB  1e9
#define MIB (G_GUINT64_CONSTANT (1) << 20)

/* A guest's name, RAM, processors and disk, with the budget's verdict live
 * as they change: growing a guest past what the host has asks first. The
 * name is checked as it is typed; a running machine keeps its name; the
 * disk only grows. */
struct _VmdPropertiesDialog
{
  AdwWindow             parent_instance;

  /* template widgets */
  GtkLabel             *budget_label;
  GtkCheckButton       *confirm_check;
  AdwActionRow         *disk_row;
  GtkSpinButton        *disk_spin;
  GtkLabel             *error_label;
  VmdFolderGroup       *folder_group;
  AdwPreferencesGroup  *group;
  GtkSpinButton        *memory_spin;
  GtkLabel             *name_label;
  AdwEntryRow          *name_row;
  GtkLabel             *note_label;
  GtkButton            *save_button;
  GtkSpinButton        *vcpus_spin;

  /* owned */
  VmdConnection        *connection;
  VmdMachine           *machine;
  VmdHost              *host;
  VmdBudgetVerdict      verdict;
  guint64               disk_capacity;  /* 0: not read (yet) */
  guint64               disk_free;
  gboolean              saving;
};

G_DEFINE_FINAL_TYPE (VmdPropertiesDialog, vmd_properties_dialog, ADW_TYPE_WINDOW)

static guint64
new_memory (VmdPropertiesDialog *self)
{
  return (guint64) (gtk_spin_button_get_value (self->memory_spin) * GIB);
}

/* The name as the machine will have it, %NULL when it keeps its own; the
 * reason when it cannot have it. */
static gboolean
check_name (VmdPropertiesDialog  *self,
            char                **out_name,
            GError              **error)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *kept = vmd_name_normalize (typed);

  /* Its own name, whatever it is (made elsewhere, it may break VmDesk's
   * rules): kept as it is. */
  if (g_strcmp0 (kept, vmd_machine_get_name (self->machine)) == 0)
    return TRUE;
  return vmd_connection_check_new_name (self->connection, typed, self->machine, out_name, error);
}

static void
update_save_button (VmdPropertiesDialog *self)
{
  g_autoptr(GError) name_error = NULL;
  gboolean off = vmd_machine_get_state (self->machine) == VMD_MACHINE_STATE_SHUT_OFF;
  gboolean name_ok = !off || check_name (self, NULL, &name_error);
  const char *note = NULL;

  /* libvirt renames only a machine that is off. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), off && !self->saving);
  if (!off)
    note = _("Shut the machine down to rename it.");
  else if (!name_ok)
    note = name_error->message;
  gtk_label_set_label (self->name_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->name_label), note != NULL);
  if (name_ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            !self->saving && name_ok &&
                            (self->verdict != VMD_BUDGET_OVER ||
                             gtk_check_button_get_active (self->confirm_check)));
}

/* The size asked for, in bytes, whole MiB; never less than the disk's. */
static guint64
new_disk_capacity (VmdPropertiesDialog *self)
{
  guint64 bytes = (guint64) (gtk_spin_button_get_value (self->disk_spin) * GB);

  bytes = (bytes + MIB - 1) / MIB * MIB;
  if (self->disk_capacity == 0 || bytes <= self->disk_capacity + MIB)
    return self->disk_capacity;
  return bytes;
}

static void
update_disk (VmdPropertiesDialog *self)
{
  guint64 capacity = new_disk_capacity (self);
  g_autofree char *size = NULL;
  g_autofree char *free_space = NULL;
  g_autofree char *subtitle = NULL;
  gboolean fits;

  if (self->disk_capacity == 0)
    return;
  size = g_format_size (capacity);
  free_space = g_format_size (self->disk_free);
  if (self->disk_free == G_MAXUINT64)
    subtitle = g_strdup_printf (_("The disk may grow to %s."), size);
  else
    /* Translators: the disk's size, then the free space, as "12.0 GB" */
    subtitle = g_strdup_printf (_("The disk may grow to %s; %s is free where it lives."),
                                size, free_space);
  adw_action_row_set_subtitle (self->disk_row, subtitle);
  fits = self->disk_free == G_MAXUINT64 || capacity - self->disk_capacity <= self->disk_free;
  if (fits)
    gtk_widget_remove_css_class (GTK_WIDGET (self->disk_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->disk_row), "error");
}

static void
on_disk_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdPropertiesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 capacity, free_space;

  if (!vmd_machine_read_disk_finish (VMD_MACHINE (object), result, NULL, &capacity, &free_space,
                                     &error))
    {
      adw_action_row_set_subtitle (self->disk_row, error->message);
      return;
    }
  self->disk_capacity = capacity;
  self->disk_free = free_space;
  /* The current size is the least the disk can be. */
  gtk_spin_button_set_range (self->disk_spin, capacity / GB, MAX (capacity / GB * 16, 4096));
  gtk_spin_button_set_value (self->disk_spin, capacity / GB);
  gtk_widget_set_sensitive (GTK_WIDGET (self->disk_row), TRUE);
  update_disk (self);
}

static void
update_budget (VmdPropertiesDialog *self)
{
  g_autoptr(VmdBudget) budget = NULL;
  guint64 memory = new_memory (self);
  guint64 current = vmd_machine_get_memory (self->machine);
  gboolean active = vmd_machine_get_is_active (self->machine);
  guint64 committed = vmd_connection_get_committed_memory (self->connection);

  if (self->host == NULL)
    return;

  /* A running guest holds its RAM already; only growth is new. A stopped
   * one is judged as if it started now. */
  budget = vmd_connection_compute_budget (self->connection, self->host,
                                          active ? committed - MIN (committed, current) : committed,
                                          memory);
  self->verdict = budget->verdict;

  gtk_label_set_label (self->budget_label, budget->summary);
  gtk_label_set_label (self->note_label,
                       active ? _("The machine is running: the change takes effect when it next starts.")
                              : _("The change takes effect when the machine next starts."));
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_check), budget->verdict == VMD_BUDGET_OVER);
  update_save_button (self);
}

static void
show_save_error (VmdPropertiesDialog *self,
                 const GError        *error)
{
  gtk_label_set_label (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  self->saving = FALSE;
  update_save_button (self);
}

static void
on_disk_resized (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VmdPropertiesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_resize_disk_finish (VMD_MACHINE (object), result, &error))
    {
      show_save_error (self, error);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

/* The last step: the disk, when it grows. */
static void
save_disk (VmdPropertiesDialog *self)
{
  guint64 capacity = new_disk_capacity (self);

  if (capacity <= self->disk_capacity)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  vmd_machine_resize_disk_async (self->machine, capacity, NULL, on_disk_resized,
                                 g_object_ref (self));
}

static void
on_renamed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdPropertiesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_rename_finish (VMD_MACHINE (object), result, &error))
    {
      show_save_error (self, error);
      return;
    }
  save_disk (self);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VmdPropertiesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!vmd_machine_set_resources_finish (VMD_MACHINE (object), result, &error))
    {
      show_save_error (self, error);
      return;
    }
  if (vmd_machine_get_state (self->machine) == VMD_MACHINE_STATE_SHUT_OFF &&
      check_name (self, &name, NULL) && name != NULL)
    vmd_machine_rename_async (self->machine, name, NULL, on_renamed, g_object_ref (self));
  else
    save_disk (self);
}

void
vmd_properties_dialog_save (VmdPropertiesDialog *self)
{
  g_return_if_fail (VMD_IS_PROPERTIES_DIALOG (self));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;
  self->saving = TRUE;
  update_save_button (self);
  vmd_machine_set_resources_async (self->machine, new_memory (self),
                                   gtk_spin_button_get_value_as_int (self->vcpus_spin),
                                   NULL, on_saved, g_object_ref (self));
}

void
vmd_properties_dialog_set_values (VmdPropertiesDialog *self,
                                  guint64              memory,
                                  guint                vcpus)
{
  g_return_if_fail (VMD_IS_PROPERTIES_DIALOG (self));

  gtk_spin_button_set_value (self->memory_spin, (double) memory / GIB);
  gtk_spin_button_set_value (self->vcpus_spin, vcpus);
  update_budget (self);
}

const char *
vmd_properties_dialog_get_verdict (VmdPropertiesDialog *self)
{
  g_return_val_if_fail (VMD_IS_PROPERTIES_DIALOG (self), NULL);
  return gtk_label_get_label (self->budget_label);
}

static void
vmd_properties_dialog_dispose (GObject *object)
{
  VmdPropertiesDialog *self = (VmdPropertiesDialog *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_PROPERTIES_DIALOG);
  g_clear_object (&self->connection);
  g_clear_object (&self->machine);
  g_clear_object (&self->host);

  G_OBJECT_CLASS (vmd_properties_dialog_parent_class)->dispose (object);
}

static void
vmd_properties_dialog_class_init (VmdPropertiesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_properties_dialog_dispose;

  g_type_ensure (VMD_TYPE_FOLDER_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-properties-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, budget_label);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, confirm_check);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, disk_row);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, disk_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, folder_group);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, group);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, memory_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, note_label);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, vcpus_spin);
  gtk_widget_class_bind_template_callback (widget_class, update_budget);
  gtk_widget_class_bind_template_callback (widget_class, update_disk);
  gtk_widget_class_bind_template_callback (widget_class, update_save_button);
  gtk_widget_class_bind_template_callback (widget_class, vmd_properties_dialog_save);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vmd_properties_dialog_init (VmdPropertiesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * vmd_properties_dialog_new:
 * @host: (nullable): the host's facts, for the budget
 */
VmdPropertiesDialog *
vmd_properties_dialog_new (GtkWindow     *parent,
                           VmdConnection *connection,
                           VmdMachine    *machine,
                           VmdHost       *host)
{
  VmdPropertiesDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);

  self = g_object_new (VMD_TYPE_PROPERTIES_DIALOG, "transient-for", parent, NULL);
  self->connection = g_object_ref (connection);
  self->machine = g_object_ref (machine);
  self->host = host ? g_object_ref (host) : NULL;

  title = g_strdup_printf (_("“%s” Properties"), vmd_machine_get_name (machine));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_preferences_group_set_title (self->group, vmd_machine_get_name (machine));
  if (host != NULL)
    {
      gtk_spin_button_set_range (self->memory_spin, 0.25,
                                 MAX (1.0, (double) vmd_host_get_total_ram (host) / GIB * 2));
      gtk_spin_button_set_range (self->vcpus_spin, 1, vmd_host_get_n_cpus (host));
    }
  g_signal_connect_swapped (self->memory_spin, "value-changed", G_CALLBACK (update_budget), self);
  g_signal_connect_swapped (self->vcpus_spin, "value-changed", G_CALLBACK (update_budget), self);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), vmd_machine_get_name (machine));
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (update_save_button), self,
                           G_CONNECT_SWAPPED);
  vmd_properties_dialog_set_values (self, vmd_machine_get_memory (machine),
                                    vmd_machine_get_vcpus (machine));
  vmd_machine_read_disk_async (machine, NULL, on_disk_read, g_object_ref (self));
  vmd_folder_group_set_machine (self->folder_group, machine);
  return self;
}
