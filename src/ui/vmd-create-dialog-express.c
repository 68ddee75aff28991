/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-create-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-create-dialog-private.h"

/* Express install in the review: on where libosinfo can answer the
 * installer, with the desktop's user, language, keyboard and time zone;
 * the password typed here goes to the installer's answers only. */

/* Whether the answers are complete enough to create: a password at least. */
gboolean
_vmd_create_dialog_express_ready (VmdCreateDialog *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->express_group)) ||
      !adw_expander_row_get_enable_expansion (self->express_row))
    return TRUE;
  return *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0' &&
         *gtk_editable_get_text (GTK_EDITABLE (self->user_row)) != '\0';
}

/* The review's express install: offered where libosinfo can answer this
 * installer, else said why not. */
void
_vmd_create_dialog_fill_express (VmdCreateDialog *self)
{
  const GError *why_not = NULL;
  VmdExpress *express = vmd_planner_get_express (self->planner, &why_not);
  g_autofree char *how = NULL;
  g_autofree char *locale = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->express_group), TRUE);
  if (express == NULL)
    {
      adw_expander_row_set_enable_expansion (self->express_row, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->express_row), FALSE);
      adw_expander_row_set_subtitle (self->express_row, why_not ? why_not->message : "");
      return;
    }

  how = vmd_express_describe (express);
  if (vmd_express_get_needs_internet (express))
    {
      /* Translators: how the installer is answered, then what it needs */
      g_autofree char *more = g_strdup_printf (_("%s; the installer needs the internet"), how);

      g_free (how);
      how = g_steal_pointer (&more);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->express_row), TRUE);
  adw_expander_row_set_subtitle (self->express_row, how);
  adw_expander_row_set_enable_expansion (self->express_row, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), vmd_express_get_user_login (express));
  gtk_editable_set_text (GTK_EDITABLE (self->full_name_row),
                         vmd_express_get_user_full_name (express));
  gtk_widget_set_visible (GTK_WIDGET (self->product_key_row),
                          vmd_express_get_wants_product_key (express));
  /* Translators: a language (fr_FR), a keyboard layout (fr), a time zone, from this desktop */
  locale = g_strdup_printf (_("%s · %s · %s, as on this desktop"),
                            vmd_express_get_language (express),
                            vmd_express_get_keyboard (express),
                            vmd_express_get_timezone (express));
  adw_action_row_set_subtitle (self->locale_row, locale);
}

/* An import, or a file without a plan: nothing to answer. */
void
_vmd_create_dialog_hide_express (VmdCreateDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->express_group), FALSE);
}

/* Create with the answers, when express install is on. */
void
_vmd_create_dialog_apply_express (VmdCreateDialog *self,
                                  VmdCreator      *creator)
{
  VmdExpress *express = vmd_planner_get_express (self->planner, NULL);

  if (express == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->express_group)) ||
      !adw_expander_row_get_enable_expansion (self->express_row))
    return;
  vmd_express_set_user (express, gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                        gtk_editable_get_text (GTK_EDITABLE (self->full_name_row)),
                        gtk_switch_get_active (self->admin_switch));
  if (vmd_express_get_wants_product_key (express))
    vmd_express_set_product_key (express,
                                 gtk_editable_get_text (GTK_EDITABLE (self->product_key_row)));
  vmd_creator_set_express (creator, express,
                           gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  /* The field forgets it: the creator holds it until the answers are written. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

void
_vmd_create_dialog_init_express (VmdCreateDialog *self)
{
  g_signal_connect_swapped (self->password_row, "changed",
                            G_CALLBACK (_vmd_create_dialog_update_button), self);
  g_signal_connect_swapped (self->user_row, "changed",
                            G_CALLBACK (_vmd_create_dialog_update_button), self);
  g_signal_connect_swapped (self->express_row, "notify::enable-expansion",
                            G_CALLBACK (_vmd_create_dialog_update_button), self);
}
