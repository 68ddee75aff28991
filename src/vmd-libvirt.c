/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-libvirt"

#include "config.h"

#include <unistd.h>

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "vmd-error.h"
#include "vmd-libvirt.h"

void
_vmd_domain_info_free (VmdDomainInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->uuid);
  g_free (info->name);
  g_free (info->os_id);
  g_free (info);
}

/* Whether a disk of a guest paused on an I/O error hit a full host disk:
 * the one thing the pause reason does not tell. */
static gboolean
disk_is_full (virDomainPtr domain)
{
  g_autofree virDomainDiskErrorPtr errors = NULL;
  gboolean full = FALSE;
  int n = virDomainGetDiskErrors (domain, NULL, 0, 0);

  if (n <= 0)
    return FALSE;
  errors = g_new0 (virDomainDiskError, n);
  n = virDomainGetDiskErrors (domain, errors, n, 0);
  for (int i = 0; i < n; i++)
    {
      full |= errors[i].error == VIR_DOMAIN_DISK_ERROR_NO_SPACE;
      free (errors[i].disk);
    }
  return full;
}

/* A guest's state as VmDesk shows it, from libvirt's state and reason;
 * what a reason leaves open (the kind of a disk error) is asked. */
static void
set_state (VmdDomainInfo *info,
           virDomainPtr   domain,
           int            state,
           int            reason,
           gboolean       saved)
{
  info->state = _vmd_machine_state_from_libvirt (state);
  info->reason = _vmd_machine_reason_from_libvirt (state, reason);
  if (info->reason == VMD_MACHINE_REASON_CRASHED)
    info->state = VMD_MACHINE_STATE_CRASHED;
  else if (info->reason == VMD_MACHINE_REASON_IO_ERROR && disk_is_full (domain))
    info->reason = VMD_MACHINE_REASON_NO_SPACE;
  else if (info->state == VMD_MACHINE_STATE_SHUT_OFF && saved)
    info->reason = VMD_MACHINE_REASON_SAVED;
}

/* Blocking: several RPCs. Call from a worker thread. */
VmdDomainInfo *
_vmd_domain_info_fetch (virDomainPtr   domain,
                        GError       **error)
{
  g_autoptr(VmdDomainInfo) info = g_new0 (VmdDomainInfo, 1);
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainInfo dominfo;
  g_autofree char *xml = NULL;
  int persistent;
  int state, reason;

  if (virDomainGetUUIDString (domain, uuid) < 0 ||
      virDomainGetInfo (domain, &dominfo) < 0 ||
      virDomainGetState (domain, &state, &reason, 0) < 0 ||
      (persistent = virDomainIsPersistent (domain)) < 0)
    {
      _vmd_set_error_from_libvirt (error, NULL);
      return NULL;
    }

  /* Only the OS id comes from the XML; a guest without metadata is fine. */
  xml = virDomainGetXMLDesc (domain, 0);
  if (xml != NULL)
    {
      g_auto(GStrv) install = _vmd_domain_xml_get_install_files (xml);
      g_auto(GStrv) installer = _vmd_xml_xpath_strings (xml, "/domain/metadata/vmdesk:vmdesk/"
                                                              "vmdesk:installer/@boots");

      info->os_id = _vmd_domain_xml_get_os_id (xml);
      info->installing = install[0] != NULL;
      info->installer_defined = installer[0] != NULL;
    }
  info->os_id_known = TRUE;

  info->uuid = g_strdup (uuid);
  info->name = g_strdup (virDomainGetName (domain));
  set_state (info, domain, state, reason,
             state == VIR_DOMAIN_SHUTOFF && virDomainHasManagedSaveImage (domain, 0) == 1);
  info->memory = (guint64) dominfo.maxMem * 1024;
  info->vcpus = dominfo.nrVirtCpu;
  info->persistent = persistent == 1;

  return g_steal_pointer (&info);
}

/* The uuids of @conn's guests that a listing with @flags gives. */
static gboolean
add_listing (virConnectPtr  conn,
             unsigned int   flags,
             GHashTable    *uuids)
{
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains, flags);

  for (int i = 0; i < n; i++)
    {
      char uuid[VIR_UUID_STRING_BUFLEN];

      if (virDomainGetUUIDString (domains[i], uuid) == 0)
        g_hash_table_add (uuids, g_strdup (uuid));
      virDomainFree (domains[i]);
    }
  free (domains);
  return n >= 0;
}

