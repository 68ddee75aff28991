/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-machine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-machine-private.h"


G_DEFINE_FINAL_TYPE (VmdMachine, vmd_machine, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VmdMachineState, vmd_machine_state,
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_STATE_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_STATE_SHUT_OFF, "shut-off"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_STATE_SHUTTING_DOWN, "shutting-down"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_STATE_CRASHED, "crashed"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_STATE_SUSPENDED, "suspended"))

G_DEFINE_ENUM_TYPE (VmdMachineReason, vmd_machine_reason,
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_REASON_NONE, "none"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_REASON_USER, "user"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_REASON_IO_ERROR, "io-error"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_REASON_NO_SPACE, "no-space"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_REASON_INTERNAL_ERROR, "internal-error"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_REASON_GUEST_PANIC, "guest-panic"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_REASON_CRASHED, "crashed"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_REASON_SAVED, "saved"))

G_DEFINE_ENUM_TYPE (VmdMachineAction, vmd_machine_action,
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_ACTION_START, "start"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_ACTION_SHUTDOWN, "shutdown"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_ACTION_FORCE_OFF, "force-off"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_ACTION_PAUSE, "pause"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_ACTION_RESUME, "resume"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_ACTION_DELETE, "delete"),
  G_DEFINE_ENUM_VALUE (VMD_MACHINE_ACTION_SAVE, "save"))

enum {
  PROP_0,
  PROP_UUID,
  PROP_NAME,
  PROP_STATE,
  PROP_REASON,
  PROP_OS_ID,
  PROP_OS_NAME,
  PROP_MEMORY,
  PROP_VCPUS,
  PROP_BUSY,
  PROP_IS_ACTIVE,
  PROP_INSTALLING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vmd_machine_finalize (GObject *object)
{
  VmdMachine *self = (VmdMachine *) object;

  g_clear_pointer (&self->domain, virDomainFree);
  g_free (self->uuid);
  g_free (self->name);
  g_free (self->os_id);
  g_free (self->os_name);

  G_OBJECT_CLASS (vmd_machine_parent_class)->finalize (object);
}

static void
vmd_machine_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VmdMachine *self = VMD_MACHINE (object);

  switch (prop_id)
    {
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_enum (value, self->reason);
      break;
    case PROP_OS_ID:
      g_value_set_string (value, self->os_id);
      break;
    case PROP_OS_NAME:
      g_value_set_string (value, vmd_machine_get_os_name (self));
      break;
    case PROP_MEMORY:
      g_value_set_uint64 (value, self->memory);
      break;
    case PROP_VCPUS:
      g_value_set_uint (value, self->vcpus);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    case PROP_INSTALLING:
      g_value_set_boolean (value, self->installing);
      break;
    case PROP_IS_ACTIVE:
      g_value_set_boolean (value, vmd_machine_get_is_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_class_init (VmdMachineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_machine_finalize;
  object_class->get_property = vmd_machine_get_property;

  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, VMD_TYPE_MACHINE_STATE,
                       VMD_MACHINE_STATE_UNKNOWN, flags);
  properties[PROP_REASON] =
    g_param_spec_enum ("reason", NULL, NULL, VMD_TYPE_MACHINE_REASON,
                       VMD_MACHINE_REASON_NONE, flags);
  properties[PROP_OS_ID] = g_param_spec_string ("os-id", NULL, NULL, NULL, flags);
  properties[PROP_OS_NAME] = g_param_spec_string ("os-name", NULL, NULL, NULL, flags);
  properties[PROP_MEMORY] =
    g_param_spec_uint64 ("memory", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  /* An express install runs: the installer answers itself, then reboots. */
  properties[PROP_INSTALLING] = g_param_spec_boolean ("installing", NULL, NULL, FALSE, flags);
  properties[PROP_IS_ACTIVE] = g_param_spec_boolean ("is-active", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_machine_init (VmdMachine *self)
{
}

VmdMachine *
_vmd_machine_new (virDomainPtr         domain,
                  const VmdDomainInfo *info)
{
  VmdMachine *self = g_object_new (VMD_TYPE_MACHINE, NULL);

  self->uuid = g_strdup (info->uuid);
  _vmd_machine_set_domain (self, domain);
  _vmd_machine_apply_info (self, info);

  return self;
}

void
_vmd_machine_set_domain (VmdMachine   *self,
                         virDomainPtr  domain)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  if (domain == self->domain)
    return;
  if (domain != NULL)
    virDomainRef (domain);
  g_clear_pointer (&self->domain, virDomainFree);
  self->domain = domain;
}

virDomainPtr
_vmd_machine_dup_domain (VmdMachine *self)
{
  if (self->domain != NULL)
    virDomainRef (self->domain);
  return self->domain;
}

static void
set_string (VmdMachine  *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_vmd_machine_set_os_id (VmdMachine *self,
                        const char *os_id)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  if (g_strcmp0 (self->os_id, os_id) != 0)
    {
      set_string (self, &self->os_id, os_id, PROP_OS_ID);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OS_NAME]);
    }
}

/* The installer's reboot ended its run (or someone stopped it): its
 * files go, and it starts from its disk, unless VmDesk stopped it or did
 * not see it run. Not while it is off with the installer's own
 * definition: just made, its installer has not started yet. */
static void
finish_install_if_over (VmdMachine *self)
{
  if (self->installing && !self->installer_defined &&
      self->libvirt_state == VMD_MACHINE_STATE_SHUT_OFF)
    _vmd_machine_finish_install (self, self->installer_ran && !self->installer_stopped_by_vmdesk);
}

void
_vmd_machine_apply_info (VmdMachine          *self,
                         const VmdDomainInfo *info)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (g_strcmp0 (self->uuid, info->uuid) == 0);

  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->name, info->name, PROP_NAME);
  if (info->os_id_known)
    _vmd_machine_set_os_id (self, info->os_id);
  if (self->memory != info->memory)
    {
      self->memory = info->memory;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY]);
    }
  if (self->vcpus != info->vcpus)
    {
      self->vcpus = info->vcpus;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
    }
  self->persistent = info->persistent;
  if (info->os_id_known && self->installing != info->installing)
    {
      self->installing = info->installing;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTALLING]);
    }
  if (info->os_id_known)
    self->installer_defined = info->installer_defined;

  _vmd_machine_set_state (self, info->state);
  _vmd_machine_set_reason (self, info->reason);

  g_object_thaw_notify (G_OBJECT (self));
  finish_install_if_over (self);
}

