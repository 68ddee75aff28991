/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-media"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-iso-fixtures.h"
#include "vmd-media.h"
#include "vmd-os-db.h"
#include "vmd-test-util.h"

/* Images made with xorriso whose labels are those of real release images,
 * identified through VmdMedia against this machine's osinfo-db
 * (0.20221130 on Debian 12). Labels are concrete strings that the
 * <volume-id>, <system-id>, <publisher-id> and <application-id> regexes of
 * /usr/share/osinfo/os match, as the release images have them. */

#define IDENTIFY_MS 30000

typedef struct
{
  const char *name;       /* test path and image file name */
  VmdTestIso  iso;
  const char *oses[4];    /* libosinfo short ids: every candidate there must be */
  const char *label;      /* what the user reads, when there is one candidate */
  const char *arch;
  gboolean    installer;
  gboolean    live;
} IdentifyCase;

#define MICROSOFT "MICROSOFT CORPORATION"
#define CDIMAGE   "CDIMAGE 2.56 (01/01/2005 TM)"
#define SUSE      "SUSE LINUX GmbH"

static const IdentifyCase identify_cases[] = {
  { "debian11-netinst",
    { "Debian 11.6.0 amd64 n", .with_files = TRUE },
    { "debian11" }, "Debian 11", "x86_64", TRUE, FALSE },
  { "debian11-netinst-i386",
    { "Debian 11.6.0 i386 n", .with_files = TRUE },
    { "debian11" }, "Debian 11", "i686", TRUE, FALSE },
  { "debian10-dvd",
    { "Debian 10.13.0 amd64 1", .with_files = TRUE },
    { "debian10" }, "Debian 10", "x86_64", TRUE, FALSE },
  { "ubuntu22.04-desktop",
    { "Ubuntu 22.04.1 LTS amd64", .with_files = TRUE },
    { "ubuntu22.04" }, "Ubuntu 22.04 LTS", "x86_64", TRUE, TRUE },
  { "ubuntu20.04-server",
    { "Ubuntu-Server 20.04.5 LTS amd64", .with_files = TRUE },
    { "ubuntu20.04" }, "Ubuntu 20.04 LTS", "x86_64", TRUE, TRUE },
  { "fedora37-workstation-live",
    { "Fedora-WS-Live-37-1-7", .system_id = "LINUX", .with_files = TRUE },
    { "fedora37" }, "Fedora Linux 37", "x86_64", TRUE, TRUE },
  { "fedora36-server-dvd",
    { "Fedora-S-dvd-x86_64-36", .system_id = "LINUX", .with_files = TRUE },
    { "fedora36" }, "Fedora Linux 36", "x86_64", TRUE, FALSE },
  { "opensuse15.4-dvd",
    { "openSUSE-Leap-15.4-DVD-x86_64", .system_id = "LINUX", .publisher_id = SUSE,
      .with_files = TRUE },
    { "opensuse15.4" }, "openSUSE Leap 15.4", "x86_64", TRUE, FALSE },
  { "opensuse-tumbleweed-net",
    { "openSUSE-Tumbleweed-NET-x86_64", .system_id = "LINUX", .publisher_id = SUSE },
    { "opensusetumbleweed" }, "openSUSE Tumbleweed", "x86_64", TRUE, FALSE },
  /* The consumer image: Windows 10 and 11 have the same labels. */
  { "win10-win11",
    { "CCCOMA_X64FRE_EN-US_DV9", .publisher_id = MICROSOFT, .application_id = CDIMAGE },
    { "win10", "win11" }, NULL, "x86_64", TRUE, FALSE },
  { "win10-enterprise",
    { "CENA_X64FREV_EN-US_DV5", .publisher_id = MICROSOFT, .application_id = CDIMAGE },
    { "win10" }, "Microsoft Windows 10", "x86_64", TRUE, FALSE },
  { "win2k12r2",
    { "IR3_SSS_X64FREE_EN-US_DV9", .publisher_id = MICROSOFT, .application_id = CDIMAGE },
    { "win2k12r2" }, "Microsoft Windows Server 2012 R2", "x86_64", TRUE, FALSE },
  /* Servers 2016, 2019 and 2022 have the same labels too. */
  { "win2k22",
    { "SSS_X64FREE_EN-US_DV9", .publisher_id = MICROSOFT, .application_id = CDIMAGE },
    { "win2k16", "win2k19", "win2k22" }, NULL, "x86_64", TRUE, FALSE },
  { "freebsd13.1",
    { "13_1_RELEASE_AMD64_CD", .system_id = "FreeBSD", .with_files = TRUE },
    { "freebsd13.1" }, "FreeBSD 13.1", "x86_64", TRUE, FALSE },
  { "openbsd7.0",
    { "OpenBSD/amd64   7.0 Install CD", .system_id = "OpenBSD",
      .publisher_id = "Copyright (c) 2021 Theo de Raadt, The OpenBSD project",
      .application_id = "OpenBSD 7.0 amd64 Install CD" },
    { "openbsd7.0" }, "OpenBSD 7.0", "x86_64", TRUE, FALSE },
  { "centos-stream9",
    { "CentOS-Stream-9-BaseOS-x86_64", .system_id = "LINUX", .with_files = TRUE },
    { "centos-stream9" }, "CentOS Stream 9", "x86_64", TRUE, FALSE },
  { "alpine3.17-virt",
    { "alpine-virt 3.17.0 x86_64", .system_id = "LINUX" },
    { "alpinelinux3.17" }, "Alpine Linux 3.17", "x86_64", TRUE, FALSE },
  { "archlinux",
    { "ARCH_202212", .system_id = "LINUX",
      .publisher_id = "ARCH LINUX <HTTPS://ARCHLINUX.ORG>",
      .application_id = "ARCH LINUX LIVE/RESCUE CD" },
    { "archlinux" }, "Arch Linux", "x86_64", TRUE, TRUE },
};

