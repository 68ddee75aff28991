/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-create-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-create-dialog-private.h"
#include "vmd-error.h"
#include "vmd-machine.h"
#include "vmd-os-db.h"
#include "vmd-text.h"

/* A file that is no installer may be a machine's disk: VmDesk reads what
 * it is through the connection's storage, asks what system it holds, and
 * copies it into the pool as the new machine's disk. */

/* The review of a disk image to import: VmDesk's usual make around it,
 * its size fixed, its system asked. */
void
_vmd_create_dialog_fill_import (VmdCreateDialog *self)
{
  g_autofree char *format = g_ascii_strup (vmd_cloner_get_format (self->importer), -1);
  g_autofree char *size = g_format_size (vmd_cloner_get_capacity (self->importer));
  g_autofree char *what = NULL;
  guint64 memory = vmd_cloner_get_memory (self->importer);
  guint vcpus = vmd_cloner_get_vcpus (self->importer);
  VmdHost *host = vmd_planner_get_host (self->planner);
  g_autoptr(VmdGuestSpec) spec = vmd_guest_spec_new ();

  vmd_guest_spec_set_platform (spec, NULL, NULL, NULL, VMD_FIRMWARE_BIOS, FALSE, FALSE,
                               vmd_host_get_kvm (host));
  vmd_guest_spec_set_name (spec, vmd_cloner_get_name (self->importer));
  vmd_guest_spec_set_memory (spec, memory > 0 ? memory : VMD_GENERIC_MEMORY);
  if (vcpus > 0)
    vmd_guest_spec_set_vcpus (spec, MIN (vcpus, vmd_host_get_n_cpus (host)));
  vmd_guest_spec_set_disk_size (spec, vmd_cloner_get_capacity (self->importer));
  vmd_planner_set_spec (self->planner, spec);

  if (g_str_equal (format, "OVA"))
    /* Translators: %s is the size of the appliance's disk */
    what = g_strdup_printf (_("An appliance (OVA, %s)"), size);
  else
    /* Translators: %s is a disk image format (QCOW2, VMDK, VDI…), then its size */
    what = g_strdup_printf (_("A disk image (%s, %s)"), format, size);
  gtk_widget_set_sensitive (GTK_WIDGET (self->disk_spin), FALSE);
  adw_action_row_set_subtitle (self->disk_row, _("GB, the imported disk’s size"));
  gtk_widget_set_visible (GTK_WIDGET (self->os_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->system_row), TRUE);
  _vmd_create_dialog_hide_express (self);
  gtk_button_set_label (self->create_button, _("_Import"));
  gtk_image_set_from_icon_name (self->media_icon, "drive-harddisk-symbolic");
  gtk_window_set_title (GTK_WINDOW (self), _("Import a Machine"));
  _vmd_create_dialog_show_spec (self, what,
                                _("VmDesk copies it into its storage as the new machine’s disk; "
                                  "the file itself stays as it is."));
}

/* The systems a person can say an imported disk holds: all libosinfo
 * knows, by name, "Unknown" first. */
static void
on_systems_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VmdCreateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = NULL;
  g_autoptr(GPtrArray) systems = NULL;

  if (!vmd_os_db_load_finish (VMD_OS_DB (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("No list of systems to choose from: %s", error->message);
      return;
    }
  systems = vmd_os_db_list_by_name (VMD_OS_DB (object));
  names = gtk_string_list_new ((const char *[]) { _("Unknown"), NULL });
  g_ptr_array_set_size (self->system_ids, 0);
  g_ptr_array_add (self->system_ids, NULL);
  for (guint i = 0; i < systems->len; i++)
    {
      OsinfoEntity *os = systems->pdata[i];

      gtk_string_list_append (names, osinfo_product_get_name (OSINFO_PRODUCT (os)));
      g_ptr_array_add (self->system_ids, g_strdup (osinfo_entity_get_id (os)));
    }
  gtk_drop_down_set_model (self->system_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->system_dropdown, 0);
}

static void
on_inspected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdCreateDialog) self = user_data;
  VmdCloner *importer = VMD_CLONER (object);
  g_autoptr(GError) error = NULL;

  self->inspecting = FALSE;
  if (!vmd_cloner_inspect_finish (importer, result, &error))
    {
      g_autofree char *path = NULL;
      g_autofree char *name = NULL;
      g_autoptr(GError) neither = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Where the connection cannot read disks (another computer's, the
       * test driver), the file is what identification said it is. */
      if (g_error_matches (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED))
        {
          _vmd_create_dialog_show_error (self, self->media_error);
          return;
        }
      if (!g_error_matches (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA))
        {
          _vmd_create_dialog_show_error (self, error);
          return;
        }
      path = g_file_get_path (self->iso);
      name = vmd_text_dup_display_basename (path);
      neither = g_error_new (VMD_ERROR, VMD_ERROR_NOT_MEDIA,
                             _("“%s” is neither an installer image (ISO) nor a disk image VmDesk "
                               "knows (qcow2, VMDK, VDI, VHD, OVA, or a raw disk with a partition table)."),
                             name);
      _vmd_create_dialog_show_error (self, neither);
      return;
    }
  self->importer = g_object_ref (importer);
  vmd_os_db_load_async (vmd_os_db_get_default (), self->cancellable, on_systems_loaded,
                        g_object_ref (self));
  _vmd_create_dialog_review (self);
}

