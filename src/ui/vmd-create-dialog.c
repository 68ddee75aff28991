/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-create-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-application.h"
#include "vmd-budget.h"
#include "vmd-cloner.h"
#include "vmd-connection.h"
#include "vmd-computers.h"
#include "vmd-create-dialog-private.h"
#include "vmd-creator.h"
#include "vmd-guest-spec.h"
#include "vmd-host.h"
#include "vmd-machine.h"
#include "vmd-media.h"
#include "vmd-error.h"
#include "vmd-name.h"
#include "vmd-text.h"

G_DEFINE_FINAL_TYPE (VmdCreateDialog, vmd_create_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_FILE,
  PROP_THERE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_budget (VmdCreateDialog *self);

/* The name as the machine will have it, and whether it can: the reason,
 * if not, is under the field while it is typed. */
static gboolean
check_name (VmdCreateDialog  *self,
            char            **out_name,
            GError          **error)
{
  return vmd_connection_check_new_name (self->connection,
                                        gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                        NULL, out_name, error);
}

void
_vmd_create_dialog_update_button (VmdCreateDialog *self)
{
  g_autoptr(GError) name_error = NULL;
  gboolean on_review = g_str_equal (gtk_stack_get_visible_child_name (self->stack), "review");
  gboolean name_ok = check_name (self, NULL, &name_error);
  gboolean budget_ok = self->verdict != VMD_BUDGET_OVER ||
                       gtk_check_button_get_active (self->confirm_check);

  gtk_label_set_label (self->name_error_label, name_ok ? "" : name_error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->name_error_label), !name_ok);
  if (name_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            on_review && _vmd_create_dialog_spec (self) != NULL && name_ok &&
                            budget_ok && self->creator == NULL && !self->importing &&
                            _vmd_create_dialog_express_ready (self));
}

static void
update_budget (VmdCreateDialog *self)
{
  g_autoptr(VmdBudget) budget = NULL;
  g_autofree char *warnings = NULL;
  const char *icon;

  if (self->planner == NULL || (budget = vmd_planner_dup_budget (self->planner)) == NULL)
    return;
  self->verdict = budget->verdict;

  switch (budget->verdict)
    {
    case VMD_BUDGET_FITS:
      icon = "emblem-ok-symbolic";
      break;
    case VMD_BUDGET_TIGHT:
      icon = "dialog-warning-symbolic";
      break;
    case VMD_BUDGET_OVER:
    default:
      icon = "dialog-error-symbolic";
      break;
    }
  gtk_image_set_from_icon_name (self->budget_icon, icon);
  gtk_label_set_label (self->budget_label, budget->summary);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_check), budget->verdict == VMD_BUDGET_OVER);

  warnings = vmd_planner_dup_warnings (self->planner);
  gtk_label_set_label (self->warnings_label, warnings ? warnings : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), warnings != NULL);

  _vmd_create_dialog_update_button (self);
}

static void
values_changed (VmdCreateDialog *self)
{
  g_autofree char *name =
    vmd_name_normalize (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  VmdGuestSpec *spec = _vmd_create_dialog_spec (self);

  if (self->filling || spec == NULL)
    return;

  vmd_guest_spec_set_name (spec, name);
  vmd_guest_spec_set_memory (spec, (guint64) (gtk_spin_button_get_value (self->memory_spin) * GIB));
  vmd_guest_spec_set_vcpus (spec, gtk_spin_button_get_value_as_int (self->vcpus_spin));
  vmd_guest_spec_set_disk_size (spec, (guint64) gtk_spin_button_get_value (self->disk_spin) * GB);
  update_budget (self);
}

/* The proposal in the review's fields, under what the file is. */
void
_vmd_create_dialog_show_spec (VmdCreateDialog *self,
                              const char      *what,
                              const char      *explanation)
{
  VmdGuestSpec *spec = vmd_planner_get_spec (self->planner);
  VmdHost *host = vmd_planner_get_host (self->planner);

  self->filling = TRUE;
  gtk_label_set_label (self->os_label, what);
  gtk_label_set_label (self->explanation_label, explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->explanation_label), explanation != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), vmd_guest_spec_get_name (spec));
  gtk_spin_button_set_range (self->vcpus_spin, 1, vmd_host_get_n_cpus (host));
  gtk_spin_button_set_range (self->memory_spin, 0.25,
                             MAX (1.0, (double) vmd_host_get_total_ram (host) / GIB));
  gtk_spin_button_set_value (self->memory_spin, (double) vmd_guest_spec_get_memory (spec) / GIB);
  gtk_spin_button_set_value (self->vcpus_spin, vmd_guest_spec_get_vcpus (spec));
  gtk_spin_button_set_value (self->disk_spin,
                             (double) ((vmd_guest_spec_get_disk_size (spec) + GB - 1) / GB));
  self->filling = FALSE;

  values_changed (self);
}

