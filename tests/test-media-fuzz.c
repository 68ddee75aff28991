/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-media-fuzz"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-iso-fixtures.h"
#include "vmd-media.h"
#include "vmd-test-util.h"

/* Identification of mutated images: bit flips, bytes set to 0 or 0xff,
 * truncations, absurd sizes in the volume descriptor and in directory
 * records, zero-length records, bad UTF-8 in the labels. Each ends, in
 * the time the reading allows (VMD_MEDIA_TIMEOUT_MS) plus slack, with a
 * verdict or an error of VMD_ERROR: none crashes, none hangs. Seeded, so
 * that a failure can be replayed (the seed is in the log). */

#define N_MUTANTS     1000
#define DEADLINE_MS   30000
#define PVD           (16 * 2048)
#define ROOT_RECORD   (PVD + 156)
/* The descriptors and the directories of the fixtures live here. */
#define HOT_BYTES     (64 * 1024)

static char *dir;

typedef enum
{
  MUTATE_FLIP,
  MUTATE_BYTES,
  MUTATE_TRUNCATE,
  MUTATE_SIZES,
  MUTATE_RECORD,
  MUTATE_LABEL,
  N_MUTATIONS,
} Mutation;

static const char * const mutation_names[N_MUTATIONS] = {
  "bit flips", "bytes", "truncation", "absurd sizes", "directory records", "bad UTF-8 labels",
};

static void
put_le32 (guint8  *p,
          guint32  value)
{
  p[0] = value;
  p[1] = value >> 8;
  p[2] = value >> 16;
  p[3] = value >> 24;
}

static guint32
absurd (GRand *rand)
{
  static const guint32 values[] = { 0, 1, 2047, 2048, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000 };

  return values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))];
}

/* Returns the mutant's length (a truncation shortens it). */
static gsize
mutate (guint8   *data,
        gsize     len,
        Mutation  mutation,
        GRand    *rand)
{
  gsize hot = MIN (len, HOT_BYTES);

  switch (mutation)
    {
    case MUTATE_FLIP:
      for (int i = g_rand_int_range (rand, 1, 16); i > 0; i--)
        data[g_rand_int_range (rand, PVD, hot)] ^= 1 << g_rand_int_range (rand, 0, 8);
      return len;
    case MUTATE_BYTES:
      for (int i = g_rand_int_range (rand, 1, 32); i > 0; i--)
        data[g_rand_int_range (rand, PVD, hot)] = g_rand_boolean (rand) ? 0x00 : 0xff;
      return len;
    case MUTATE_TRUNCATE:
      return g_rand_int_range (rand, 0, len);
    case MUTATE_SIZES:
      /* Volume size (80), block size (128), root extent (158) and size (166). */
      put_le32 (data + PVD + 80, g_rand_boolean (rand) ? absurd (rand) : 16);
      data[PVD + 128] = g_rand_int_range (rand, 0, 256);
      data[PVD + 129] = g_rand_int_range (rand, 0, 256);
      put_le32 (data + ROOT_RECORD + 2, absurd (rand));
      put_le32 (data + ROOT_RECORD + 10, absurd (rand));
      return len;
    case MUTATE_RECORD:
      {
        /* A record of the root directory: its length, size or extent. */
        guint32 extent = data[ROOT_RECORD + 2] | data[ROOT_RECORD + 3] << 8;
        gsize at = (gsize) extent * 2048 + g_rand_int_range (rand, 0, 256);

        if (at + 14 > len)
          return len;
        switch (g_rand_int_range (rand, 0, 3))
          {
          case 0:
            data[at] = g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, 1, 256);
            break;
          case 1:
            put_le32 (data + at + 10, absurd (rand));
            break;
          default:
            put_le32 (data + at + 2, absurd (rand));
            break;
          }
        return len;
      }
    case MUTATE_LABEL:
      {
        /* Volume id (40) or system id (8): 32 bytes each. */
        guint8 *label = data + PVD + (g_rand_boolean (rand) ? 40 : 8);

        for (int i = 0; i < 32; i++)
          if (g_rand_int_range (rand, 0, 3) == 0)
            label[i] = g_rand_int_range (rand, 0x80, 0x100);
          else if (g_rand_int_range (rand, 0, 8) == 0)
            label[i] = g_rand_int_range (rand, 0, 0x20);
        return len;
      }
    case N_MUTATIONS:
    default:
      g_assert_not_reached ();
    }
}

