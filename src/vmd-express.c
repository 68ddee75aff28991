/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-express"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "vmd-error.h"
#include "vmd-express.h"

#define CONFIG_ID "http://vmdesk.example.com/express-install"

/* An express install: the answers an installer would ask for (user,
 * password, language, keyboard, time zone, host name, product key), written
 * by libosinfo's install script for the system and its image, and how they
 * reach the installer. VmDesk writes no script of its own. */
struct _VmdExpress
{
  GObject              parent_instance;

  OsinfoMedia         *media;
  OsinfoInstallScript *script;
  VmdExpressInjection  injection;
  char                *arch;

  char                *login;
  char                *full_name;
  gboolean             administrator;
  char                *language;
  char                *keyboard;
  char                *timezone;
  char                *product_key;
  char                *hostname;
  char                *disk_bus;
};

G_DEFINE_FINAL_TYPE (VmdExpress, vmd_express, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VmdExpressInjection, vmd_express_injection,
  G_DEFINE_ENUM_VALUE (VMD_EXPRESS_INITRD, "initrd"),
  G_DEFINE_ENUM_VALUE (VMD_EXPRESS_CDROM, "cdrom"))

static void
replace_str (char       **field,
             const char  *value)
{
  char *old = *field;

  *field = g_strdup (value);
  g_free (old);
}

static void
vmd_express_finalize (GObject *object)
{
  VmdExpress *self = (VmdExpress *) object;

  g_clear_object (&self->media);
  g_clear_object (&self->script);
  g_free (self->arch);
  g_free (self->login);
  g_free (self->full_name);
  g_free (self->language);
  g_free (self->keyboard);
  g_free (self->timezone);
  g_free (self->product_key);
  g_free (self->hostname);
  g_free (self->disk_bus);

  G_OBJECT_CLASS (vmd_express_parent_class)->finalize (object);
}

static void
vmd_express_class_init (VmdExpressClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_express_finalize;
}

static void
vmd_express_init (VmdExpress *self)
{
}

/* -- which script ------------------------------------------------------- */

/* The image's own scripts first (Ubuntu's differ by image), then the
 * system's, then those of the system it derives from (Windows 11 uses
 * Windows 10's). Desktop before the minimal profile: a person trying a
 * system wants its desktop. */
static OsinfoInstallScript *
find_script (OsinfoMedia *media,
             OsinfoOs    *os)
{
  static const char * const profiles[] = { OSINFO_INSTALL_SCRIPT_PROFILE_DESKTOP,
                                            OSINFO_INSTALL_SCRIPT_PROFILE_JEOS };
  g_autoptr(OsinfoInstallScriptList) scripts = osinfo_media_get_install_script_list (media);
  g_autoptr(OsinfoOs) current = g_object_ref (os);

  for (guint depth = 0; current != NULL && depth < 8; depth++)
    {
      g_autoptr(OsinfoProductList) parents = NULL;

      if (scripts == NULL || osinfo_list_get_length (OSINFO_LIST (scripts)) == 0)
        {
          g_clear_object (&scripts);
          scripts = osinfo_os_get_install_script_list (current);
        }
      for (guint p = 0; p < G_N_ELEMENTS (profiles); p++)
        for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (scripts)); i++)
          {
            OsinfoInstallScript *script =
              OSINFO_INSTALL_SCRIPT (osinfo_list_get_nth (OSINFO_LIST (scripts), i));

            if (g_strcmp0 (osinfo_install_script_get_profile (script), profiles[p]) == 0)
              return g_object_ref (script);
          }
      parents = osinfo_product_get_related (OSINFO_PRODUCT (current),
                                            OSINFO_PRODUCT_RELATIONSHIP_DERIVES_FROM);
      g_clear_object (&current);
      if (osinfo_list_get_length (OSINFO_LIST (parents)) > 0)
        current = g_object_ref (OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (parents), 0)));
    }
  return NULL;
}

/* Into the initrd where the image has a kernel to boot directly and the
 * script takes it (Linux); else on a CD image (Windows finds its answer
 * file on any drive). */