/**
 * _vmd_domain_infos_fetch_all:
 * @out_domains: (out): each guest, in the order of the infos
 *
 * Blocking. Every guest of @conn in four RPCs whatever their number: the
 * states, memory and processors of all in one call for statistics, the
 * transient and the saved ones from listings. Their systems (one RPC per
 * guest) are left for _vmd_domain_fetch_os_id(): os_id_known is FALSE.
 * %NULL where the daemon cannot give this: read guest by guest then.
 */
GPtrArray *
_vmd_domain_infos_fetch_all (virConnectPtr   conn,
                             GPtrArray     **out_domains,
                             GError        **error)
{
  g_autoptr(GHashTable) transient = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) _vmd_domain_info_free);
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func (_vmd_domain_unref);
  virDomainStatsRecordPtr *records = NULL;
  int n;

  n = virConnectGetAllDomainStats (conn, VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_BALLOON |
                                         VIR_DOMAIN_STATS_VCPU, &records, 0);
  if (n < 0 || !add_listing (conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, transient) ||
      !add_listing (conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, saved))
    {
      _vmd_set_error_from_libvirt (error, NULL);
      if (records != NULL)
        virDomainStatsRecordListFree (records);
      return NULL;
    }

  for (int i = 0; i < n; i++)
    {
      virDomainStatsRecordPtr record = records[i];
      VmdDomainInfo *info;
      char uuid[VIR_UUID_STRING_BUFLEN];
      int state, reason;
      unsigned long long maximum;
      unsigned int vcpus;

      if (virDomainGetUUIDString (record->dom, uuid) < 0 ||
          virTypedParamsGetInt (record->params, record->nparams, "state.state", &state) != 1 ||
          virTypedParamsGetInt (record->params, record->nparams, "state.reason", &reason) != 1)
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                       "The statistics of %s lack its state", virDomainGetName (record->dom));
          virDomainStatsRecordListFree (records);
          return NULL;
        }
      /* A driver without these statistics (libvirt's test driver): asked. */
      if (virTypedParamsGetULLong (record->params, record->nparams, "balloon.maximum",
                                   &maximum) != 1 ||
          virTypedParamsGetUInt (record->params, record->nparams, "vcpu.current", &vcpus) != 1)
        {
          virDomainInfo dominfo;

          if (virDomainGetInfo (record->dom, &dominfo) < 0)
            {
              _vmd_set_error_from_libvirt (error, NULL);
              virDomainStatsRecordListFree (records);
              return NULL;
            }
          maximum = dominfo.maxMem;
          vcpus = dominfo.nrVirtCpu;
        }

      info = g_new0 (VmdDomainInfo, 1);
      info->uuid = g_strdup (uuid);
      info->name = g_strdup (virDomainGetName (record->dom));
      set_state (info, record->dom, state, reason, g_hash_table_contains (saved, uuid));
      info->memory = (guint64) maximum * 1024;
      info->vcpus = vcpus;
      info->persistent = !g_hash_table_contains (transient, uuid);
      g_ptr_array_add (infos, info);
      virDomainRef (record->dom);
      g_ptr_array_add (domains, record->dom);
    }
  virDomainStatsRecordListFree (records);

  *out_domains = g_steal_pointer (&domains);
  return g_steal_pointer (&infos);
}

/* Blocking: one RPC. @domain's metadata element of @ns, "" without one;
 * libvirt hands it back without its namespace (XPath: local-name()). */
static char *
fetch_metadata (virDomainPtr  domain,
                const char   *ns)
{
  char *xml = virDomainGetMetadata (domain, VIR_DOMAIN_METADATA_ELEMENT, ns, 0);

  if (xml == NULL)
    {
      virResetLastError ();
      return g_strdup ("<none/>");
    }
  return xml;
}

/* Blocking: two RPCs. The libosinfo id of @domain's system, or %NULL when
 * it has none; whether an express install of VmDesk's is under way in it,
 * and whether its definition is still the installer's. */
