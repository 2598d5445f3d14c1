# A gdb script (docs/PERFORMANCE.md, "Folding repeated rounds"): at each
# entry of host_rt::scrub_found (the scrubber's next finding: a quiet point
# between two rounds of a wide fault), flatten the host's whole state by
# field name - the host_rt and everything it owns or points to: the hv, the
# CPU models, the memory controller, dom0, the ledger, the run record -
# from the DWARF layouts (raw memory reads, one per object) and write one
# JSON line: the first dump whole, then what changed. Nothing is built or
# changed in the simulator.
#
#   FM_OUT=d.jsonl FM_MAX=600 gdb -batch -x bench/fold_dump.py --args \
#       build/sim/mcasim-sim campaign FILE --host H --policy P
#
# FM_MAX: dumps to write, then the run is killed; FM_SKIP: findings to
# pass first. Pointer fields are followed once, or over the element count
# COUNTS names; large arrays and hash tables are digests.
import gdb, json, os, hashlib, struct, time

OUT = open(os.environ['FM_OUT'], 'w')
MAXD = int(os.environ.get('FM_MAX', '200'))
SKIP_FIRST = int(os.environ.get('FM_SKIP', '0'))
inf = None
LAY = {}
BIG = 512  # arrays of more leaves than this: digest
SKIP_PREFIX = ('tlm', 'sc_core::', 'sc_dt::', 'std::function', 'std::basic_string', 'std::__cxx11::basic_string')
# (struct, pointer field) -> sibling field holding the element count
COUNTS = {
    ('hv', 'cpu'): 'cfg.ncpus', ('hv', 'dom'): 'ndom', ('hv', 'regions'): 'cfg.nregions',
    ('telem_pool', 'slot'): 'nslots', ('telem_pool', 'cpu'): 'ncpus',
    ('page_states', 'v'): 'n', ('domain', 'vcpu'): 'nvcpus', ('domain', 'ranges'): 'nranges',
    ('fault_map', 'slot'): 'nslots', ('ledger', 'round'): 'ncpus',
    ('ledger', 'await_virq'): 'n_virq', ('ledger_round', 'await_mcip'): 'n_await',
    ('run_result', 'hosts'): 'nhosts', ('run_result', 'errors'): 'n_errors', ('run_result', 'records'): 'n_records',
    ('run_result', 'console'): 'n_console', ('run_result', 'dom0_log'): 'n_dom0_log',
    ('run_result', 'guest_log'): 'n_guest_log',
    ('rr_summary', 'free_errors'): 'n_free_errors', ('rr_summary', 'free_records'): 'n_free',
    ('scrubber', 'heap'): 'n', ('memctl', 'truth'): 'ntruth',
}
# pointers whose target is summarized by a digest of N elements (sibling count)
DIGEST = {
    ('u64map', 'keys'): 'cap', ('u64map', 'vals'): 'cap', ('page_states', 'index'): None,
    ('fault_map', 'slot_by_id'): 'ids_cap', ('ledger', 'rec_at'): 'cap_rec_at', ('ledger', 'err_at'): 'cap_err_at',
    ('ledger', 'named'): 'cap_named', ('ledger', 'occupant'): None, ('ledger', 'read'): None,
}
# not followed: configuration and the world
NOFOLLOW = {('host_rt', 'scn_'), ('host_rt', 'cfg_'), ('host_rt', 'sink_'), ('host_rt', 'hosts_'),
            ('host_rt', 'world_'), ('run_result', 'scn'), ('hv', 'plat'), ('ledger', 'rr'),
            ('host_rt', 'dom0_cfg_'), ('rr_event', 'rec'), ('guest_rt', 'host_'), ('guest_rt', 'hv_'),
            ('guest_rt', 'cfg_'), ('memctl_sc', 'hooks_'), ('hv_xen_poll', 'p'), ('hv_xen', 'cb'),
            ('hv_domain_config', 'pcpu'), ('hv_config', 'domains'), ('hv_config', 'regions'),
            ('rr_summary', 'free_errors'), ('rr_summary', 'free_records'),
            ('run_result', 'arena'), ('rr_arena', 'chunk'), ('guest_abi', 'ctx'), ('dom0', 'abi'),
            ('host_rt', 'abi_')}

def tname(t):
    t = t.strip_typedefs()
    return t.tag or t.name or str(t)

def layout(t):
    t = t.strip_typedefs()
    key = str(t)
    if key in LAY:
        return LAY[key]
    out = []
    LAY[key] = out
    _lay(t, '', 0, out, tname(t))
    return out

