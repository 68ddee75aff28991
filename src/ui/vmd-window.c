/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-application.h"
#include "vmd-budget.h"
#include "vmd-connection.h"
#include "vmd-create-dialog.h"
#include "vmd-display.h"
#include "vmd-display-page.h"
#include "vmd-display-window.h"
#include "vmd-host.h"
#include "vmd-host-meter.h"
#include "vmd-machine.h"
#include "vmd-machine-tile.h"
#include "vmd-quit.h"
#include "vmd-os-db.h"
#include "vmd-properties-dialog.h"
#include "vmd-window-private.h"


G_DEFINE_FINAL_TYPE (VmdWindow, vmd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void try_pending_show  (VmdWindow     *self);


void
vmd_window_show_error (VmdWindow  *self,
                       const char *message)
{
  g_return_if_fail (VMD_IS_WINDOW (self));

  vmd_ui_show_error_toast (self->toast_overlay, message);
}

static void
on_host (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(VmdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdHost) host = vmd_host_query_finish (result, &error);

  if (host == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Cannot read the host's resources: %s", error->message);
      return;
    }
  g_set_object (&self->host, host);
  vmd_machine_controls_set_host (self->controls, host);
}

static void
update_view (VmdWindow *self)
{
  VmdConnectionState state = vmd_connection_get_state (self->connection);
  guint n = g_list_model_get_n_items (vmd_connection_get_machines (self->connection));
  const GError *error = vmd_connection_get_error (self->connection);
  const char *page;

  if (state == VMD_CONNECTION_STATE_CONNECTING && n == 0)
    page = "connecting";
  else if (state == VMD_CONNECTION_STATE_LOST && n == 0)
    page = "unreachable";
  else if (n == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    {
      g_autofree char *text =
        g_strdup_printf (_("No machine’s name or system contains “%s”."),
                         gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

      vmd_ui_set_status_description (self->no_match_page, text);
      page = "no-match";
    }
  else
    page = "library";

  /* Out of "Connecting…" at once: a fade would hold the library back
   * for its 200 ms, on a connection that took a few. */
  gtk_stack_set_transition_type (self->stack,
                                 g_strcmp0 (gtk_stack_get_visible_child_name (self->stack),
                                            "connecting") == 0
                                   ? GTK_STACK_TRANSITION_TYPE_NONE
                                   : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_set_visible_child_name (self->stack, page);
  /* A spinner spins only while it is seen: one spinning on a hidden page
   * still makes GTK lay the window out again on every frame. */
  gtk_spinner_set_spinning (self->connecting_spinner, g_strcmp0 (page, "connecting") == 0);

  if (state == VMD_CONNECTION_STATE_LOST)
    {
      g_autofree char *text =
        g_strdup_printf ("%s\n%s",
                         error ? error->message : _("The virtualization service is not reachable."),
                         _("VmDesk keeps trying to reconnect."));

      gtk_label_set_label (self->banner_label, text);
      vmd_ui_set_status_description (self->unreachable_page, text);
    }
  gtk_revealer_set_reveal_child (self->banner, state == VMD_CONNECTION_STATE_LOST && n > 0);

  if (state == VMD_CONNECTION_STATE_CONNECTED && self->host == NULL && self->cancellable != NULL)
    vmd_host_query_async (self->connection, self->cancellable, on_host, g_object_ref (self));
  try_pending_show (self);

  _vmd_window_update_actions (self);
}

static void
on_selected_changed (VmdWindow *self)
{
  VmdMachine *machine = gtk_single_selection_get_selected_item (self->selection);

  if (self->selected == machine)
    return;

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, _vmd_window_update_actions, self);
  g_set_object (&self->selected, machine);
  if (machine != NULL)
    {
      g_signal_connect_swapped (machine, "notify::state", G_CALLBACK (_vmd_window_update_actions), self);
      g_signal_connect_swapped (machine, "notify::busy", G_CALLBACK (_vmd_window_update_actions), self);
    }

  vmd_machine_controls_set_machine (self->controls, machine);
  _vmd_window_update_actions (self);
}


static void
on_grid_activate (VmdWindow *self,
                  guint      position)
{
  gtk_single_selection_set_selected (self->selection, position);
  if (self->selected == NULL)
    return;

  /* A machine that crashed shows what happened first: starting it again
   * is for the person to choose, there. */
  if (!vmd_machine_get_has_problem (self->selected))
    vmd_machine_controls_start (self->controls, self->selected);
  vmd_window_show_machine (self, self->selected);
}

/* -- type to filter ------------------------------------------------------ */

/* Typing in the library searches it, as in GNOME's apps; not on a guest's
 * screen, whose keys are the guest's. */
static void
update_key_capture (VmdWindow *self)
{
  gboolean library = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                                "library") == 0;

  gtk_search_bar_set_key_capture_widget (self->search_bar, library ? GTK_WIDGET (self) : NULL);
}

/* The systems' names came after the search began: search them too. */
static void
on_os_names (VmdWindow *self)
{
  if (gtk_string_filter_get_search (self->os_filter) != NULL)
    gtk_filter_changed (GTK_FILTER (self->os_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_search_changed (VmdWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *search = text != NULL && *text != '\0' ? text : NULL;

  gtk_string_filter_set_search (self->name_filter, search);
  gtk_string_filter_set_search (self->os_filter, search);
  update_view (self);
}

/* Enter shows the machine found (the first, unless another is selected). */
static void
on_search_activate (VmdWindow *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position != GTK_INVALID_LIST_POSITION)
    on_grid_activate (self, position);
}

/* Escape, or the search closed: every machine again. */
static void
on_search_stop (VmdWindow *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_search_mode (VmdWindow *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      if (self->selected != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->grid));
    }
}

static void
find_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "library") != 0)
    return;
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* -- a guest's screen ---------------------------------------------------- */

/* The window's keys (Ctrl+P and the others) act on the selected machine:
 * the one whose screen is shown is that one. A guest shown in a window of
 * its own is shown there. */
void
vmd_window_show_machine (VmdWindow  *self,
                         VmdMachine *machine)
{
  VmdDisplayWindow *window;

  g_return_if_fail (VMD_IS_WINDOW (self));
  g_return_if_fail (VMD_IS_MACHINE (machine));

  _vmd_window_select (self, machine);
  window = vmd_display_window_find (gtk_window_get_application (GTK_WINDOW (self)), machine);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  vmd_display_page_set_machine (self->display_page, machine);
  gtk_stack_set_visible_child_name (self->main_stack, "display");
  gtk_widget_grab_focus (GTK_WIDGET (vmd_display_page_get_display (self->display_page)));
}

static void
on_display_back (VmdWindow *self)
{
  if (gtk_window_is_fullscreen (GTK_WINDOW (self)))
    gtk_window_unfullscreen (GTK_WINDOW (self));
  gtk_stack_set_visible_child_name (self->main_stack, "library");
  vmd_display_page_set_machine (self->display_page, NULL);
}

/* Each guest can live in a window of its own. */
static void
on_display_new_window (VmdWindow *self)
{
  g_autoptr(VmdMachine) machine = g_object_ref (vmd_display_page_get_machine (self->display_page));
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  on_display_back (self);
  gtk_window_present (GTK_WINDOW (vmd_display_window_new (application, self->connection, machine)));
}

static void
fullscreen_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "display"))
    gtk_widget_activate_action (GTK_WIDGET (self->display_page), "page.fullscreen", NULL);
}