/* A disk image is read through the connection: once it is up (the
 * application may still be connecting, the file opened at its start). */
void
_vmd_create_dialog_inspect (VmdCreateDialog *self)
{
  g_autofree char *path = NULL;
  g_autoptr(VmdCloner) importer = NULL;

  if (self->media_error == NULL || self->inspecting || self->importer != NULL ||
      self->cancellable == NULL ||
      vmd_connection_get_state (self->connection) != VMD_CONNECTION_STATE_CONNECTED)
    return;
  self->inspecting = TRUE;
  path = g_file_get_path (self->iso);
  importer = vmd_cloner_new_for_image (self->connection, path, NULL);
  vmd_cloner_inspect_async (importer, self->cancellable, on_inspected, g_object_ref (self));
}

static void
on_import_progress (VmdCreateDialog *self)
{
  gtk_progress_bar_set_text (self->progress, vmd_cloner_get_step (self->importer));
  gtk_progress_bar_set_fraction (self->progress, vmd_cloner_get_fraction (self->importer));
}

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VmdCreateDialog) self = user_data;
  g_autoptr(VmdMachine) machine = NULL;
  g_autoptr(GError) error = NULL;

  machine = vmd_cloner_run_finish (VMD_CLONER (object), result, &error);
  self->importing = FALSE;
  if (machine == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      _vmd_create_dialog_back_to_review (self, error);
      return;
    }
  /* As a new machine does: it starts, its screen shows. */
  vmd_machine_run_async (machine, VMD_MACHINE_ACTION_START, NULL, NULL, NULL);
  _vmd_create_dialog_done (self, machine, NULL);
}

void
_vmd_create_dialog_import (VmdCreateDialog *self)
{
  guint system = gtk_drop_down_get_selected (self->system_dropdown);
  VmdGuestSpec *spec = vmd_planner_get_spec (self->planner);

  vmd_cloner_set_name (self->importer, vmd_guest_spec_get_name (spec));
  vmd_cloner_set_memory (self->importer, vmd_guest_spec_get_memory (spec));
  vmd_cloner_set_vcpus (self->importer, vmd_guest_spec_get_vcpus (spec));
  vmd_cloner_set_os (self->importer, system < self->system_ids->len
                                       ? self->system_ids->pdata[system] : NULL);
  self->importing = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  g_signal_handlers_disconnect_by_func (self->importer, on_import_progress, self);
  g_signal_connect_swapped (self->importer, "notify::step", G_CALLBACK (on_import_progress), self);
  g_signal_connect_swapped (self->importer, "notify::fraction", G_CALLBACK (on_import_progress),
                            self);
  vmd_cloner_run_async (self->importer, self->cancellable, on_imported, g_object_ref (self));
}

void
_vmd_create_dialog_forget_import (VmdCreateDialog *self)
{
  if (self->importer != NULL)
    g_signal_handlers_disconnect_by_func (self->importer, on_import_progress, self);
  g_clear_object (&self->importer);
  g_clear_error (&self->media_error);
  g_clear_pointer (&self->system_ids, g_ptr_array_unref);
}
