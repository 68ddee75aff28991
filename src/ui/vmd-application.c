/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-application"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-application.h"
#include "vmd-cli.h"
#include "vmd-connection.h"
#include "vmd-quit.h"
#include "vmd-resources.h"
#include "vmd-window.h"

struct _VmdApplication
{
  AdwApplication  parent_instance;

  /* owned */
  char           *uri;
  char           *show;
  GPtrArray      *files;   /* GFile: the images given on the command line */
  VmdComputers   *computers;
};

G_DEFINE_FINAL_TYPE (VmdApplication, vmd_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "connect", 'c', 0, G_OPTION_ARG_STRING, NULL,
    N_("Connect to URI instead of qemu:///session"), N_("URI") },
  { "show", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Open straight onto the screen of the machine NAME, starting it if it is off"), N_("NAME") },
  /* Flags, with the image among the other arguments: options then come
   * in any order (--plan --json x.iso). */
  { "identify", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Say which operating system the installer image ISO holds, and exit"), NULL },
  { "plan", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Say what machine VmDesk would create for the installer image ISO, and exit"), NULL },
  { "list", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("List the machines of the connection, and exit"), NULL },
  { "save", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Save the running machine NAME (its memory to disk; starting it resumes it), and exit"),
    N_("NAME") },
  { "snapshot", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Take a snapshot, named with --label, of the machine NAME (running: with its memory), "
       "and exit"), N_("NAME") },
  { "snapshots", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("List the snapshots of the machine NAME, and exit"), N_("NAME") },
  { "revert", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Bring the machine NAME back to its snapshot named with --label, and exit"), N_("NAME") },
  { "delete-snapshot", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Delete the snapshot named with --label of the machine NAME, and exit"), N_("NAME") },
  { "create", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Create and start a machine for the installer image ISO, as VmDesk plans it (see --plan), "
       "and exit; refused over the memory budget unless --force"), N_("ISO") },
  { "memory", 0, 0, G_OPTION_ARG_INT64, NULL,
    N_("With --create: the machine’s memory, in MiB"), N_("MIB") },
  { "cpus", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("With --create: the machine’s processors"), N_("N") },
  { "disk", 0, 0, G_OPTION_ARG_INT64, NULL,
    N_("With --create: the machine’s disk, in GB"), N_("GB") },
  { "force", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --create: create it even over the memory budget or the free disk space"), NULL },
  { "express", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --plan: say whether the installer can be answered in advance (express install)"),
    NULL },
  { "user", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --create --express: the user to make (default: yours)"), N_("NAME") },
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --create --express: the user’s password is the first line of FILE (- reads it "
       "from the standard input)"), N_("FILE") },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Make a machine of the disk image FILE (qcow2, VMDK, VDI, raw), copied into VmDesk’s "
       "storage, named with --name or after the file, and exit"), N_("FILE") },
  { "clone", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Copy the machine NAME, which is off, into a new machine named with --name, and exit"),
    N_("NAME") },
  { "rename", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Give the machine NAME, which is off, the name given with --name, and exit"),
    N_("NAME") },
  { "name", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The new name, for --clone and --rename; the machine’s, for --create and --import"),
    N_("NEW") },
  { "label", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The snapshot’s name, for --snapshot, --revert and --delete-snapshot"), N_("LABEL") },
  { "images", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("List the installer images (.iso volumes) in the storage of the connection’s computer, "
       "and exit"), NULL },
  { "there", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --identify, --plan or --create: ISO is an image of the connection’s computer, "
       "used where it is (see --images)"), NULL },
  { "computers", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("List the computers of the library (this one first), and exit"), NULL },
  { "add-computer", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Add the computer ADDRESS to the library (user@host[:port] for its session over SSH, "
       "or a libvirt URI such as qemu:///system), and exit"), N_("ADDRESS") },
  { "remove-computer", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Take the computer ADDRESS out of the library (its machines stay on it), and exit"),
    N_("ADDRESS") },
  { "download", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Download the installer of the system OS-ID (a libosinfo id such as debian11) into the "
       "download folder, and exit"), N_("OS-ID") },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --identify, --plan, --list, --snapshots, --download, --computers or --images: "
       "print JSON"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[ISO…]") },
  { NULL }
};

