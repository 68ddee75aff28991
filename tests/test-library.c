/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-library"

#include "config.h"

#include <adwaita.h>
#include <libvirt/libvirt.h>

#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-machine.h"
#include "vmd-machine-tile.h"
#include "vmd-os-db.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

/* A library of a thousand machines in VmDesk's own window, on libvirt's
 * test driver: in order, opened at its top, live when changed behind
 * VmDesk's back, and searched by typing. Keys are real X events (xdotool)
 * on tests/with-wm.sh's X server. Behaviour only: bench/library times it. */

#define COUNT   1000
#define TITLE   "VmDesk"
#define WAIT_MS 30000

static VmdApplication *app;

static const struct { const char *id, *name; } systems[] = {
  { "http://debian.org/debian/11", "Debian 11" },
  { "http://fedoraproject.org/fedora/37", "Fedora Linux 37" },
  { "http://microsoft.com/win/10", "Microsoft Windows 10" },
  { "http://ubuntu.com/ubuntu/22.04", "Ubuntu 22.04 LTS" },
};

static virDomainPtr
define (virConnectPtr conn,
        const char   *name,
        const char   *os_id)
{
  g_autofree char *xml = g_strdup_printf (
    "<domain type='test'><name>%s</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>"
    "<os><type>hvm</type></os><metadata>"
    "<libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
    "<libosinfo:os id='%s'/></libosinfo:libosinfo></metadata></domain>", name, os_id);
  virDomainPtr dom = virDomainDefineXML (conn, xml);

  g_assert_nonnull (dom);
  return dom;
}

static GListModel *
grid_model (GtkWidget *window)
{
  return G_LIST_MODEL (gtk_grid_view_get_model (
    GTK_GRID_VIEW (vmd_test_find_widget (window, GTK_TYPE_GRID_VIEW))));
}

static const char *
name_at (GListModel *model,
         guint       position)
{
  g_autoptr(VmdMachine) machine = g_list_model_get_item (model, position);

  return machine ? vmd_machine_get_name (machine) : NULL;
}

static const char *
selected_name (GListModel *model)
{
  VmdMachine *machine = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model));

  return machine ? vmd_machine_get_name (machine) : NULL;
}

typedef struct
{
  GListModel *model;
  guint       n;
} Count;

static gboolean
has_count (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (count->model) == count->n;
}

static void
wait_for_count (GListModel *model,
                guint       n)
{
  Count count = { model, n };

  if (!vmd_test_wait_until (has_count, &count, WAIT_MS))
    g_error ("%u machines on view, not %u", g_list_model_get_n_items (model), n);
}

/* Every machine's system has its name, as people know it. */
static gboolean
all_named (gpointer data)
{
  GListModel *model = data;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (model, i);
      const char *id = vmd_machine_get_os_id (machine);

      /* Read after the listing: at first, none. */
      if (g_str_has_prefix (vmd_machine_get_name (machine), "guest-") && id == NULL)
        return FALSE;
      if (id != NULL && g_strcmp0 (vmd_machine_get_os_name (machine), id) == 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_columns (gpointer data)
{
  return gtk_grid_view_get_max_columns (data) == 1280 / VMD_MACHINE_TILE_WIDTH;
}

static gboolean
search_open (gpointer data)
{
  return gtk_search_bar_get_search_mode (data);
}

static gboolean
search_closed (gpointer data)
{
  return !gtk_search_bar_get_search_mode (data);
}

/* How many of the machines have @text in their name or system's name,
 * whatever the case. */
static guint
count_matching (GListModel *all,
                const char *text)
{
  g_autofree char *needle = g_utf8_casefold (text, -1);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (all, i);
      g_autofree char *name = g_utf8_casefold (vmd_machine_get_name (machine), -1);
      const char *os = vmd_machine_get_os_name (machine);
      g_autofree char *os_name = g_utf8_casefold (os ? os : "", -1);

      if (strstr (name, needle) != NULL || strstr (os_name, needle) != NULL)
        n++;
    }
  return n;
}

typedef struct
{
  GListModel *model;
  guint       n;
  guint       wrong;  /* times the selection was seen elsewhere */
} Watch;

static void
check_selection (Watch *watch)
{
  if (g_strcmp0 (selected_name (watch->model), "guest-0300") != 0)
    watch->wrong++;
}

static gboolean
flood_seen (gpointer data)
{
  Watch *watch = data;

  return g_list_model_get_n_items (watch->model) == watch->n;
}

static void
flood (virConnectPtr conn,
       GListModel   *model,
       guint         n)
{
  Watch watch = { model, n + 300, 0 };
  gulong changed, selected;
  guint position = G_MAXUINT;

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (name_at (model, i), "guest-0300") == 0)
      position = i;
  g_assert_cmpuint (position, !=, G_MAXUINT);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), position);
  changed = g_signal_connect_swapped (model, "items-changed", G_CALLBACK (check_selection), &watch);
  selected = g_signal_connect_swapped (model, "notify::selected", G_CALLBACK (check_selection),
                                       &watch);

  for (guint i = 0; i < 300; i++)
    {
      /* "guest-0299a" sorts before the chosen one, "guest-0300a" after. */
      g_autofree char *name = g_strdup_printf ("guest-%04ua", 150 + i);

      virDomainFree (define (conn, name, systems[i % G_N_ELEMENTS (systems)].id));
    }
  g_assert_true (vmd_test_wait_until (flood_seen, &watch, WAIT_MS));
  g_assert_cmpstr (selected_name (model), ==, "guest-0300");

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("guest-%04ua", 150 + i);
      virDomainPtr dom = virDomainLookupByName (conn, name);

      g_assert_nonnull (dom);
      g_assert_cmpint (virDomainUndefine (dom), ==, 0);
      virDomainFree (dom);
    }
  watch.n = n;
  g_assert_true (vmd_test_wait_until (flood_seen, &watch, WAIT_MS));
  g_assert_cmpstr (selected_name (model), ==, "guest-0300");
  g_signal_handler_disconnect (model, changed);
  g_signal_handler_disconnect (model, selected);
  g_assert_cmpuint (watch.wrong, ==, 0);

  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), 0);
}

