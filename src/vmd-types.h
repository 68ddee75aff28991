/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _VmdConnection VmdConnection;
typedef struct _VmdHost       VmdHost;
typedef struct _VmdMachine    VmdMachine;
typedef struct _VmdOsDb       VmdOsDb;
typedef struct _VmdSpiceAudio VmdSpiceAudio;
typedef struct _VmdSpiceUsb   VmdSpiceUsb;

G_END_DECLS
