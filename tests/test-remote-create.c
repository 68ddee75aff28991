/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "vmd-connection.h"
#include "vmd-create-dialog.h"
#include "vmd-creator.h"
#include "vmd-error.h"
#include "vmd-guest-spec.h"
#include "vmd-host.h"
#include "vmd-images-dialog.h"
#include "vmd-iso-fixtures.h"
#include "vmd-machine.h"
#include "vmd-media.h"
#include "vmd-test-gui.h"
#include "vmd-test-util.h"
#include "vmd-window.h"

#include "test-remote.h"

/* Machines made on the other computer (test-remote.c's): from an image of
 * this computer's, copied there, and from the images it already has. */

static void
on_step (VmdCreator *creator,
         GParamSpec *pspec,
         gboolean   *copying)
{
  g_autofree char *step = NULL;

  g_object_get (creator, "step", &step, NULL);
  if (step != NULL && strstr (step, "Copying the installer to the other computer") != NULL)
    *copying = TRUE;
}

/* A machine made on the other computer by VmDesk's creator, from @iso. */
static VmdMachine *
create_there (const char *iso,
              const char *name,
              gboolean   *copying)
{
  g_autoptr(VmdMedia) media = NULL;
  g_autoptr(VmdHost) host = NULL;
  g_autoptr(VmdGuestSpec) spec = NULL;
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(GError) error = NULL;
  VmdMachine *made;

  media = vmd_test_identify (iso, &error);
  g_assert_no_error (error);
  host = vmd_test_query_host (connection, &error);
  g_assert_no_error (error);
  spec = vmd_guest_spec_new_for_media (media, host, NULL);
  vmd_guest_spec_set_name (spec, name);
  vmd_guest_spec_set_memory (spec, 128 << 20);
  vmd_guest_spec_set_vcpus (spec, 1);
  vmd_guest_spec_set_disk_size (spec, 64 << 20);
  vmd_guest_spec_set_platform (spec, vmd_guest_spec_get_os_id (spec),
                               vmd_guest_spec_get_os_label (spec),
                               vmd_guest_spec_get_iso (spec), VMD_FIRMWARE_BIOS,
                               FALSE, FALSE, FALSE);

  creator = vmd_creator_new (connection, spec);
  *copying = FALSE;
  g_signal_connect (creator, "notify::step", G_CALLBACK (on_step), copying);
  made = vmd_test_create (creator, &error);
  g_assert_no_error (error);
  g_assert_nonnull (made);
  return made;
}

static char *
live_xml (const char *name)
{
  const char *dump[] = { "virsh", "-c", uri, "dumpxml", name, NULL };

  return vmd_test_run_ok (dump);
}

static void
remove_made (VmdMachine *made)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_test_run (made, VMD_MACHINE_ACTION_FORCE_OFF, NULL));
  g_assert_true (vmd_test_wait_for_state (made, VMD_MACHINE_STATE_SHUT_OFF, 60000));
  g_assert_true (vmd_test_delete (made, NULL, &error));
  g_assert_no_error (error);
}

/* Made on the other computer from an image only this one can read: the
 * image is copied there, the machine's screen is on a socket there, and
 * it boots the copy. A second machine from the same image uses the copy. */
void
test_create (void)
{
  g_autofree char *name = g_strdup_printf ("made-here-%08x.iso", g_random_int ());
  g_autofree char *iso = g_build_filename (workdir, name, NULL);
  g_autofree char *expected = g_strdup_printf ("/.local/share/vmdesk/images/%s'", name);
  g_autoptr(VmdMachine) made = NULL;
  g_autoptr(VmdMachine) again = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_again = NULL;
  gboolean copying;

  make_grub_iso (iso);
  g_assert_cmpint (g_chmod (iso, 0600), ==, 0);

  made = create_there (iso, "made here", &copying);
  g_assert_true (copying);
  xml = live_xml ("made here");
  g_test_message ("%s", xml);
  g_assert_nonnull (strstr (xml, expected));
  g_assert_nonnull (strstr (xml, "<listen type='socket' socket='"));
  g_assert_true (vmd_test_wait_guest_shows (uri, "made here", workdir, "grub>", 120000));
  remove_made (made);

  again = create_there (iso, "made again", &copying);
  g_assert_false (copying);
  xml_again = live_xml ("made again");
  g_assert_nonnull (strstr (xml_again, expected));
  remove_made (again);
}

/* An image put into the other computer's storage with virsh, as a person
 * would (or any tool): @local's bytes as the volume @name of VmDesk's
 * pool there. Returns its path there. */
