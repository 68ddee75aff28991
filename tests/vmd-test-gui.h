/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vmd-application.h"

G_BEGIN_DECLS

gboolean vmd_test_gui_init_as_user (void);
void     vmd_test_drop_file        (GtkWidget  *widget,
                                    const char *path);

GtkWidget      *vmd_test_find_widget        (GtkWidget      *root,
                                            GType           type);
VmdApplication *vmd_test_application_new    (void);
GtkWidget      *vmd_test_show_in_app_window (VmdApplication *app,
                                            const char     *title,
                                            int             width,
                                            int             height,
                                            const char     *name,
                                            GtkWidget     **page);
GtkWidget        *vmd_test_find_button       (GtkWidget      *root,
                                             const char     *label);
AdwMessageDialog *vmd_test_find_dialog       (GtkWindow      *parent);
GtkWindow        *vmd_test_find_toplevel     (GType           type,
                                             GtkWindow      *parent);
void              vmd_test_make_memory_tight (VmdConnection  *connection);

/* Deadline of the waits for what a window shows. */
#define VMD_TEST_GUI_WAIT_MS 30000

GPtrArray        *vmd_test_find_widgets      (GtkWidget      *root,
                                             GType           type);
char             *vmd_test_visible_text      (GtkWidget      *root);
gboolean          vmd_test_wait_for_text     (GtkWidget      *root,
                                             const char     *text);
gboolean          vmd_test_wait_for_part     (GtkWidget      *root,
                                             const char     *part);
void              vmd_test_settle            (void);
void              vmd_test_save_screenshot   (GtkWidget      *window,
                                             const char     *name);
GtkWidget        *vmd_test_open_window       (VmdApplication *app,
                                             const char     *uri,
                                             VmdConnection **out_connection);
VmdApplication   *vmd_test_app_init          (int            *argc,
                                             char         ***argv);
GtkWidget        *vmd_test_find_tile         (GtkWidget      *window,
                                             const char     *name);
GtkPopover       *vmd_test_popup_tile_menu   (GtkWidget      *window,
                                             const char     *name);
GtkWidget        *vmd_test_find_menu_item    (GtkWidget      *popover,
                                             const char     *label);
void              vmd_test_run_command       (const char * const *argv);
void              vmd_test_press             (const char     *title,
                                             const char     *keys);
void              vmd_test_type              (const char     *title,
                                             const char     *text);

GdkPixbuf        *vmd_test_guest_screenshot  (const char     *uri,
                                              const char     *name,
                                              const char     *workdir);
char             *vmd_test_ocr               (GdkPixbuf      *pixbuf,
                                              const char     *workdir);
gboolean          vmd_test_wait_guest_shows  (const char     *uri,
                                              const char     *name,
                                              const char     *workdir,
                                              const char     *needle,
                                              guint           timeout_ms);

/* The desktop's clipboard, as another program (xclip) sees it; the main
 * loop runs meanwhile, as the clipboard may be VmDesk's to serve. */
char             *vmd_test_desktop_clipboard (void);
gboolean          vmd_test_desktop_holds     (gpointer        text);
void              vmd_test_desktop_copy      (const char     *text);
/* Runs @argv to its end, the main loop running meanwhile. */
void              vmd_test_run_serving       (const char * const *argv,
                                              guint           timeout_ms);
/* Whether the guest's screen is the size of the VmdDisplay showing it. */
gboolean          vmd_test_guest_fills_display (gpointer      display);
/* A widget's width, to wait for it to change. */
typedef struct
{
  GtkWidget *widget;
  int        width;
} VmdTestWidth;
gboolean          vmd_test_width_changed     (gpointer        was);

/* spice-client-glib's warning when an agent connects, logged, not fatal. */
void              vmd_test_allow_volume_warning (void);

G_END_DECLS
