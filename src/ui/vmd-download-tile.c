/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-download-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-download-tile.h"

/* A download in the library: its system, a bar, "1.2 GB of 2.1 GB ·
 * 4.2 MB/s · 3 minutes left", Cancel. A failure stays on the tile with
 * its reason, Try Again (from where it stopped) and Remove. Once whole,
 * "finished" gives the file; after Cancel or Remove, "closed". Closing
 * the window stops it and keeps what came: the next download of the same
 * file goes on from there. */
struct _VmdDownloadTile
{
  GtkBox          parent_instance;

  GtkLabel       *title;
  GtkProgressBar *bar;
  GtkLabel       *status;
  GtkWidget      *cancel_button;
  GtkWidget      *retry_button;
  GtkWidget      *remove_button;

  VmdDownload    *download;
  GCancellable   *cancellable;
  gboolean        cancelled;   /* by the person: discard */
};

G_DEFINE_FINAL_TYPE (VmdDownloadTile, vmd_download_tile, GTK_TYPE_BOX)

enum {
  SIGNAL_FINISHED,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_buttons (VmdDownloadTile *self,
              gboolean         running)
{
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->retry_button, !running);
  gtk_widget_set_visible (self->remove_button, !running);
}

static void
on_progress (VmdDownloadTile *self)
{
  g_autofree char *text = vmd_download_dup_progress_text (self->download);
  guint64 total = vmd_download_get_total (self->download);

  if (!vmd_download_get_running (self->download))
    return;
  gtk_label_set_label (self->status, text);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->bar,
                                   (double) vmd_download_get_received (self->download) / total);
  else
    gtk_progress_bar_pulse (self->bar);
}

static void
on_finished (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  VmdDownloadTile *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = vmd_download_run_finish (VMD_DOWNLOAD (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped with the window: the part stays. By Cancel: it goes. */
      if (self->cancelled)
        {
          vmd_download_discard (self->download);
          g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
        }
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->cancellable);
  if (file == NULL)
    {
      gtk_label_set_label (self->status, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
      show_buttons (self, FALSE);
    }
  else
    {
      gtk_progress_bar_set_fraction (self->bar, 1.0);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, file);
    }
  g_object_unref (self);
}

/* Starts (or, after a failure, goes on with) the download. */
void
vmd_download_tile_start (VmdDownloadTile *self)
{
  g_return_if_fail (VMD_IS_DOWNLOAD_TILE (self));
  g_return_if_fail (self->cancellable == NULL);

  self->cancellable = g_cancellable_new ();
  self->cancelled = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
  gtk_label_set_label (self->status, _("Connecting…"));
  show_buttons (self, TRUE);
  vmd_download_run_async (self->download, self->cancellable, on_finished, g_object_ref (self));
}

static void
on_cancel (VmdDownloadTile *self)
{
  self->cancelled = TRUE;
  g_cancellable_cancel (self->cancellable);
}

static void
on_remove (VmdDownloadTile *self)
{
  vmd_download_discard (self->download);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
vmd_download_tile_dispose (GObject *object)
{
  VmdDownloadTile *self = VMD_DOWNLOAD_TILE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->download != NULL)
    g_signal_handlers_disconnect_by_data (self->download, self);
  g_clear_object (&self->download);

  G_OBJECT_CLASS (vmd_download_tile_parent_class)->dispose (object);
}

static void
vmd_download_tile_class_init (VmdDownloadTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_download_tile_dispose;

  /**
   * VmdDownloadTile::finished:
   * @file: the whole file, under its name
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);
  /**
   * VmdDownloadTile::closed:
   *
   * Cancelled or removed: nothing of it is left.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "vmd-download-tile");
}

static GtkWidget *
new_button (VmdDownloadTile *self,
            const char      *label,
            GCallback        callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_signal_connect_swapped (button, "clicked", callback, self);
  return button;
}

static void
vmd_download_tile_init (VmdDownloadTile *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_set_size_request (GTK_WIDGET (self), 280, -1);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_ellipsize (self->title, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  self->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_max_width_chars (self->status, 36);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "caption");

  self->cancel_button = new_button (self, _("_Cancel"), G_CALLBACK (on_cancel));
  self->retry_button = new_button (self, _("_Try Again"), G_CALLBACK (vmd_download_tile_start));
  self->remove_button = new_button (self, _("_Remove"), G_CALLBACK (on_remove));
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), self->remove_button);
  gtk_box_append (GTK_BOX (buttons), self->retry_button);
  gtk_box_append (GTK_BOX (buttons), self->cancel_button);

  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->bar));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->status));
  gtk_box_append (GTK_BOX (self), buttons);
  show_buttons (self, TRUE);
}

/**
 * vmd_download_tile_new:
 * @title: what is downloaded, for people ("Debian 11")
 */
VmdDownloadTile *
vmd_download_tile_new (const char  *title,
                       VmdDownload *download)
{
  VmdDownloadTile *self;

  g_return_val_if_fail (VMD_IS_DOWNLOAD (download), NULL);

  self = g_object_new (VMD_TYPE_DOWNLOAD_TILE, NULL);
  self->download = g_object_ref (download);
  gtk_label_set_label (self->title, title);
  g_signal_connect_swapped (download, "notify::received", G_CALLBACK (on_progress), self);
  g_signal_connect_swapped (download, "notify::total", G_CALLBACK (on_progress), self);
  return self;
}

VmdDownload *
vmd_download_tile_get_download (VmdDownloadTile *self)
{
  g_return_val_if_fail (VMD_IS_DOWNLOAD_TILE (self), NULL);
  return self->download;
}