static void
test_thousand (void)
{
  virConnectPtr other = virConnectOpen ("test:///default");
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(VmdConnection) connection = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  GtkWidget *window, *grid, *entry;
  GtkSearchBar *bar;
  GtkAdjustment *vadjustment;
  GListModel *model, *all;
  virDomainPtr dom;
  guint n;

  g_assert_nonnull (other);

  /* Defined in a shuffled order: the library is in name order all the
   * same. The test driver has its own "test" guest too. */
  for (guint i = 1; i <= COUNT; i++)
    g_ptr_array_add (order, g_strdup_printf ("guest-%04u", i));
  for (guint i = COUNT - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i + 1);
      gpointer swap = order->pdata[i];

      order->pdata[i] = order->pdata[j];
      order->pdata[j] = swap;
    }
  for (guint i = 0; i < order->len; i++)
    {
      const char *name = order->pdata[i];

      virDomainFree (define (other, name, systems[atoi (name + 6) % G_N_ELEMENTS (systems)].id));
    }

  window = vmd_test_open_window (app, "test:///default", &connection);
  all = vmd_connection_get_machines (connection);
  model = grid_model (window);
  wait_for_count (model, COUNT + 1);

  /* The first machines in name order, those on view first, come with
   * their systems' names: the library's first frame is its last. */
  for (guint i = 0; i < 32; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (model, i);

      g_assert_nonnull (vmd_machine_get_os_id (machine));
      g_assert_nonnull (vmd_machine_get_os_name (machine));
      g_assert_cmpstr (vmd_machine_get_os_name (machine), !=, vmd_machine_get_os_id (machine));
    }

  for (guint i = 0; i < COUNT; i++)
    {
      g_autofree char *expected = g_strdup_printf ("guest-%04u", i + 1);

      g_assert_cmpstr (name_at (model, i), ==, expected);
    }
  g_assert_cmpstr (name_at (model, COUNT), ==, "test");

  /* At its top, the first machine selected and on view. */
  vmd_test_settle ();
  grid = vmd_test_find_widget (window, GTK_TYPE_GRID_VIEW);
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model)), ==, 0);
  g_assert_true (vmd_test_wait_for_text (window, "guest-0001"));
  {
    g_autoptr(GPtrArray) tiles = vmd_test_find_widgets (window, VMD_TYPE_MACHINE_TILE);
    guint columns = gtk_grid_view_get_max_columns (GTK_GRID_VIEW (grid));

    /* A grid view makes 32 rows of its max-columns: those that fit. */
    g_test_message ("%u tiles for %u machines, %u columns at most", tiles->len, COUNT, columns);
    g_assert_cmpuint (columns, ==, gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))) / VMD_MACHINE_TILE_WIDTH);
    g_assert_cmpuint (tiles->len, <=, 33 * columns);
  }
  /* Wider (the screen is 1280 pixels wide), more columns. */
  gtk_window_maximize (GTK_WINDOW (window));
  g_assert_true (vmd_test_wait_until (has_columns, grid, WAIT_MS));
  gtk_window_unmaximize (GTK_WINDOW (window));

  /* The systems' names, without libosinfo's whole database. */
  g_assert_true (vmd_test_wait_until (all_named, all, WAIT_MS));
  g_assert_false (vmd_os_db_is_loaded (vmd_os_db_get_default ()));
  g_assert_true (vmd_test_wait_for_text (window, "Fedora Linux 37"));
  vmd_test_save_screenshot (window, "screenshot-library-1000.png");

  /* Changed behind VmDesk's back: a newcomer before the selected machine,
   * one gone, one renamed to the end. The selection stays where it was. */
  dom = define (other, "aaa newcomer", systems[0].id);
  wait_for_count (model, COUNT + 2);
  g_assert_cmpstr (name_at (model, 0), ==, "aaa newcomer");
  g_assert_cmpstr (selected_name (model), ==, "guest-0001");
  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);
  dom = virDomainLookupByName (other, "guest-0500");
  g_assert_nonnull (dom);
  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);
  wait_for_count (model, COUNT);
  dom = virDomainLookupByName (other, "guest-0002");
  g_assert_cmpint (virDomainRename (dom, "zzz renamed", 0), ==, 0);
  virDomainFree (dom);
  g_assert_nonnull (vmd_test_wait_for_machine (connection, "zzz renamed", WAIT_MS));
  g_assert_true (vmd_test_wait_until (all_named, all, WAIT_MS));
  n = g_list_model_get_n_items (model);
  g_assert_cmpstr (name_at (model, n - 1), ==, "zzz renamed");
  g_assert_cmpstr (name_at (model, 1), ==, "guest-0003");
  g_assert_cmpstr (selected_name (model), ==, "guest-0001");

  /* A flood: with a machine in the middle chosen, 300 defined at once
   * behind VmDesk's back, before it and after it, then undefined again.
   * The selection stays on its machine all along. */
  flood (other, model, n);

  /* Ctrl+F, then what is typed filters by name. */
  bar = GTK_SEARCH_BAR (vmd_test_find_widget (window, GTK_TYPE_SEARCH_BAR));
  entry = vmd_test_find_widget (window, GTK_TYPE_SEARCH_ENTRY);
  vmd_test_press (TITLE, "ctrl+f");
  g_assert_true (vmd_test_wait_until (search_open, bar, WAIT_MS));
  vmd_test_type (TITLE, "guest-07");
  wait_for_count (model, count_matching (all, "guest-07"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100);
  g_assert_cmpstr (name_at (model, 0), ==, "guest-0700");

  /* Delete, in the search entry, deletes a character: not a machine. */
  vmd_test_press (TITLE, "End BackSpace");
  wait_for_count (model, count_matching (all, "guest-0"));
  g_assert_null (vmd_test_find_dialog (GTK_WINDOW (window)));
  vmd_test_press (TITLE, "Home Delete");
  vmd_test_settle ();
  g_assert_null (vmd_test_find_dialog (GTK_WINDOW (window)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "uest-0");

  /* Escape clears it: every machine again. */
  vmd_test_press (TITLE, "Escape");
  g_assert_true (vmd_test_wait_until (search_closed, bar, WAIT_MS));
  wait_for_count (model, n);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* Typing in the library opens the search by itself; a system's name
   * finds its machines, whatever the case. */
  gtk_widget_grab_focus (grid);
  vmd_test_type (TITLE, "windows");
  g_assert_true (vmd_test_wait_until (search_open, bar, WAIT_MS));
  wait_for_count (model, count_matching (all, "windows"));
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 200);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, 300);

  /* Nothing found: said so. */
  vmd_test_type (TITLE, " nothing like it");
  wait_for_count (model, 0);
  g_assert_true (vmd_test_wait_for_text (window, "No Machine Found"));
  g_assert_true (vmd_test_wait_for_text (
    window, "No machine’s name or system contains “windows nothing like it”."));
  vmd_test_save_screenshot (window, "screenshot-library-no-match.png");
  vmd_test_press (TITLE, "Escape");
  wait_for_count (model, n);

  gtk_window_destroy (GTK_WINDOW (window));
  virConnectClose (other);
}

int
main (int   argc,
      char *argv[])
{
  app = vmd_test_app_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();
  if (g_getenv ("VMD_TEST_WM") == NULL)
    {
      g_test_skip ("Keys need a window manager: run through tests/with-wm.sh");
      return g_test_run ();
    }

  g_test_add_func ("/library/thousand", test_thousand);

  return g_test_run ();
}