char *
_vmd_domain_fetch_os_id (virDomainPtr  domain,
                         gboolean     *installing,
                         gboolean     *installer_defined)
{
  g_autofree char *os_xml = fetch_metadata (domain, VMD_LIBOSINFO_NS);
  g_autofree char *own_xml = fetch_metadata (domain, VMD_NS);
  g_auto(GStrv) ids = _vmd_xml_xpath_strings (os_xml, "/*[local-name()='libosinfo']"
                                                      "/*[local-name()='os']/@id");
  g_auto(GStrv) files = _vmd_xml_xpath_strings (own_xml, "/*[local-name()='vmdesk']"
                                                         "/*[local-name()='install']/@file");
  g_auto(GStrv) installer = _vmd_xml_xpath_strings (own_xml, "/*[local-name()='vmdesk']"
                                                             "/*[local-name()='installer']"
                                                             "/@boots");

  *installing = files[0] != NULL;
  *installer_defined = installer[0] != NULL;
  return ids[0] ? g_strdup (ids[0]) : NULL;
}

/* A GDestroyNotify for virDomainPtr. */
void
_vmd_domain_unref (gpointer domain)
{
  virDomainFree (domain);
}

/* In a worker thread: reads @domain and returns its VmdDomainInfo, or the
 * error, through @task. */
void
_vmd_task_return_domain_info (GTask        *task,
                              virDomainPtr  domain)
{
  GError *error = NULL;
  VmdDomainInfo *info = _vmd_domain_info_fetch (domain, &error);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) _vmd_domain_info_free);
}

VmdMachineState
_vmd_machine_state_from_libvirt (int state)
{
  switch ((virDomainState) state)
    {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED:
      return VMD_MACHINE_STATE_RUNNING;
    case VIR_DOMAIN_PAUSED:
      return VMD_MACHINE_STATE_PAUSED;
    case VIR_DOMAIN_SHUTDOWN:
      return VMD_MACHINE_STATE_SHUTTING_DOWN;
    case VIR_DOMAIN_SHUTOFF:
      return VMD_MACHINE_STATE_SHUT_OFF;
    case VIR_DOMAIN_CRASHED:
      return VMD_MACHINE_STATE_CRASHED;
    case VIR_DOMAIN_PMSUSPENDED:
      return VMD_MACHINE_STATE_SUSPENDED;
    case VIR_DOMAIN_NOSTATE:
    default:
      return VMD_MACHINE_STATE_UNKNOWN;
    }
}

/* Why a guest is in @state, as far as a person needs to know: libvirt's
 * reason, for the states where it changes what to do next. A disk error's
 * kind and a saved memory image need further calls (see
 * _vmd_domain_info_fetch). */
VmdMachineReason
_vmd_machine_reason_from_libvirt (int state,
                                  int reason)
{
  switch ((virDomainState) state)
    {
    case VIR_DOMAIN_PAUSED:
      switch ((virDomainPausedReason) reason)
        {
        case VIR_DOMAIN_PAUSED_USER:
          return VMD_MACHINE_REASON_USER;
        case VIR_DOMAIN_PAUSED_IOERROR:
          return VMD_MACHINE_REASON_IO_ERROR;
        case VIR_DOMAIN_PAUSED_CRASHED:
          return VMD_MACHINE_REASON_GUEST_PANIC;
        /* What QEMU stops by itself, with no pause asked through libvirt:
         * an internal error such as a KVM emulation failure. */
        case VIR_DOMAIN_PAUSED_UNKNOWN:
          return VMD_MACHINE_REASON_INTERNAL_ERROR;
        case VIR_DOMAIN_PAUSED_MIGRATION:
        case VIR_DOMAIN_PAUSED_SAVE:
        case VIR_DOMAIN_PAUSED_DUMP:
        case VIR_DOMAIN_PAUSED_WATCHDOG:
        case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT:
        case VIR_DOMAIN_PAUSED_SHUTTING_DOWN:
        case VIR_DOMAIN_PAUSED_SNAPSHOT:
        case VIR_DOMAIN_PAUSED_STARTING_UP:
        case VIR_DOMAIN_PAUSED_POSTCOPY:
        case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED:
        default:
          return VMD_MACHINE_REASON_NONE;
        }
    case VIR_DOMAIN_SHUTOFF:
      return reason == VIR_DOMAIN_SHUTOFF_CRASHED ? VMD_MACHINE_REASON_CRASHED
                                                   : VMD_MACHINE_REASON_NONE;
    case VIR_DOMAIN_CRASHED:
      return VMD_MACHINE_REASON_GUEST_PANIC;
    case VIR_DOMAIN_NOSTATE:
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED:
    case VIR_DOMAIN_SHUTDOWN:
    case VIR_DOMAIN_PMSUSPENDED:
    default:
      return VMD_MACHINE_REASON_NONE;
    }
}

