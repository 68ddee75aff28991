/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vmd-spice-usb.h"

G_BEGIN_DECLS

#define VMD_TYPE_USB_BUTTON (vmd_usb_button_get_type ())

G_DECLARE_FINAL_TYPE (VmdUsbButton, vmd_usb_button, VMD, USB_BUTTON, GtkWidget)

GtkWidget   *vmd_usb_button_new     (void);
VmdSpiceUsb *vmd_usb_button_get_usb (VmdUsbButton *self);
void         vmd_usb_button_set_usb (VmdUsbButton *self,
                                     VmdSpiceUsb  *usb);

G_END_DECLS