/* The scripting commands on one machine: --OPTION NAME. */
static const struct
{
  const char    *option;
  VmdCliCommand  command;
  gboolean       needs_label;
  gboolean       needs_name;
} machine_commands[] = {
  { "save", VMD_CLI_SAVE, FALSE, FALSE },
  { "snapshot", VMD_CLI_SNAPSHOT, TRUE, FALSE },
  { "snapshots", VMD_CLI_SNAPSHOTS, FALSE, FALSE },
  { "revert", VMD_CLI_REVERT, TRUE, FALSE },
  { "delete-snapshot", VMD_CLI_DELETE_SNAPSHOT, TRUE, FALSE },
  { "clone", VMD_CLI_CLONE, FALSE, TRUE },
  { "rename", VMD_CLI_RENAME, FALSE, TRUE },
};

/**
 * vmd_ui_init:
 *
 * Registers the UI's resources and types; what tests call instead of
 * running the application.
 */
void
vmd_ui_init (void)
{
  g_resources_register (vmd_get_resource ());
  g_type_ensure (VMD_TYPE_WINDOW);
}

/* Without a GPU render node, GTK's GL renderer runs on Mesa's llvmpipe,
 * where a guest's 1080p screen draws at 6 frames/s against 58 with cairo
 * (bench/display). A machine may have DRM without a render node: the
 * display-only drivers of virtual machines (bochs, QXL, cirrus) and
 * simpledrm. Returns "cairo" then, NULL (GTK's choice) when a render node is
 * in dri_dir. */