/* The reason a lifecycle event implies, or FALSE when only a read can tell
 * (a pause "paused" may be the user's or QEMU's own, or a guest's panic). */
gboolean
_vmd_machine_reason_from_event (int               event,
                                int               detail,
                                VmdMachineReason *reason)
{
  switch ((virDomainEventType) event)
    {
    case VIR_DOMAIN_EVENT_STARTED:
    case VIR_DOMAIN_EVENT_RESUMED:
      *reason = VMD_MACHINE_REASON_NONE;
      return TRUE;
    case VIR_DOMAIN_EVENT_SUSPENDED:
      if (detail != VIR_DOMAIN_EVENT_SUSPENDED_IOERROR)
        return FALSE;
      *reason = VMD_MACHINE_REASON_IO_ERROR;
      return TRUE;
    case VIR_DOMAIN_EVENT_STOPPED:
      if (detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED)
        *reason = VMD_MACHINE_REASON_CRASHED;
      else if (detail == VIR_DOMAIN_EVENT_STOPPED_SAVED)
        return FALSE;  /* saved to a file of libvirt's, or of somebody's */
      else
        *reason = VMD_MACHINE_REASON_NONE;
      return TRUE;
    case VIR_DOMAIN_EVENT_CRASHED:
      *reason = VMD_MACHINE_REASON_GUEST_PANIC;
      return TRUE;
    case VIR_DOMAIN_EVENT_SHUTDOWN:
    case VIR_DOMAIN_EVENT_PMSUSPENDED:
    case VIR_DOMAIN_EVENT_DEFINED:
    case VIR_DOMAIN_EVENT_UNDEFINED:
    default:
      return FALSE;
    }
}

/* The state a lifecycle event implies, without asking the daemon. Returns
 * FALSE for events that say nothing about the run state. */
gboolean
_vmd_machine_state_from_event (int              event,
                               int              detail,
                               VmdMachineState *state)
{
  switch ((virDomainEventType) event)
    {
    case VIR_DOMAIN_EVENT_STARTED:
    case VIR_DOMAIN_EVENT_RESUMED:
      *state = VMD_MACHINE_STATE_RUNNING;
      return TRUE;
    case VIR_DOMAIN_EVENT_SUSPENDED:
      *state = VMD_MACHINE_STATE_PAUSED;
      return TRUE;
    case VIR_DOMAIN_EVENT_STOPPED:
      *state = detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED
               ? VMD_MACHINE_STATE_CRASHED : VMD_MACHINE_STATE_SHUT_OFF;
      return TRUE;
    case VIR_DOMAIN_EVENT_SHUTDOWN:
      /* "finished" is followed by STOPPED; only the guest's own start of a
       * shutdown is worth showing. */
      if (detail != VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED)
        {
          *state = VMD_MACHINE_STATE_SHUTTING_DOWN;
          return TRUE;
        }
      return FALSE;
    case VIR_DOMAIN_EVENT_PMSUSPENDED:
      *state = VMD_MACHINE_STATE_SUSPENDED;
      return TRUE;
    case VIR_DOMAIN_EVENT_CRASHED:
      *state = VMD_MACHINE_STATE_CRASHED;
      return TRUE;
    case VIR_DOMAIN_EVENT_DEFINED:
    case VIR_DOMAIN_EVENT_UNDEFINED:
    default:
      return FALSE;
    }
}

/* Whether @uri reaches a daemon on this computer, which sees the same
 * files as VmDesk. */
gboolean
_vmd_uri_is_local (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  return host == NULL || *host == '\0' || g_str_equal (host, "localhost");
}