static char *
put_there (const char *local,
           const char *name)
{
  g_autofree char *size = NULL;
  GStatBuf st;
  const char *create[] = { "virsh", "-c", uri, "vol-create-as", "vmdesk", name, NULL, "--format",
                           "raw", NULL };
  const char *upload[] = { "virsh", "-c", uri, "vol-upload", "--pool", "vmdesk", name, local, NULL };
  const char *path[] = { "virsh", "-c", uri, "vol-path", "--pool", "vmdesk", name, NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (g_stat (local, &st), ==, 0);
  size = g_strdup_printf ("%" G_GINT64_FORMAT "b", (gint64) st.st_size);
  create[6] = size;
  g_free (vmd_test_run_ok (create));
  g_free (vmd_test_run_ok (upload));
  out = vmd_test_run_ok (path);
  return g_strdup (g_strstrip (out));
}

static void
on_images (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GPtrArray **images = user_data;
  g_autoptr(GError) error = NULL;

  *images = vmd_connection_list_images_finish (VMD_CONNECTION (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_nonnull (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static const VmdStoredImage *
find_image (GPtrArray  *images,
            const char *name)
{
  for (guint i = 0; i < images->len; i++)
    {
      const VmdStoredImage *image = images->pdata[i];

      if (g_str_equal (image->name, name))
        return image;
    }
  return NULL;
}

typedef struct
{
  VmdMedia *media;
  GError   *error;
  gboolean  done;
} Identified;

static void
on_identified_there (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Identified *identified = user_data;

  identified->media = vmd_media_identify_finish (result, &identified->error);
  identified->done = TRUE;
}

static VmdMedia *
identify_there (const char  *path,
                GError     **error)
{
  Identified identified = { NULL, NULL, FALSE };

  vmd_media_identify_there_async (connection, path, NULL, on_identified_there, &identified);
  g_assert_true (vmd_test_wait_until (vmd_test_is_true, &identified.done, 60000));
  if (identified.error != NULL)
    g_propagate_error (error, identified.error);
  return identified.media;
}

/* The images the other computer already has: listed from its storage,
 * recognised there without being copied here (only the sectors read), a
 * file that is no image and one that is not there refused with a
 * sentence each; and a machine made from one uses it where it is. */
void
test_images_there (void)
{
  static const VmdTestIso debian = { "Debian 12.4.0 amd64 n", .with_files = TRUE };
  g_autofree char *debian_iso = NULL;
  g_autofree char *grub_iso = g_build_filename (workdir, "grub-there.iso", NULL);
  g_autofree char *notes = g_build_filename (workdir, "notes.iso", NULL);
  g_autofree char *debian_there = NULL, *grub_there = NULL, *notes_there = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(VmdMedia) media = NULL;
  g_autoptr(VmdMedia) grub = NULL;
  g_autoptr(VmdHost) host = NULL;
  g_autoptr(VmdGuestSpec) spec = NULL;
  g_autoptr(VmdCreator) creator = NULL;
  g_autoptr(VmdMachine) made = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  const VmdStoredImage *image;
  gboolean copying = FALSE;

  debian_iso = vmd_test_make_iso (workdir, "debian-there.iso", &debian, &error);
  g_assert_no_error (error);
  make_grub_iso (grub_iso);
  g_assert_true (g_file_set_contents (notes, "Not a disc image at all.\n", -1, NULL));
  debian_there = put_there (debian_iso, "debian-there.iso");
  grub_there = put_there (grub_iso, "grub-there.iso");
  notes_there = put_there (notes, "notes.iso");

  vmd_connection_list_images_async (connection, NULL, on_images, &images);
  g_assert_true (vmd_test_wait_until (is_nonnull, &images, 60000));
  image = find_image (images, "debian-there.iso");
  g_assert_nonnull (image);
  g_assert_cmpstr (image->path, ==, debian_there);
  g_assert_cmpstr (image->pool, ==, "vmdesk");
  g_assert_nonnull (find_image (images, "grub-there.iso"));
  g_assert_nonnull (find_image (images, "notes.iso"));

  media = identify_there (debian_there, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_media_get_remote (media));
  g_assert_cmpstr (vmd_media_get_path (media), ==, debian_there);
  g_assert_cmpstr (vmd_media_get_os_label (media), ==, "Debian 12");
  g_assert_cmpuint (vmd_media_get_size (media), ==, image->size);

  g_assert_null (identify_there (notes_there, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_MEDIA);
  g_assert_nonnull (strstr (error->message, "notes.iso"));
  g_clear_error (&error);
  /* The same for scripts. */
  {
    const char *list[] = { "--images", NULL };
    const char *identify[] = { "--identify", "--there", debian_there, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (vmd_test_vmdesk (uri, list, NULL, &out, &err), ==, 0);
    g_test_message ("vmdesk --images: %s%s", out, err);
    g_assert_nonnull (strstr (out, debian_there));
    g_assert_nonnull (strstr (out, "notes.iso"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (vmd_test_vmdesk (uri, identify, NULL, &out, &err), ==, 0);
    g_test_message ("vmdesk --identify --there: %s%s", out, err);
    g_assert_nonnull (strstr (out, "Debian 12"));
  }

  missing = g_strconcat (debian_there, ".gone", NULL);
  g_assert_null (identify_there (missing, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Made from the GRUB image there: nothing copied, the volume itself in
   * the machine's CD drive, and it boots. */
  grub = identify_there (grub_there, &error);
  g_assert_no_error (error);
  host = vmd_test_query_host (connection, &error);
  g_assert_no_error (error);
  spec = vmd_guest_spec_new_for_media (grub, host, NULL);
  g_assert_true (vmd_guest_spec_get_iso_there (spec));
  vmd_guest_spec_set_name (spec, "made there");
  vmd_guest_spec_set_memory (spec, 128 << 20);
  vmd_guest_spec_set_vcpus (spec, 1);
  vmd_guest_spec_set_disk_size (spec, 64 << 20);
  creator = vmd_creator_new (connection, spec);
  g_signal_connect (creator, "notify::step", G_CALLBACK (on_step), &copying);
  made = vmd_test_create (creator, &error);
  g_assert_no_error (error);
  g_assert_false (copying);
  xml = live_xml ("made there");
  g_assert_nonnull (strstr (xml, grub_there));
  g_assert_true (vmd_test_wait_guest_shows (uri, "made there", workdir, "grub>", 120000));
  remove_made (made);
}

static gboolean
has_toplevel (gpointer data)
{
  GType *type = data;

  return vmd_test_find_toplevel (*type, NULL) != NULL;
}

static gboolean
dialog_on_review (gpointer data)
{
  return g_strcmp0 (vmd_create_dialog_get_page (data), "review") == 0;
}

/* The window's New on the other computer: the images it has (a dialog of
 * its own), one chosen, and the review of a machine made from it there. */
void
test_new_there (void)
{
  GtkWidget *library = GTK_WIDGET (vmd_window_new (app, connection));
  GType images_type = VMD_TYPE_IMAGES_DIALOG;
  GType create_type = VMD_TYPE_CREATE_DIALOG;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWindow *images;
  GtkWindow *create;
  GtkWidget *debian = NULL;

  gtk_window_set_title (GTK_WINDOW (library), "VmDesk images test");
  gtk_window_set_default_size (GTK_WINDOW (library), 900, 600);
  gtk_window_present (GTK_WINDOW (library));
  g_assert_true (gtk_widget_activate_action (library, "win.new", NULL));
  g_assert_true (vmd_test_wait_until (has_toplevel, &images_type, 30000));
  images = vmd_test_find_toplevel (VMD_TYPE_IMAGES_DIALOG, NULL);
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (images), "debian-there.iso"));
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (images), "Installer images on vmdesk-remote@"));
  vmd_test_save_screenshot (GTK_WIDGET (images), "remote-images");

  rows = vmd_test_find_widgets (GTK_WIDGET (images), ADW_TYPE_ACTION_ROW);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), "debian-there.iso") == 0)
      debian = rows->pdata[i];
  g_assert_nonnull (debian);
  gtk_widget_activate (debian);

  g_assert_true (vmd_test_wait_until (has_toplevel, &create_type, 30000));
  create = vmd_test_find_toplevel (VMD_TYPE_CREATE_DIALOG, NULL);
  g_assert_true (vmd_test_wait_until (dialog_on_review, create, 60000));
  g_assert_cmpstr (vmd_create_dialog_get_os_label (VMD_CREATE_DIALOG (create)), ==, "Debian 12");
  /* The memory it takes is the other computer's. */
  g_assert_true (vmd_test_wait_for_part (GTK_WIDGET (create), "of memory of vmdesk-remote@"));
  g_assert_null (vmd_test_find_toplevel (VMD_TYPE_IMAGES_DIALOG, NULL));
  vmd_test_save_screenshot (GTK_WIDGET (create), "remote-image-review");

  gtk_window_destroy (create);
  gtk_window_destroy (GTK_WINDOW (library));
}
