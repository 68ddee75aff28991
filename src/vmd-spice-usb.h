/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vmd-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_SPICE_USB  (vmd_spice_usb_get_type ())
#define VMD_TYPE_USB_DEVICE (vmd_usb_device_get_type ())

G_DECLARE_FINAL_TYPE (VmdSpiceUsb, vmd_spice_usb, VMD, SPICE_USB, GObject)
G_DECLARE_FINAL_TYPE (VmdUsbDevice, vmd_usb_device, VMD, USB_DEVICE, GObject)

gboolean    vmd_spice_usb_get_available     (VmdSpiceUsb          *self);
GListModel *vmd_spice_usb_get_devices       (VmdSpiceUsb          *self);
const char *vmd_spice_usb_get_error         (VmdSpiceUsb          *self);
gboolean    vmd_spice_usb_get_auto_redirect (VmdSpiceUsb          *self);
void        vmd_spice_usb_set_auto_redirect (VmdSpiceUsb          *self,
                                             gboolean              auto_redirect);
void        vmd_spice_usb_redirect_async    (VmdSpiceUsb          *self,
                                             VmdUsbDevice         *device,
                                             gboolean              redirect,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    vmd_spice_usb_redirect_finish   (VmdSpiceUsb          *self,
                                             GAsyncResult         *result,
                                             GError              **error);

const char *vmd_usb_device_get_description  (VmdUsbDevice         *self);
gboolean    vmd_usb_device_get_redirected   (VmdUsbDevice         *self);
gboolean    vmd_usb_device_get_busy         (VmdUsbDevice         *self);

G_END_DECLS