static void
test_mutants (void)
{
  /* Three shapes: a bootable installer, an image libosinfo walks the root
   * directory of, and one where the walk finds /ppc/bootinfo.txt. */
  static const VmdTestIso bases[] = {
    { "Debian 11.6.0 amd64 n", .with_files = TRUE },
    { "MY_FILES", .no_boot = TRUE, .with_files = TRUE },
    { "Debian 11.6.0 p64el n", .no_boot = TRUE, .ppc = TRUE },
  };
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *mutant = g_build_filename (dir, "mutant.iso", NULL);
  guint verdicts = 0, errors = 0;
  guint per_code[VMD_ERROR_TIMED_OUT + 1] = { 0 };
  guint per_mutation[N_MUTATIONS] = { 0 };
  GBytes *images[G_N_ELEMENTS (bases)];

  g_test_message ("seed %u", seed);
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      g_autofree char *name = g_strdup_printf ("base-%u.iso", i);
      g_autoptr(GError) error = NULL;
      g_autofree char *path = vmd_test_make_iso (dir, name, &bases[i], &error);
      char *contents;
      gsize len;

      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, &error));
      images[i] = g_bytes_new_take (contents, len);
    }

  for (guint n = 0; n < N_MUTANTS; n++)
    {
      GBytes *base = images[n % G_N_ELEMENTS (images)];
      Mutation mutation = g_rand_int_range (rand, 0, N_MUTATIONS);
      g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (base, NULL), g_bytes_get_size (base));
      gsize len = mutate (data, g_bytes_get_size (base), mutation, rand);
      g_autoptr(GError) error = NULL;
      g_autoptr(VmdMedia) media = NULL;

      per_mutation[mutation]++;
      g_assert_true (g_file_set_contents (mutant, (const char *) data, len, &error));

      /* vmd_test_identify fails the test if the answer takes too long. */
      media = vmd_test_identify (mutant, &error);
      if (media != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (vmd_media_get_volume_id (media) == NULL ||
                         g_utf8_validate (vmd_media_get_volume_id (media), -1, NULL));
          g_assert_true (g_utf8_validate (vmd_media_get_os_label (media), -1, NULL));
          verdicts++;
        }
      else
        {
          if (error->domain != VMD_ERROR)
            g_error ("mutant %u (%s, seed %u): untyped error %s: %s", n,
                     mutation_names[mutation], seed, g_quark_to_string (error->domain),
                     error->message);
          g_assert_cmpint (error->code, <=, VMD_ERROR_TIMED_OUT);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          per_code[error->code]++;
          errors++;
        }
    }

  g_test_message ("%u mutants tried: %u verdicts, %u typed errors, 0 crashes, 0 hangs",
                  N_MUTANTS, verdicts, errors);
  for (guint i = 0; i < N_MUTATIONS; i++)
    g_test_message ("  %s: %u", mutation_names[i], per_mutation[i]);
  for (guint i = 0; i < G_N_ELEMENTS (per_code); i++)
    if (per_code[i] > 0)
      g_test_message ("  error code %u: %u", i, per_code[i]);
  g_assert_cmpuint (verdicts + errors, ==, N_MUTANTS);
  /* A bound that answered would not be a hang, but it would be a bound
   * too slack for local files: none is expected here. */
  g_assert_cmpuint (per_code[VMD_ERROR_TIMED_OUT], ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    g_bytes_unref (images[i]);
}

int
main (int   argc,
      char *argv[])
{
  dir = vmd_test_init_with_dir (&argc, &argv, "vmd-fuzz-XXXXXX");
  g_test_add_func ("/media-fuzz/mutants", test_mutants);
  return vmd_test_run_and_remove (&dir);
}
