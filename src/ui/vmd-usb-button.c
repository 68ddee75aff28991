/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-usb-button"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vmd-usb-button.h"

/* This computer's USB devices in the screen's header: ticking one hands it
 * to the machine, unticking takes it back. Shown for a machine whose
 * definition has USB redirection. */

struct _VmdUsbButton
{
  GtkWidget    parent_instance;

  /* template */
  GtkWidget   *auto_check;
  GtkWidget   *button;
  GtkWidget   *error_label;
  GtkListBox  *list;
  GtkWidget   *popover;

  /* owned */
  VmdSpiceUsb *usb;
  GBinding    *auto_binding;
};

G_DEFINE_FINAL_TYPE (VmdUsbButton, vmd_usb_button, GTK_TYPE_WIDGET)

static void
update (VmdUsbButton *self)
{
  const char *error = self->usb != NULL ? vmd_spice_usb_get_error (self->usb) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self),
                          self->usb != NULL && vmd_spice_usb_get_available (self->usb));
  gtk_label_set_label (GTK_LABEL (self->error_label), error);
  gtk_widget_set_visible (self->error_label, error != NULL);
}

static void
redirect_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkCheckButton) check = user_data;
  VmdUsbDevice *device = g_object_get_data (G_OBJECT (check), "device");
  g_autoptr(GError) error = NULL;

  /* The error is the list's to show (VmdSpiceUsb:error). */
  if (!vmd_spice_usb_redirect_finish (VMD_SPICE_USB (source), result, &error))
    g_message ("%s", error->message);
  gtk_check_button_set_active (check, vmd_usb_device_get_redirected (device));
}

static void
on_toggled (GtkCheckButton *check,
            VmdUsbButton   *self)
{
  VmdUsbDevice *device = g_object_get_data (G_OBJECT (check), "device");
  gboolean active = gtk_check_button_get_active (check);

  if (self->usb == NULL || active == vmd_usb_device_get_redirected (device) ||
      vmd_usb_device_get_busy (device))
    return;
  vmd_spice_usb_redirect_async (self->usb, device, active, NULL, redirect_cb,
                                g_object_ref (check));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  VmdUsbButton *self = user_data;
  VmdUsbDevice *device = item;
  GtkWidget *check = gtk_check_button_new_with_label (vmd_usb_device_get_description (device));

  g_object_set_data_full (G_OBJECT (check), "device", g_object_ref (device), g_object_unref);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), vmd_usb_device_get_redirected (device));
  g_object_bind_property (device, "busy", check, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_toggled), self, 0);
  gtk_widget_set_margin_start (check, 6);
  gtk_widget_set_margin_end (check, 6);
  gtk_widget_set_margin_top (check, 6);
  gtk_widget_set_margin_bottom (check, 6);
  return check;
}

VmdSpiceUsb *
vmd_usb_button_get_usb (VmdUsbButton *self)
{
  g_return_val_if_fail (VMD_IS_USB_BUTTON (self), NULL);
  return self->usb;
}

void
vmd_usb_button_set_usb (VmdUsbButton *self,
                        VmdSpiceUsb  *usb)
{
  g_return_if_fail (VMD_IS_USB_BUTTON (self));

  if (self->usb == usb)
    return;
  g_clear_pointer (&self->auto_binding, g_binding_unbind);
  if (self->usb != NULL)
    g_signal_handlers_disconnect_by_data (self->usb, self);
  gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_set_object (&self->usb, usb);
  if (usb != NULL)
    {
      gtk_list_box_bind_model (self->list, vmd_spice_usb_get_devices (usb), create_row, self,
                               NULL);
      self->auto_binding = g_object_bind_property (usb, "auto-redirect", self->auto_check,
                                                   "active",
                                                   G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_signal_connect_swapped (usb, "notify", G_CALLBACK (update), self);
    }
  update (self);
}

static void
vmd_usb_button_dispose (GObject *object)
{
  VmdUsbButton *self = (VmdUsbButton *) object;

  if (self->list != NULL)
    vmd_usb_button_set_usb (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VMD_TYPE_USB_BUTTON);

  G_OBJECT_CLASS (vmd_usb_button_parent_class)->dispose (object);
}

static void
vmd_usb_button_class_init (VmdUsbButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_usb_button_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/VmDesk/vmd-usb-button.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdUsbButton, auto_check);
  gtk_widget_class_bind_template_child (widget_class, VmdUsbButton, button);
  gtk_widget_class_bind_template_child (widget_class, VmdUsbButton, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdUsbButton, list);
  gtk_widget_class_bind_template_child (widget_class, VmdUsbButton, popover);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vmd_usb_button_init (VmdUsbButton *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  placeholder = gtk_label_new (_("No USB devices on this computer"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  update (self);
}

GtkWidget *
vmd_usb_button_new (void)
{
  return g_object_new (VMD_TYPE_USB_BUTTON, NULL);
}