const char *
vmd_ui_renderer_for_dri (const char *dri_dir)
{
  g_autoptr(GDir) dir = g_dir_open (dri_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return NULL;
  return "cairo";
}

/* GSK_RENDERER still decides when set. Call before GTK starts a thread or
 * makes its first window. With cairo chosen here, GL is not used at all:
 * GDK is told so (GDK_DEBUG=gl-disable, unless GDK_DEBUG is set), which
 * spares loading Mesa and LLVM at start (~80 ms before the window maps,
 * bench/library). */
void
vmd_ui_choose_renderer (void)
{
  const char *renderer = vmd_ui_renderer_for_dri ("/dev/dri");

  if (g_getenv ("GSK_RENDERER") == NULL && renderer != NULL)
    {
      g_setenv ("GSK_RENDERER", renderer, FALSE);
      if (g_str_equal (renderer, "cairo"))
        g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
    }
}

static void
vmd_application_finalize (GObject *object)
{
  VmdApplication *self = (VmdApplication *) object;

  g_clear_object (&self->computers);
  g_free (self->uri);
  g_free (self->show);
  g_clear_pointer (&self->files, g_ptr_array_unref);

  G_OBJECT_CLASS (vmd_application_parent_class)->finalize (object);
}

static int
vmd_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  VmdApplication *self = VMD_APPLICATION (app);
  g_auto(GStrv) files = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("vmdesk %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "connect", "s", &self->uri);
  g_variant_dict_lookup (options, "show", "s", &self->show);

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &files);

  /* Scripting: answer on stdout, open no window. */
  if (g_variant_dict_contains (options, "download"))
    {
      g_autofree char *id = NULL;

      g_variant_dict_lookup (options, "download", "s", &id);
      return vmd_cli_download (id, g_variant_dict_contains (options, "json"));
    }
  if (g_variant_dict_contains (options, "computers") ||
      g_variant_dict_contains (options, "add-computer") ||
      g_variant_dict_contains (options, "remove-computer"))
    {
      g_autofree char *address = NULL;
      VmdCliComputers command = VMD_CLI_COMPUTERS;

      if (g_variant_dict_lookup (options, "add-computer", "s", &address))
        command = VMD_CLI_ADD_COMPUTER;
      else if (g_variant_dict_lookup (options, "remove-computer", "s", &address))
        command = VMD_CLI_REMOVE_COMPUTER;
      return vmd_cli_computers (command, address, self->uri,
                                g_variant_dict_contains (options, "json"));
    }
  if (g_variant_dict_contains (options, "images"))
    return vmd_cli_images (self->uri, g_variant_dict_contains (options, "json"));
  if (g_variant_dict_contains (options, "list"))
    return vmd_cli_run_machines (VMD_CLI_LIST, NULL, NULL, NULL, self->uri,
                                 g_variant_dict_contains (options, "json"));
  for (guint i = 0; i < G_N_ELEMENTS (machine_commands); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;
      g_autofree char *new_name = NULL;

      if (!g_variant_dict_lookup (options, machine_commands[i].option, "s", &name))
        continue;
      g_variant_dict_lookup (options, "label", "s", &label);
      g_variant_dict_lookup (options, "name", "s", &new_name);
      if (machine_commands[i].needs_label && label == NULL)
        {
          g_printerr ("vmdesk: %s\n", _("Name the snapshot with --label LABEL."));
          return 2;
        }
      if (machine_commands[i].needs_name && new_name == NULL)
        {
          g_printerr ("vmdesk: %s\n", _("Name the new machine with --name NEW."));
          return 2;
        }
      return vmd_cli_run_machines (machine_commands[i].command, name, label, new_name, self->uri,
                                   g_variant_dict_contains (options, "json"));
    }
  if (g_variant_dict_contains (options, "identify") || g_variant_dict_contains (options, "plan"))
    {
      VmdCliCommand command = g_variant_dict_contains (options, "plan") ? VMD_CLI_PLAN
                                                                       : VMD_CLI_IDENTIFY;
      VmdCliCreate plan = { .express = g_variant_dict_contains (options, "express"),
                            .there = g_variant_dict_contains (options, "there") };

      if (files == NULL || g_strv_length (files) != 1)
        {
          g_printerr ("vmdesk: %s\n", _("--identify and --plan take one installer image."));
          return 2;
        }
      return vmd_cli_run (command, files[0], self->uri, &plan,
                          g_variant_dict_contains (options, "json"));
    }
  if (g_variant_dict_contains (options, "import"))
    {
      g_autofree char *file = NULL;
      g_autofree char *name = NULL;

      g_variant_dict_lookup (options, "import", "^ay", &file);
      g_variant_dict_lookup (options, "name", "s", &name);
      return vmd_cli_run_machines (VMD_CLI_IMPORT, file, NULL, name, self->uri, FALSE);
    }
  if (g_variant_dict_contains (options, "create"))
    {
      g_autofree char *iso = NULL;
      g_autofree char *name = NULL;
      g_autofree char *user = NULL;
      g_autofree char *password_file = NULL;
      gint64 memory = 0, disk = 0;
      int cpus = 0;
      VmdCliCreate create = { 0 };

      g_variant_dict_lookup (options, "create", "^ay", &iso);
      g_variant_dict_lookup (options, "name", "s", &name);
      g_variant_dict_lookup (options, "memory", "x", &memory);
      g_variant_dict_lookup (options, "cpus", "i", &cpus);
      g_variant_dict_lookup (options, "disk", "x", &disk);
      if (memory < 0 || cpus < 0 || disk < 0)
        {
          g_printerr ("vmdesk: %s\n", _("--memory, --cpus and --disk take positive numbers."));
          return 2;
        }
      create.name = name;
      create.memory_mib = memory;
      create.cpus = cpus;
      create.disk_gb = disk;
      create.force = g_variant_dict_contains (options, "force");
      create.express = g_variant_dict_contains (options, "express");
      g_variant_dict_lookup (options, "user", "s", &user);
      g_variant_dict_lookup (options, "password-file", "^ay", &password_file);
      create.user = user;
      create.password_file = password_file;
      create.there = g_variant_dict_contains (options, "there");
      return vmd_cli_run (VMD_CLI_CREATE, iso, self->uri, &create, FALSE);
    }

  /* The images to open: the running instance opens them when there is
   * one; this one opens them once it is up (activate), so that its window
   * does not come over their dialogs. */
  if (files != NULL && files[0] != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("vmdesk: %s\n", error->message);
          return 1;
        }
      self->files = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; files[i] != NULL; i++)
        g_ptr_array_add (self->files, g_file_new_for_commandline_arg (files[i]));
      if (g_application_get_is_remote (app))
        {
          g_application_open (app, (GFile **) self->files->pdata, self->files->len, "");
          return 0;
        }
    }

  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "The VmDesk developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("VmDesk"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Try other operating systems in a window"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  VmdApplication *self = VMD_APPLICATION (user_data);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The machines of this computer, as the window the person is in has it. */
  if (!vmd_quit_ask (G_APPLICATION (self), active,
                     VMD_IS_WINDOW (active) ? vmd_window_get_home_connection (VMD_WINDOW (active))
                                            : vmd_computers_get_primary (self->computers)))
    g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_entries[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
vmd_application_startup (GApplication *app)
{
  VmdApplication *self = VMD_APPLICATION (app);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.new", { "<Control>n", NULL } },
    { "win.fullscreen", { "F11", NULL } },
    { "win.start", { "<Control>r", NULL } },
    { "win.resume", { "<Control><Shift>r", NULL } },
    { "win.pause", { "<Control>p", NULL } },
    { "win.shutdown", { "<Control>e", NULL } },
    { "win.force-off", { "<Control><Shift>e", NULL } },
    { "win.find", { "<Control>f", NULL } },
    { "win.properties", { "<Alt>Return", NULL } },
  };
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *uri = NULL;

  G_APPLICATION_CLASS (vmd_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries,
                                   G_N_ELEMENTS (app_entries), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);

  /* This computer's connection and the others added, or --connect's
   * alone. */
  settings = g_settings_new (APPLICATION_ID);
  uri = g_settings_get_string (settings, "uri");
  self->computers = self->uri != NULL ? vmd_computers_new (NULL, self->uri)
                                      : vmd_computers_new (settings, uri);
  vmd_computers_open (self->computers);
}

