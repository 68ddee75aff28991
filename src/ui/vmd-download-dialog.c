/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-download-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "vmd-download-dialog.h"
#include "vmd-os-db.h"

/* "Download an Operating System": the systems libosinfo has an address
 * for, released and supported today, newest first, narrowed as a name is
 * typed. Choosing one says so ("chosen") and closes. */
struct _VmdDownloadDialog
{
  AdwWindow       parent_instance;

  /* template widgets */
  AdwStatusPage  *empty_page;
  GtkListBox     *list;
  GtkSearchEntry *search_entry;
  GtkStack       *stack;

  /* owned */
  GCancellable   *cancellable;
  SoupSession    *logos;       /* the systems' logos, where the database has one */
  char           *needle;      /* the search, casefolded */
};

G_DEFINE_FINAL_TYPE (VmdDownloadDialog, vmd_download_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static OsinfoMedia *
row_media (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "vmd-media");
}

static gboolean
matches (GtkListBoxRow *row,
         gpointer       user_data)
{
  VmdDownloadDialog *self = user_data;
  const char *words = g_object_get_data (G_OBJECT (row), "vmd-words");

  return self->needle == NULL || strstr (words, self->needle) != NULL;
}

static GtkListBoxRow *
first_shown (VmdDownloadDialog *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && matches (GTK_LIST_BOX_ROW (child), self))
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
show_page (VmdDownloadDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *description = NULL;

  if (first_shown (self) != NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }
  if (*text != '\0')
    description = g_strdup_printf (_("No system with a download matches “%s”."), text);
  else
    description = g_strdup (_("libosinfo’s database has no system to download."));
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
on_search_changed (VmdDownloadDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_free (self->needle);
  self->needle = *text != '\0' ? g_utf8_casefold (text, -1) : NULL;
  gtk_list_box_invalidate_filter (self->list);
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "loading"))
    show_page (self);
}

static void
choose (VmdDownloadDialog *self,
        GtkListBoxRow     *row)
{
  g_autoptr(OsinfoMedia) media = g_object_ref (row_media (row));

  gtk_window_close (GTK_WINDOW (self));
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, media);
}

static void
on_row_activated (VmdDownloadDialog *self,
                  GtkListBoxRow     *row)
{
  choose (self, row);
}

/* Enter in the search: the first system shown for what is typed, even
 * when Enter comes before the search's short delay is over. */
static void
on_search_activate (VmdDownloadDialog *self)
{
  GtkListBoxRow *row;

  on_search_changed (self);
  row = first_shown (self);

  if (row != NULL)
    choose (self, row);
}

static void
on_logo (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GtkImage) image = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  /* Offline, or no such picture: the row keeps its icon. */
  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  if (bytes == NULL || soup_message_get_status (message) != SOUP_STATUS_OK)
    return;
  texture = gdk_texture_new_from_bytes (bytes, NULL);
  if (texture != NULL)
    {
      gtk_image_set_from_paintable (image, GDK_PAINTABLE (texture));
      gtk_widget_remove_css_class (GTK_WIDGET (image), "dim-label");
    }
}

/* The system's logo, fetched when it has one (osinfo-db's <logo>),
 * in front of its name; its icon meanwhile and otherwise. */
static GtkWidget *
new_logo (VmdDownloadDialog *self,
          OsinfoProduct     *product)
{
  GtkWidget *image = gtk_image_new_from_icon_name ("media-optical-symbolic");
  const char *url = osinfo_product_get_logo (product);
  g_autoptr(SoupMessage) message = NULL;

  gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
  gtk_widget_add_css_class (image, "dim-label");
  if (url != NULL && (message = soup_message_new (SOUP_METHOD_GET, url)) != NULL)
    soup_session_send_and_read_async (self->logos, message, G_PRIORITY_LOW, self->cancellable,
                                      on_logo, g_object_ref (image));
  return image;
}

static GtkWidget *
new_row (VmdDownloadDialog *self,
         OsinfoMedia       *media)
{
  g_autoptr(OsinfoOs) os = osinfo_media_get_os (media);
  OsinfoProduct *product = OSINFO_PRODUCT (os);
  const char *name = osinfo_product_get_name (product);
  GDate *date = osinfo_product_get_release_date (product);
  g_autoptr(GDateTime) released = NULL;
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *words = NULL;
  g_autofree char *folded_name = g_utf8_casefold (name, -1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("folder-download-symbolic");

  released = g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date),
                                  g_date_get_day (date), 0, 0, 0);
  g_date_free (date);
  /* Translators: a strftime format for the month a system was released */
  when = g_date_time_format (released, _("%B %Y"));
  /* Translators: "Released May 2024 · debian12" */
  subtitle = g_strdup_printf (_("Released %s · %s"), when,
                              osinfo_product_get_short_id (product));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, osinfo_media_get_url (media));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), new_logo (self, product));

  words = g_utf8_casefold (subtitle, -1);
  g_object_set_data_full (G_OBJECT (row), "vmd-words",
                          g_strconcat (folded_name, " ", words, NULL), g_free);
  g_object_set_data_full (G_OBJECT (row), "vmd-media", g_object_ref (media), g_object_unref);
  return row;
}

static void
on_db_loaded (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  VmdDownloadDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) medias = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDate) today = NULL;

  if (!vmd_os_db_load_finish (VMD_OS_DB (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = VMD_DOWNLOAD_DIALOG (user_data);
  today = g_date_new_dmy (g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                          g_date_time_get_year (now));
  medias = vmd_os_db_list_downloads (VMD_OS_DB (object), today);
  for (guint i = 0; i < medias->len; i++)
    gtk_list_box_append (self->list, new_row (self, g_ptr_array_index (medias, i)));
  show_page (self);
}

static void
vmd_download_dialog_dispose (GObject *object)
{
  VmdDownloadDialog *self = VMD_DOWNLOAD_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->logos);
  g_clear_pointer (&self->needle, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_DOWNLOAD_DIALOG);

  G_OBJECT_CLASS (vmd_download_dialog_parent_class)->dispose (object);
}

static void
vmd_download_dialog_class_init (VmdDownloadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_download_dialog_dispose;

  /**
   * VmdDownloadDialog::chosen:
   * @media: the #OsinfoMedia to download
   */
  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, OSINFO_TYPE_MEDIA);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-download-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDownloadDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, VmdDownloadDialog, list);
  gtk_widget_class_bind_template_child (widget_class, VmdDownloadDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdDownloadDialog, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_close);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vmd_download_dialog_init (VmdDownloadDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->list, matches, self, NULL);
  self->cancellable = g_cancellable_new ();
  self->logos = soup_session_new_with_options ("user-agent", "VmDesk/" PACKAGE_VERSION " ",
                                               "timeout", 30, NULL);
  /* The database loads once per process, in a worker thread. */
  vmd_os_db_load_async (vmd_os_db_get_default (), self->cancellable, on_db_loaded, self);
}

VmdDownloadDialog *
vmd_download_dialog_new (GtkWindow *parent)
{
  return g_object_new (VMD_TYPE_DOWNLOAD_DIALOG, "transient-for", parent, NULL);
}
