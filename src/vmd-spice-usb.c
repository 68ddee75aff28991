/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-spice-usb"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-error.h"
#include "vmd-spice-session-private.h"

/* This computer's USB devices, handed to the guest over SPICE's usbredir
 * channels by spice-client-glib's USB device manager, as a list the
 * window shows. Lives as long as the machine's session; the manager is the
 * SPICE session's, and changes with it. */

struct _VmdUsbDevice
{
  GObject         parent_instance;

  SpiceUsbDevice *device;
  char           *description;
  guint           redirected : 1;
  guint           busy : 1;
};

G_DEFINE_FINAL_TYPE (VmdUsbDevice, vmd_usb_device, G_TYPE_OBJECT)

enum {
  DEVICE_PROP_0,
  DEVICE_PROP_DESCRIPTION,
  DEVICE_PROP_REDIRECTED,
  DEVICE_PROP_BUSY,
  DEVICE_N_PROPS
};

static GParamSpec *device_properties[DEVICE_N_PROPS];

struct _VmdSpiceUsb
{
  GObject                parent_instance;

  SpiceUsbDeviceManager *manager;
  GListStore            *devices;     /* VmdUsbDevice */
  char                  *error;
  guint                  channels;    /* usbredir channels of the session */
  guint                  auto_redirect : 1;
};

G_DEFINE_FINAL_TYPE (VmdSpiceUsb, vmd_spice_usb, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_ERROR,
  PROP_AUTO_REDIRECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* -- a device ---------------------------------------------------------- */

static void
device_set (VmdUsbDevice *self,
            gboolean      redirected,
            gboolean      busy)
{
  if (self->redirected != !!redirected)
    {
      self->redirected = !!redirected;
      g_object_notify_by_pspec (G_OBJECT (self), device_properties[DEVICE_PROP_REDIRECTED]);
    }
  if (self->busy != !!busy)
    {
      self->busy = !!busy;
      g_object_notify_by_pspec (G_OBJECT (self), device_properties[DEVICE_PROP_BUSY]);
    }
}

const char *
vmd_usb_device_get_description (VmdUsbDevice *self)
{
  g_return_val_if_fail (VMD_IS_USB_DEVICE (self), NULL);
  return self->description;
}

gboolean
vmd_usb_device_get_redirected (VmdUsbDevice *self)
{
  g_return_val_if_fail (VMD_IS_USB_DEVICE (self), FALSE);
  return self->redirected;
}

gboolean
vmd_usb_device_get_busy (VmdUsbDevice *self)
{
  g_return_val_if_fail (VMD_IS_USB_DEVICE (self), FALSE);
  return self->busy;
}

static void
vmd_usb_device_finalize (GObject *object)
{
  VmdUsbDevice *self = (VmdUsbDevice *) object;

  if (self->device != NULL)
    g_boxed_free (SPICE_TYPE_USB_DEVICE, self->device);
  g_free (self->description);

  G_OBJECT_CLASS (vmd_usb_device_parent_class)->finalize (object);
}

static void
vmd_usb_device_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VmdUsbDevice *self = VMD_USB_DEVICE (object);

  switch (prop_id)
    {
    case DEVICE_PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case DEVICE_PROP_REDIRECTED:
      g_value_set_boolean (value, self->redirected);
      break;
    case DEVICE_PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_usb_device_class_init (VmdUsbDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_usb_device_finalize;
  object_class->get_property = vmd_usb_device_get_property;

  device_properties[DEVICE_PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL, ro);
  device_properties[DEVICE_PROP_REDIRECTED] =
    g_param_spec_boolean ("redirected", NULL, NULL, FALSE, ro);
  device_properties[DEVICE_PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, DEVICE_N_PROPS, device_properties);
}

static void
vmd_usb_device_init (VmdUsbDevice *self)
{
}

/* -- the list ---------------------------------------------------------- */

static void
set_error (VmdSpiceUsb *self,
           const char  *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static gboolean
find_device (VmdSpiceUsb    *self,
             SpiceUsbDevice *device,
             guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdUsbDevice) item = g_list_model_get_item (G_LIST_MODEL (self->devices), i);

      if (item->device == device)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_device_added (SpiceUsbDeviceManager *manager,
                 SpiceUsbDevice        *device,
                 VmdSpiceUsb           *self)
{
  VmdUsbDevice *item;
  guint position;

  if (find_device (self, device, &position))
    return;
  item = g_object_new (VMD_TYPE_USB_DEVICE, NULL);
  item->device = g_boxed_copy (SPICE_TYPE_USB_DEVICE, device);
  /* "SanDisk Cruzer Blade [0781:5567] at 1-2" */
  item->description = spice_usb_device_get_description (device, NULL);
  item->redirected = spice_usb_device_manager_is_device_connected (manager, device);
  g_list_store_append (self->devices, item);
  g_object_unref (item);
}

static void
on_device_removed (SpiceUsbDeviceManager *manager,
                   SpiceUsbDevice        *device,
                   VmdSpiceUsb           *self)
{
  guint position;

  if (find_device (self, device, &position))
    g_list_store_remove (self->devices, position);
}

static void
on_device_error (SpiceUsbDeviceManager *manager,
                 SpiceUsbDevice        *device,
                 GError                *error,
                 VmdSpiceUsb           *self)
{
  g_autofree char *name = spice_usb_device_get_description (device, "%s %s");
  g_autofree char *message = g_strdup_printf (_("“%s” could not be handed to the machine: %s"),
                                              name, error->message);

  set_error (self, message);
}

void
_vmd_spice_usb_set_session (VmdSpiceUsb  *self,
                            SpiceSession *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;

  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->manager, self);
      g_clear_object (&self->manager);
    }
  g_list_store_remove_all (self->devices);
  if (self->channels > 0)
    {
      self->channels = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
    }
  if (session == NULL)
    return;

  self->manager = spice_usb_device_manager_get (session, &error);
  if (self->manager == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("This computer’s USB devices cannot be reached: %s"), error->message);

      g_message ("No USB device manager: %s", error->message);
      set_error (self, message);
      return;
    }
  g_object_ref (self->manager);
  set_error (self, NULL);
  g_object_set (self->manager, "auto-connect", (gboolean) self->auto_redirect, NULL);
  g_signal_connect_object (self->manager, "device-added", G_CALLBACK (on_device_added), self, 0);
  g_signal_connect_object (self->manager, "device-removed", G_CALLBACK (on_device_removed), self,
                           0);
  g_signal_connect_object (self->manager, "device-error", G_CALLBACK (on_device_error), self, 0);
  g_signal_connect_object (self->manager, "auto-connect-failed", G_CALLBACK (on_device_error),
                           self, 0);
  devices = spice_usb_device_manager_get_devices (self->manager);
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    on_device_added (self->manager, g_ptr_array_index (devices, i), self);
}