/* Whether @conn's daemon is on this computer (a worker thread's call). */
gboolean
_vmd_conn_is_local (virConnectPtr conn)
{
  char *uri = virConnectGetURI (conn);
  gboolean local = uri != NULL && _vmd_uri_is_local (uri);

  free (uri);
  return local;
}

/* Whether the screens of @uri's machines are reached through VmDesk's SSH
 * tunnel: libvirt hands a screen's socket over only to a client on the
 * daemon's computer, and not over SSH, even to this computer. */
gboolean
_vmd_uri_screen_needs_tunnel (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme = parsed ? g_uri_get_scheme (parsed) : NULL;

  return !_vmd_uri_is_local (uri) ||
         (scheme != NULL && (g_str_has_suffix (scheme, "+ssh") ||
                             g_str_has_suffix (scheme, "+libssh") ||
                             g_str_has_suffix (scheme, "+libssh2")));
}

/* Whether @conn's daemon is the system's (root's session is the system
 * daemon): where it keeps a machine's state files. */
gboolean
_vmd_conn_is_system (virConnectPtr conn)
{
  char *uri = virConnectGetURI (conn);
  gboolean system = getuid () == 0 || (uri != NULL && g_str_has_suffix (uri, "/system"));

  free (uri);
  return system;
}

/* Where libvirt keeps the NVRAM of the UEFI machine @name when its
 * definition does not say: libvirt 9.0 writes the path only into a running
 * machine's live definition. The system daemon's folder, or the session
 * daemon's under the user's configuration (root's session is the system
 * daemon). A worker thread's call. */
char *
_vmd_default_nvram_path (virConnectPtr  conn,
                         const char    *name)
{
  g_autofree char *file = g_strdup_printf ("%s_VARS.fd", name);

  if (_vmd_conn_is_system (conn))
    return g_build_filename ("/var/lib/libvirt/qemu/nvram", file, NULL);
  return g_build_filename (g_get_user_config_dir (), "libvirt", "qemu", "nvram", file, NULL);
}

/* The folder swtpm keeps a machine's TPM state in (its emulator's
 * default): the system daemon's, or the session daemon's under the user's
 * configuration. A worker thread's call. */
char *
_vmd_tpm_state_dir (virConnectPtr  conn,
                    const char    *uuid)
{
  if (_vmd_conn_is_system (conn))
    return g_build_filename ("/var/lib/libvirt/swtpm", uuid, NULL);
  return g_build_filename (g_get_user_config_dir (), "libvirt", "qemu", "swtpm", uuid, NULL);
}

/* What a failure for want of the daemon says: what happened, and what
 * happens next. */
const char *
_vmd_not_connected_message (void)
{
  return _("The virtualization service is not reachable. VmDesk connects again by itself: "
           "try again then.");
}

static VmdError
error_code_from_libvirt (const virError *verr,
                         const char    **reason)
{
  *reason = NULL;

  /* The connection itself failed ("client socket is closed"), whatever
   * the code says. */
  if (verr->domain == VIR_FROM_RPC || verr->domain == VIR_FROM_REMOTE)
    {
      *reason = _vmd_not_connected_message ();
      return VMD_ERROR_NOT_CONNECTED;
    }

  switch (verr->code)
    {
    case VIR_ERR_NO_DOMAIN:
      *reason = _("The machine no longer exists.");
      return VMD_ERROR_NOT_FOUND;
    case VIR_ERR_NO_STORAGE_VOL:
    case VIR_ERR_NO_STORAGE_POOL:
      return VMD_ERROR_NOT_FOUND;
    case VIR_ERR_OPERATION_INVALID:
      *reason = _("The machine is not in a state that allows this.");
      return VMD_ERROR_INVALID_STATE;
    case VIR_ERR_NO_CONNECT:
    case VIR_ERR_INVALID_CONN:
    case VIR_ERR_RPC:
      *reason = _vmd_not_connected_message ();
      return VMD_ERROR_NOT_CONNECTED;
    case VIR_ERR_SYSTEM_ERROR:
      return VMD_ERROR_FAILED;
    case VIR_ERR_AUTH_FAILED:
    case VIR_ERR_AUTH_CANCELLED:
    case VIR_ERR_ACCESS_DENIED:
    case VIR_ERR_OPERATION_DENIED:
      *reason = _("The virtualization service did not allow this.");
      return VMD_ERROR_PERMISSION;
    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_OPERATION_UNSUPPORTED:
    case VIR_ERR_ARGUMENT_UNSUPPORTED:
    case VIR_ERR_CONFIG_UNSUPPORTED:
      return VMD_ERROR_UNSUPPORTED;
    case VIR_ERR_OPERATION_TIMEOUT:
      *reason = _("The machine is busy with another operation. Try again in a moment.");
      return VMD_ERROR_BUSY;
    default:
      return VMD_ERROR_FAILED;
    }
}