/* `vmdesk --show NAME`: straight to a guest's screen, starting it if off
 * (not if it crashed: that is said first).
 * The connection may still be coming up: wait for the machine to appear. */
static void
try_pending_show (VmdWindow *self)
{
  VmdMachine *machine;

  if (self->pending_show == NULL ||
      vmd_connection_get_state (self->connection) != VMD_CONNECTION_STATE_CONNECTED)
    return;

  machine = vmd_connection_find_machine_by_name (self->connection, self->pending_show);
  if (machine == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("There is no machine called “%s”."), self->pending_show);
      vmd_window_show_error (self, message);
    }
  else
    {
      if (!vmd_machine_get_has_problem (machine))
        vmd_machine_controls_start (self->controls, machine);
      vmd_window_show_machine (self, machine);
    }
  g_clear_pointer (&self->pending_show, g_free);
}

void
vmd_window_show_machine_by_name (VmdWindow  *self,
                                 const char *name)
{
  g_return_if_fail (VMD_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  g_free (self->pending_show);
  self->pending_show = g_strdup (name);
  try_pending_show (self);
}

static void
setup_tile (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  gtk_list_item_set_child (item, vmd_machine_tile_new ());
}

static void
bind_tile (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  vmd_machine_tile_set_machine (VMD_MACHINE_TILE (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
}

static void
unbind_tile (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  vmd_machine_tile_set_machine (VMD_MACHINE_TILE (gtk_list_item_get_child (item)), NULL);
}

/* A copy made through Clone: selected in the library. On a guest's screen
 * the selection is that guest's, which the window's keys act on: the copy
 * waits in the library. */
static void
on_cloned (VmdWindow  *self,
           VmdMachine *copy)
{
  g_autofree char *text = g_strdup_printf (_("“%s” is ready"), vmd_machine_get_name (copy));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "library") == 0)
    _vmd_window_select (self, copy);
  vmd_ui_show_toast (self->toast_overlay, text);
}

/* -- files dropped or opened ------------------------------------------ */

/* A new machine: its screen, and what the host turned down, if anything. */
static void
on_created (VmdWindow  *self,
            VmdMachine *machine,
            const char *notice)
{
  vmd_window_show_machine (self, machine);
  if (notice != NULL)
    vmd_window_show_error (self, notice);
}

void
vmd_window_open_file (VmdWindow *self,
                      GFile     *file)
{
  VmdCreateDialog *dialog;

  g_return_if_fail (VMD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  dialog = vmd_create_dialog_new (GTK_WINDOW (self), self->connection, file);
  _vmd_window_watch_create_dialog (self, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The machine it makes is shown once it runs. */
void
_vmd_window_watch_create_dialog (VmdWindow       *self,
                                 VmdCreateDialog *dialog)
{
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_created), self,
                           G_CONNECT_SWAPPED);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         VmdWindow     *self)
{
  GSList *files = g_value_get_boxed (value);

  for (GSList *l = files; l != NULL; l = l->next)
    vmd_window_open_file (self, l->data);

  return files != NULL;
}

/* -- window life ------------------------------------------------------- */

static gboolean
vmd_window_close_request (GtkWindow *window)
{
  VmdWindow *self = VMD_WINDOW (window);
  GtkApplication *app;
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  /* The last window closing quits VmDesk: asked first what becomes of
   * the machines that run. */
  app = gtk_window_get_application (window);
  if (app != NULL && gtk_application_get_windows (app)->next == NULL &&
      vmd_quit_ask (G_APPLICATION (app), window, vmd_window_get_home_connection (self)))
    return TRUE;

  return GTK_WINDOW_CLASS (vmd_window_parent_class)->close_request (window);
}

/* A grid view makes tiles for 32 rows of its max-columns, whatever it
 * shows: max-columns is what the window's width can show (4 columns, 128
 * tiles, in a 960 px window; 8 at most). */
#define MAX_COLUMNS 8
#define FIRST_ROWS  8

static void
fit_columns (VmdWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  int width, height;
  guint columns;

  if (surface != NULL)
    width = gdk_surface_get_width (surface);
  else
    gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  columns = CLAMP (width / VMD_MACHINE_TILE_WIDTH, 1, MAX_COLUMNS);
  if (gtk_grid_view_get_max_columns (self->grid) != columns)
    gtk_grid_view_set_max_columns (self->grid, columns);
  if (self->first_tiles != NULL && gtk_slice_list_model_get_size (self->first_tiles) != G_MAXUINT)
    gtk_slice_list_model_set_size (self->first_tiles, columns * FIRST_ROWS);
}

/* The library's first frame makes the tiles it can show, not the grid
 * view's 32 rows: the others come in the frame after it. */
void
_vmd_window_show_all_tiles (VmdWindow *self)
{
  if (self->first_frame_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->grid), self->first_frame_tick);
  self->first_frame_tick = 0;
  if (self->first_tiles != NULL && gtk_slice_list_model_get_size (self->first_tiles) != G_MAXUINT)
    gtk_slice_list_model_set_size (self->first_tiles, G_MAXUINT);
}

/* Called before each frame's layout: the first lays the first tiles out
 * and paints them, the second brings the others. */
static gboolean
first_frame_tick (GtkWidget     *grid,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (self->first_frame_ticks++ == 0)
    return G_SOURCE_CONTINUE;
  self->first_frame_tick = 0;
  _vmd_window_show_all_tiles (self);
  return G_SOURCE_REMOVE;
}

static void
on_grid_mapped (VmdWindow *self)
{
  g_signal_handlers_disconnect_by_func (self->grid, on_grid_mapped, self);
  if (gtk_slice_list_model_get_size (self->first_tiles) != G_MAXUINT)
    self->first_frame_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->grid),
                                                           first_frame_tick, self, NULL);
}