/* The main window, the one most recently used: a guest's own windows
 * (VmdDisplayWindow) are windows of the application too. */
static VmdWindow *
ensure_window (VmdApplication *self)
{
  GtkWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (VMD_IS_WINDOW (l->data))
        {
          window = l->data;
          break;
        }
    }
  if (window == NULL)
    {
      window = GTK_WINDOW (vmd_window_new (self, vmd_computers_get_primary (self->computers)));
      vmd_window_set_computers (VMD_WINDOW (window), self->computers);
    }
  gtk_window_present (window);

  return VMD_WINDOW (window);
}

static void
vmd_application_activate (GApplication *app)
{
  VmdApplication *self = VMD_APPLICATION (app);
  VmdWindow *window = ensure_window (self);

  if (self->show != NULL)
    {
      vmd_window_show_machine_by_name (window, self->show);
      g_clear_pointer (&self->show, g_free);
    }
  if (self->files != NULL)
    {
      g_autoptr(GPtrArray) files = g_steal_pointer (&self->files);

      for (guint i = 0; i < files->len; i++)
        vmd_window_open_file (window, g_ptr_array_index (files, i));
    }
}

static void
vmd_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  VmdWindow *window = ensure_window (VMD_APPLICATION (app));

  for (int i = 0; i < n_files; i++)
    vmd_window_open_file (window, files[i]);
}

static void
vmd_application_class_init (VmdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = vmd_application_finalize;

  app_class->handle_local_options = vmd_application_handle_local_options;
  app_class->startup = vmd_application_startup;
  app_class->activate = vmd_application_activate;
  app_class->open = vmd_application_open;
}

static void
vmd_application_init (VmdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

VmdApplication *
vmd_application_new (void)
{
  vmd_ui_init ();

  return g_object_new (VMD_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/com/example/VmDesk",
                       NULL);
}

VmdConnection *
vmd_application_get_connection (VmdApplication *self)
{
  g_return_val_if_fail (VMD_IS_APPLICATION (self), NULL);
  return self->computers ? vmd_computers_get_primary (self->computers) : NULL;
}

/**
 * vmd_application_get_computers:
 *
 * Returns: (transfer none) (nullable): the library's computers, once started
 */
VmdComputers *
vmd_application_get_computers (VmdApplication *self)
{
  g_return_val_if_fail (VMD_IS_APPLICATION (self), NULL);
  return self->computers;
}

/* An error that stays until dismissed. A toast's title is markup: what a
 * message quotes (a machine's name, a file's) is escaped, shown as typed. */
void
vmd_ui_show_error_toast (AdwToastOverlay *overlay,
                         const char      *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (overlay, toast);
}

/* News that goes by itself: escaped as an error's is. */
void
vmd_ui_show_toast (AdwToastOverlay *overlay,
                   const char      *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (overlay, adw_toast_new (escaped));
}

/* A status page's description is markup too. */
void
vmd_ui_set_status_description (AdwStatusPage *page,
                               const char    *text)
{
  g_autofree char *escaped = text ? g_markup_escape_text (text, -1) : NULL;

  adw_status_page_set_description (page, escaped);
}