def _lay(t, path, off, out, owner):
    t = t.strip_typedefs()
    c = t.code
    if c == gdb.TYPE_CODE_STRUCT:
        nm = tname(t)
        if nm.startswith(SKIP_PREFIX):
            return
        if nm.startswith('std::'):
            out.append((path, off, t.sizeof, 'std', t, owner)); return
        for f in t.fields():
            if not hasattr(f, 'bitpos') or f.bitpos is None or f.artificial:
                continue
            if f.is_base_class:
                _lay(f.type, path, off + f.bitpos // 8, out, tname(f.type)); continue
            p = (path + '.' if path else '') + (f.name or '?')
            if f.bitsize:
                out.append((p, off + f.bitpos // 8, f.bitpos % 8, 'bits', f.bitsize, nm)); continue
            ft = f.type.strip_typedefs()
            if ft.code == gdb.TYPE_CODE_STRUCT and not tname(ft).startswith('std::'):
                _lay(ft, p, off + f.bitpos // 8, out, tname(ft))
            elif ft.code == gdb.TYPE_CODE_REF:
                out.append((p, off + f.bitpos // 8, 8, 'ptr', ft.target(), nm))
            else:
                _lay(ft, p, off + f.bitpos // 8, out, nm)
                # record field owner for pointer lookups
                if out and out[-1][0] == p and out[-1][3] == 'ptr':
                    out[-1] = out[-1][:5] + (nm,)
    elif c == gdb.TYPE_CODE_ARRAY:
        et = t.target().strip_typedefs()
        n = t.sizeof // max(1, et.sizeof)
        if et.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR) and et.sizeof == 1:
            out.append((path, off, t.sizeof, 'str' if et.code == gdb.TYPE_CODE_CHAR or 'char' in str(et) else 'blob', None, owner)); return
        sub = []
        _lay(et, '', 0, sub, owner)
        if n * max(1, len(sub)) > BIG:
            out.append((path, off, t.sizeof, 'blob', None, owner)); return
        for i in range(n):
            for (p, o, s, k, x, ow) in sub:
                out.append((path + '[%d]' % i + ('.' + p if p and not p.startswith('[') else p), off + i * et.sizeof + o, s, k, x, ow))
    elif c == gdb.TYPE_CODE_UNION:
        out.append((path, off, t.sizeof, 'blob', None, owner))
    elif c == gdb.TYPE_CODE_PTR:
        tt = t.target().strip_typedefs()
        if tt.code == gdb.TYPE_CODE_FUNC:
            return
        out.append((path, off, 8, 'ptr', t.target(), owner))
    elif c in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_ENUM, gdb.TYPE_CODE_BOOL, gdb.TYPE_CODE_CHAR):
        signed = c == gdb.TYPE_CODE_INT and not t.is_signed is False and t.is_signed if hasattr(t, 'is_signed') else False
        out.append((path, off, t.sizeof, 'int', signed, owner))
    elif c == gdb.TYPE_CODE_FLT:
        out.append((path, off, t.sizeof, 'flt', None, owner))

def rd(addr, n):
    return bytes(inf.read_memory(addr, n))

def dig(b):
    return hashlib.blake2b(b, digest_size=8).hexdigest()

def getint(vals, prefix, expr):
    return vals.get(prefix + expr)

def dump_obj(addr, t, prefix, vals, seen, depth=0):
    t = t.strip_typedefs()
    if addr == 0 or depth > 12:
        return
    key = (addr, str(t))
    if key in seen:
        vals[prefix + '@alias'] = seen[key]; return
    seen[key] = prefix
    if t.code != gdb.TYPE_CODE_STRUCT:
        lay = []
        _lay(t, '', 0, lay, '')
    else:
        lay = layout(t)
    try:
        raw = rd(addr, max(1, t.sizeof))
    except gdb.MemoryError:
        vals[prefix + '!'] = 'unreadable'; return
    ptrs = []
    for (p, o, s, k, x, owner) in lay:
        name = prefix + (('.' + p) if p and not p.startswith('[') and prefix else p)
        if k == 'int':
            v = int.from_bytes(raw[o:o + s], 'little', signed=False)
            vals[name] = v
        elif k == 'bits':
            w = int.from_bytes(raw[o:o + 8], 'little') if o + 8 <= len(raw) else int.from_bytes(raw[o:], 'little')
            vals[name] = (w >> s) & ((1 << x) - 1)
        elif k == 'flt':
            vals[name] = struct.unpack('<d' if s == 8 else '<f', raw[o:o + s])[0] if s in (4, 8) else dig(raw[o:o+s])
        elif k == 'str':
            vals[name] = raw[o:o + s].split(b'\0')[0].decode('latin1')
        elif k == 'blob':
            vals[name] = '#' + dig(raw[o:o + s])
        elif k == 'ptr':
            v = int.from_bytes(raw[o:o + 8], 'little')
            vals[name] = 'P' if v else 'NULL'
            ptrs.append((name, p, v, x, owner))
        elif k == 'std':
            dump_std(addr + o, x, name, vals, seen, depth)
    for (name, p, v, tt, owner) in ptrs:
        if not v:
            continue
        fld = p.split('.')[-1].split('[')[0]
        if (owner, fld) in NOFOLLOW:
            continue
        base = name[:len(name) - len(fld)]
        if (owner, fld) in DIGEST:
            ce = DIGEST[(owner, fld)]
            n = vals.get(base + ce) if ce else None
            if n is None and fld == 'index':
                n = 1 << vals.get(base + 'bits', 0)
            if n is None and fld in ('occupant', 'read'):
                n = vals.get(base + 'ncpus', 1) * 32  # slots: ncpus * MCA_MAX_BANKS (ledger_init)
            es = max(1, tt.strip_typedefs().sizeof)
            try:
                vals[name + '#'] = dig(rd(v, min(n, 1 << 24) * es)) if n else 'empty'
            except gdb.MemoryError:
                vals[name + '#'] = 'unreadable'
            continue
        ttt = tt.strip_typedefs()
        if ttt.code == gdb.TYPE_CODE_INT and ttt.sizeof == 1 or ttt.code == gdb.TYPE_CODE_CHAR:
            try:
                vals[name] = 's:' + rd(v, 256).split(b'\0')[0].decode('latin1')
            except gdb.MemoryError:
                pass
            continue
        if ttt.code == gdb.TYPE_CODE_VOID or ttt.code == gdb.TYPE_CODE_FUNC:
            continue
        n = 1
        if (owner, fld) in COUNTS:
            n = vals.get(base + COUNTS[(owner, fld)], 0) or 0
            vals[name + '.count'] = n
        n = min(n, 4096)
        es = ttt.sizeof
        for i in range(n):
            dump_obj(v + i * es, ttt, name + ('[%d]' % i if (owner, fld) in COUNTS else '->'), vals, seen, depth + 1)

def dump_std(addr, t, name, vals, seen, depth):
    nm = tname(t)
    if nm.startswith(SKIP_PREFIX):
        return
    try:
        v = gdb.Value(addr).cast(t.pointer()).dereference()
        viz = gdb.default_visualizer(v)
    except Exception as e:
        vals[name] = 'err'; return
    if viz is None or not hasattr(viz, 'children'):
        return
    kids = list(viz.children()) if 'vector<unsigned char' not in nm else []
    if 'vector<unsigned char' in nm:
        vals[name + '.size'] = 'vec<u8>'
        return
    vals[name + '.size'] = len(kids)
    if len(kids) > 4096:
        vals[name + '#'] = dig(repr([str(k[1]) for k in kids[:100000]]).encode()); return
    for i, (kn, kv) in enumerate(kids):
        sub = name + '[%d]' % i
        if not isinstance(kv, gdb.Value):
            vals[sub] = kv if isinstance(kv, (int, bool, float, str)) else str(kv)
            continue
        kt = kv.type.strip_typedefs()
        sub = name + '[%d]' % i
        if kt.code == gdb.TYPE_CODE_PTR:
            tt = kt.target().strip_typedefs()
            p = int(kv)
            vals[sub] = 'P' if p else 'NULL'
            if p and tt.code == gdb.TYPE_CODE_STRUCT and not tname(tt).startswith(SKIP_PREFIX):
                dump_obj(p, tt, sub + '->', vals, seen, depth + 1)
        elif kt.code == gdb.TYPE_CODE_STRUCT:
            if tname(kt).startswith(SKIP_PREFIX):
                continue
            if kv.address is not None:
                dump_obj(int(kv.address), kt, sub, vals, seen, depth + 1)
        else:
            try:
                vals[sub] = int(kv)
            except Exception:
                vals[sub] = str(kv)

count = [0]
PREV = [None]
class BP(gdb.Breakpoint):
    def stop(self):
        global inf
        count[0] += 1
        if count[0] <= SKIP_FIRST:
            return False
        inf = gdb.selected_inferior()
        fr = gdb.selected_frame()
        this = fr.read_var('this')
        ev = fr.read_var('ev')
        vals = {}
        seen = {}
        import traceback
        try:
            self._go(this, ev, vals, seen)
        except Exception:
            traceback.print_exc()
            gdb.execute('kill'); return False
        return False
    def _go(self, this, ev, vals, seen):
        t1 = time.time()
        dump_obj(int(this), this.type.target(), 'host', vals, seen)
        dump_obj(int(ev.address), ev.type.strip_typedefs().target() if ev.type.strip_typedefs().code == gdb.TYPE_CODE_REF else ev.type, 'ev', vals, seen)
        vals['_n'] = count[0]
        vals['_dump_s'] = time.time() - t1
        prev = PREV[0]
        if prev is None:
            OUT.write(json.dumps({'full': vals}) + '\n')
        else:
            ch = {k: v for k, v in vals.items() if prev.get(k, '<absent>') != v}
            gone = [k for k in prev if k not in vals]
            OUT.write(json.dumps({'ch': ch, 'gone': gone}) + '\n')
        OUT.flush()
        PREV[0] = vals
        if count[0] - SKIP_FIRST >= MAXD:
            gdb.execute('kill')
        return False

gdb.execute('set pagination off')
gdb.execute('set print pretty off')
gdb.execute('set follow-fork-mode child')
gdb.execute('set detach-on-fork on')
BP('host_rt::scrub_found')
try:
    gdb.execute('run')
except gdb.error:
    pass  # the run was killed after FM_MAX dumps