/* Releases newer than this osinfo-db: the family from the label, the
 * settings of the family's newest release the db knows. Not of a
 * prerelease: this db has Ubuntu 22.10 as one, without a release date. */
typedef struct
{
  const char *name;
  VmdTestIso  iso;
  const char *release;      /* the short id the db must not know */
  const char *label;
  const char *template_os;  /* short id */
  const char *template_name;
} FamilyCase;

static const FamilyCase family_cases[] = {
  { "debian12",
    { "Debian 12.4.0 amd64 n", .with_files = TRUE },
    "debian12", "Debian 12", "debian11", "Debian 11" },
  { "ubuntu24.04",
    { "Ubuntu 24.04 LTS amd64", .with_files = TRUE },
    "ubuntu24.04", "Ubuntu 24.04", "ubuntu22.04", "Ubuntu 22.04 LTS" },
  /* libosinfo matches this one to its catch-all "Fedora" (fedora-unknown),
   * which has no number and no settings of its own. */
  { "fedora39",
    { "Fedora-WS-Live-39-1-5", .system_id = "LINUX", .with_files = TRUE },
    "fedora39", "Fedora Linux 39", "fedora37", "Fedora Linux 37" },
};

static const VmdTestIso unknown_iso = { "MY_FILES", .with_files = TRUE };

typedef enum
{
  INPUT_MISSING,
  INPUT_EMPTY,
  INPUT_TEXT,
  INPUT_TRUNCATED,
  INPUT_UNREADABLE,
  INPUT_DIRECTORY,
  INPUT_FOREIGN_ARCH,
} InputKind;

typedef struct
{
  const char *name;
  const char *file_name;
  InputKind   kind;
  VmdTestIso  iso;        /* for INPUT_TRUNCATED and INPUT_FOREIGN_ARCH */
  VmdError    code;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "missing", "missing.iso", INPUT_MISSING, { NULL }, VMD_ERROR_NOT_FOUND },
  { "empty", "empty.iso", INPUT_EMPTY, { NULL }, VMD_ERROR_NOT_MEDIA },
  { "text", "foo.iso", INPUT_TEXT, { NULL }, VMD_ERROR_NOT_MEDIA },
  { "truncated", "debian-11.6.0-amd64-netinst.iso", INPUT_TRUNCATED,
    { "Debian 11.6.0 amd64 n", .with_files = TRUE }, VMD_ERROR_TRUNCATED },
  { "unreadable", "secret.iso", INPUT_UNREADABLE, { NULL }, VMD_ERROR_PERMISSION },
  { "directory", "Downloads", INPUT_DIRECTORY, { NULL }, VMD_ERROR_IS_DIRECTORY },
  { "fedora37-aarch64", "Fedora-Server-dvd-aarch64-37-1.7.iso", INPUT_FOREIGN_ARCH,
    { "Fedora-S-dvd-aarch64-37", .system_id = "LINUX", .with_files = TRUE },
    VMD_ERROR_UNSUPPORTED_ARCH },
  { "ubuntu22.04-arm64", "ubuntu-22.04.1-live-server-arm64.iso", INPUT_FOREIGN_ARCH,
    { "Ubuntu-Server 22.04.1 LTS arm64", .with_files = TRUE },
    VMD_ERROR_UNSUPPORTED_ARCH },
  { "ubuntu22.04-s390x", "ubuntu-22.04.1-live-server-s390x.iso", INPUT_FOREIGN_ARCH,
    { "Ubuntu-Server 22.04.1 LTS s390x", .with_files = TRUE },
    VMD_ERROR_UNSUPPORTED_ARCH },
};

