/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-secrets"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "vmd-error.h"
#include "vmd-secrets.h"

/* A guest user's password lives in the desktop's keyring, never in a file
 * or a domain's XML: the installer's answers hold it for the installer's
 * run only. The default collection (the login keyring) holds it; lookups
 * and removals are libsecret's simple password calls. */

static const SecretSchema schema = {
  .name = "com.example.VmDesk.Password",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* What the person reads, from what libsecret said (taken). No session bus
 * (a G_IO_ERROR from GDBus) and no Secret Service on it (libsecret learns
 * that at once: the name "was not provided by any .service files") mean
 * this desktop has no keyring; anything else is the keyring's own word. */
static GError *
to_error (GError *cause)
{
  g_autoptr(GError) owned = cause;

  if (owned == NULL)
    return g_error_new_literal (VMD_ERROR, VMD_ERROR_FAILED, _("The keyring did not answer."));
  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  g_debug ("Keyring: %s", owned->message);
  if (g_error_matches (owned, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (owned, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      owned->domain == G_IO_ERROR)
    return g_error_new_literal (VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                                _("This desktop has no keyring service."));
  return g_error_new_literal (VMD_ERROR, VMD_ERROR_FAILED, owned->message);
}

/* The default collection, where it is there and unlocked: never a prompt
 * (to make the collection, or to unlock it), which would hold a creation
 * for as long as nobody answers it, as on a display nobody watches. A
 * desktop session unlocks the login keyring as the person logs in. */
static SecretCollection *
open_default_collection (GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  GError *cause = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, cancellable, &cause);
  if (service != NULL)
    collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                   SECRET_COLLECTION_NONE, cancellable, &cause);
  if (cause != NULL)
    g_propagate_error (error, to_error (cause));
  else if (collection == NULL)
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_FAILED,
                         _("This desktop has no default keyring."));
  else if (secret_collection_get_locked (collection))
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_FAILED, _("The keyring is locked."));
  else
    return g_steal_pointer (&collection);
  return NULL;
}

/**
 * vmd_secrets_store_sync:
 * @uuid: the machine's libvirt UUID
 * @user: the guest user's login
 * @machine_name: the machine's name, for the item's label
 *
 * Keeps @user's password on machine @uuid in the default keyring,
 * replacing the one it held; fails rather than prompt. Blocks: for a
 * worker thread.
 */
gboolean
vmd_secrets_store_sync (const char    *uuid,
                        const char    *user,
                        const char    *machine_name,
                        const char    *password,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(SecretItem) item = NULL;
  g_autofree char *label = NULL;
  GError *cause = NULL;

  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (machine_name != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  collection = open_default_collection (cancellable, error);
  if (collection == NULL)
    return FALSE;

  /* TRANSLATORS: the keyring item's label: a guest user, then a machine. */
  label = g_strdup_printf (_("Password of “%s” on “%s”"), user, machine_name);
  attributes = secret_attributes_build (&schema, "uuid", uuid, "user", user, NULL);
  value = secret_value_new (password, -1, "text/plain");
  item = secret_item_create_sync (collection, &schema, attributes, label, value,
                                  SECRET_ITEM_CREATE_REPLACE, cancellable, &cause);
  if (item != NULL)
    return TRUE;
  g_propagate_error (error, to_error (cause));
  return FALSE;
}

/**
 * vmd_secrets_lookup_async:
 *
 * Looks up @user's password on machine @uuid; finish with
 * vmd_secrets_lookup_finish(). For the window, when the person asks for
 * it: a locked keyring asks to be unlocked.
 */
void
vmd_secrets_lookup_async (const char          *uuid,
                          const char          *user,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (user != NULL);

  secret_password_lookup (&schema, cancellable, callback, user_data,
                          "uuid", uuid, "user", user, NULL);
}

/**
 * vmd_secrets_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the password, to free with
 *   vmd_secrets_forget(), or %NULL without @error set where the keyring
 *   holds none.
 */
char *
vmd_secrets_lookup_finish (GAsyncResult  *result,
                           GError       **error)
{
  GError *cause = NULL;
  char *password = secret_password_lookup_finish (result, &cause);

  if (cause != NULL)
    g_propagate_error (error, to_error (cause));
  return password;
}

/**
 * vmd_secrets_clear_sync:
 *
 * Removes the passwords of every user of machine @uuid. None is no
 * failure; a locked keyring keeps its own (and asks nothing). Blocks: for
 * a worker thread.
 */
gboolean
vmd_secrets_clear_sync (const char    *uuid,
                        GCancellable  *cancellable,
                        GError       **error)
{
  GError *cause = NULL;

  g_return_val_if_fail (uuid != NULL, FALSE);

  /* FALSE without an error: there was nothing to remove. */
  if (secret_password_clear_sync (&schema, cancellable, &cause, "uuid", uuid, NULL) ||
      cause == NULL)
    return TRUE;
  g_propagate_error (error, to_error (cause));
  return FALSE;
}

/* A password leaves memory as soon as it is not needed. */
void
vmd_secrets_forget (char **password)
{
  if (*password != NULL)
    memset (*password, 0, strlen (*password));
  g_clear_pointer (password, g_free);
}