static void
fill_review (VmdCreateDialog *self)
{
  VmdMedia *media = vmd_planner_get_media (self->planner);
  g_autofree char *explanation = NULL;

  if (self->importer != NULL)
    {
      _vmd_create_dialog_fill_import (self);
      return;
    }
  explanation = vmd_media_dup_explanation (media);
  _vmd_create_dialog_fill_express (self);
  _vmd_create_dialog_show_spec (self, vmd_media_get_os_label (media), explanation);
}

static void
on_os_selected (VmdCreateDialog *self)
{
  guint position = adw_combo_row_get_selected (self->os_row);

  if (_vmd_create_dialog_spec (self) == NULL || self->importer != NULL ||
      position == GTK_INVALID_LIST_POSITION || self->filling)
    return;
  vmd_planner_select_os (self->planner, position);
  fill_review (self);
}

/* A spinner spins only while it is seen: one spinning on a hidden page
 * still makes GTK lay the window out again on every frame. */
static void
on_page (VmdCreateDialog *self)
{
  gtk_spinner_set_spinning (self->identifying_spinner,
                            g_strcmp0 (gtk_stack_get_visible_child_name (self->stack),
                                       "identifying") == 0);
}

void
_vmd_create_dialog_show_error (VmdCreateDialog *self,
                               const GError    *error)
{
  vmd_ui_set_status_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_button_set_label (self->cancel_button, _("_Close"));
  _vmd_create_dialog_update_button (self);
}

void
_vmd_create_dialog_review (VmdCreateDialog *self)
{
  VmdMedia *media;
  GListModel *candidates;
  g_autoptr(GtkStringList) names = NULL;
  guint n;

  /* Once: what comes later (the numbers read again) changes no field. */
  if (self->planner == NULL || vmd_planner_get_host (self->planner) == NULL ||
      !g_str_equal (gtk_stack_get_visible_child_name (self->stack), "identifying"))
    return;
  if (self->importer != NULL)
    {
      fill_review (self);
      gtk_stack_set_visible_child_name (self->stack, "review");
      _vmd_create_dialog_update_button (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->create_button));
      return;
    }
  /* The proposal is there once the file and this computer are both read. */
  media = vmd_planner_get_media (self->planner);
  if (media == NULL || vmd_planner_get_spec (self->planner) == NULL)
    return;

  candidates = vmd_media_get_candidates (media);
  n = g_list_model_get_n_items (candidates);
  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OsinfoOs) os = g_list_model_get_item (candidates, i);
      gtk_string_list_append (names, osinfo_product_get_name (OSINFO_PRODUCT (os)));
    }
  self->filling = TRUE;
  adw_combo_row_set_model (self->os_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->os_row, 0);
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->os_row),
                          n > 1 && vmd_media_get_match (media) == VMD_MEDIA_MATCH_EXACT);

  fill_review (self);
  gtk_stack_set_visible_child_name (self->stack, "review");
  _vmd_create_dialog_update_button (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->create_button));
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdCreateDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vmd_planner_load_finish (VMD_PLANNER (object), result, &error))
    {
      _vmd_create_dialog_review (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* No installer: perhaps a machine's disk to import. */
  if (!self->there && g_error_matches (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA) &&
      g_file_query_file_type (self->iso, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR)
    {
      self->media_error = g_steal_pointer (&error);
      _vmd_create_dialog_inspect (self);
      return;
    }
  _vmd_create_dialog_show_error (self, error);
}

static void
on_step (VmdCreateDialog *self)
{
  gtk_progress_bar_set_text (self->progress, vmd_creator_get_step (self->creator));
  gtk_progress_bar_set_fraction (self->progress, vmd_creator_get_fraction (self->creator));
}

/* Nothing was left behind: the person can adjust and try again. */
void
_vmd_create_dialog_back_to_review (VmdCreateDialog *self,
                                   const GError    *error)
{
  gtk_label_set_label (self->create_error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->create_error_label), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "review");
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  update_budget (self);
}

/* The guest exists and runs: the window shows it. */
void
_vmd_create_dialog_done (VmdCreateDialog *self,
                         VmdMachine      *machine,
                         const char      *notice)
{
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, machine, notice);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_created (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdCreateDialog) self = user_data;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;

  machine = vmd_creator_run_finish (VMD_CREATOR (object), result, &error);
  notice = g_strdup (vmd_creator_get_notice (VMD_CREATOR (object)));
  /* One toast: what the host turned down, else what the keyring did. */
  if (notice == NULL)
    notice = g_strdup (vmd_creator_get_warning (VMD_CREATOR (object)));
  g_signal_handlers_disconnect_by_func (self->creator, on_step, self);
  g_clear_object (&self->creator);

  if (machine == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      _vmd_create_dialog_back_to_review (self, error);
      return;
    }

  _vmd_create_dialog_done (self, machine, notice);
}

