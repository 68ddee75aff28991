/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-error"

#include "config.h"

#include "vmd-error.h"

G_DEFINE_QUARK (vmd-error-quark, vmd_error)
