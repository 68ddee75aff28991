/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-host-meter"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-budget.h"
#include "vmd-computers.h"
#include "vmd-connection.h"
#include "vmd-host-meter.h"
#include "vmd-host.h"
#include "vmd-machine.h"

/* The guests' RAM against the host's, always in view: a level bar with the
 * host's reserve marked, and the numbers in words. */
struct _VmdHostMeter
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkLevelBar   *bar;
  GtkLabel      *label;

  VmdConnection *connection;
  GListModel    *machines;
  GPtrArray     *watched;   /* VmdMachine whose notify we listen to */
};

G_DEFINE_FINAL_TYPE (VmdHostMeter, vmd_host_meter, GTK_TYPE_WIDGET)

static void
update (VmdHostMeter *self)
{
  guint64 total, committed, reserve;
  g_autofree char *committed_s = NULL;
  g_autofree char *total_s = NULL;
  g_autofree char *reserve_s = NULL;
  g_autofree char *text = NULL;
  g_autoptr(VmdBudget) budget = NULL;
  VmdHost *host = self->connection ? vmd_connection_get_host (self->connection) : NULL;

  if (host == NULL)
    {
      gtk_label_set_label (self->label, _("Memory: reading the computer’s resources…"));
      gtk_level_bar_set_value (self->bar, 0);
      return;
    }

  total = vmd_host_get_total_ram (host);
  committed = vmd_connection_get_committed_memory (self->connection);
  budget = vmd_connection_compute_budget (self->connection, host, committed, 0);
  reserve = budget->reserve;

  committed_s = g_format_size_full (committed, G_FORMAT_SIZE_IEC_UNITS);
  total_s = g_format_size_full (total, G_FORMAT_SIZE_IEC_UNITS);
  reserve_s = g_format_size_full (reserve, G_FORMAT_SIZE_IEC_UNITS);
  if (!vmd_computer_is_this_one (vmd_connection_get_uri (self->connection)))
    {
      /* Another computer's machines take its memory, not this one's. */
      g_autofree char *title = vmd_computer_dup_title (vmd_connection_get_uri (self->connection));

      if (committed == 0)
        text = g_strdup_printf (_("No machine is running · %s has %s of memory, "
                                  "%s of it kept for itself"), title, total_s, reserve_s);
      else
        text = g_strdup_printf (_("Machines use %s of the %s of memory of %s · %s kept for it"),
                                committed_s, total_s, title, reserve_s);
    }
  else if (committed == 0)
    text = g_strdup_printf (_("No machine is running · this computer has %s of memory, "
                              "%s of it kept for itself"), total_s, reserve_s);
  else
    text = g_strdup_printf (_("Machines use %s of this computer’s %s of memory · %s kept for it"),
                            committed_s, total_s, reserve_s);
  gtk_label_set_label (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), budget->summary);

  gtk_level_bar_set_max_value (self->bar, MAX (total, 1));
  gtk_level_bar_remove_offset_value (self->bar, "vmd-fits");
  gtk_level_bar_remove_offset_value (self->bar, "vmd-tight");
  gtk_level_bar_add_offset_value (self->bar, "vmd-fits", total > reserve ? total - reserve : 0);
  gtk_level_bar_add_offset_value (self->bar, "vmd-tight", total);
  gtk_level_bar_set_value (self->bar, MIN (committed, total));

  gtk_widget_remove_css_class (GTK_WIDGET (self), "vmd-over");
  if (budget->verdict == VMD_BUDGET_OVER)
    gtk_widget_add_css_class (GTK_WIDGET (self), "vmd-over");
}

static void
watch (VmdHostMeter *self,
       VmdMachine   *machine)
{
  g_signal_connect_swapped (machine, "notify::is-active", G_CALLBACK (update), self);
  g_signal_connect_swapped (machine, "notify::memory", G_CALLBACK (update), self);
}

static void
unwatch (VmdHostMeter *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i), update, self);
  g_ptr_array_set_size (self->watched, 0);
}

/* Every machine's state and RAM feed the meter. @watched follows the
 * model item for item: a change costs what it changes, not the library. */
static void
on_items_changed (VmdHostMeter *self,
                  guint         position,
                  guint         removed,
                  guint         added)
{
  gboolean active = FALSE;

  for (guint i = position; i < position + removed; i++)
    {
      VmdMachine *machine = g_ptr_array_index (self->watched, i);

      active |= vmd_machine_get_is_active (machine);
      g_signal_handlers_disconnect_by_func (machine, update, self);
    }
  g_ptr_array_remove_range (self->watched, position, removed);
  for (guint i = 0; i < added; i++)
    {
      VmdMachine *machine = g_list_model_get_item (self->machines, position + i);

      watch (self, machine);
      active |= vmd_machine_get_is_active (machine);
      g_ptr_array_insert (self->watched, (int) (position + i), machine);
    }
  if (active)
    update (self);
}

static void
rewatch (VmdHostMeter *self)
{
  unwatch (self);
  on_items_changed (self, 0, 0, self->machines ? g_list_model_get_n_items (self->machines) : 0);
  update (self);
}

void
vmd_host_meter_set_connection (VmdHostMeter  *self,
                               VmdConnection *connection)
{
  g_return_if_fail (VMD_IS_HOST_METER (self));

  if (self->machines != NULL)
    g_signal_handlers_disconnect_by_func (self->machines, on_items_changed, self);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, update, self);
  g_set_object (&self->connection, connection);
  /* The host's facts as last read, and the reserve as set: live. */
  if (connection != NULL)
    {
      g_signal_connect_swapped (connection, "notify::host", G_CALLBACK (update), self);
      g_signal_connect_swapped (connection, "notify::reserve", G_CALLBACK (update), self);
    }
  self->machines = connection ? vmd_connection_get_machines (connection) : NULL;
  if (self->machines != NULL)
    g_signal_connect_swapped (self->machines, "items-changed", G_CALLBACK (on_items_changed), self);
  rewatch (self);
}

const char *
vmd_host_meter_get_text (VmdHostMeter *self)
{
  g_return_val_if_fail (VMD_IS_HOST_METER (self), NULL);
  return gtk_label_get_label (self->label);
}

static void
vmd_host_meter_dispose (GObject *object)
{
  VmdHostMeter *self = (VmdHostMeter *) object;

  vmd_host_meter_set_connection (self, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->watched, g_ptr_array_unref);

  G_OBJECT_CLASS (vmd_host_meter_parent_class)->dispose (object);
}

static void
vmd_host_meter_class_init (VmdHostMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_host_meter_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vmd-host-meter");
}

static void
vmd_host_meter_init (VmdHostMeter *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "caption");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->label));

  self->bar = GTK_LEVEL_BAR (gtk_level_bar_new ());
  gtk_level_bar_set_mode (self->bar, GTK_LEVEL_BAR_MODE_CONTINUOUS);
  gtk_level_bar_remove_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->bar));

  update (self);
}

GtkWidget *
vmd_host_meter_new (void)
{
  return g_object_new (VMD_TYPE_HOST_METER, NULL);
}