static gboolean
choose_injection (VmdExpress *self)
{
  unsigned methods = osinfo_install_script_get_injection_methods (self->script);

  if ((methods & OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD) != 0 &&
      osinfo_media_get_kernel_path (self->media) != NULL &&
      osinfo_media_get_initrd_path (self->media) != NULL)
    {
      self->injection = VMD_EXPRESS_INITRD;
      osinfo_install_script_set_preferred_injection_method (
        self->script, OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD);
      return TRUE;
    }
  if ((methods & OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_CDROM) != 0)
    {
      self->injection = VMD_EXPRESS_CDROM;
      osinfo_install_script_set_preferred_injection_method (
        self->script, OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_CDROM);
      return TRUE;
    }
  return FALSE;
}

/* -- the desktop's settings --------------------------------------------- */

/* "fr_FR.UTF-8@euro" -> "fr_FR"; the C locale -> "en_US". */
static char *
desktop_language (void)
{
  const char *name = g_get_language_names ()[0];
  char *language = g_strndup (name, strcspn (name, ".@"));

  if (g_str_equal (language, "C") || g_str_equal (language, "POSIX") || *language == '\0')
    {
      g_free (language);
      return g_strdup ("en_US");
    }
  return language;
}

/* The first of GNOME's input sources ("fr+oss" -> "fr"), else "us". */
static char *
desktop_keyboard (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) sources = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.input-sources", TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "sources"))
    {
      settings = g_settings_new_full (schema, NULL, NULL);
      sources = g_settings_get_value (settings, "sources");
      for (gsize i = 0; i < g_variant_n_children (sources); i++)
        {
          const char *type, *id;

          g_variant_get_child (sources, i, "(&s&s)", &type, &id);
          if (g_str_equal (type, "xkb") && *id != '\0')
            return g_strndup (id, strcspn (id, "+"));
        }
    }
  return g_strdup ("us");
}

/* This computer's zone ("Europe/Paris"), else UTC. */
static char *
desktop_timezone (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  const char *id = g_time_zone_get_identifier (zone);

  if (id != NULL && strchr (id, '/') != NULL && id[0] != '/' && id[0] != ':')
    return g_strdup (id);
  return g_strdup ("UTC");
}

/* The desktop's language, keyboard and time zone: read once per process
 * (GSettings, /etc/localtime), by vmd_express_read_desktop() in a worker
 * before a plan needs them. */
typedef struct
{
  char *language;
  char *keyboard;
  char *timezone;
} Desktop;

static const Desktop *
desktop (void)
{
  static Desktop *cached;

  if (g_once_init_enter (&cached))
    {
      Desktop *read = g_new0 (Desktop, 1);

      read->language = desktop_language ();
      read->keyboard = desktop_keyboard ();
      read->timezone = desktop_timezone ();
      g_once_init_leave (&cached, read);
    }
  return cached;
}

/**
 * vmd_express_read_desktop:
 *
 * Reads what an express install takes from the desktop, once: call it in
 * a worker thread, so that the window does not wait for it.
 */
void
vmd_express_read_desktop (void)
{
  desktop ();
}

/**
 * vmd_express_new_for_media:
 *
 * Returns: (nullable): the express install libosinfo offers for the image
 * and the system chosen for it, with the desktop's user, language,
 * keyboard and time zone; %NULL and @error saying why there is none
 */
VmdExpress *
vmd_express_new_for_media (VmdMedia  *media,
                           GError   **error)
{
  g_autoptr(VmdExpress) self = NULL;
  OsinfoMedia *entry;
  OsinfoOs *os;
  const char *name;

  g_return_val_if_fail (VMD_IS_MEDIA (media), NULL);

  os = vmd_media_get_os (media);
  entry = vmd_media_get_osinfo_media (media);
  name = vmd_media_get_os_label (media);
  if (os == NULL || entry == NULL || vmd_media_get_match (media) != VMD_MEDIA_MATCH_EXACT)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("VmDesk does not know this image well enough to answer its installer."));
      return NULL;
    }
  /* Not osinfo_media_supports_installer_script(): it also says no where
   * only the system this one derives from has the scripts (Windows 11 in
   * Debian 12's osinfo-db). An image marked as taking none takes none. */
  if (!osinfo_media_get_installer (entry) ||
      !osinfo_entity_get_param_value_boolean_with_default (OSINFO_ENTITY (entry),
                                                           OSINFO_MEDIA_PROP_INSTALLER_SCRIPT,
                                                           TRUE))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("The installer on this image of %s cannot be answered in advance."), name);
      return NULL;
    }

  self = g_object_new (VMD_TYPE_EXPRESS, NULL);
  self->media = g_object_ref (entry);
  self->script = find_script (entry, os);
  if (self->script == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("libosinfo has no install script for %s."), name);
      return NULL;
    }
  if (!choose_injection (self))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                   _("The install script for %s needs a way in that VmDesk does not offer."),
                   name);
      return NULL;
    }
  self->arch = g_strdup (vmd_media_get_architecture (media));
  self->login = g_strdup (g_get_user_name ());
  self->full_name = g_strdup (g_get_real_name ());
  if (g_str_equal (self->full_name, "Unknown"))
    replace_str (&self->full_name, self->login);
  self->administrator = TRUE;
  self->language = g_strdup (desktop ()->language);
  self->keyboard = g_strdup (desktop ()->keyboard);
  self->timezone = g_strdup (desktop ()->timezone);
  self->hostname = g_strdup ("vmdesk");
  self->disk_bus = g_strdup ("virtio");
  return g_steal_pointer (&self);
}