#define MAX_DETAIL 160

/* Why virConnectOpen (@uri) failed, on its thread. Over SSH, the person
 * reads what ssh said ("Connection refused", "Permission denied
 * (publickey)."), without libvirt's wrapping around it. */
GError *
_vmd_error_from_libvirt_open (const char *uri)
{
  const virError *verr = virGetLastError ();
  g_autofree char *what = g_strdup_printf (_("Could not connect to %s"), uri);
  g_autofree char *reason = NULL;
  const char *start;
  const char *end;

  if (!_vmd_uri_screen_needs_tunnel (uri) || verr == NULL || verr->message == NULL)
    return _vmd_error_from_libvirt (what);

  g_message ("%s: %s", what, verr->message);
  start = verr->message;
  if (g_str_has_prefix (start, "Cannot recv data: "))
    start += strlen ("Cannot recv data: ");
  end = strstr (start, ": Connection reset by peer");
  if (end == NULL)
    end = start + strlen (start);
  if (memchr (start, '\n', end - start) != NULL)
    end = memchr (start, '\n', end - start);
  reason = g_utf8_make_valid (start, MIN (end - start, MAX_DETAIL));
  return g_error_new_literal (VMD_ERROR, VMD_ERROR_NOT_CONNECTED, reason);
}

/* Must run on the thread whose libvirt call failed: libvirt keeps the last
 * error per thread. */
GError *
_vmd_error_from_libvirt (const char *what)
{
  const virError *verr = virGetLastError ();
  const char *detail = verr && verr->message ? verr->message : _("Unknown error");
  const char *reason = NULL;
  VmdError code = VMD_ERROR_FAILED;

  g_autofree char *shortened = NULL;

  if (verr != NULL)
    code = error_code_from_libvirt (verr, &reason);

  /* A full disk reads the same whichever tool hit it (qemu-img, QEMU, the
   * daemon itself). */
  if (verr != NULL && ((verr->code == VIR_ERR_SYSTEM_ERROR && verr->int1 == ENOSPC) ||
                       strstr (detail, "No space left on device") != NULL))
    {
      code = VMD_ERROR_NO_SPACE;
      reason = _("The disk is full. Free some space, then try again.");
    }

  g_debug ("libvirt error %d (domain %d): %s", verr ? verr->code : -1,
           verr ? verr->domain : -1, detail);

  /* The person reads a sentence; the daemon's whole text (command lines,
   * QEMU's output) goes to the log. */
  if (reason == NULL && (strlen (detail) > MAX_DETAIL || strchr (detail, '\n') != NULL))
    {
      const char *end = strchr (detail, '\n');
      gsize len = MIN (end ? (gsize) (end - detail) : strlen (detail), MAX_DETAIL);

      while (len > 0 && (detail[len] & 0xc0) == 0x80)  /* a whole UTF-8 character */
        len--;
      shortened = g_strdup_printf ("%.*s…", (int) len, detail);
      reason = shortened;
    }
  if (reason != NULL && reason != detail)
    g_message ("%s: %s", what ? what : "libvirt", detail);

  if (reason == NULL)
    reason = detail;

  if (what != NULL)
    return g_error_new (VMD_ERROR, code, "%s: %s", what, reason);
  return g_error_new_literal (VMD_ERROR, code, reason);
}

void
_vmd_set_error_from_libvirt (GError     **error,
                             const char  *what)
{
  GError *local = _vmd_error_from_libvirt (what);

  g_propagate_error (error, local);
}

