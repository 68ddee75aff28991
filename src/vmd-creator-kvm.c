/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-creator"

#include "config.h"

#include "vmd-creator-private.h"

/* Whether QEMU paused the guest at once on its own: what a KVM that cannot
 * emulate an instruction of the firmware does (seen on nested KVM hosts,
 * whose kernel logs "INTERNAL_ERROR in batch emul" in the firmware's first
 * steps); libvirt says "paused (unknown)". Looked at until the guest's
 * first processor has run for a twentieth of a second (its own thread's
 * time: QEMU's start, reading the kernel and initrd, is not counted), for
 * three seconds at most: a machine that runs is not held up. */
#define KVM_FAILURE_WAIT_MS 3000
#define KVM_FIRST_STEPS_NS  (50 * 1000 * 1000)

gboolean
_vmd_creator_paused_by_kvm (virDomainPtr domain)
{
  for (int waited = 0; waited < KVM_FAILURE_WAIT_MS; waited += 20)
    {
      int state = VIR_DOMAIN_NOSTATE, reason = 0;
      virVcpuInfo vcpu;

      if (virDomainGetState (domain, &state, &reason, 0) < 0)
        return FALSE;
      if (state == VIR_DOMAIN_PAUSED && reason == VIR_DOMAIN_PAUSED_UNKNOWN)
        return TRUE;
      if (state != VIR_DOMAIN_RUNNING || virDomainGetVcpus (domain, &vcpu, 1, NULL, 0) < 1 ||
          vcpu.cpuTime >= KVM_FIRST_STEPS_NS)
        return FALSE;
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
  return FALSE;
}