/* -- the answers ---------------------------------------------------------- */

static OsinfoInstallConfig *
make_config (VmdExpress *self,
             const char *password)
{
  OsinfoInstallConfig *config = osinfo_install_config_new (CONFIG_ID);

  osinfo_install_config_set_hardware_arch (config, self->arch);
  osinfo_install_config_set_l10n_language (config, self->language);
  osinfo_install_config_set_l10n_keyboard (config, self->keyboard);
  osinfo_install_config_set_l10n_timezone (config, self->timezone);
  osinfo_install_config_set_hostname (config, self->hostname);
  osinfo_install_config_set_user_login (config, self->login);
  osinfo_install_config_set_user_realname (config, self->full_name);
  osinfo_install_config_set_user_administrator (config, self->administrator);
  if (password != NULL)
    {
      osinfo_install_config_set_user_password (config, password);
      /* The system's own administrator (root) has the same password. */
      osinfo_install_config_set_admin_password (config, password);
    }
  if (self->product_key != NULL)
    osinfo_install_config_set_reg_product_key (config, self->product_key);
  /* A Linux installer is told the disk by its device: the bus decides it. */
  if (self->injection == VMD_EXPRESS_INITRD)
    osinfo_install_config_set_target_disk (config, g_str_equal (self->disk_bus, "virtio")
                                                   ? "/dev/vda" : "/dev/sda");
  return config;
}

/**
 * vmd_express_generate:
 * @password: (nullable): the user's password
 *
 * Returns: (transfer full): the answer file (vmd_express_get_filename())
 */
char *
vmd_express_generate (VmdExpress  *self,
                      const char  *password,
                      GError     **error)
{
  g_autoptr(OsinfoInstallConfig) config = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  char *script;

  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);

  config = make_config (self, password);
  /* libosinfo's blocking call runs a loop of the thread's default context:
   * a context of its own, or in a worker it would wait for the main
   * thread's. */
  g_main_context_push_thread_default (context);
  script = osinfo_install_script_generate_for_media (self->script, self->media, config, NULL,
                                                     error);
  g_main_context_pop_thread_default (context);
  return script;
}

/**
 * vmd_express_dup_command_line:
 *
 * Returns: (nullable): the kernel's command line for an initrd injection
 */
char *
vmd_express_dup_command_line (VmdExpress *self,
                              const char *password)
{
  g_autoptr(OsinfoInstallConfig) config = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);

  if (self->injection != VMD_EXPRESS_INITRD)
    return NULL;
  config = make_config (self, password);
  line = osinfo_install_script_generate_command_line_for_media (self->script, self->media,
                                                                config);
  return g_strdup (line != NULL ? g_strstrip (line) : "");
}

/* A machine's name as a host name: lower-case letters, digits and hyphens,
 * 15 at most (Windows' limit), "vmdesk" when nothing is left. */