/* Whether the guest's express install runs, as its metadata says: read
 * after the listing, which comes without it. */
void
_vmd_machine_set_installing (VmdMachine *self,
                             gboolean    installing,
                             gboolean    installer_defined)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  self->installer_defined = !!installer_defined;
  if (self->installing != !!installing)
    {
      self->installing = !!installing;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTALLING]);
    }
  finish_install_if_over (self);
}

/* A guest asked to shut down runs on until its system obeys, if ever:
 * shown as shutting down meanwhile, so that nobody wonders whether the
 * request went anywhere. */
static void
update_state (VmdMachine *self)
{
  VmdMachineState state = self->libvirt_state;
  gboolean was_active;

  if (state == VMD_MACHINE_STATE_RUNNING && self->shutdown_asked)
    state = VMD_MACHINE_STATE_SHUTTING_DOWN;
  if (self->state == state)
    return;

  was_active = vmd_machine_get_is_active (self);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (was_active != vmd_machine_get_is_active (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ACTIVE]);
}

void
_vmd_machine_set_state (VmdMachine      *self,
                        VmdMachineState  state)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  /* An installer's run that ends: by its reboot, unless VmDesk stopped it. */
  if (self->installing && self->libvirt_state == VMD_MACHINE_STATE_RUNNING &&
      state != VMD_MACHINE_STATE_RUNNING)
    {
      self->installer_ran = TRUE;
      self->installer_stopped_by_vmdesk = self->busy > 0 || self->shutdown_asked;
    }
  self->libvirt_state = state;
  if (state != VMD_MACHINE_STATE_RUNNING)
    self->shutdown_asked = FALSE;
  update_state (self);
}

void
_vmd_machine_set_shutdown_asked (VmdMachine *self,
                                 gboolean    asked)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  /* A guest that went down before the request returned is not asked. */
  self->shutdown_asked = asked && self->libvirt_state == VMD_MACHINE_STATE_RUNNING;
  update_state (self);
}

void
_vmd_machine_set_reason (VmdMachine       *self,
                         VmdMachineReason  reason)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  if (self->reason == reason)
    return;
  self->reason = reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}

void
_vmd_machine_set_os_name (VmdMachine *self,
                          const char *os_name)
{
  set_string (self, &self->os_name, os_name, PROP_OS_NAME);
}

