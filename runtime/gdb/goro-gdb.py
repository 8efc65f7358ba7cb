# goro's gdb support, as Go's runtime-gdb.py: `info goroutines` and `goroutine N bt`.
#
# Loaded by gdb from the .debug_gdb_scripts section every goro program carries (sched/api.cpp),
# once gdb trusts the program's directory (add-auto-load-safe-path DIR, or set auto-load safe-path
# /), or by hand: source <prefix>/share/goro/goro-gdb.py.
#
# It reads the runtime's own structures through the program's debug information: the scheduler
# (goro::sched::g_scheduler, the pointer sched() returns), its all_gs vector, and each G's
# status, wait reason, park site and saved context. A parked goroutine's registers are where
# Boost.Context's jump_fcontext left them on its stack: rbp at context + 0x30, the return address
# at + 0x38, and the stack pointer after the switch at + 0x40 (runtime/src/sched/context.hpp). `goroutine N bt` points the
# current thread's rip, rsp and rbp there for one `bt`, then puts them back, as Go's script does;
# it needs a live process (a core's registers cannot be written).

import gdb

# g_status and wait_reason (runtime/src/sched/g.hpp, wait_reason.cpp), by enumerator name.
_STATUS = {
    "idle": "idle",
    "runnable": "runnable",
    "running": "running",
    "waiting": "waiting",
    "syscall": "syscall",
    "dead": "dead",
}
_REASON = {
    "none": "running",
    "chan_receive": "chan receive",
    "chan_send": "chan send",
    "chan_receive_nil": "chan receive (nil chan)",
    "chan_send_nil": "chan send (nil chan)",
    "select": "select",
    "select_no_cases": "select (no cases)",
    "sleep": "sleep",
    "mutex_lock": "sync.Mutex.Lock",
    "rwmutex_lock": "sync.RWMutex.Lock",
    "rwmutex_rlock": "sync.RWMutex.RLock",
    "waitgroup_wait": "sync.WaitGroup.Wait",
    "cond_wait": "sync.Cond.Wait",
    "io_wait": "IO wait",
    "parked": "park",
    "synctest_run": "synctest.Run",
    "synctest_wait": "synctest.Wait",
}

# Frames of these namespaces are the runtime's: the top frame shown is the first one that is not.
_RUNTIME_PREFIXES = ("goro::", "std::", "__")

# Looking for the program's frame stops after this many.
_MAX_FRAMES = 64


def _enumerator(value):
    """The enumerator's name of an enum value, without its scope ("chan_receive")."""
    return str(value).rsplit("::", 1)[-1]


def _atomic(value):
    """The value inside a std::atomic, which libstdc++ keeps in _M_i (or _M_base._M_i; a
    pointer's in _M_b._M_p)."""
    for path in (("_M_i",), ("_M_base", "_M_i"), ("_M_b", "_M_p")):
        try:
            v = value
            for field in path:
                v = v[field]
            return v
        except gdb.error:
            continue
    return value


def _goroutines():
    sched = _atomic(gdb.parse_and_eval("'goro::sched::g_scheduler'"))
    if int(sched) == 0:
        return []
    gs = sched["all_gs"]["_M_impl"]
    start, finish = gs["_M_start"], gs["_M_finish"]
    return [(start + i).dereference() for i in range(int(finish - start))]


def _describe(g):
    """(goid, status, text for the brackets) of a G, or None for one that is not in use."""
    status = _STATUS.get(_enumerator(_atomic(g["status"])), "?")
    if status in ("idle", "dead"):
        return None
    text = status
    if status == "waiting":
        text = _REASON.get(_enumerator(g["reason"]), _enumerator(g["reason"]))
    return int(g["goid"]), status, text


def _read_word(address):
    inferior = gdb.selected_inferior()
    return int.from_bytes(bytes(inferior.read_memory(address, 8)), "little")


def _on_stack_of(g, callback):
    """Calls callback() with the current thread's rip, rsp and rbp those of parked G g (see the
    file comment), and puts them back after."""
    context = int(g["saved_context"])
    saved = {r: int(gdb.parse_and_eval("$" + r)) for r in ("rip", "rsp", "rbp")}
    gdb.execute("set $rbp = %d" % _read_word(context + 0x30))
    gdb.execute("set $rsp = %d" % (context + 0x40))
    gdb.execute("set $rip = %d" % _read_word(context + 0x38))
    try:
        return callback()
    finally:
        for register, value in saved.items():
            gdb.execute("set $%s = %d" % (register, value))


def _first_program_frame():
    """(function, "file:line") of the newest frame that is not the runtime's (inlined frames
    count: a channel's recv inlined into the program's function is skipped)."""
    frame, first = gdb.newest_frame(), None
    for _ in range(_MAX_FRAMES):
        if frame is None:
            break
        name = frame.name() or "??"
        sal = frame.find_sal()
        where = "%s:%d" % (sal.symtab.filename, sal.line) if sal.symtab is not None else "??"
        first = first or (name, where)
        if not name.startswith(_RUNTIME_PREFIXES) and name != "??":
            return name, where
        frame = frame.older()
    return first or ("??", "??")


class InfoGoroutines(gdb.Command):
    """List the goroutines: id, state (or wait reason), and the first frame that is the program's.

Usage: info goroutines
A '*' marks goroutines running on a thread; use `thread apply all bt` for their stacks."""

    def __init__(self):
        super().__init__("info goroutines", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        for g in _goroutines():
            described = _describe(g)
            if described is None:
                continue
            goid, status, text = described
            line = "%s %d [%s]" % ("*" if status in ("running", "syscall") else " ", goid, text)
            if status in ("waiting", "runnable") and int(g["saved_context"]) != 0:
                name, where = _on_stack_of(g, _first_program_frame)
                line += " %s %s" % (name, where)
            print(line)


class GoroutineCommand(gdb.Command):
    """Run a gdb command on a parked goroutine's stack.

Usage: goroutine N bt     (any command that reads the stack: bt, bt full, info frame)
The goroutine's saved rip, rsp and rbp stand in for the current thread's while the command
runs; a running goroutine's stack is its thread's (info goroutines marks it with '*')."""

    def __init__(self):
        super().__init__("goroutine", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        words = arg.split(None, 1)
        if len(words) != 2 or not words[0].isdigit():
            raise gdb.GdbError("usage: goroutine N COMMAND (e.g. goroutine 2 bt)")
        goid, command = int(words[0]), words[1]
        for g in _goroutines():
            described = _describe(g)
            if described is None or described[0] != goid:
                continue
            if described[1] != "waiting" and described[1] != "runnable":
                raise gdb.GdbError("goroutine %d is %s on a thread: see `thread apply all bt`"
                                   % (goid, described[1]))
            if int(g["saved_context"]) == 0:
                raise gdb.GdbError("goroutine %d has not run yet" % goid)
            _on_stack_of(g, lambda: gdb.execute(command))
            return
        raise gdb.GdbError("no goroutine %d" % goid)


InfoGoroutines()
GoroutineCommand()
