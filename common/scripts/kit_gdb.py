# kit_gdb.py: gdb commands for the kit's VMM, sourced by the gdbinit that
# common/scripts/gdbinit.sh writes.
#
#   kit-walk VA   the guest's own Sv39, Sv48 or Sv57 walk of VA (priv 1.12,
#                 4.3.2; LEVELS by satp.MODE, 4.4 to 4.6), level by level, and the shadow leaf the VMM holds for it in each
#                 view (lab02's shadow backend; lab01 runs with satp Bare)
#
# It reads memory the way the VMM does: guest RAM through the VMM's direct
# map (struct gmem's host pointer), shadow tables at PA + VMM_PHYS_OFFSET.
# Every VMM root shares that map, so it works wherever the hart stopped.
import gdb

VMM_PHYS_OFFSET = 0xFFFF800000000000   # lab01-trap-emulate/vmm/vmm_map.h
VIEWS = ("user", "kernel", "kernel+SUM")  # lab02-shadow-paging/vmm/shadow.h
FLAGS = "VRWXUGAD"


def flags(pte):
    return "".join(c if pte >> i & 1 else "-" for i, c in enumerate(FLAGS))


def read64(addr):
    data = gdb.selected_inferior().read_memory(addr, 8)
    return int.from_bytes(bytes(data), "little")


def static(name):
    sym = gdb.lookup_static_symbol(name) or gdb.lookup_global_symbol(name)
    return sym.value() if sym else None


def pte_pa(pte):
    return ((pte >> 10) & ((1 << 44) - 1)) << 12


def kept_space(spaces, satp):
    """The address space shadow.c keeps for satp (its ASID and root: the
    key, shadow.c space_key), from the VMM's `spaces` array, or None."""
    key = satp & ~(0xF << 60)
    for i in range(spaces.type.sizeof // spaces[0].type.sizeof):
        if int(spaces[i]["used"]) and int(spaces[i]["key"]) == key:
            return spaces[i]
    return None


class KitWalk(gdb.Command):
    """kit-walk VA: the guest's own walk of VA and the VMM's shadow leaves for it."""

    def __init__(self):
        super().__init__("kit-walk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        va = int(gdb.parse_and_eval(arg)) & (2**64 - 1)
        v = static("vcpu0")
        if v is None:
            raise gdb.GdbError("kit-walk: no vcpu0 symbol: load the VMM's symbols (make gdb)")
        satp = int(v["satp"])
        ram = v["vm"].dereference()["ram"]
        host, base, size = int(ram["host"]), int(ram["base"]), int(ram["size"])
        mode = satp >> 60
        print("guest satp 0x%x (MODE %d, ASID %d, root 0x%x), va 0x%x, mode %s"
              % (satp, mode, (satp >> 44) & 0xFFFF, (satp & ((1 << 44) - 1)) << 12, va,
                 "S" if int(v["mode"]) == 1 else "U"))
        if mode == 0:
            print("  Bare: guest physical = 0x%x" % va)
        elif mode not in (8, 9, 10):
            print("  MODE %d: reserved, no walk (4.1.11)" % mode)
        else:
            self.guest_walk(satp, va, host, base, size, mode - 5)
        self.shadow(satp, va)

    def guest_walk(self, satp, va, host, base, size, levels):
        bits = 12 + 9 * levels   # Sv39, Sv48, Sv57
        top = va >> (bits - 1)
        if top not in (0, (1 << (65 - bits)) - 1):
            print("  not canonical for Sv%d: a page fault before any PTE (4.4.1, 4.5.1, 4.6.1)" % bits)
            return
        a = (satp & ((1 << 44) - 1)) << 12
        for level in range(levels - 1, -1, -1):
            gpa = a + ((va >> (12 + 9 * level)) & 511) * 8
            if not base <= gpa < base + size:
                print("  level %d: PTE at 0x%x is not guest RAM: an access fault (step 2)" % (level, gpa))
                return
            pte = read64(host + gpa - base)
            print("  level %d: PTE at gpa 0x%x = 0x%016x %s" % (level, gpa, pte, flags(pte)))
            if not pte & 1 or (pte & 6) == 4:
                print("  invalid or W without R: a page fault (step 3)")
                return
            if pte & 0xA:
                off = va & ((1 << (12 + 9 * level)) - 1)
                print("  leaf (%s page): va 0x%x -> gpa 0x%x"
                      % (("4 KiB", "2 MiB", "1 GiB", "512 GiB", "256 TiB")[level], va, pte_pa(pte) + off))
                return
            a = pte_pa(pte)
        print("  a pointer at level 0: a page fault (step 4)")

    def shadow(self, satp, va):
        spaces = static("spaces")
        if spaces is None:
            print("  no shadow tables in this VMM (lab01: the guest RAM map is the VMM's own)")
            return
        s = kept_space(spaces, satp)
        if s is None:
            print("  shadow: no kept address space for this satp (its next entry builds one)")
            return
        for w, name in enumerate(VIEWS):
            root = int(s["root"][w])
            if not root:
                print("  shadow, %s view: no root yet" % name)
                continue
            t, pte = root, 0
            for level in (3, 2, 1, 0):
                pte = read64(t + ((va >> (12 + 9 * level)) & 511) * 8)
                if not pte & 1:
                    break
                t = pte_pa(pte) + VMM_PHYS_OFFSET
            if pte & 1:
                print("  shadow, %s view: leaf 0x%016x %s -> host pa 0x%x (guest leaf level %d)"
                      % (name, pte, flags(pte), pte_pa(pte) + (va & 0xFFF), (pte >> 8) & 3))
            else:
                print("  shadow, %s view: no leaf (the next access is a hidden fault)" % name)


KitWalk()