static void
run_creator (VmdCreateDialog *self)
{
  if (self->importer != NULL)
    {
      _vmd_create_dialog_import (self);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  self->creator = vmd_creator_new (self->connection, vmd_planner_get_spec (self->planner));
  _vmd_create_dialog_apply_express (self, self->creator);
  g_signal_connect_swapped (self->creator, "notify::step", G_CALLBACK (on_step), self);
  vmd_creator_run_async (self->creator, self->cancellable, on_created, g_object_ref (self));
}

/* Memory and free space, read again now that the person decided: what was
 * true when the review opened may not be any more. A verdict that got
 * worse goes back to the review, with the new numbers, for a new decision. */
static void
on_rechecked (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdCreateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean worse = FALSE;

  if (!vmd_planner_recheck_finish (VMD_PLANNER (object), result, &worse, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The numbers from the review stand; the creation says if it fails. */
      g_message ("Could not read this computer's resources again: %s", error->message);
    }
  self->rechecking = FALSE;
  update_budget (self);
  if (worse)
    {
      gtk_label_set_label (self->create_error_label,
                           _("This computer has less to spare than when you opened this: "
                             "check the numbers below, then create again."));
      gtk_widget_set_visible (GTK_WIDGET (self->create_error_label), TRUE);
      gtk_stack_set_visible_child_name (self->stack, "review");
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
      _vmd_create_dialog_update_button (self);
      return;
    }
  run_creator (self);
}

void
vmd_create_dialog_create (VmdCreateDialog *self)
{
  g_return_if_fail (VMD_IS_CREATE_DIALOG (self));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)) || self->rechecking)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->create_error_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "creating");
  gtk_progress_bar_set_text (self->progress, _("Checking this computer…"));
  gtk_progress_bar_set_fraction (self->progress, 0.05);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
  self->rechecking = TRUE;
  vmd_planner_recheck_async (self->planner, self->verdict, self->cancellable, on_rechecked,
                             g_object_ref (self));
}

static void
on_cancel (VmdCreateDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
vmd_create_dialog_constructed (GObject *object)
{
  VmdCreateDialog *self = (VmdCreateDialog *) object;
  g_autofree char *path = g_file_get_path (self->iso);
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (vmd_create_dialog_parent_class)->constructed (object);

  /* The computer whose memory the machine takes, when not this one. */
  if (!vmd_computer_is_this_one (vmd_connection_get_uri (self->connection)))
    {
      g_autofree char *computer = vmd_computer_dup_title (vmd_connection_get_uri (self->connection));

      adw_preferences_group_set_title (self->budget_group, computer);
    }

  if (path != NULL)
    name = vmd_text_dup_display_basename (path);
  else
    {
      g_autofree char *raw = g_file_get_basename (self->iso);

      name = vmd_text_make_printable (raw, -1);
    }
  title = g_strdup_printf (_("Looking at “%s”…"), name);
  adw_status_page_set_title (self->identifying_page, title);

  if (path == NULL)
    {
      g_autoptr(GError) error =
        g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     _("“%s” is not a local file: copy it to this computer first."), name);
      _vmd_create_dialog_show_error (self, error);
      return;
    }

  self->planner = self->there ? vmd_planner_new_there (self->connection, path)
                              : vmd_planner_new (self->connection, path);
  g_signal_connect_swapped (self->planner, "notify::host", G_CALLBACK (_vmd_create_dialog_review),
                            self);
  vmd_planner_load_async (self->planner, self->cancellable, on_loaded, g_object_ref (self));
  g_signal_connect_swapped (self->connection, "notify::state",
                            G_CALLBACK (_vmd_create_dialog_inspect), self);
  g_signal_connect_swapped (self->connection, "notify::reserve", G_CALLBACK (update_budget), self);
}

static void
vmd_create_dialog_dispose (GObject *object)
{
  VmdCreateDialog *self = (VmdCreateDialog *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->connection, update_budget, self);
      g_signal_handlers_disconnect_by_func (self->connection, _vmd_create_dialog_inspect, self);
    }
  if (self->creator != NULL)
    g_signal_handlers_disconnect_by_func (self->creator, on_step, self);
  if (self->planner != NULL)
    g_signal_handlers_disconnect_by_func (self->planner, _vmd_create_dialog_review, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_CREATE_DIALOG);

  _vmd_create_dialog_forget_import (self);
  g_clear_object (&self->creator);
  g_clear_object (&self->planner);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->iso);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (vmd_create_dialog_parent_class)->dispose (object);
}

