/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-properties-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-budget.h"
#include "vmd-connection.h"
#include "vmd-host.h"
#include "vmd-machine.h"
#include "vmd-properties-dialog.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

/* A guest's RAM and processors, with the budget's verdict live as they
 * change: growing a guest past what the host has asks first. */
struct _VmdPropertiesDialog
{
  AdwWindow             parent_instance;

  /* template widgets */
  GtkLabel             *budget_label;
  GtkCheckButton       *confirm_check;
  GtkLabel             *error_label;
  AdwPreferencesGroup  *group;
  GtkSpinButton        *memory_spin;
  GtkLabel             *note_label;
  GtkButton            *save_button;
  GtkSpinButton        *vcpus_spin;

  /* owned */
  VmdConnection        *connection;
  VmdMachine           *machine;
  VmdHost              *host;
  GSettings            *settings;
  VmdBudgetVerdict      verdict;
};

G_DEFINE_FINAL_TYPE (VmdPropertiesDialog, vmd_properties_dialog, ADW_TYPE_WINDOW)

static guint64
new_memory (VmdPropertiesDialog *self)
{
  return (guint64) (gtk_spin_button_get_value (self->memory_spin) * GIB);
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
  budget = vmd_host_compute_budget (self->host, active ? committed - MIN (committed, current)
                                                      : committed,
                                    memory,
                                    (guint64) g_settings_get_uint (self->settings, "host-reserve") << 20);
  self->verdict = budget->verdict;

  gtk_label_set_label (self->budget_label, budget->summary);
  gtk_label_set_label (self->note_label,
                       active ? _("The machine is running: the change takes effect when it next starts.")
                              : _("The change takes effect when the machine next starts."));
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_check), budget->verdict == VMD_BUDGET_OVER);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            budget->verdict != VMD_BUDGET_OVER ||
                            gtk_check_button_get_active (self->confirm_check));
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VmdPropertiesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_set_resources_finish (VMD_MACHINE (object), result, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

void
vmd_properties_dialog_save (VmdPropertiesDialog *self)
{
  g_return_if_fail (VMD_IS_PROPERTIES_DIALOG (self));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
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
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vmd_properties_dialog_parent_class)->dispose (object);
}

static void
vmd_properties_dialog_class_init (VmdPropertiesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_properties_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-properties-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, budget_label);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, confirm_check);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, group);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, memory_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, note_label);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, VmdPropertiesDialog, vcpus_spin);
  gtk_widget_class_bind_template_callback (widget_class, update_budget);
  gtk_widget_class_bind_template_callback (widget_class, vmd_properties_dialog_save);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vmd_properties_dialog_init (VmdPropertiesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APPLICATION_ID);
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
  vmd_properties_dialog_set_values (self, vmd_machine_get_memory (machine),
                                    vmd_machine_get_vcpus (machine));
  return self;
}
