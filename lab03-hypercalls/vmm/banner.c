// banner.c: lab03's name in the VMM's boot banner (lab01's main.c prints it
// before the backend's, which names lab02: lab03 links lab02's objects).
#include "mmu.h"

const char vmm_lab_banner[] = "lab03 VMM (SBI 2.0, PV, virtio, two guests)";