void
_vmd_machine_set_persistent (VmdMachine *self,
                             gboolean    persistent)
{
  self->persistent = !!persistent;
}

gboolean
_vmd_machine_get_persistent (VmdMachine *self)
{
  return self->persistent;
}

const char *
vmd_machine_get_name (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  return self->name;
}

const char *
vmd_machine_get_uuid (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  return self->uuid;
}

VmdMachineState
vmd_machine_get_state (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), VMD_MACHINE_STATE_UNKNOWN);
  return self->state;
}

VmdMachineReason
vmd_machine_get_reason (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), VMD_MACHINE_REASON_NONE);
  return self->reason;
}

/**
 * vmd_machine_get_has_problem:
 *
 * Whether something went wrong: the machine was paused by an error, or
 * crashed. Starting or resuming it again is then the person's call.
 */
gboolean
vmd_machine_get_has_problem (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);

  switch (self->reason)
    {
    case VMD_MACHINE_REASON_IO_ERROR:
    case VMD_MACHINE_REASON_NO_SPACE:
    case VMD_MACHINE_REASON_INTERNAL_ERROR:
    case VMD_MACHINE_REASON_GUEST_PANIC:
    case VMD_MACHINE_REASON_CRASHED:
      return TRUE;
    case VMD_MACHINE_REASON_NONE:
    case VMD_MACHINE_REASON_USER:
    case VMD_MACHINE_REASON_SAVED:
    default:
      return FALSE;
    }
}

/**
 * vmd_machine_get_summary:
 *
 * The machine's state in a few words, with its reason where that matters:
 * "Paused: host disk full", "Saved", "Crashed".
 */
const char *
vmd_machine_get_summary (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);

  if (self->installing && self->state == VMD_MACHINE_STATE_RUNNING)
    return _("Installing…");
  switch (self->reason)
    {
    case VMD_MACHINE_REASON_IO_ERROR:
      return _("Paused: disk error");
    case VMD_MACHINE_REASON_NO_SPACE:
      return _("Paused: host disk full");
    case VMD_MACHINE_REASON_INTERNAL_ERROR:
      return _("Paused: hypervisor error");
    case VMD_MACHINE_REASON_GUEST_PANIC:
      return _("Its system crashed");
    case VMD_MACHINE_REASON_SAVED:
      if (self->state == VMD_MACHINE_STATE_SHUT_OFF)
        return _("Saved");
      break;
    case VMD_MACHINE_REASON_NONE:
    case VMD_MACHINE_REASON_USER:
    case VMD_MACHINE_REASON_CRASHED:
    default:
      break;
    }
  return vmd_machine_state_to_string (self->state);
}

/**
 * vmd_machine_get_explanation:
 *
 * What happened to the machine and what the person can do about it, in a
 * sentence or two; %NULL when its state says it all (running, off).
 */
const char *
vmd_machine_get_explanation (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);

  switch (self->reason)
    {
    case VMD_MACHINE_REASON_IO_ERROR:
      return _("A disk image of the machine could not be read or written, and the machine "
               "was paused to keep its data safe. Check the disk that holds the image, "
               "then resume it.");
    case VMD_MACHINE_REASON_NO_SPACE:
      return _("The disk of this computer that holds the machine’s images is full, and "
               "the machine was paused before it lost data. Free some space, then resume it.");
    case VMD_MACHINE_REASON_INTERNAL_ERROR:
      return _("The hypervisor stopped the machine after an internal error, such as an "
               "instruction it could not emulate. Resuming may stop it again at once; "
               "forcing it off and starting it again may help.");
    case VMD_MACHINE_REASON_GUEST_PANIC:
      return _("The system inside the machine crashed. Force it off, then start it again.");
    case VMD_MACHINE_REASON_CRASHED:
      return _("The machine stopped unexpectedly: its hypervisor process ended, and what "
               "was not saved inside it is lost. Start it again when you are ready.");
    case VMD_MACHINE_REASON_SAVED:
      if (self->state == VMD_MACHINE_STATE_SHUT_OFF)
        return _("Its memory was saved: starting it picks up where it left off.");
      break;
    case VMD_MACHINE_REASON_NONE:
    case VMD_MACHINE_REASON_USER:
    default:
      break;
    }

  switch (self->state)
    {
    case VMD_MACHINE_STATE_PAUSED:
      return _("Nothing runs inside the machine until it is resumed.");
    case VMD_MACHINE_STATE_SHUTTING_DOWN:
      return _("The machine was asked to shut down; its system decides when. "
               "If it does not, force it off.");
    case VMD_MACHINE_STATE_UNKNOWN:
    case VMD_MACHINE_STATE_SHUT_OFF:
    case VMD_MACHINE_STATE_RUNNING:
    case VMD_MACHINE_STATE_CRASHED:
    case VMD_MACHINE_STATE_SUSPENDED:
    default:
      return NULL;
    }
}