/* One more usbredir channel: a device more can go to the guest. */
void
_vmd_spice_usb_add_channel (VmdSpiceUsb *self)
{
  if (self->channels++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

/* -- public ------------------------------------------------------------ */

/**
 * vmd_spice_usb_get_available:
 *
 * Whether devices can go to the guest: its screen is connected and its
 * definition has the channels for it.
 */
gboolean
vmd_spice_usb_get_available (VmdSpiceUsb *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_USB (self), FALSE);
  return self->channels > 0;
}

/**
 * vmd_spice_usb_get_devices:
 *
 * Returns: (transfer none): this computer's USB devices, #VmdUsbDevice
 */
GListModel *
vmd_spice_usb_get_devices (VmdSpiceUsb *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_USB (self), NULL);
  return G_LIST_MODEL (self->devices);
}

const char *
vmd_spice_usb_get_error (VmdSpiceUsb *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_USB (self), NULL);
  return self->error;
}

gboolean
vmd_spice_usb_get_auto_redirect (VmdSpiceUsb *self)
{
  g_return_val_if_fail (VMD_IS_SPICE_USB (self), FALSE);
  return self->auto_redirect;
}

void
vmd_spice_usb_set_auto_redirect (VmdSpiceUsb *self,
                                 gboolean     auto_redirect)
{
  g_return_if_fail (VMD_IS_SPICE_USB (self));

  if (self->auto_redirect == !!auto_redirect)
    return;
  self->auto_redirect = !!auto_redirect;
  if (self->manager != NULL)
    g_object_set (self->manager, "auto-connect", auto_redirect, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_REDIRECT]);
}