static void
vmd_window_realize (GtkWidget *widget)
{
  VmdWindow *self = VMD_WINDOW (widget);

  GTK_WIDGET_CLASS (vmd_window_parent_class)->realize (widget);
  g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (self)), "notify::width",
                           G_CALLBACK (fit_columns), self, G_CONNECT_SWAPPED);
  fit_columns (self);
}

/* What follows the computer shown: its machines, the meter of its memory,
 * the machine actions on its connection, its host's resources. */
static void
bind_connection (VmdWindow *self)
{
  self->controls = vmd_machine_controls_new (GTK_APPLICATION_WINDOW (self), self->connection);
  g_signal_connect_object (self->controls, "error", G_CALLBACK (vmd_window_show_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls, "cloned", G_CALLBACK (on_cloned), self,
                           G_CONNECT_SWAPPED);
  gtk_sort_list_model_set_model (self->sorted, vmd_connection_get_machines (self->connection));

  g_signal_connect_object (self->connection, "notify::state",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::error-message",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vmd_connection_get_machines (self->connection), "items-changed",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);

  vmd_host_meter_set_connection (self->host_meter, self->connection);
  self->cancellable = g_cancellable_new ();
}

static void
unbind_connection (VmdWindow *self)
{
  g_signal_handlers_disconnect_by_data (self->connection, self);
  g_signal_handlers_disconnect_by_data (vmd_connection_get_machines (self->connection), self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->host);
  g_clear_object (&self->controls);
}

/* Another computer's machines in the library (chosen in the sidebar). */
void
_vmd_window_show_connection (VmdWindow     *self,
                             VmdConnection *connection)
{
  if (connection == NULL || connection == self->connection)
    return;
  unbind_connection (self);
  g_set_object (&self->connection, connection);
  bind_connection (self);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  on_selected_changed (self);
  update_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

static void
vmd_window_constructed (GObject *object)
{
  VmdWindow *self = (VmdWindow *) object;
  g_autoptr(GtkSorter) sorter = NULL;
  GtkSortListModel *sorted;
  GtkAnyFilter *any;
  GtkListItemFactory *factory;

  G_OBJECT_CLASS (vmd_window_parent_class)->constructed (object);

  g_assert (VMD_IS_CONNECTION (self->connection));

  sorter = GTK_SORTER (gtk_string_sorter_new (
    gtk_property_expression_new (VMD_TYPE_MACHINE, NULL, "name")));
  sorted = gtk_sort_list_model_new (NULL, g_object_ref (sorter));
  self->sorted = sorted;

  /* What the search bar holds, in the name or the system's name. */
  self->name_filter = gtk_string_filter_new (
    gtk_property_expression_new (VMD_TYPE_MACHINE, NULL, "name"));
  self->os_filter = gtk_string_filter_new (
    gtk_property_expression_new (VMD_TYPE_MACHINE, NULL, "os-name"));
  any = gtk_any_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (any), g_object_ref (GTK_FILTER (self->name_filter)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (any), g_object_ref (GTK_FILTER (self->os_filter)));
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted), GTK_FILTER (any));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);

  self->first_tiles = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)), 0,
                                                MAX_COLUMNS * FIRST_ROWS);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->first_tiles)));
  g_signal_connect_object (self->grid, "map", G_CALLBACK (on_grid_mapped), self,
                           G_CONNECT_SWAPPED);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_tile), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_tile), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_tile), NULL);
  gtk_grid_view_set_factory (self->grid, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (self->selection));
  fit_columns (self);

  bind_connection (self);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (vmd_os_db_get_default (), "names-changed", G_CALLBACK (on_os_names),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (vmd_os_db_get_default (), "notify::loaded", G_CALLBACK (on_os_names),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (update_key_capture), self, G_CONNECT_SWAPPED);
  update_key_capture (self);

  on_selected_changed (self);
  update_view (self);
}