/* Made once for the whole run. */
static char *images_dir;
static char *identify_paths[G_N_ELEMENTS (identify_cases)];
static char *family_paths[G_N_ELEMENTS (family_cases)];
static char *error_paths[G_N_ELEMENTS (error_cases)];
static char *unknown_path;

static char *
image_name (const char *name)
{
  return g_strconcat (name, ".iso", NULL);
}

static void
make_images (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  images_dir = g_dir_make_tmp ("vmdesk-media-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (identify_cases); i++)
    {
      g_autofree char *file_name = image_name (identify_cases[i].name);

      identify_paths[i] = vmd_test_make_iso (images_dir, file_name, &identify_cases[i].iso, &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (family_cases); i++)
    {
      g_autofree char *file_name = image_name (family_cases[i].name);

      family_paths[i] = vmd_test_make_iso (images_dir, file_name, &family_cases[i].iso, &error);
      g_assert_no_error (error);
    }

  unknown_path = vmd_test_make_iso (images_dir, "my-files.iso", &unknown_iso, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];

      switch (c->kind)
        {
        case INPUT_MISSING:
          error_paths[i] = g_build_filename (images_dir, c->file_name, NULL);
          break;
        case INPUT_EMPTY:
          error_paths[i] = vmd_test_make_empty_file (images_dir, c->file_name, &error);
          break;
        case INPUT_TEXT:
          error_paths[i] = vmd_test_make_text_file (images_dir, c->file_name, &error);
          break;
        case INPUT_TRUNCATED:
          error_paths[i] = vmd_test_make_truncated_iso (images_dir, c->file_name, &c->iso, &error);
          break;
        case INPUT_UNREADABLE:
          error_paths[i] = vmd_test_make_unreadable_file (images_dir, c->file_name, &error);
          break;
        case INPUT_DIRECTORY:
          error_paths[i] = vmd_test_make_directory (images_dir, c->file_name, &error);
          break;
        case INPUT_FOREIGN_ARCH:
          error_paths[i] = vmd_test_make_iso (images_dir, c->file_name, &c->iso, &error);
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert_no_error (error);
    }

  g_test_message ("Images made in %s in %.2f s", images_dir,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_identified (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static VmdMedia *
identify (const char  *path,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_media_identify_async (path, NULL, on_identified, &result);
  g_assert_true (vmd_test_wait_until (have_result, &result, IDENTIFY_MS));
  return vmd_media_identify_finish (result, error);
}

static const char *
short_id (OsinfoOs *os)
{
  return osinfo_product_get_short_id (OSINFO_PRODUCT (os));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted and space-separated, so a failure shows both lists whole. */
static char *
join_sorted (GPtrArray *ids)
{
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

static char *
dup_candidate_ids (VmdMedia *media)
{
  GListModel *candidates = vmd_media_get_candidates (media);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_assert_true (g_list_model_get_item_type (candidates) == OSINFO_TYPE_OS);
  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(OsinfoOs) os = g_list_model_get_item (candidates, i);

      /* The model keeps its items alive: the id stays valid. */
      g_ptr_array_add (ids, (char *) short_id (os));
    }
  return join_sorted (ids);
}

static OsinfoOs *
first_candidate (VmdMedia *media)
{
  g_autoptr(OsinfoOs) os = g_list_model_get_item (vmd_media_get_candidates (media), 0);

  return os;  /* the model keeps it alive */
}

static void
assert_file_facts (VmdMedia   *media,
                   const char *path,
                   const char *volume_id)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpstr (vmd_media_get_path (media), ==, path);
  g_assert_cmpstr (vmd_media_get_volume_id (media), ==, volume_id);
  g_assert_cmpuint (vmd_media_get_size (media), ==, st.st_size);
}

static void
test_identify (gconstpointer data)
{
  const IdentifyCase *c = data;
  const char *path = identify_paths[c - identify_cases];
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autofree char *expected_ids = NULL;
  g_autofree char *candidate_ids = NULL;
  OsinfoOs *os;

  media = identify (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (media);

  g_assert_cmpint (vmd_media_get_match (media), ==, VMD_MEDIA_MATCH_EXACT);
  assert_file_facts (media, path, c->iso.volume_id);

  /* Every release with these labels, each once. */
  for (guint i = 0; i < G_N_ELEMENTS (c->oses) && c->oses[i] != NULL; i++)
    g_ptr_array_add (expected, (char *) c->oses[i]);
  expected_ids = join_sorted (expected);
  candidate_ids = dup_candidate_ids (media);
  g_assert_cmpstr (candidate_ids, ==, expected_ids);

  /* The guest gets the likeliest. */
  os = vmd_media_get_os (media);
  g_assert_nonnull (os);
  g_assert_true (os == first_candidate (media));
  g_assert_cmpstr (vmd_media_get_os_label (media), ==,
                   osinfo_product_get_name (OSINFO_PRODUCT (os)));
  if (c->label != NULL)
    g_assert_cmpstr (vmd_media_get_os_label (media), ==, c->label);

  g_assert_cmpstr (vmd_media_get_architecture (media), ==, c->arch);
  g_assert_cmpint (vmd_media_get_installer (media), ==, c->installer);
  g_assert_cmpint (vmd_media_get_live (media), ==, c->live);
}

/* Whether this osinfo-db knows the release by now, making a family case
 * an exact one. */
static gboolean
db_knows (const char *release)
{
  VmdOsDb *os_db = vmd_os_db_get_default ();
  g_autoptr(OsinfoOsList) oses = NULL;

  g_assert_true (vmd_os_db_is_loaded (os_db));
  oses = osinfo_db_get_os_list (vmd_os_db_get_db (os_db));
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (oses)); i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (oses), i));

      if (g_strcmp0 (short_id (os), release) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_family (gconstpointer data)
{
  const FamilyCase *c = data;
  const char *path = family_paths[c - family_cases];
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;
  g_autofree char *explanation = NULL;
  OsinfoOs *os;

  media = identify (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (media);

  if (db_knows (c->release))
    {
      g_autofree char *why = g_strdup_printf ("This osinfo-db knows %s: the case needs a "
                                              "release newer than the db", c->release);

      g_test_skip (why);
      return;
    }

  g_assert_cmpint (vmd_media_get_match (media), ==, VMD_MEDIA_MATCH_FAMILY);
  assert_file_facts (media, path, c->iso.volume_id);

  os = vmd_media_get_os (media);
  g_assert_nonnull (os);
  g_assert_cmpstr (short_id (os), ==, c->template_os);
  g_assert_true (os == first_candidate (media));
  g_assert_cmpstr (vmd_media_get_os_label (media), ==, c->label);
  g_assert_cmpstr (vmd_media_get_architecture (media), ==, "x86_64");

  /* "Debian 12 is newer than this computer's list of systems: using the
   * settings of Debian 11." */
  explanation = vmd_media_dup_explanation (media);
  g_test_message ("%s", explanation);
  g_assert_nonnull (explanation);
  g_assert_true (g_str_has_prefix (explanation, c->label));
  g_assert_nonnull (strstr (explanation, c->template_name));
}

static void
test_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;

  media = identify (unknown_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (media);

  g_assert_cmpint (vmd_media_get_match (media), ==, VMD_MEDIA_MATCH_UNKNOWN);
  assert_file_facts (media, unknown_path, unknown_iso.volume_id);
  g_assert_cmpuint (g_list_model_get_n_items (vmd_media_get_candidates (media)), ==, 0);
  g_assert_null (vmd_media_get_os (media));
  g_assert_cmpstr (vmd_media_get_os_label (media), ==, "Unknown operating system");
}

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;
  const char *path = error_paths[c - error_cases];
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMedia) media = NULL;

  if (c->kind == INPUT_UNREADABLE && g_access (path, R_OK) == 0)
    {
      /* Root (CAP_DAC_OVERRIDE) reads a mode 000 file all the same. */
      g_test_skip ("Running as root: a file with mode 000 is still readable");
      return;
    }

  media = identify (path, &error);
  g_assert_null (media);
  g_assert_error (error, VMD_ERROR, (int) c->code);

  /* Said to a person who may have several images open: which one. */
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, c->file_name));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  make_images ();

  for (guint i = 0; i < G_N_ELEMENTS (identify_cases); i++)
    {
      g_autofree char *test_path = g_strconcat ("/media/identify/", identify_cases[i].name, NULL);

      g_test_add_data_func (test_path, &identify_cases[i], test_identify);
    }
  for (guint i = 0; i < G_N_ELEMENTS (family_cases); i++)
    {
      g_autofree char *test_path = g_strconcat ("/media/family/", family_cases[i].name, NULL);

      g_test_add_data_func (test_path, &family_cases[i], test_family);
    }
  g_test_add_func ("/media/unknown", test_unknown);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *test_path = g_strconcat ("/media/error/", error_cases[i].name, NULL);

      g_test_add_data_func (test_path, &error_cases[i], test_error);
    }

  status = g_test_run ();

  vmd_test_remove_tree (images_dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (identify_paths); i++)
    g_free (identify_paths[i]);
  for (guint i = 0; i < G_N_ELEMENTS (family_paths); i++)
    g_free (family_paths[i]);
  for (guint i = 0; i < G_N_ELEMENTS (error_paths); i++)
    g_free (error_paths[i]);
  g_free (unknown_path);
  g_free (images_dir);

  return status;
}