char *
vmd_express_make_hostname (const char *machine_name)
{
  GString *name = g_string_new (NULL);

  for (const char *p = machine_name; p != NULL && *p != '\0' && name->len < 15; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (name, g_ascii_tolower (*p));
      else if (name->len > 0 && name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }
  while (name->len > 0 && name->str[name->len - 1] == '-')
    g_string_truncate (name, name->len - 1);
  if (name->len == 0 || g_ascii_isdigit (name->str[0]))
    g_string_prepend (name, name->len == 0 ? "vmdesk" : "vm-");
  g_string_truncate (name, 15);
  return g_string_free (name, FALSE);
}

/* "preseed, desktop profile, into the initrd" for --plan. */
char *
vmd_express_describe (VmdExpress *self)
{
  const char *id = vmd_express_get_script_id (self);
  const char *slash = strrchr (id, '/');
  g_autofree char *kind = NULL;
  const char *how;

  /* ".../preseed/desktop": the kind of script is the part before the profile. */
  if (slash != NULL && slash != id)
    {
      const char *start = slash - 1;

      while (start > id && start[-1] != '/')
        start--;
      kind = g_strndup (start, slash - start);
    }
  how = self->injection == VMD_EXPRESS_INITRD ? _("added to the installer’s initrd")
                                              : _("on a CD image beside the installer");
  /* Translators: the install script's kind (preseed, kickstart, unattend),
   * its profile (desktop, jeos), then how it reaches the installer */
  return g_strdup_printf (_("%s, %s profile, %s"), kind ? kind : id,
                          vmd_express_get_profile (self), how);
}

/* -- properties ----------------------------------------------------------- */

void
vmd_express_set_user (VmdExpress *self,
                      const char *login,
                      const char *full_name,
                      gboolean    administrator)
{
  g_return_if_fail (VMD_IS_EXPRESS (self));
  g_return_if_fail (login != NULL && *login != '\0');

  replace_str (&self->login, login);
  replace_str (&self->full_name, full_name != NULL && *full_name != '\0' ? full_name : login);
  self->administrator = administrator;
}

void
vmd_express_set_locale (VmdExpress *self,
                        const char *language,
                        const char *keyboard,
                        const char *timezone)
{
  g_return_if_fail (VMD_IS_EXPRESS (self));

  if (language != NULL)
    replace_str (&self->language, language);
  if (keyboard != NULL)
    replace_str (&self->keyboard, keyboard);
  if (timezone != NULL)
    replace_str (&self->timezone, timezone);
}

void
vmd_express_set_product_key (VmdExpress *self,
                             const char *key)
{
  g_return_if_fail (VMD_IS_EXPRESS (self));
  replace_str (&self->product_key, key != NULL && *key != '\0' ? key : NULL);
}

void
vmd_express_set_hostname (VmdExpress *self,
                          const char *machine_name)
{
  g_return_if_fail (VMD_IS_EXPRESS (self));
  g_free (self->hostname);
  self->hostname = vmd_express_make_hostname (machine_name);
}

/* "virtio" or another bus: where a Linux installer finds the disk. */
void
vmd_express_set_disk_bus (VmdExpress *self,
                          const char *bus)
{
  g_return_if_fail (VMD_IS_EXPRESS (self));
  replace_str (&self->disk_bus, bus != NULL ? bus : "virtio");
}

const char *
vmd_express_get_script_id (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return osinfo_entity_get_id (OSINFO_ENTITY (self->script));
}

const char *
vmd_express_get_profile (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return osinfo_install_script_get_profile (self->script);
}

VmdExpressInjection
vmd_express_get_injection (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), VMD_EXPRESS_INITRD);
  return self->injection;
}

/* The answer file's name where the installer looks ("preseed.cfg",
 * "autounattend.xml", "fedora.ks"). */
const char *
vmd_express_get_filename (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return osinfo_install_script_get_expected_filename (self->script);
}

gboolean
vmd_express_get_needs_internet (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), FALSE);
  return osinfo_install_script_get_needs_internet (self->script);
}

gboolean
vmd_express_get_wants_product_key (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), FALSE);
  return osinfo_install_script_has_config_param_name (self->script,
                                                      OSINFO_INSTALL_CONFIG_PROP_REG_PRODUCTKEY);
}

/* Where the kernel and initrd are on the image, for an initrd injection. */
const char *
vmd_express_get_kernel_path (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return osinfo_media_get_kernel_path (self->media);
}

const char *
vmd_express_get_initrd_path (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return osinfo_media_get_initrd_path (self->media);
}

const char *
vmd_express_get_user_login (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return self->login;
}

const char *
vmd_express_get_user_full_name (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return self->full_name;
}

const char *
vmd_express_get_language (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return self->language;
}

const char *
vmd_express_get_keyboard (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return self->keyboard;
}

const char *
vmd_express_get_timezone (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return self->timezone;
}

const char *
vmd_express_get_hostname (VmdExpress *self)
{
  g_return_val_if_fail (VMD_IS_EXPRESS (self), NULL);
  return self->hostname;
}
