/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-computers"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "vmd-computers.h"
#include "vmd-connection.h"
#include "vmd-error.h"

/* The computers of the library: this one's connection first, always, then
 * those the person added (other computers over SSH, this computer's
 * system daemon), kept in GSettings' `computers` in the order added. A
 * GListModel of VmdConnection that follows the key: the window and the
 * command line change the key, and every library follows. Without
 * settings (`--connect`), just the one. */

struct _VmdComputers
{
  GObject    parent_instance;

  /* owned */
  GSettings *settings;   /* or NULL: the one connection only */
  GPtrArray *items;      /* VmdConnection; the first is this computer's */
  gboolean   opening;    /* connections are opened as they come */
};

static void list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VmdComputers, vmd_computers, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_init))

static GType
get_item_type (GListModel *model)
{
  return VMD_TYPE_CONNECTION;
}

static guint
get_n_items (GListModel *model)
{
  return VMD_COMPUTERS (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  VmdComputers *self = VMD_COMPUTERS (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
on_opened (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Each connection says its state; it retries by itself. */
  if (!vmd_connection_open_finish (VMD_CONNECTION (object), result, &error))
    g_message ("%s: %s", vmd_connection_get_uri (VMD_CONNECTION (object)), error->message);
}

static VmdConnection *
find_in (GPtrArray  *items,
         const char *uri,
         guint       from)
{
  for (guint i = from; i < items->len; i++)
    {
      VmdConnection *connection = g_ptr_array_index (items, i);

      if (g_strcmp0 (vmd_connection_get_uri (connection), uri) == 0)
        return connection;
    }
  return NULL;
}

/* The key's URIs, each once, none of them the primary's: what a person or
 * a script wrote there by hand is taken as it can be. */
static GStrv
saved_uris (VmdComputers *self)
{
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "computers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_add (seen, g_strdup (vmd_connection_get_uri (vmd_computers_get_primary (self))));
  for (guint i = 0; saved[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = vmd_computer_uri_for_address (saved[i], &error);

      if (uri == NULL)
        g_message ("Ignoring the computer “%s”: %s", saved[i], error->message);
      else if (!g_hash_table_contains (seen, uri))
        {
          g_strv_builder_add (builder, uri);
          g_hash_table_add (seen, g_steal_pointer (&uri));
        }
    }
  return g_strv_builder_end (builder);
}

/* The list again after the key changed: the connections still named
 * there are kept (with their machines and state), in the key's order. */
static void
sync_items (VmdComputers *self)
{
  g_auto(GStrv) uris = NULL;
  g_autoptr(GPtrArray) old = NULL;
  guint removed;

  if (self->settings == NULL)
    return;
  uris = saved_uris (self);
  old = g_steal_pointer (&self->items);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (old, 0)));
  for (guint i = 0; uris[i] != NULL; i++)
    {
      VmdConnection *connection = find_in (old, uris[i], 1);

      if (connection != NULL)
        g_ptr_array_add (self->items, g_object_ref (connection));
      else
        {
          connection = vmd_connection_new (uris[i]);
          g_ptr_array_add (self->items, connection);
          if (self->opening)
            vmd_connection_open_async (connection, NULL, on_opened, NULL);
        }
    }

  removed = old->len - 1;
  if (old->len == self->items->len &&
      memcmp (old->pdata, self->items->pdata, old->len * sizeof (gpointer)) == 0)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), 1, removed, self->items->len - 1);
}

static void
vmd_computers_dispose (GObject *object)
{
  VmdComputers *self = (VmdComputers *) object;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vmd_computers_parent_class)->dispose (object);
}

static void
vmd_computers_finalize (GObject *object)
{
  VmdComputers *self = (VmdComputers *) object;

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (vmd_computers_parent_class)->finalize (object);
}

static void
vmd_computers_class_init (VmdComputersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_computers_dispose;
  object_class->finalize = vmd_computers_finalize;
}

static void
vmd_computers_init (VmdComputers *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * vmd_computers_new:
 * @settings: (nullable): VmDesk's settings, whose `computers` key lists the
 *   computers added; %NULL for @uri's connection alone
 * @uri: (nullable): this computer's connection; %NULL or "" for
 *   qemu:///session
 *
 * The connections are made, not opened: see vmd_computers_open().
 */
VmdComputers *
vmd_computers_new (GSettings  *settings,
                   const char *uri)
{
  VmdComputers *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (VMD_TYPE_COMPUTERS, NULL);
  g_ptr_array_add (self->items, vmd_connection_new (uri));
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_swapped (settings, "changed::computers", G_CALLBACK (sync_items), self);
      sync_items (self);
    }
  return self;
}

