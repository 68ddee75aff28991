/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VMD_ERROR (vmd_error_quark ())

/* Codes say what the person can do about it; messages are written for them. */
typedef enum
{
  VMD_ERROR_FAILED,         /* nothing specific to do: the message says what happened */
  VMD_ERROR_NOT_CONNECTED,  /* the virtualization service is unreachable: wait or restart it */
  VMD_ERROR_NOT_FOUND,      /* the machine is gone */
  VMD_ERROR_INVALID_STATE,  /* the machine is not in a state that allows this */
  VMD_ERROR_PERMISSION,     /* not allowed: check access rights */
  VMD_ERROR_NO_SPACE,       /* not enough disk space */
  VMD_ERROR_UNSUPPORTED,    /* this host or hypervisor cannot do it */
  VMD_ERROR_BUSY,           /* another operation is running: try again */
  VMD_ERROR_NOT_MEDIA,      /* the file is not an installer image (not ISO 9660 / UDF) */
  VMD_ERROR_TRUNCATED,      /* the image is incomplete: download it again */
  VMD_ERROR_IS_DIRECTORY,   /* a folder was given where an image file was expected */
  VMD_ERROR_UNSUPPORTED_ARCH, /* this host cannot run the image's architecture */
  VMD_ERROR_DAMAGED,        /* the image's structures are broken: download it again */
  VMD_ERROR_TIMED_OUT,      /* the file did not answer in time: copy it to this computer */
  VMD_ERROR_INVALID_NAME,   /* a machine cannot have this name: the message says why */
  VMD_ERROR_NETWORK,        /* the server cannot be reached: check the network, try again */
} VmdError;

GQuark vmd_error_quark (void);

G_END_DECLS
