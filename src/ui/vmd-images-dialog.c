/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-images-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-computers.h"
#include "vmd-connection.h"
#include "vmd-images-dialog.h"
#include "vmd-text.h"

/* New Machine on another computer: the installer images it already has,
 * to make the machine from one where it is, or a file of this computer's,
 * which is copied there. */
struct _VmdImagesDialog
{
  AdwWindow       parent_instance;

  GtkStack       *stack;
  GtkLabel       *images_label;
  GtkListBox     *list;
  AdwStatusPage  *status_page;

  VmdConnection  *connection;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdImagesDialog, vmd_images_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CHOSEN,
  SIGNAL_CHOOSE_FILE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
make_row (const VmdStoredImage *image)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = vmd_text_make_printable (image->name, -1);
  g_autofree char *size = g_format_size (image->size);
  /* TRANSLATORS: an image's size, then the storage pool it is in */
  g_autofree char *subtitle = g_strdup_printf (_("%s · in “%s”"), size, image->pool);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "vmd-path", g_strdup (image->path), g_free);
  return row;
}

static void
on_listed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdImagesDialog) self = user_data;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *computer = NULL;

  images = vmd_connection_list_images_finish (VMD_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  computer = vmd_computer_dup_title (vmd_connection_get_uri (self->connection));

  if (images == NULL)
    {
      adw_status_page_set_title (self->status_page, _("The Computer’s Images Cannot Be Listed"));
      adw_status_page_set_description (self->status_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  if (images->len == 0)
    {
      g_autofree char *description =
        g_strdup_printf (_("Put an installer’s .iso file into one of the storage pools of %s, "
                           "or choose a file on this computer."), computer);

      adw_status_page_set_title (self->status_page, _("No Installer Images There"));
      adw_status_page_set_description (self->status_page, description);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  for (guint i = 0; i < images->len; i++)
    gtk_list_box_append (self->list, make_row (images->pdata[i]));
  {
    g_autofree char *heading = g_strdup_printf (_("Installer images on %s"), computer);

    gtk_label_set_label (self->images_label, heading);
  }
  gtk_stack_set_visible_child_name (self->stack, "images");
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, 0)));
}

static void
on_row_activated (VmdImagesDialog *self,
                  GtkListBoxRow   *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "vmd-path");

  g_object_ref (self);
  gtk_window_close (GTK_WINDOW (self));
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, path);
  g_object_unref (self);
}

static void
on_choose_file (VmdImagesDialog *self)
{
  g_object_ref (self);
  gtk_window_close (GTK_WINDOW (self));
  g_signal_emit (self, signals[SIGNAL_CHOOSE_FILE], 0);
  g_object_unref (self);
}

static void
vmd_images_dialog_dispose (GObject *object)
{
  VmdImagesDialog *self = (VmdImagesDialog *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_IMAGES_DIALOG);
  G_OBJECT_CLASS (vmd_images_dialog_parent_class)->dispose (object);
}

static void
vmd_images_dialog_class_init (VmdImagesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_images_dialog_dispose;

  /* The path, on that computer, of the image chosen. */
  signals[SIGNAL_CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CHOOSE_FILE] = g_signal_new ("choose-file", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-images-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdImagesDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdImagesDialog, images_label);
  gtk_widget_class_bind_template_child (widget_class, VmdImagesDialog, list);
  gtk_widget_class_bind_template_child (widget_class, VmdImagesDialog, status_page);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_file);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vmd_images_dialog_init (VmdImagesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * vmd_images_dialog_new:
 * @connection: the computer the machine is to be made on
 *
 * Lists that computer's installer images; emits #VmdImagesDialog::chosen
 * with one's path there, or #VmdImagesDialog::choose-file.
 */
VmdImagesDialog *
vmd_images_dialog_new (GtkWindow     *parent,
                       VmdConnection *connection)
{
  VmdImagesDialog *self;
  g_autofree char *computer = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);

  self = g_object_new (VMD_TYPE_IMAGES_DIALOG, "transient-for", parent, NULL);
  self->connection = g_object_ref (connection);
  computer = vmd_computer_dup_title (vmd_connection_get_uri (connection));
  title = g_strdup_printf (_("New Machine on %s"), computer);
  gtk_window_set_title (GTK_WINDOW (self), title);
  vmd_connection_list_images_async (connection, self->cancellable, on_listed, g_object_ref (self));
  return self;
}
