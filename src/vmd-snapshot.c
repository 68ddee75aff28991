/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-snapshot"

#include "config.h"

#include "vmd-snapshot-private.h"

/* One snapshot of a machine as listed: what a person reads of it. The
 * operations are the machine's (vmd_machine_snapshot_async()). */

struct _VmdSnapshot
{
  GObject          parent_instance;

  char            *label;
  GDateTime       *created;
  char            *screen;
  VmdMachineState  state;
  guint            has_memory : 1;
  guint            is_current : 1;
};

G_DEFINE_FINAL_TYPE (VmdSnapshot, vmd_snapshot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_CREATED,
  PROP_STATE,
  PROP_HAS_MEMORY,
  PROP_IS_CURRENT,
  PROP_SCREEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vmd_snapshot_finalize (GObject *object)
{
  VmdSnapshot *self = (VmdSnapshot *) object;

  g_free (self->label);
  g_free (self->screen);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (vmd_snapshot_parent_class)->finalize (object);
}

static void
vmd_snapshot_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VmdSnapshot *self = VMD_SNAPSHOT (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_HAS_MEMORY:
      g_value_set_boolean (value, self->has_memory);
      break;
    case PROP_IS_CURRENT:
      g_value_set_boolean (value, self->is_current);
      break;
    case PROP_SCREEN:
      g_value_set_string (value, self->screen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_snapshot_class_init (VmdSnapshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_snapshot_finalize;
  object_class->get_property = vmd_snapshot_get_property;

  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, VMD_TYPE_MACHINE_STATE,
                                              VMD_MACHINE_STATE_SHUT_OFF, flags);
  properties[PROP_HAS_MEMORY] = g_param_spec_boolean ("has-memory", NULL, NULL, FALSE, flags);
  properties[PROP_IS_CURRENT] = g_param_spec_boolean ("is-current", NULL, NULL, FALSE, flags);
  properties[PROP_SCREEN] = g_param_spec_string ("screen", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_snapshot_init (VmdSnapshot *self)
{
}

VmdSnapshot *
_vmd_snapshot_new (const char      *label,
                   gint64           created,
                   VmdMachineState  state,
                   gboolean         has_memory,
                   gboolean         is_current,
                   const char      *screen)
{
  VmdSnapshot *self = g_object_new (VMD_TYPE_SNAPSHOT, NULL);

  self->label = g_strdup (label);
  self->created = g_date_time_new_from_unix_local (created);
  self->state = state;
  self->has_memory = has_memory;
  self->is_current = is_current;
  self->screen = g_strdup (screen);
  return self;
}

/* The name the person gave it. */
const char *
vmd_snapshot_get_label (VmdSnapshot *self)
{
  g_return_val_if_fail (VMD_IS_SNAPSHOT (self), NULL);

  return self->label;
}

GDateTime *
vmd_snapshot_get_created (VmdSnapshot *self)
{
  g_return_val_if_fail (VMD_IS_SNAPSHOT (self), NULL);

  return self->created;
}

/* What the machine was doing when the snapshot was taken. */
VmdMachineState
vmd_snapshot_get_state (VmdSnapshot *self)
{
  g_return_val_if_fail (VMD_IS_SNAPSHOT (self), VMD_MACHINE_STATE_UNKNOWN);

  return self->state;
}

/* Whether reverting brings the running machine back, not only its disks. */
gboolean
vmd_snapshot_get_has_memory (VmdSnapshot *self)
{
  g_return_val_if_fail (VMD_IS_SNAPSHOT (self), FALSE);

  return self->has_memory;
}

/* Whether the machine's disks descend from this snapshot (libvirt's
 * current snapshot). */
gboolean
vmd_snapshot_get_is_current (VmdSnapshot *self)
{
  g_return_val_if_fail (VMD_IS_SNAPSHOT (self), FALSE);

  return self->is_current;
}

/* A picture of the machine's screen when the snapshot was taken (an image
 * file: PNG or PPM), or %NULL. */
const char *
vmd_snapshot_get_screen (VmdSnapshot *self)
{
  g_return_val_if_fail (VMD_IS_SNAPSHOT (self), NULL);

  return self->screen;
}
