/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-quit"

#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-machine.h"
#include "vmd-quit.h"

/* Quitting while machines run: asked once, what to do with them. Save
 * (the default: they resume where they were), leave them running, or
 * shut them down; then VmDesk quits. */

typedef struct
{
  GApplication *app;
  GtkWindow    *parent;
  GPtrArray    *machines;  /* VmdMachine: those running */
  guint         pending;
  GString      *failures;
} Quit;

static void
quit_free (Quit *quit)
{
  g_object_unref (quit->app);
  g_object_unref (quit->parent);
  g_ptr_array_unref (quit->machines);
  g_string_free (quit->failures, TRUE);
  g_free (quit);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Quit *quit = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_run_finish (VMD_MACHINE (object), result, &error))
    g_string_append_printf (quit->failures, "%s%s", quit->failures->len ? "\n" : "",
                            error->message);
  if (--quit->pending > 0)
    return;

  /* A machine that could not be saved is still running: say so, stay. */
  if (quit->failures->len > 0)
    {
      AdwMessageDialog *dialog =
        ADW_MESSAGE_DIALOG (adw_message_dialog_new (quit->parent, _("VmDesk Did Not Quit"),
                                                    quit->failures->str));

      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    g_application_quit (quit->app);
  quit_free (quit);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Quit             *quit)
{
  VmdMachineAction action;

  /* Once: a dialog closing after its answer answers again. */
  g_signal_handlers_disconnect_by_data (dialog, quit);
  if (g_str_equal (response, "leave"))
    {
      g_application_quit (quit->app);
      quit_free (quit);
      return;
    }
  if (!g_str_equal (response, "save") && !g_str_equal (response, "shutdown"))
    {
      quit_free (quit);
      return;
    }

  action = g_str_equal (response, "save") ? VMD_MACHINE_ACTION_SAVE
                                          : VMD_MACHINE_ACTION_SHUTDOWN;
  /* One more than the machines: none of them can finish it early. */
  quit->pending = 1;
  for (guint i = 0; i < quit->machines->len; i++)
    {
      VmdMachine *machine = quit->machines->pdata[i];

      if (!vmd_machine_can_run (machine, action))
        continue;
      quit->pending++;
      vmd_machine_run_async (machine, action, NULL, on_done, quit);
    }
  quit->pending--;
  if (quit->pending == 0)
    {
      g_application_quit (quit->app);
      quit_free (quit);
    }
}

/**
 * vmd_quit_ask:
 * @parent: (nullable): the window to ask in
 *
 * Asks what becomes of the machines of @connection that run, then quits
 * @app as the person said.
 *
 * Returns: %FALSE when there was nothing to ask (the caller quits, or
 *   closes its last window), %TRUE when asked
 */
gboolean
vmd_quit_ask (GApplication  *app,
                  GtkWindow     *parent,
                  VmdConnection *connection)
{
  GListModel *machines = vmd_connection_get_machines (connection);
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  Quit *quit;

  for (guint i = 0; i < g_list_model_get_n_items (machines); i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (machines, i);

      if (vmd_machine_can_run (machine, VMD_MACHINE_ACTION_SAVE))
        g_ptr_array_add (running, g_steal_pointer (&machine));
    }
  if (running->len == 0 || parent == NULL)
    return FALSE;

  if (running->len == 1)
    body = g_strdup_printf (_("“%s” is running. Saved, it starts again where it is now."),
                            vmd_machine_get_name (running->pdata[0]));
  else
    body = g_strdup_printf (ngettext ("“%s” and %u other machine are running. Saved, they start again where they are now.",
                                      "“%s” and %u other machines are running. Saved, they start again where they are now.",
                                      running->len - 1),
                            vmd_machine_get_name (running->pdata[0]), running->len - 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Quit With Machines Running?"),
                                                       body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "leave", _("_Leave Running"),
                                    "shutdown", _("Shut _Down"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");

  quit = g_new0 (Quit, 1);
  quit->app = g_object_ref (app);
  quit->parent = g_object_ref (parent);
  quit->machines = g_steal_pointer (&running);
  quit->failures = g_string_new (NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), quit);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}