static void
vmd_window_dispose (GObject *object)
{
  VmdWindow *self = (VmdWindow *) object;

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, _vmd_window_update_actions, self);
  g_clear_object (&self->selected);
  if (self->connection != NULL)
    unbind_connection (self);
  g_clear_pointer (&self->pending_show, g_free);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  if (self->first_frame_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->grid), self->first_frame_tick);
  self->first_frame_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_WINDOW);

  g_clear_object (&self->selection);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  g_clear_object (&self->filtered);
  g_clear_object (&self->first_tiles);
  g_clear_object (&self->name_filter);
  g_clear_object (&self->os_filter);
  g_clear_object (&self->connection);
  g_clear_object (&self->computers);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vmd_window_parent_class)->dispose (object);
}

static void
vmd_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  VmdWindow *self = VMD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  VmdWindow *self = VMD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_window_class_init (VmdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = vmd_window_constructed;
  object_class->dispose = vmd_window_dispose;
  object_class->get_property = vmd_window_get_property;
  object_class->set_property = vmd_window_set_property;
  widget_class->realize = vmd_window_realize;

  window_class->close_request = vmd_window_close_request;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, VMD_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/VmDesk/vmd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, downloads);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, grid);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, sidebar);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, computer_list);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, host_meter);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, unreachable_page);
  gtk_widget_class_bind_template_callback (widget_class, on_grid_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_display_back);
  gtk_widget_class_bind_template_callback (widget_class, on_display_new_window);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, display_page);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, main_stack);
}

static void
vmd_window_init (VmdWindow *self)
{
  GtkDropTarget *drop;

  g_type_ensure (VMD_TYPE_HOST_METER);
  g_type_ensure (VMD_TYPE_DISPLAY_PAGE);
  g_type_ensure (VMD_TYPE_COMPUTER_LIST);
  gtk_widget_init_template (GTK_WIDGET (self));

  _vmd_window_add_actions (self);
  _vmd_window_add_computer_actions (self);
  _vmd_window_update_computer_actions (self);
  {
    static const GActionEntry entries[] = {
      { "fullscreen", fullscreen_action },
      { "find", find_action },
    };

    g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  }

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

VmdWindow *
vmd_window_new (VmdApplication *application,
                VmdConnection  *connection)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);

  return g_object_new (VMD_TYPE_WINDOW,
                       "application", application,
                       "connection", connection,
                       NULL);
}

VmdConnection *
vmd_window_get_connection (VmdWindow *self)
{
  g_return_val_if_fail (VMD_IS_WINDOW (self), NULL);
  return self->connection;
}
