/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "vmd-computer-list.h"
#include "vmd-create-dialog.h"
#include "vmd-display-page.h"
#include "vmd-host-meter.h"
#include "vmd-machine-controls.h"
#include "vmd-window.h"

G_BEGIN_DECLS

struct _VmdWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  GtkRevealer          *banner;
  VmdComputerList      *computer_list;
  VmdDisplayPage       *display_page;
  GtkStack             *main_stack;
  GtkLabel             *banner_label;
  GtkSpinner           *connecting_spinner;
  GtkFlowBox           *downloads;
  AdwStatusPage        *empty_page;
  GtkGridView          *grid;
  AdwStatusPage        *no_match_page;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkRevealer          *sidebar;
  VmdHostMeter         *host_meter;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
  AdwStatusPage        *unreachable_page;

  /* owned */
  VmdConnection        *connection;   /* the computer shown */
  VmdComputers         *computers;    /* or NULL: that one only */
  GtkSortListModel     *sorted;       /* borrowed from filtered */
  VmdMachineControls   *controls;
  GtkSingleSelection   *selection;
  GtkFilterListModel   *filtered;
  GtkSliceListModel    *first_tiles;  /* the tiles of the first frame, then all */
  guint                 first_frame_tick;
  guint                 first_frame_ticks;
  GtkStringFilter      *name_filter;
  GtkStringFilter      *os_filter;
  VmdMachine           *selected;
  GSettings            *settings;
  VmdHost              *host;
  GCancellable         *cancellable;
  char                 *pending_show;
};

void _vmd_window_add_actions    (VmdWindow  *self);
void _vmd_window_add_computer_actions    (VmdWindow *self);
void _vmd_window_update_computer_actions (VmdWindow *self);
void _vmd_window_show_connection         (VmdWindow     *self,
                                          VmdConnection *connection);
void _vmd_window_download       (VmdWindow  *self);
void _vmd_window_update_actions (VmdWindow  *self);
void _vmd_window_show_all_tiles (VmdWindow  *self);
void _vmd_window_select         (VmdWindow  *self,
                                 VmdMachine *machine);
void _vmd_window_watch_create_dialog (VmdWindow       *self,
                                      VmdCreateDialog *dialog);

G_END_DECLS
