/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clock the X benchmark tools share: seconds, monotonic. */
#pragma once

#include <time.h>

static inline double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}
