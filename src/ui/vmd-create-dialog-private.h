/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "vmd-budget.h"
#include "vmd-cloner.h"
#include "vmd-connection.h"
#include "vmd-create-dialog.h"
#include "vmd-creator.h"
#include "vmd-guest-spec.h"
#include "vmd-host.h"
#include "vmd-media.h"
#include "vmd-planner.h"

G_BEGIN_DECLS

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define GB  G_GUINT64_CONSTANT (1000000000)

/* From an image to a running guest: what the image is, what VmDesk
 * proposes (editable), the honest verdict on memory and disk, then Create. */
struct _VmdCreateDialog
{
  AdwWindow       parent_instance;

  /* template widgets */
  GtkImage       *budget_icon;
  AdwPreferencesGroup *budget_group;
  GtkLabel       *budget_label;
  GtkButton      *cancel_button;
  GtkCheckButton *confirm_check;
  GtkButton      *create_button;
  GtkLabel       *create_error_label;
  AdwStatusPage  *creating_page;
  AdwActionRow   *disk_row;
  GtkSpinButton  *disk_spin;
  AdwStatusPage  *error_page;
  GtkLabel       *explanation_label;
  AdwStatusPage  *identifying_page;
  GtkSpinner     *identifying_spinner;
  GtkImage       *media_icon;
  GtkSpinButton  *memory_spin;
  GtkLabel       *name_error_label;
  AdwEntryRow    *name_row;
  GtkLabel       *os_label;
  AdwComboRow    *os_row;
  GtkProgressBar *progress;
  GtkStack       *stack;
  GtkDropDown    *system_dropdown;
  AdwActionRow   *system_row;
  GtkSpinButton  *vcpus_spin;
  GtkLabel       *warnings_label;
  AdwPreferencesGroup *express_group;
  AdwExpanderRow *express_row;
  AdwEntryRow    *user_row;
  AdwEntryRow    *full_name_row;
  AdwPasswordEntryRow *password_row;
  GtkSwitch      *admin_switch;
  AdwEntryRow    *product_key_row;
  AdwActionRow   *locale_row;

  /* owned */
  VmdConnection  *connection;
  GFile          *iso;
  GCancellable   *cancellable;
  VmdPlanner     *planner;      /* the file, this computer, the machine proposed */
  VmdCreator     *creator;
  /* a disk image to import instead (the file is no installer) */
  GError         *media_error;  /* why it is no installer */
  VmdCloner      *importer;     /* once the image is read */
  GPtrArray      *system_ids;   /* the systems offered for it, by position: [0] NULL, unknown */
  gboolean        inspecting;
  gboolean        importing;
  VmdBudgetVerdict verdict;
  guint           filling : 1;
  guint           rechecking : 1;
  guint           there : 1;  /* iso is on the connection's computer */
};

/* The machine proposed, once there is one. */
static inline VmdGuestSpec *
_vmd_create_dialog_spec (VmdCreateDialog *self)
{
  return self->planner != NULL ? vmd_planner_get_spec (self->planner) : NULL;
}

/* vmd-create-dialog.c */
void _vmd_create_dialog_show_error      (VmdCreateDialog *self,
                                         const GError    *error);
void _vmd_create_dialog_review          (VmdCreateDialog *self);
void _vmd_create_dialog_show_spec       (VmdCreateDialog *self,
                                         const char      *what,
                                         const char      *explanation);
void _vmd_create_dialog_back_to_review  (VmdCreateDialog *self,
                                         const GError    *error);
void _vmd_create_dialog_done            (VmdCreateDialog *self,
                                         VmdMachine      *machine,
                                         const char      *notice);

void _vmd_create_dialog_update_button   (VmdCreateDialog *self);

/* vmd-create-dialog-express.c: the installer answered in advance */
void     _vmd_create_dialog_init_express  (VmdCreateDialog *self);
void     _vmd_create_dialog_fill_express  (VmdCreateDialog *self);
void     _vmd_create_dialog_hide_express  (VmdCreateDialog *self);
gboolean _vmd_create_dialog_express_ready (VmdCreateDialog *self);
void     _vmd_create_dialog_apply_express (VmdCreateDialog *self,
                                           VmdCreator      *creator);

/* vmd-create-dialog-import.c: a disk image instead of an installer */
void _vmd_create_dialog_inspect         (VmdCreateDialog *self);
void _vmd_create_dialog_fill_import     (VmdCreateDialog *self);
void _vmd_create_dialog_import          (VmdCreateDialog *self);
void _vmd_create_dialog_forget_import   (VmdCreateDialog *self);

G_END_DECLS
