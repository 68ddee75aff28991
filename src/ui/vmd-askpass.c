/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmdesk-askpass"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

/* VmDesk's SSH_ASKPASS: what ssh asks when it reaches another computer
 * for VmDesk (a password, a passphrase, whether to trust a host key it
 * has never seen), shown to the person in a dialog. ssh runs it with the
 * question as its only argument and reads the answer on its standard
 * output; exit status 1 is "cancelled", and ssh then gives up. A host key
 * is trusted only by choosing Connect: Enter and Escape cancel. */

typedef struct
{
  GMainLoop *loop;
  GtkWidget *entry;     /* the password's, or NULL */
  char      *text;      /* what to answer, NULL if cancelled */
} Answer;

/* The dialog goes once answered: what was typed is taken before. */
static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Answer           *answer)
{
  if (g_str_equal (response, "answer"))
    answer->text = g_strdup (answer->entry != NULL
                               ? gtk_editable_get_text (GTK_EDITABLE (answer->entry))
                               : "yes");
  g_main_loop_quit (answer->loop);
}

int
main (int   argc,
      char *argv[])
{
  const char *prompt = argc > 1 ? argv[1] : "";
  /* OpenSSH's question about a host key it does not know. */
  gboolean confirm = strstr (prompt, "(yes/no") != NULL;
  Answer answer = { NULL, NULL, NULL };
  AdwMessageDialog *dialog;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!gtk_init_check ())
    return 1;
  adw_init ();

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL,
                                                       confirm ? _("Trust This Computer?")
                                                               : _("SSH Asks"),
                                                       prompt));
  gtk_window_set_title (GTK_WINDOW (dialog), _("VmDesk: SSH"));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "answer", confirm ? _("_Connect") : _("_Send"), NULL);
  adw_message_dialog_set_close_response (dialog, "cancel");
  if (confirm)
    {
      adw_message_dialog_set_response_appearance (dialog, "answer", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
    }
  else
    {
      /* Kept to the end: GTK 4.8's password entry, freed with its dialog,
       * still hears the keyboard's Caps Lock changes. */
      answer.entry = g_object_ref_sink (gtk_password_entry_new ());
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (answer.entry), TRUE);
      g_object_set (answer.entry, "activates-default", TRUE, NULL);
      adw_message_dialog_set_extra_child (dialog, answer.entry);
      adw_message_dialog_set_response_appearance (dialog, "answer", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "answer");
    }

  answer.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), &answer);
  gtk_window_present (GTK_WINDOW (dialog));
  if (answer.entry != NULL)
    gtk_widget_grab_focus (answer.entry);
  g_main_loop_run (answer.loop);
  g_main_loop_unref (answer.loop);

  if (answer.text == NULL)
    return 1;
  printf ("%s\n", answer.text);
  fflush (stdout);
  g_free (answer.text);
  return 0;
}