/* Opens every connection, and those added later as they come. */
void
vmd_computers_open (VmdComputers *self)
{
  g_return_if_fail (VMD_IS_COMPUTERS (self));

  if (self->opening)
    return;
  self->opening = TRUE;
  for (guint i = 0; i < self->items->len; i++)
    vmd_connection_open_async (g_ptr_array_index (self->items, i), NULL, on_opened, NULL);
}

/* Whether computers can be added: not when started on one (--connect). */
gboolean
vmd_computers_can_add (VmdComputers *self)
{
  g_return_val_if_fail (VMD_IS_COMPUTERS (self), FALSE);
  return self->settings != NULL;
}

/**
 * vmd_computers_get_primary:
 *
 * Returns: (transfer none): this computer's connection (or --connect's)
 */
VmdConnection *
vmd_computers_get_primary (VmdComputers *self)
{
  g_return_val_if_fail (VMD_IS_COMPUTERS (self), NULL);
  return g_ptr_array_index (self->items, 0);
}

/**
 * vmd_computers_find:
 *
 * Returns: (transfer none) (nullable): the connection to @uri
 */
VmdConnection *
vmd_computers_find (VmdComputers *self,
                    const char   *uri)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (VMD_IS_COMPUTERS (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  normal = vmd_computer_uri_for_address (uri, NULL);
  return find_in (self->items, normal ? normal : uri, 0);
}

/**
 * vmd_computers_add:
 * @address: a libvirt URI (qemu+ssh://user@host/session, qemu:///system),
 *   or another computer's SSH address (user@host, host:port), whose
 *   session daemon is then reached over SSH
 *
 * Adds the computer to the library (and to the settings).
 *
 * Returns: (transfer full): its connection's URI, or %NULL with @error
 */
char *
vmd_computers_add (VmdComputers  *self,
                   const char    *address,
                   GError       **error)
{
  g_autofree char *uri = NULL;
  g_auto(GStrv) saved = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  g_return_val_if_fail (VMD_IS_COMPUTERS (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (self->settings == NULL)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                           _("VmDesk was started on one connection (--connect): it keeps no other "
                             "computers"));
      return NULL;
    }
  uri = vmd_computer_uri_for_address (address, error);
  if (uri == NULL)
    return NULL;
  if (find_in (self->items, uri, 0) != NULL)
    {
      g_autofree char *title = vmd_computer_dup_title (uri);

      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                   _("“%s” is in the library already"), title);
      return NULL;
    }

  saved = g_settings_get_strv (self->settings, "computers");
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) saved);
  g_strv_builder_add (builder, uri);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "computers", (const char *const *) updated);
  sync_items (self);
  return g_steal_pointer (&uri);
}

/* Takes the computer @uri out of the library: its machines stay on it. */
gboolean
vmd_computers_remove (VmdComputers  *self,
                      const char    *uri,
                      GError       **error)
{
  VmdConnection *connection;
  g_auto(GStrv) saved = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  g_return_val_if_fail (VMD_IS_COMPUTERS (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  connection = vmd_computers_find (self, uri);
  if (connection == vmd_computers_get_primary (self))
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                           _("This computer’s machines are always in the library"));
      return FALSE;
    }
  if (connection == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                   _("No computer “%s” in the library"), uri);
      return FALSE;
    }

  saved = g_settings_get_strv (self->settings, "computers");
  builder = g_strv_builder_new ();
  for (guint i = 0; saved[i] != NULL; i++)
    {
      g_autofree char *normal = vmd_computer_uri_for_address (saved[i], NULL);

      if (g_strcmp0 (normal, vmd_connection_get_uri (connection)) != 0)
        g_strv_builder_add (builder, saved[i]);
    }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "computers", (const char *const *) updated);
  sync_items (self);
  return TRUE;
}

/* A user or host name as ssh takes it: no spaces, quotes, shell's
 * characters or leading dash to get wrong on the way. */
static gboolean
plain_name (const char *name)
{
  if (*name == '\0' || *name == '-' || *name == '.')
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    {
      if (!g_ascii_isalnum (*c) && strchr ("._-", *c) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The URI's user and host, each a plain name (a host's international name
 * as its ASCII form) or an address. */
static gboolean
check_user_host (GUri    *parsed,
                 GError **error)
{
  const char *user = g_uri_get_user (parsed);
  const char *host = g_uri_get_host (parsed);
  g_autofree char *ascii = host && *host ? g_hostname_to_ascii (host) : NULL;

  if (host != NULL && *host != '\0' && !g_hostname_is_ip_address (host) &&
      (ascii == NULL || !plain_name (ascii)))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                   _("“%s” is not a computer’s name or address"), host);
      return FALSE;
    }
  if (user != NULL && !plain_name (user))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                   _("“%s” is not a user name VmDesk can give ssh"), user);
      return FALSE;
    }
  return TRUE;
}

