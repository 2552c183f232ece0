# kit_ptdump.py: gdb commands that draw the guest's page table and the
# table the VMM holds for it as one Graphviz graph (make ptdump, lab02).
# Sourced after kit_gdb.py (its VMM_PHYS_OFFSET, VIEWS, flags, pte_pa, kept_space).
#
#   kit-ptdump FILE.dot [MODE]   the tables as they are now: the guest's Sv39,
#                  Sv48 or Sv57 table from its satp, and the shadow roots (MODE shadow)
#                  or the G-stage table from hgatp (MODE nested)
#   kit-ptdump-at AT FILE.dot [MODE]   boot, stop at AT (a symbol of the
#                  guest's or the VMM's ELF, or N: the VMM's N-th exit, at
#                  vmm_exit, either run loop), then kit-ptdump
#
# Every read is physical (QEMU's gdbstub, Qqemu.PhyMemMode): a guest stopped
# in U-mode (shadow) or VS-mode (nested) cannot read the VMM's pages through
# the MMU, and none of this depends on which table the hart runs on. The
# VMM's variables are read at their direct-map address less VMM_PHYS_OFFSET
# (lab01-trap-emulate/vmm/README.md, "Address space").
#
# The .dot carries one comment line per mapping (drawn or cut), for tests
# and scripts (flags as VRWXUGAD, a dash where a bit is clear):
#   // kit-map guest va=0x.. gpa=0x.. pages=N level=L flags=VRWXUGAD
#   // kit-map shadow-<view> va=0x.. pa=0x.. pages=N level=0 flags=.. from=<guest leaf level> [mismatch]
#   // kit-map gstage gpa=0x.. pa=0x.. pages=N level=L flags=.. [outside]
# and one `// kit-summary ...` line with the counts.
import bisect
import os

import gdb

PAGE = 4096
VMM_MAP_END = VMM_PHYS_OFFSET + (4 << 30)   # the direct map: VMM_MAPPED_GIB (vmm_map.h)
SATP_LEVELS = {8: 3, 9: 4, 10: 5}            # satp MODE Sv39, Sv48, Sv57: LEVELS (priv 1.12, 4.1.11, 4.4-4.6)
HGATP_MODE_SV39X4 = 8                        # priv 1.12, 8.2.10
VMM_ROOT_INDEX = VMM_PHYS_OFFSET >> 39 & 511  # its Sv48 root entry, every shadow root shares it
PTE_RSW_SHIFT = 8                            # RSW, bits 9:8 (4.3.1): shadow.c keeps the guest leaf's level there
LEVEL_SIZE = ("4 KiB", "2 MiB", "1 GiB", "512 GiB", "256 TiB")
MAX_RUNS = int(os.environ.get("PTDUMP_MAX", "120"))   # drawn mappings per table
MAX_TABLES = 48                                       # drawn guest table pages
MAX_WALK = 4096   # table pages walked per table at most (a guest's may point at itself)
MAX_KEPT = 65536  # runs of leaves kept per table at most
DETAIL = 4        # shadow runs of one guest run drawn one by one; more: one strip
STRIP = 32        # cells of a strip

# fill colour of a leaf by R, W, X (bits 1..3): what the page is for
RWX_COLOUR = {
    0b001: ("#c8e6c9", "R: read-only data"),
    0b011: ("#bbdefb", "RW: data"),
    0b101: ("#ffe0b2", "RX: code"),
    0b111: ("#f8bbd0", "RWX"),
    0b100: ("#fff59d", "X: execute-only"),
    0b010: ("#ef9a9a", "W without R: reserved (a page fault)"),
    0b110: ("#ef9a9a", "W without R: reserved (a page fault)"),
}
LEVEL_COLOUR = ("#e8eaf6", "#c5cae9", "#9fa8da", "#7986cb", "#5c6bc0")   # guest tables: L0 to L4
VIEW_EDGE = {"user": "#1565c0", "kernel": "#2e7d32", "kernel+SUM": "#6a1b9a", "gstage": "#e65100"}


class PtdumpError(gdb.GdbError):
    pass


# ---- physical memory and the VMM's variables ----

class Phys:
    """Qqemu.PhyMemMode on while the object lives (QEMU's gdbstub)."""

    def __enter__(self):
        gdb.execute("maintenance packet Qqemu.PhyMemMode:1", to_string=True)
        return self

    def __exit__(self, *exc):
        gdb.execute("maintenance packet Qqemu.PhyMemMode:0", to_string=True)


def phys_read(pa, n):
    return bytes(gdb.selected_inferior().read_memory(pa, n))


def phys_table(pa, entries=512):
    data = phys_read(pa, entries * 8)
    return [int.from_bytes(data[i:i + 8], "little") for i in range(0, len(data), 8)]