static void
vmd_create_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VmdCreateDialog *self = VMD_CREATE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_FILE:
      self->iso = g_value_dup_object (value);
      break;
    case PROP_THERE:
      self->there = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_create_dialog_class_init (VmdCreateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = vmd_create_dialog_constructed;
  object_class->dispose = vmd_create_dialog_dispose;
  object_class->set_property = vmd_create_dialog_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, VMD_TYPE_CONNECTION, flags);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  /* The file is the path of an image on the connection's computer. */
  properties[PROP_THERE] = g_param_spec_boolean ("there", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The guest exists and runs: its screen can be shown. The string, or
   * NULL, is what the host turned down (vmd_creator_get_notice()). */
  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 2, VMD_TYPE_MACHINE,
                                          G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-create-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, budget_icon);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, budget_group);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, budget_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, confirm_check);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, create_error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, creating_page);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, disk_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, disk_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, identifying_page);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, identifying_spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, media_icon);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, memory_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, os_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, os_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, system_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, system_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, vcpus_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, express_group);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, express_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, full_name_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, admin_switch);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, product_key_row);
  gtk_widget_class_bind_template_child (widget_class, VmdCreateDialog, locale_row);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);
  gtk_widget_class_bind_template_callback_full (widget_class, "update_create_button",
                                                G_CALLBACK (_vmd_create_dialog_update_button));
  gtk_widget_class_bind_template_callback (widget_class, vmd_create_dialog_create);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vmd_create_dialog_init (VmdCreateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->verdict = VMD_BUDGET_FITS;
  self->system_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->system_ids, NULL);
  {
    /* Searched by the names shown. */
    g_autoptr(GtkExpression) by_name = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                                    "string");
    g_autoptr(GtkStringList) unknown = gtk_string_list_new ((const char *[]) { _("Unknown"), NULL });

    gtk_drop_down_set_expression (self->system_dropdown, by_name);
    gtk_drop_down_set_model (self->system_dropdown, G_LIST_MODEL (unknown));
  }

  _vmd_create_dialog_init_express (self);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name", G_CALLBACK (on_page), self);
  on_page (self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (values_changed), self);
  g_signal_connect_swapped (self->memory_spin, "value-changed", G_CALLBACK (values_changed), self);
  g_signal_connect_swapped (self->vcpus_spin, "value-changed", G_CALLBACK (values_changed), self);
  g_signal_connect_swapped (self->disk_spin, "value-changed", G_CALLBACK (values_changed), self);
  g_signal_connect_swapped (self->os_row, "notify::selected", G_CALLBACK (on_os_selected), self);
}

VmdCreateDialog *
vmd_create_dialog_new (GtkWindow     *parent,
                       VmdConnection *connection,
                       GFile         *iso)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_FILE (iso), NULL);

  return g_object_new (VMD_TYPE_CREATE_DIALOG,
                       "transient-for", parent,
                       "connection", connection,
                       "file", iso,
                       NULL);
}

/**
 * vmd_create_dialog_new_there:
 * @path: an installer image in the storage of @connection's computer
 *   (vmd_connection_list_images_async()): the machine uses it there
 */
VmdCreateDialog *
vmd_create_dialog_new_there (GtkWindow     *parent,
                             VmdConnection *connection,
                             const char    *path)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), NULL);

  file = g_file_new_for_path (path);
  return g_object_new (VMD_TYPE_CREATE_DIALOG,
                       "transient-for", parent,
                       "connection", connection,
                       "file", file,
                       "there", TRUE,
                       NULL);
}

const char *
vmd_create_dialog_get_page (VmdCreateDialog *self)
{
  g_return_val_if_fail (VMD_IS_CREATE_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
vmd_create_dialog_get_os_label (VmdCreateDialog *self)
{
  g_return_val_if_fail (VMD_IS_CREATE_DIALOG (self), NULL);
  return gtk_label_get_label (self->os_label);
}

/* The error or verdict the person reads on the current page. */
const char *
vmd_create_dialog_get_message (VmdCreateDialog *self)
{
  const char *page;

  g_return_val_if_fail (VMD_IS_CREATE_DIALOG (self), NULL);

  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_str_equal (page, "error"))
    return adw_status_page_get_description (self->error_page);
  return gtk_label_get_label (self->budget_label);
}