static gboolean
daemon_path (const char *path)
{
  return g_str_equal (path, "/session") || g_str_equal (path, "/system");
}

/**
 * vmd_computer_uri_for_address:
 * @address: a libvirt URI of QEMU's driver, or an SSH address
 *   ([user@]host[:port], and /system for that computer's system daemon)
 *
 * Returns: (transfer full): the connection's URI as VmDesk writes it, or
 *   %NULL with @error saying what is wrong with @address
 */
char *
vmd_computer_uri_for_address (const char  *address,
                              GError     **error)
{
  g_autofree char *typed = g_strstrip (g_strdup (address));
  g_autofree char *ssh = NULL;
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *path;

  if (*typed == '\0')
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                           _("Type the other computer’s address, such as user@server.local"));
      return NULL;
    }

  if (strstr (typed, "://") != NULL)
    {
      parsed = g_uri_parse (typed, G_URI_FLAGS_NONE, NULL);
      if (parsed == NULL)
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                       _("“%s” is not an address VmDesk understands"), typed);
          return NULL;
        }
      scheme = g_uri_get_scheme (parsed);
      path = g_uri_get_path (parsed);
      if (!(g_str_equal (scheme, "qemu") || g_str_has_prefix (scheme, "qemu+") ||
            g_str_equal (scheme, "test")))
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                       _("“%s” is not the address of QEMU machines (qemu:// or qemu+ssh://)"), typed);
          return NULL;
        }
      if (g_str_equal (scheme, "test"))
        return g_uri_to_string (parsed);
      if (!check_user_host (parsed, error))
        return NULL;
      if (!daemon_path (path))
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                       _("“%s” names no daemon: it ends in /session or /system"), typed);
          return NULL;
        }
      return g_uri_to_string (parsed);
    }

  /* [user@]host[:port][/system], as ssh takes it. */
  ssh = g_strconcat ("ssh://", typed, NULL);
  parsed = g_uri_parse (ssh, G_URI_FLAGS_NONE, NULL);
  path = parsed ? g_uri_get_path (parsed) : "";
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0' ||
      g_uri_get_query (parsed) != NULL || g_uri_get_fragment (parsed) != NULL ||
      (*path != '\0' && !daemon_path (path)))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_NAME,
                   _("“%s” is not a computer’s address: type user@host, or host:port"), typed);
      return NULL;
    }
  if (!check_user_host (parsed, error))
    return NULL;
  return g_uri_join (G_URI_FLAGS_NONE, "qemu+ssh", g_uri_get_user (parsed), g_uri_get_host (parsed),
                     g_uri_get_port (parsed), *path != '\0' ? path : "/session", NULL, NULL);
}

/* Whether @uri's machines run on this computer (its session's, its
 * system's): their memory is this computer's. */
gboolean
vmd_computer_is_this_one (const char *uri)
{
  g_autoptr(GUri) parsed = uri && *uri ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  return host == NULL || *host == '\0' || g_str_equal (host, "localhost");
}

/**
 * vmd_computer_dup_title:
 *
 * Returns: (transfer full): what the library calls the computer of @uri:
 *   "This Computer", or the other's user@host
 */
char *
vmd_computer_dup_title (const char *uri)
{
  g_autoptr(GUri) parsed = uri && *uri ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;
  const char *user;

  if (uri == NULL || *uri == '\0')
    return g_strdup (_("This Computer"));
  if (parsed == NULL)
    return g_strdup (uri);
  host = g_uri_get_host (parsed);
  if (host == NULL || *host == '\0')
    {
      if (!g_str_equal (g_uri_get_scheme (parsed), "qemu"))
        return g_strdup (uri);
      return g_strdup (g_str_equal (g_uri_get_path (parsed), "/system")
                         ? _("This Computer, All Users")
                         : _("This Computer"));
    }
  user = g_uri_get_user (parsed);
  if (g_uri_get_port (parsed) > 0)
    return g_strdup_printf ("%s%s%s:%d", user ? user : "", user ? "@" : "", host,
                            g_uri_get_port (parsed));
  return g_strdup_printf ("%s%s%s", user ? user : "", user ? "@" : "", host);
}