def vmm_pa(va):
    if not VMM_PHYS_OFFSET <= va < VMM_MAP_END:
        raise PtdumpError("ptdump: 0x%x is not in the VMM's direct map" % va)
    return va - VMM_PHYS_OFFSET


def vmm_value(sym):
    """The VMM variable sym (a gdb.Symbol), read physically."""
    addr = int(sym.value().address)
    return gdb.Value(phys_read(vmm_pa(addr), sym.type.sizeof), sym.type)


def vmm_deref(ptr):
    t = ptr.type.target()
    return gdb.Value(phys_read(vmm_pa(int(ptr)), t.sizeof), t)


def lookup(name):
    return gdb.lookup_static_symbol(name) or gdb.lookup_global_symbol(name)


def csr(name):
    try:
        return int(gdb.parse_and_eval("$" + name)) & (2**64 - 1)
    except gdb.error:
        return None


def sext(va, bits):
    """va of `bits` bits (39, 48, 57), its top bit copied above (4.4.1, 4.5.1, 4.6.1)."""
    return va | ~((1 << bits) - 1) & (2**64 - 1) if va >> (bits - 1) & 1 else va


def sext48(va):
    return va | ~((1 << 48) - 1) & (2**64 - 1) if va >> 47 & 1 else va


# ---- walking tables into runs ----

class Run:
    """Contiguous leaves: VA (or GPA) and PA both contiguous, same flags and level."""

    def __init__(self, va, pa, level, flags, table):
        self.va, self.pa, self.level, self.flags, self.table = va, pa, level, flags, table
        self.pages = 1 << (9 * level)     # in 4 KiB pages
        self.leaves = 1
        self.filled = {}                  # view name -> 4 KiB pages mapped there
        self.mismatch = 0

    def end(self):
        return self.va + self.pages * PAGE

    def extend(self, va, pa, level, flags, table):
        if (level, flags, table) != (self.level, self.flags, self.table) or \
                va != self.end() or pa != self.pa + self.pages * PAGE:
            return False
        self.pages += 1 << (9 * level)
        self.leaves += 1
        return True


def add_leaf(runs, va, pa, level, flags, table=None):
    if not (runs and runs[-1].extend(va, pa, level, flags, table)):
        runs.append(Run(va, pa, level, flags, table))


class GuestTable:
    def __init__(self, gpa, level, index_path):
        self.gpa, self.level, self.path = gpa, level, index_path
        self.valid = self.leaves = self.pointers = 0
        self.children = []   # GuestTable


def walk_guest(satp, gpa_to_pa):
    """The guest's Sv39, Sv48 or Sv57 table (priv 1.12, 4.4 to 4.6: LEVELS
    3, 4, 5 by satp.MODE): its table pages, leaf runs and
    notes (what a walk there would fault on). The guest writes these tables:
    each page is read once however often it is pointed at, and the pages,
    runs and notes kept are capped (MAX_WALK, MAX_KEPT)."""
    levels = SATP_LEVELS[satp >> 60]
    root = GuestTable((satp & ((1 << 44) - 1)) << 12, levels - 1, ())
    tables, runs, notes, seen = [root], [], {}, {}

    def note(kind, text):
        n = notes.setdefault(kind, [0, text])
        n[0] += 1

    def walk(t, va_base):
        pa = gpa_to_pa(t.gpa)
        if pa is None:
            note("ram", "table at gpa 0x%x is not guest RAM (an access fault, 4.3.2 step 2)" % t.gpa)
            return
        if pa not in seen:
            seen[pa] = phys_table(pa)
        for i, pte in enumerate(seen[pa]):
            if not pte & 1:
                continue
            t.valid += 1
            va = va_base | i << (12 + 9 * t.level)
            if t.level == levels - 1:
                va = sext(va, 12 + 9 * levels)
            if pte & 0xE:
                t.leaves += 1
                if len(runs) < MAX_KEPT:
                    add_leaf(runs, va, pte_pa(pte), t.level, pte & 0xFF, t)
                else:
                    note("runs", "more than %d runs of leaves: the rest not kept" % MAX_KEPT)
            elif t.level == 0:
                note("l0", "a pointer at level 0 for va 0x%x (a page fault, 4.3.2 step 4)" % va)
            elif len(tables) >= MAX_WALK:
                note("walk", "more than %d guest table pages: the rest not walked" % MAX_WALK)
                return
            else:
                t.pointers += 1
                c = GuestTable(pte_pa(pte), t.level - 1, t.path + (i,))
                t.children.append(c)
                tables.append(c)
                walk(c, va)

    walk(root, 0)
    return tables, runs, ["%s%s" % (text, " (and %d more like it)" % (n - 1) if n > 1 else "")
                          for n, text in notes.values()]