/* Evaluates @expr over @xml and returns the string value of each node. */
GStrv
_vmd_xml_xpath_strings (const char *xml,
               const char *expr)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  xmlDocPtr doc;
  xmlXPathContextPtr ctx;
  xmlXPathObjectPtr obj;

  doc = xmlReadMemory (xml, strlen (xml), "domain.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    return g_strv_builder_end (builder);

  ctx = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (ctx, BAD_CAST "libosinfo", BAD_CAST VMD_LIBOSINFO_NS);
  xmlXPathRegisterNs (ctx, BAD_CAST "vmdesk", BAD_CAST VMD_NS);
  obj = xmlXPathEvalExpression (BAD_CAST expr, ctx);

  if (obj != NULL && obj->nodesetval != NULL)
    {
      for (int i = 0; i < obj->nodesetval->nodeNr; i++)
        {
          xmlChar *value = xmlNodeGetContent (obj->nodesetval->nodeTab[i]);

          if (value != NULL && *value != '\0')
            g_strv_builder_add (builder, (const char *) value);
          xmlFree (value);
        }
    }

  xmlXPathFreeObject (obj);
  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);

  return g_strv_builder_end (builder);
}

char *
_vmd_domain_xml_get_os_id (const char *xml)
{
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (xml != NULL, NULL);

  ids = _vmd_xml_xpath_strings (xml, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id");
  return ids[0] ? g_strdup (ids[0]) : NULL;
}

/* The files an express install was given (the installer's kernel and
 * initrd with the answers, the answers' CD): listed until the install is
 * done and they are removed. */
GStrv
_vmd_domain_xml_get_install_files (const char *xml)
{
  g_return_val_if_fail (xml != NULL, NULL);

  return _vmd_xml_xpath_strings (xml, "/domain/metadata/vmdesk:vmdesk/vmdesk:install/@file");
}

/* The writable, unshared disk images of a guest: what deleting it removes.
 * CD-ROMs (the installer ISO) and read-only or shared disks are kept. */
GStrv
_vmd_domain_xml_get_disk_images (const char *xml)
{
  g_return_val_if_fail (xml != NULL, NULL);

  return _vmd_xml_xpath_strings (xml,
                        "/domain/devices/disk[@device='disk' or not(@device)]"
                        "[not(readonly)][not(shareable)]/source/@file");
}

static char *
first_string (const char *xml,
              const char *expr)
{
  g_auto(GStrv) values = _vmd_xml_xpath_strings (xml, expr);

  return values[0] ? g_strdup (values[0]) : NULL;
}

/**
 * _vmd_domain_xml_get_spice_target:
 * @xml: a running guest's live definition
 *
 * Where the guest's SPICE server listens, seen from its host: the path of
 * its UNIX socket, or host:port (a port on every address or none is
 * reached on the host's loopback). For a screen on another computer,
 * reached over SSH.
 *
 * Returns: (transfer full) (nullable): the target, or %NULL when the
 *   server listens on no socket (listen type none) or there is no SPICE
 */
char *
_vmd_domain_xml_get_spice_target (const char *xml)
{
  g_autofree char *socket = NULL, *port = NULL, *address = NULL;

  g_return_val_if_fail (xml != NULL, NULL);

  socket = first_string (xml, "/domain/devices/graphics[@type='spice'][1]/listen[@type='socket']/@socket");
  if (socket == NULL)
    socket = first_string (xml, "/domain/devices/graphics[@type='spice'][1]/@socket");
  if (socket != NULL && g_path_is_absolute (socket))
    return g_steal_pointer (&socket);

  port = first_string (xml, "/domain/devices/graphics[@type='spice'][1]/@port");
  if (port == NULL || g_ascii_strtoll (port, NULL, 10) <= 0)
    return NULL;
  address = first_string (xml, "/domain/devices/graphics[@type='spice'][1]/listen[@type='address']/@address");
  if (address == NULL)
    address = first_string (xml, "/domain/devices/graphics[@type='spice'][1]/@listen");
  if (address == NULL || g_str_equal (address, "0.0.0.0") || g_str_equal (address, "::") ||
      g_str_equal (address, "localhost"))
    return g_strdup_printf ("127.0.0.1:%s", port);
  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("[%s]:%s", address, port);
  return g_strdup_printf ("%s:%s", address, port);
}