static void
redirect_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdSpiceUsb *self = g_task_get_source_object (task);
  VmdUsbDevice *device = g_task_get_task_data (task);
  SpiceUsbDeviceManager *manager = SPICE_USB_DEVICE_MANAGER (source);
  gboolean redirect = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "redirect"));
  g_autoptr(GError) error = NULL;
  gboolean done;

  done = redirect ? spice_usb_device_manager_connect_device_finish (manager, result, &error)
                  : spice_usb_device_manager_disconnect_device_finish (manager, result, &error);
  device_set (device, spice_usb_device_manager_is_device_connected (manager, device->device),
              FALSE);
  if (done)
    {
      set_error (self, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  {
    g_autofree char *message =
      g_strdup_printf (redirect ? _("“%s” could not be handed to the machine: %s")
                                : _("“%s” could not be taken back from the machine: %s"),
                       device->description, error->message);

    set_error (self, message);
    g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED, "%s", message);
  }
}

/**
 * vmd_spice_usb_redirect_async:
 * @redirect: %TRUE to hand @device to the guest, %FALSE to take it back
 *
 * A device the desktop may not open (its permissions) fails with a
 * message that says so, also kept as #VmdSpiceUsb:error.
 */
void
vmd_spice_usb_redirect_async (VmdSpiceUsb         *self,
                              VmdUsbDevice        *device,
                              gboolean             redirect,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VMD_IS_SPICE_USB (self));
  g_return_if_fail (VMD_IS_USB_DEVICE (device));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_spice_usb_redirect_async);
  g_task_set_task_data (task, g_object_ref (device), g_object_unref);
  g_object_set_data (G_OBJECT (task), "redirect", GINT_TO_POINTER (redirect));

  if (self->manager == NULL || device->busy)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED, "%s",
                               _("The machine’s screen is not connected."));
      return;
    }
  if (redirect && !spice_usb_device_manager_can_redirect_device (self->manager, device->device,
                                                                 &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” could not be handed to the machine: %s"), device->description,
                         error->message);

      set_error (self, message);
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED, "%s", message);
      return;
    }
  device_set (device, device->redirected, TRUE);
  if (redirect)
    spice_usb_device_manager_connect_device_async (self->manager, device->device, cancellable,
                                                   redirect_cb, g_steal_pointer (&task));
  else
    spice_usb_device_manager_disconnect_device_async (self->manager, device->device, cancellable,
                                                      redirect_cb, g_steal_pointer (&task));
}

gboolean
vmd_spice_usb_redirect_finish (VmdSpiceUsb   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* -- GObject ----------------------------------------------------------- */

static void
vmd_spice_usb_dispose (GObject *object)
{
  VmdSpiceUsb *self = (VmdSpiceUsb *) object;

  if (self->devices != NULL)
    _vmd_spice_usb_set_session (self, NULL);
  g_clear_object (&self->devices);

  G_OBJECT_CLASS (vmd_spice_usb_parent_class)->dispose (object);
}

static void
vmd_spice_usb_finalize (GObject *object)
{
  VmdSpiceUsb *self = (VmdSpiceUsb *) object;

  g_free (self->error);

  G_OBJECT_CLASS (vmd_spice_usb_parent_class)->finalize (object);
}

static void
vmd_spice_usb_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VmdSpiceUsb *self = VMD_SPICE_USB (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->channels > 0);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_AUTO_REDIRECT:
      g_value_set_boolean (value, self->auto_redirect);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_spice_usb_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VmdSpiceUsb *self = VMD_SPICE_USB (object);

  switch (prop_id)
    {
    case PROP_AUTO_REDIRECT:
      vmd_spice_usb_set_auto_redirect (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_spice_usb_class_init (VmdSpiceUsbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vmd_spice_usb_dispose;
  object_class->finalize = vmd_spice_usb_finalize;
  object_class->get_property = vmd_spice_usb_get_property;
  object_class->set_property = vmd_spice_usb_set_property;

  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_AUTO_REDIRECT] =
    g_param_spec_boolean ("auto-redirect", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_spice_usb_init (VmdSpiceUsb *self)
{
  self->devices = g_list_store_new (VMD_TYPE_USB_DEVICE);
}

/* @settings: (nullable): the machine's, which keep auto-redirect */
VmdSpiceUsb *
_vmd_spice_usb_new (GSettings *settings)
{
  VmdSpiceUsb *self = g_object_new (VMD_TYPE_SPICE_USB, NULL);

  if (settings != NULL)
    g_settings_bind (settings, "usb-auto-redirect", self, "auto-redirect", G_SETTINGS_BIND_DEFAULT);
  return self;
}