def walk_pages(root_pa, levels, skip_root=None, root_entries=512):
    """Every leaf under root_pa as (va, pa, level, pte), in address order, and
    the table pages read (at most MAX_WALK: a VMM bug may loop its tables)."""
    leaves, ntables = [], [0]

    def walk(pa, level, base, entries):
        if ntables[0] >= MAX_WALK:
            return
        ntables[0] += max(1, entries * 8 // 4096)   # an Sv39x4 root is 4 pages
        for i, pte in enumerate(phys_table(pa, entries)):
            if not pte & 1 or (level == levels - 1 and i == skip_root):
                continue
            va = base | i << (12 + 9 * level)
            if pte & 0xE:
                leaves.append((va, pte_pa(pte), level, pte))
            elif level > 0:
                walk(pte_pa(pte), level - 1, va, 512)

    walk(root_pa, levels - 1, 0, root_entries)
    return leaves, ntables[0]


# ---- what the VMM holds ----

class Held:
    """One table the VMM holds for the guest: a shadow view or the G-stage."""

    def __init__(self, name, root_pa, in_use):
        self.name, self.root_pa, self.in_use = name, root_pa, in_use
        self.runs, self.vas, self.leaves, self.tables = [], [], 0, 0
        self.outside = 0   # leaves whose host PA is not guest RAM's backing


def shadow_views(guest_satp, real_satp, ram):
    """The shadow roots shadow.c keeps for the guest's satp (its ASID and root)."""
    spaces = lookup("spaces")
    if spaces is None:
        raise PtdumpError("ptdump: the VMM has no 'spaces' (shadow.c): is this lab02's shadow VMM? "
                          "(MODE=nested reads hgatp instead)")
    s = kept_space(vmm_value(spaces), guest_satp)
    held = []
    for w, name in enumerate(VIEWS if s is not None else ()):
        root = int(s["root"][w])
        if not root:
            continue
        root_pa = vmm_pa(root)
        h = Held(name, root_pa, (real_satp >> 60) == 9 and
                 (real_satp & ((1 << 44) - 1)) << 12 == root_pa)
        leaves, h.tables = walk_pages(root_pa, 4, skip_root=VMM_ROOT_INDEX)
        for va, pa, level, pte in leaves:
            va = sext48(va)
            h.leaves += 1
            h.vas.append(va)
            if not ram[2] <= pa < ram[2] + ram[1]:
                h.outside += 1
            # 4 KiB leaves (shadow.c's fill); RSW, the guest leaf's level, kept in the flags
            add_leaf(h.runs, va, pa, level, pte & 0x3FF)
        h.vas.sort()
        held.append(h)
    return held


def gstage(hgatp, ram):
    """The G-stage (priv 1.12, 8.5): Sv39x4, a 16 KiB root of 2048 entries
    (GPA bits 40:30), GPA -> host PA. Written against the spec."""
    mode = hgatp >> 60
    if mode == 0:
        raise PtdumpError("ptdump: hgatp is Bare (0x%x): no G-stage at this point" % hgatp)
    if mode != HGATP_MODE_SV39X4:
        raise PtdumpError("ptdump: hgatp MODE %d: only Sv39x4 (8) is drawn" % mode)
    root_pa = (hgatp & ((1 << 44) - 1)) << 12
    h = Held("gstage", root_pa, True)
    leaves, h.tables = walk_pages(root_pa, 3, root_entries=2048)
    for gpa, pa, level, pte in leaves:
        h.leaves += 1 << (9 * level)
        if not ram[2] <= pa < ram[2] + ram[1]:
            h.outside += 1
        add_leaf(h.runs, gpa, pa, level, pte & 0xFF)
    return h


# ---- one graph ----

def fmt_pages(pages):
    if pages % (1 << 18) == 0:
        return "%d GiB" % (pages >> 18)
    if pages % (1 << 9) == 0:
        return "%d MiB" % (pages >> 9 << 1)
    return "%d KiB" % (pages * 4)


def leaf_style(flags, dashed=False):
    colour = RWX_COLOUR.get((flags >> 1) & 7, ("#eeeeee", ""))[0]
    style = ["filled"]
    if flags & 0x20:
        style.append("rounded")      # G: global
    if dashed:
        style.append("dashed")
    pen = "#1565c0" if flags & 0x10 else "#212121"   # U: a user page
    return 'fillcolor="%s" style="%s" color="%s" penwidth=%s' % (
        colour, ",".join(style), pen, "2" if flags & 0x10 else "1")


def count_in(sorted_vas, lo, hi):
    return bisect.bisect_left(sorted_vas, hi) - bisect.bisect_left(sorted_vas, lo)


def overlap_pages(held, lo, hi):
    """4 KiB pages of [lo, hi) the G-stage maps."""
    n = 0
    for r in held.runs:
        a, b = max(lo, r.va), min(hi, r.end())
        if a < b:
            n += (b - a) // PAGE
    return n


class Graph:
    def __init__(self):
        self.lines = []

    def add(self, s):
        self.lines.append(s)


def q(s):
    return '"%s"' % s.replace('"', '\\"')


def render(title, satp, tables, runs, notes, held, mode, ram, gpa_to_hpa):
    g = Graph()
    g.add("digraph ptdump {")
    g.add('  graph [rankdir=LR fontname="Helvetica" fontsize=12 nodesep=0.12 ranksep=0.6 '
          'compound=true label=%s labelloc=t];' % q(title))
    g.add('  node [shape=box fontname="Helvetica" fontsize=10];')
    g.add('  edge [fontname="Helvetica" fontsize=9 color="#757575" arrowsize=0.6];')
    cut = []

    # the guest's table pages, coloured by level
    g.add('  subgraph cluster_guest { label=%s; color="#3949ab"; style=rounded;' %
          q("guest Sv%d table: satp 0x%x (ASID %d, root gpa 0x%x)" %
            (12 + 9 * SATP_LEVELS[satp >> 60], satp, (satp >> 44) & 0xFFFF,
             (satp & ((1 << 44) - 1)) << 12)))
    drawn_tables = {}
    for t in tables[:MAX_TABLES]:
        tid = "t%d" % len(drawn_tables)
        drawn_tables[id(t)] = tid
        g.add('    %s [label=%s fillcolor="%s" style=filled shape=folder];' % (
            tid, q("L%d table%s\\ngpa 0x%x\\n%d valid: %d leaves, %d pointers" % (
                t.level, " (root)" if t.level == SATP_LEVELS[satp >> 60] - 1 else "", t.gpa, t.valid, t.leaves, t.pointers)),
            LEVEL_COLOUR[t.level]))
    if len(tables) > MAX_TABLES:
        cut.append("%d guest table pages" % (len(tables) - MAX_TABLES))
    for t in tables[:MAX_TABLES]:
        for c in t.children:
            if id(c) in drawn_tables:
                g.add("    %s -> %s;" % (drawn_tables[id(t)], drawn_tables[id(c)]))

    # the guest's leaves, a run per node
    for r in runs:
        g.add("    // kit-map guest va=0x%x gpa=0x%x pages=%d level=%d flags=%s" % (
            r.va, r.pa, r.pages, r.level, flags(r.flags)))
    names = {}
    for r in runs[:MAX_RUNS]:
        rid = "g%d" % len(names)
        names[id(r)] = rid
        hpa = gpa_to_hpa(r.pa)
        fills = " ".join("%s %d/%d" % (v, n, r.pages) for v, n in r.filled.items() if n)
        if mode == "shadow":
            state = ("shadow: " + fills) if fills else "no shadow leaf yet"
        else:
            state = ("G-stage: " + fills) if fills else "GPA not in the G-stage"
        label = "va 0x%x%s\\n-> gpa 0x%x%s\\n%s  %s%s\\n%s" % (
            r.va, " (+%s)" % fmt_pages(r.pages) if r.leaves > 1 else "", r.pa,
            " -> host 0x%x" % hpa if hpa is not None else
            (" (not guest RAM)" if mode == "shadow" else " (no G-stage leaf)"),
            flags(r.flags), LEVEL_SIZE[r.level], " x%d" % r.leaves if r.leaves > 1 else "", state)
        g.add("    %s [label=%s %s%s];" % (rid, q(label), leaf_style(r.flags, not fills),
                                         " peripheries=%d" % (r.level + 1) if r.level else ""))
        if id(r.table) in drawn_tables:
            g.add('    %s -> %s [color="#9fa8da"];' % (drawn_tables[id(r.table)], rid))
    if len(runs) > MAX_RUNS:
        rest = runs[MAX_RUNS:]
        cut.append("%d guest runs (%d leaves, va 0x%x..0x%x)" % (
            len(rest), sum(r.leaves for r in rest), rest[0].va, rest[-1].end() - 1))
    for n in notes[:8]:
        g.add("    note%d [label=%s shape=note fillcolor=\"#ffcdd2\" style=filled];" % (
            len(g.lines), q(n)))
    g.add("  }")

    # what the VMM holds
    starts = [r.va for r in runs]
    drawn = runs[:MAX_RUNS]
    for h in held:
        cname = h.name.replace("+", "_")
        if mode == "shadow":
            head = "shadow, %s view: root host pa 0x%x%s\\n%d leaves (4 KiB), %d table pages" % (
                h.name, h.root_pa, " (in use: the real satp)" if h.in_use else "",
                h.leaves, h.tables)
        else:
            head = "G-stage (hgatp, Sv39x4): root host pa 0x%x\\n%d 4 KiB pages mapped, %d table pages" % (
                h.root_pa, h.leaves, h.tables)
        if h.outside:
            head += "\\n%d leaves OUTSIDE guest RAM's backing" % h.outside
        g.add('  subgraph cluster_%s { label=%s; color="%s"; style=%s;' % (
            cname, q(head), VIEW_EDGE[h.name], "bold" if h.in_use else "dashed"))
        g.add('    %s_anchor [shape=point style=invis];' % cname)
        nodes = 0
        if mode == "shadow":
            groups = shadow_groups(h, runs, starts, gpa_to_hpa)
            for gr, srs in groups:
                for r in srs:
                    g.add("    // kit-map shadow-%s va=0x%x pa=0x%x pages=%d level=0 flags=%s from=%d%s" % (
                        h.name, r.va, r.pa, r.pages, flags(r.flags), (r.flags >> PTE_RSW_SHIFT) & 3,
                        " mismatch" if r.mismatch else ""))
            for gr, srs in groups:
                if nodes >= MAX_RUNS:
                    cut.append("%s view: %d shadow leaves of guest va 0x%x.." % (
                        h.name, sum(r.leaves for r in srs), srs[0].va))
                    continue
                if gr is not None and len(srs) > DETAIL:
                    sid = "%s_%d" % (cname, nodes)
                    nodes += 1
                    g.add("    %s [shape=plaintext label=<%s>];" % (sid, strip(gr, srs)))
                    if id(gr) in names:
                        g.add('    %s -> %s [color="%s"];' % (names[id(gr)], sid, VIEW_EDGE[h.name]))
                    continue
                for r in srs:
                    sid = "%s_%d" % (cname, nodes)
                    nodes += 1
                    label = "va 0x%x%s\\n-> host 0x%x\\n%s  from a guest %s leaf%s" % (
                        r.va, " (+%s)" % fmt_pages(r.pages) if r.leaves > 1 else "", r.pa, flags(r.flags),
                        LEVEL_SIZE[(r.flags >> PTE_RSW_SHIFT) & 3],
                        "\\nnot what the guest's table maps now\\n(stale until its sfence.vma)"
                        if r.mismatch else "")
                    g.add("    %s [label=%s %s%s];" % (sid, q(label), leaf_style(r.flags),
                                                     ' color="#c62828" penwidth=3' if r.mismatch else ""))
                    if gr is not None and id(gr) in names:
                        g.add('    %s -> %s [color="%s"];' % (names[id(gr)], sid, VIEW_EDGE[h.name]))
        else:
            for r in h.runs:
                bad = not ram[2] <= r.pa < ram[2] + ram[1]
                g.add("    // kit-map gstage gpa=0x%x pa=0x%x pages=%d level=%d flags=%s%s" % (
                    r.va, r.pa, r.pages, r.level, flags(r.flags), " outside" if bad else ""))
                if nodes >= MAX_RUNS:
                    cut.append("G-stage: gpa 0x%x (+%s)" % (r.va, fmt_pages(r.pages)))
                    continue
                sid = "%s_%d" % (cname, nodes)
                nodes += 1
                label = "gpa 0x%x (+%s)\\n-> host 0x%x\\n%s  %s x%d%s" % (
                    r.va, fmt_pages(r.pages), r.pa, flags(r.flags), LEVEL_SIZE[r.level], r.leaves,
                    "\\nNOT guest RAM's backing" if bad else "")
                g.add("    %s [label=%s %s%s];" % (sid, q(label), leaf_style(r.flags),
                                                 ' color="#c62828" penwidth=3' if bad else ""))
                # the chain: the guest leaves whose GPAs this one maps
                for gr in drawn:
                    if gr.pa < r.end() and r.va < gr.pa + gr.pages * PAGE:
                        g.add('    %s -> %s [color="%s"];' % (names[id(gr)], sid, VIEW_EDGE[h.name]))
        g.add("  }")
    g.add('  host [shape=box3d label=%s fillcolor="#fafafa" style=filled];' % q(
        "host RAM backing guest RAM\\ngpa 0x%x..0x%x = host pa 0x%x..0x%x" % (
            ram[0], ram[0] + ram[1] - 1, ram[2], ram[2] + ram[1] - 1)))
    for h in held:
        cname = h.name.replace("+", "_")
        g.add('  %s_anchor -> host [ltail=cluster_%s style=dotted label="host pa"];' % (cname, cname))
    if cut:
        g.add("  cut [shape=note label=%s];" % q("not drawn (PTDUMP_MAX=%d per table):\\n%s" % (
            MAX_RUNS, "\\n".join(cut))))
    g.add("  legend [shape=plaintext label=<%s>];" % legend(mode))
    g.add("}")
    return g, cut


def shadow_groups(h, runs, starts, gpa_to_hpa):
    """h's runs by the guest run each lies in (None: in none), in va order;
    each run's mismatch set when its host PA is not what the guest maps."""
    groups, by = [], {}
    for r in h.runs:
        gr = run_at(runs, starts, r.va)
        last = r.va + (r.pages - 1) * PAGE
        r.mismatch = (guest_hpa_of(runs, starts, r.va, gpa_to_hpa) != r.pa or
                      guest_hpa_of(runs, starts, last, gpa_to_hpa) != r.pa + last - r.va)
        key = id(gr) if gr is not None and not r.mismatch else ("alone", id(r))
        if key not in by:
            by[key] = (gr, [])
            groups.append(by[key])
        by[key][1].append(r)
    return groups


def strip(gr, srs):
    """One node for many shadow runs of guest run gr: counts and a strip of
    STRIP cells over gr's span, a cell coloured where some page is filled."""
    cells = [None] * STRIP
    span = gr.pages * PAGE
    for r in srs:
        for k in range(r.pages):
            c = (r.va + k * PAGE - gr.va) * STRIP // span
            if cells[c] is None:
                cells[c] = r.flags
    kinds = {}
    for r in srs:
        kinds[flags(r.flags)] = kinds.get(flags(r.flags), 0) + r.pages
    row = "".join('<TD BGCOLOR="%s" WIDTH="6"> </TD>' % (
        RWX_COLOUR.get((c >> 1) & 7, ("#eeeeee",))[0] if c is not None else "white") for c in cells)
    text = "%d leaves in %d runs, va 0x%x..0x%x -&gt; host 0x%x..<BR/>%s<BR/>filled where coloured: guest va 0x%x (+%s)" % (
        sum(r.pages for r in srs), len(srs), srs[0].va, srs[-1].end() - 1, srs[0].pa,
        ", ".join("%s x%d" % kv for kv in sorted(kinds.items())), gr.va, fmt_pages(gr.pages))
    return ('<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" COLOR="#1565c0">'
            '<TR><TD COLSPAN="%d">%s</TD></TR><TR>%s</TR></TABLE>') % (STRIP, text, row)


def run_at(runs, starts, va):
    """The run holding va (runs sorted by va, starts their vas), or None."""
    i = bisect.bisect_right(starts, va) - 1
    return runs[i] if i >= 0 and va < runs[i].end() else None


def guest_hpa_of(runs, starts, va, gpa_to_hpa):
    r = run_at(runs, starts, va)
    return gpa_to_hpa(r.pa + (va - r.va)) if r else None


def legend(mode):
    rows = "".join('<TR><TD BGCOLOR="%s">%s</TD></TR>' % (c, d)
                   for k, (c, d) in sorted(RWX_COLOUR.items()) if k not in (0b110,))
    return ('<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
            '<TR><TD><B>legend</B></TD></TR>%s'
            '<TR><TD>blue thick border: U (user page); rounded: G (global)</TD></TR>'
            '<TR><TD>2 to 5 borders: a 2 MiB, 1 GiB, 512 GiB or 256 TiB superpage</TD></TR>'
            '<TR><TD>dashed: %s</TD></TR>'
            '<TR><TD>flags VRWXUGAD; guest tables: L2 dark .. L0 light</TD></TR>'
            '<TR><TD>red border: %s</TD></TR></TABLE>') % (
        rows, "no shadow leaf yet (filled on first access)" if mode == "shadow"
        else "GPA not mapped by the G-stage",
        "host PA not what the guest maps now" if mode == "shadow" else "host PA outside guest RAM's backing")


# ---- the command ----

def current_vcpu():
    """The vCPU whose tables are live: lab01/lab02's vcpu0, or lab03's
    sched.c running (its vCPUs live in the scheduler's pool)."""
    sym = lookup("vcpu0")
    if sym is not None:
        return vmm_value(sym)
    sym = lookup("running")
    if sym is None:
        raise PtdumpError("ptdump: no vcpu0 symbol (lab01/lab02) nor sched.c's running "
                          "(lab03): load the VMM's symbols (file vmm.elf)")
    hart = vmm_value(sym)
    if int(hart) == 0:
        raise PtdumpError("ptdump: lab03's scheduler runs no vCPU yet (sched.c running "
                          "is NULL): stop later (AT=)")
    return vmm_deref(hart)["v"]


def guest_state(mode):
    """(guest satp, real satp, vcpu) as the VMM and the hart hold them now."""
    vcpu = current_vcpu()
    pc = csr("pc") or 0
    in_vmm = VMM_PHYS_OFFSET <= pc < VMM_MAP_END
    if mode == "nested":
        # QEMU swaps the VS CSRs in while V = 1 (the guest runs): satp is then
        # the guest's; in the VMM (V = 0) the guest's is in vsatp
        satp = csr("vsatp" if in_vmm else "satp")
        if satp is None:
            raise PtdumpError("ptdump: QEMU shows no vsatp: nested mode needs the H extension")
    else:
        satp = int(vcpu["satp"])
    return satp, csr("satp") or 0, vcpu, in_vmm


def dump(path, mode):
    if mode not in ("shadow", "nested"):
        raise PtdumpError("ptdump: MODE=%s: shadow or nested" % mode)
    with Phys():
        satp, real_satp, vcpu, in_vmm = guest_state(mode)
        if satp >> 60 not in SATP_LEVELS:
            raise PtdumpError("ptdump: the guest's satp is 0x%x (MODE %d%s) here: paging is off, "
                              "there is no guest table to draw; stop later (AT=)" % (
                                  satp, satp >> 60, ", Bare" if satp >> 60 == 0 else ""))
        ram_v = vmm_deref(vcpu["vm"])["ram"]
        base, size = int(ram_v["base"]), int(ram_v["size"])
        host = vmm_pa(int(ram_v["host"]))
        ram = (base, size, host)

        def gpa_to_hpa(gpa):
            return host + gpa - base if base <= gpa < base + size else None

        tables, runs, notes = walk_guest(satp, gpa_to_hpa)
        if mode == "shadow":
            held = shadow_views(satp, real_satp, ram)
            for h in held:
                for r in runs:
                    r.filled[h.name] = count_in(h.vas, r.va, r.end())
        else:
            hgatp = csr("hgatp")
            if hgatp is None:
                raise PtdumpError("ptdump: QEMU shows no hgatp: nested mode needs the H extension")
            held = [gstage(hgatp, ram)]
            gs_starts = [r.va for r in held[0].runs]

            def gpa_to_hpa(gpa):   # the chain through the G-stage, not guest RAM's map
                r = run_at(held[0].runs, gs_starts, gpa)
                return r.pa + gpa - r.va if r else None
            for r in runs:
                r.filled["gstage"] = overlap_pages(held[0], r.pa, r.pa + r.pages * PAGE)
        where = "in the VMM (pc 0x%x)" % csr("pc") if in_vmm else "in the guest (pc 0x%x)" % csr("pc")
        title = "%s; stopped %s" % (os.environ.get("PTDUMP_TITLE", "ptdump"), where)
        g, cut = render(title, satp, tables, runs, notes, held, mode, ram, gpa_to_hpa)

    guest_leaves = sum(r.leaves for r in runs)
    guest_pages = sum(r.pages for r in runs)
    # the 4 KiB pages the guest maps that are guest RAM (a gigapage maps more than RAM)
    ram_pages = sum(max(0, min(r.pa + r.pages * PAGE, base + size) - max(r.pa, base)) // PAGE
                    for r in runs)
    head = ("guest satp 0x%x: %d guest leaves in %d runs, %d table pages, mapping %d 4 KiB pages "
            "(%d of them guest RAM)" % (satp, guest_leaves, len(runs), len(tables), guest_pages, ram_pages))
    if mode == "shadow":
        used = next((h for h in held if h.in_use), None)
        filled = sum(h.leaves for h in held)
        mism = sum(r.mismatch for h in held for r in h.runs)
        summary = ("%s; shadow leaves filled: %s (%d in all%s): %.2f%% of the guest's RAM pages%s" % (
            head, ", ".join("%s %d" % (h.name, h.leaves) for h in held) or
            "none (no kept address space for this satp)", filled,
            "; in use: the " + used.name + " view" if used else "; none in use now",
            100.0 * filled / ram_pages if ram_pages else 0,
            "; %d shadow runs not what the guest maps now (stale)" % mism if mism else ""))
    else:
        h = held[0]
        mapped = sum(r.filled["gstage"] for r in runs)
        summary = ("%s; G-stage (hgatp 0x%x) maps %d 4 KiB pages in %d runs; guest pages whose GPA "
                   "it maps: %d (%.2f%% of the guest's RAM pages)" % (
                       head, csr("hgatp"), h.leaves, len(h.runs), mapped,
                       100.0 * mapped / ram_pages if ram_pages else 0))
    if notes:
        summary += "; the guest's table: " + "; ".join(notes)
    if cut:
        summary += "; not drawn (PTDUMP_MAX=%d): %s%s" % (
            MAX_RUNS, "; ".join(cut[:3]), " and %d more" % (len(cut) - 3) if len(cut) > 3 else "")
    g.lines.insert(1, "  // kit-summary " + summary)
    with open(path, "w") as f:
        f.write("\n".join(g.lines) + "\n")
    print("ptdump: summary: " + summary)


class KitPtdump(gdb.Command):
    """kit-ptdump FILE.dot [shadow|nested]: the guest's page table and the VMM's table for it, as DOT."""

    def __init__(self):
        super().__init__("kit-ptdump", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv:
            raise gdb.GdbError("usage: kit-ptdump FILE.dot [shadow|nested]")
        dump(argv[0], argv[1] if len(argv) > 1 else "shadow")


def symbol_kind(name):
    """'code' for a function (with or without debug info), 'data' for
    any other symbol, None for no symbol of that name."""
    try:
        v = gdb.parse_and_eval("'%s'" % name)
    except gdb.error:
        return None
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_FUNC:
        return "code"
    # an assembler label has no type: its section tells ("x in section .text")
    try:
        where = gdb.execute("info symbol &'%s'" % name, to_string=True)
    except gdb.error:
        return "data"
    return "code" if " in section .text" in where else "data"


def has_function(name):
    return symbol_kind(name) == "code"


# gdb's breakpoint ignore count is a C int
MAX_EXITS = 2**31 - 1


def stop_location():
    return int(gdb.parse_and_eval("$pc")) & (2**64 - 1)


def bp_addrs(bp):
    out = set()
    for loc in getattr(bp, "locations", []):
        if loc.address is not None:
            out.add(loc.address)
    return out


class KitPtdumpAt(gdb.Command):
    """kit-ptdump-at AT FILE.dot [MODE]: run to AT (symbol, or N = the VMM's N-th exit), then kit-ptdump."""

    def __init__(self):
        super().__init__("kit-ptdump-at", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) < 2:
            raise gdb.GdbError("usage: kit-ptdump-at AT FILE.dot [shadow|nested]")
        at, path = argv[0], argv[1]
        mode = argv[2] if len(argv) > 2 else "shadow"
        count = int(at) if at.isdigit() else None
        if count is None:
            kind = symbol_kind(at)
            if kind is None:
                raise PtdumpError("ptdump: AT=%s: no such symbol in the guest's or the VMM's ELF "
                                  "(give a function name, e.g. AT=proc_trap, or a number of VMM exits)" % at)
            if kind != "code":
                raise PtdumpError("ptdump: AT=%s is data, not code: a breakpoint there is never "
                                  "reached (give a function name, e.g. AT=proc_trap)" % at)
        elif count < 1:
            raise PtdumpError("ptdump: AT=%s: a number of exits counts from 1" % at)
        elif count > MAX_EXITS:
            raise PtdumpError("ptdump: AT=%s: at most %d exits (gdb's ignore count)" % (at, MAX_EXITS))
        # first the VMM's own boot, which runs at the guest's addresses
        # (0x8020xxxx, before its paging is on: lab01's vmm/README.md, Boot)
        first = gdb.Breakpoint("vmm_main", internal=True)
        gdb.execute("continue", to_string=True)
        first.delete()
        # where the VM ends: the stop report, and the power-off every end reaches
        ends = [gdb.Breakpoint(s, internal=True) for s in ("vmm_finish", "hw_shutdown")
                if has_function(s)]
        if count is None:
            target = gdb.Breakpoint("'%s'" % at, internal=True)
        else:
            # every exit of either run loop (run_u.c, run_vs.c) enters vmm_exit; lab03's
            # nested wfi never reaches vs_handle_exit, so neither handler counts them all
            target = gdb.Breakpoint("vmm_exit", internal=True)
            target.ignore_count = count - 1
        try:
            gdb.execute("continue", to_string=True)
        except gdb.error as e:
            raise PtdumpError("ptdump: AT=%s was never reached: QEMU ended first (%s)" % (at, e))
        pc = stop_location()
        if any(pc in bp_addrs(b) for b in ends) and pc not in bp_addrs(target):
            with Phys():
                exits = int(current_vcpu()["stats"]["total"])
            raise PtdumpError("ptdump: AT=%s was never reached: the VM ended first, after %d VMM exits "
                              "(the VMM at %s)" % (at, exits, gdb.execute("info symbol $pc", to_string=True)
                                                   .split(" in section")[0]))
        if pc not in bp_addrs(target):
            raise PtdumpError("ptdump: stopped at 0x%x, not at AT=%s" % (pc, at))
        for b in ends + [target]:
            b.delete()
        if count is None:
            print("ptdump: stopped at %s (%s)" % (
                at, gdb.execute("info symbol $pc", to_string=True).split(" in section")[0].strip()))
        else:
            with Phys():
                done = int(current_vcpu()["stats"]["total"])
            print("ptdump: stopped at the VMM's exit %d (%d handled before)" % (count, done))
        dump(path, mode)


KitPtdump()
KitPtdumpAt()
