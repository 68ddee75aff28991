/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-download-dialog.h"
#include "vmd-download-tile.h"
#include "vmd-window-private.h"

/* Downloads of the window: the systems to choose from, a tile for each
 * download above the machines, then the usual review of the file. */

static void
remove_tile (VmdWindow       *self,
             VmdDownloadTile *tile)
{
  gtk_flow_box_remove (self->downloads, gtk_widget_get_parent (GTK_WIDGET (tile)));
  gtk_widget_set_visible (GTK_WIDGET (self->downloads),
                          gtk_flow_box_get_child_at_index (self->downloads, 0) != NULL);
}

static void
on_finished (VmdWindow       *self,
             GFile           *file,
             VmdDownloadTile *tile)
{
  remove_tile (self, tile);
  vmd_window_open_file (self, file);
}

static void
on_closed (VmdWindow       *self,
           VmdDownloadTile *tile)
{
  remove_tile (self, tile);
}

/* The tile of @url, if it is being downloaded already. */
static VmdDownloadTile *
find_tile (VmdWindow  *self,
           const char *url)
{
  GtkFlowBoxChild *child;

  for (int i = 0; (child = gtk_flow_box_get_child_at_index (self->downloads, i)) != NULL; i++)
    {
      VmdDownloadTile *tile = VMD_DOWNLOAD_TILE (gtk_flow_box_child_get_child (child));

      if (g_strcmp0 (vmd_download_get_url (vmd_download_tile_get_download (tile)), url) == 0)
        return tile;
    }
  return NULL;
}

static void
on_chosen (VmdWindow         *self,
           OsinfoMedia       *media,
           VmdDownloadDialog *dialog)
{
  g_autoptr(OsinfoOs) os = osinfo_media_get_os (media);
  g_autoptr(GFile) directory = vmd_download_default_directory ();
  g_autoptr(VmdDownload) download = NULL;
  const char *url = osinfo_media_get_url (media);
  VmdDownloadTile *tile;

  if (find_tile (self, url) != NULL)
    return;
  download = vmd_download_new (url, directory);
  tile = vmd_download_tile_new (osinfo_product_get_name (OSINFO_PRODUCT (os)), download);
  g_signal_connect_object (tile, "finished", G_CALLBACK (on_finished), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tile, "closed", G_CALLBACK (on_closed), self, G_CONNECT_SWAPPED);
  gtk_flow_box_append (self->downloads, GTK_WIDGET (tile));
  gtk_widget_set_visible (GTK_WIDGET (self->downloads), TRUE);
  vmd_download_tile_start (tile);
}

/* "Download an Operating System…" */
void
_vmd_window_download (VmdWindow *self)
{
  VmdDownloadDialog *dialog = vmd_download_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "chosen", G_CALLBACK (on_chosen), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}