const char *
vmd_machine_get_os_id (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  return self->os_id;
}

/**
 * vmd_machine_get_os_name:
 *
 * The OS the guest was created for, as people name it ("Debian 11"), or
 * %NULL when the guest carries no libosinfo metadata.
 */
const char *
vmd_machine_get_os_name (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  if (self->os_name != NULL)
    return self->os_name;
  return self->os_id;
}

guint64
vmd_machine_get_memory (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), 0);
  return self->memory;
}

guint
vmd_machine_get_vcpus (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), 0);
  return self->vcpus;
}

/* Whether an express install runs: its installer answers itself. */
gboolean
vmd_machine_get_installing (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  return self->installing;
}

gboolean
vmd_machine_get_busy (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  return self->busy > 0;
}

/* Active guests hold the host's RAM: running, paused, or on their way down. */
gboolean
vmd_machine_get_is_active (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);

  switch (self->state)
    {
    case VMD_MACHINE_STATE_RUNNING:
    case VMD_MACHINE_STATE_PAUSED:
    case VMD_MACHINE_STATE_SHUTTING_DOWN:
    case VMD_MACHINE_STATE_SUSPENDED:
      return TRUE;
    case VMD_MACHINE_STATE_UNKNOWN:
    case VMD_MACHINE_STATE_SHUT_OFF:
    case VMD_MACHINE_STATE_CRASHED:
    default:
      return FALSE;
    }
}

gboolean
vmd_machine_state_can_run (VmdMachineState  state,
                           VmdMachineAction action)
{
  switch (action)
    {
    case VMD_MACHINE_ACTION_START:
      return state == VMD_MACHINE_STATE_SHUT_OFF || state == VMD_MACHINE_STATE_CRASHED;
    case VMD_MACHINE_ACTION_SHUTDOWN:
    case VMD_MACHINE_ACTION_PAUSE:
      return state == VMD_MACHINE_STATE_RUNNING;
    case VMD_MACHINE_ACTION_RESUME:
      return state == VMD_MACHINE_STATE_PAUSED;
    case VMD_MACHINE_ACTION_SAVE:
      return state == VMD_MACHINE_STATE_RUNNING || state == VMD_MACHINE_STATE_PAUSED;
    case VMD_MACHINE_ACTION_FORCE_OFF:
      return state == VMD_MACHINE_STATE_RUNNING ||
             state == VMD_MACHINE_STATE_PAUSED ||
             state == VMD_MACHINE_STATE_SHUTTING_DOWN ||
             state == VMD_MACHINE_STATE_SUSPENDED;
    case VMD_MACHINE_ACTION_DELETE:
      return state != VMD_MACHINE_STATE_UNKNOWN;
    default:
      return FALSE;
    }
}

/**
 * vmd_machine_can_run:
 *
 * Whether @action makes sense now: the machine is in a state that allows
 * it and no other action of ours is under way on it.
 */
gboolean
vmd_machine_can_run (VmdMachine       *self,
                     VmdMachineAction  action)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);

  return self->busy == 0 &&
         self->domain != NULL &&
         vmd_machine_state_can_run (self->state, action);
}

const char *
vmd_machine_state_to_string (VmdMachineState state)
{
  switch (state)
    {
    case VMD_MACHINE_STATE_SHUT_OFF:
      return _("Off");
    case VMD_MACHINE_STATE_RUNNING:
      return _("Running");
    case VMD_MACHINE_STATE_PAUSED:
      return _("Paused");
    case VMD_MACHINE_STATE_SHUTTING_DOWN:
      return _("Shutting down");
    case VMD_MACHINE_STATE_CRASHED:
      return _("Crashed");
    case VMD_MACHINE_STATE_SUSPENDED:
      return _("Sleeping");
    case VMD_MACHINE_STATE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

/* An action of ours is under way: the UI offers no other meanwhile. */
void
_vmd_machine_hold_busy (VmdMachine *self)
{
  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_vmd_machine_release_busy (VmdMachine *self)
{
  g_assert (self->busy > 0);
  if (--self->busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}
