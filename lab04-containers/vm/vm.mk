# lab04-containers/vm: grading lab04 in a throwaway VM (manifest `sandbox
# vm`, grader/README.md "Labs graded in a VM"). The grader (grader/src/vm.c)
# builds one initramfs per cgroup layout with vm/mkinitramfs.sh and boots
# Debian's kernel with it; PID 1 is kitinit, built here with the lab's tests
# (static: the VM has no libc of its own). Needs deps.sh group cgroup2
# (kernel, qemu-system-x86, cpio) at grading time.
L04_VM_INIT := $(L04B)/vm/kitinit
$(L04_VM_INIT): $(L04)/vm/kitinit.c
	@mkdir -p $(@D)
	$(call kit_say,HOSTCC,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -static -o $@ $< -lseccomp
lab04-tests: $(L04_VM_INIT)
