#!/usr/bin/env python3
"""Groups the on-CPU samples of `perf script` output (from service-load.sh PERF=...) by what they do.

Usage: python3 tests/bench/profile-summary.py STACKS.txt [--top 25]

Prints a markdown table: each sample attributed to the innermost component on its stack (what a
component calls in the runtime, libc or the kernel counts as its own), with the kernel's share and
each component's inclusive share; then the top frames where samples were taken, and by inclusive
samples. Components are recognized by frame names (the JIT's perf map names managed frames
"[Assembly] Namespace.Type::Method"; native frames by symbol and library).
"""
import collections
import re
import sys

# Components, innermost first: a sample is attributed to the first frame, from the sampled one
# towards the thread's root, that belongs to one of these (by regular expression on the frame's name),
# so that what a component calls in the runtime, libc or the kernel (allocation, memset, a system
# call) counts as that component's. Order matters where one component calls another's frames.
COMPONENTS = [
    ("state (de)serialization (ConversationStateJson, System.Text.Json)", r"ConversationStateJson|\[System\.Text\.Json\]"),
    ("SQLite (native engine, Microsoft.Data.Sqlite, SQLitePCL)", r"libe_sqlite3|\[Microsoft\.Data\.Sqlite\]|\[SQLitePCLRaw"),
    ("protobuf (parse, size, serialize)", r"\[Google\.Protobuf\]|__Helper_(Serialize|Deserialize)Message|ScriptDsl\.Protocol\.V1\.[A-Za-z]+::(Internal)?(MergeFrom|WriteTo|CalculateSize|ToByteArray)|Grpc\.Testing\.Empty::"),
    ("API validation and access (RequestValidator, AccessControl)", r"RequestValidator|AccessControl::"),
    ("logging (Microsoft.Extensions.Logging)", r"Microsoft\.Extensions\.Logging"),
    ("metrics (System.Diagnostics.Metrics, OpenTelemetry, ServiceMetrics)", r"System\.Diagnostics\.Metrics|OpenTelemetry|ScriptService\.Metrics|HostingMetrics|KestrelMetrics|\[System\.Diagnostics\.DiagnosticSource\]"),
    ("SHA-256 (request fingerprints)", r"System\.Security\.Cryptography|libcrypto|SHA256"),
    ("engine turn (ScriptDsl runtime, compiled shops)", r"\[ScriptDsl\]|ScriptDsl\.Generated"),
    ("store (SqliteConversationStore, SqliteSession, KeyedLock, group commit)", r"ScriptService\.Storage"),
    ("API (ScriptServiceApi, ProtoMapping, GiftStock, the interceptor)", r"ScriptService\.Api"),
    ("gRPC (Grpc.AspNetCore.Server)", r"\[Grpc\.|Grpc\.Shared|Grpc\.AspNetCore"),
    ("ASP.NET Core hosting and routing", r"\[Microsoft\.AspNetCore\.(Hosting|Routing|Http|HostFiltering)"),
    ("Kestrel HTTP/2 and sockets (Kestrel, Pipelines, System.Net.Sockets)", r"\[Microsoft\.AspNetCore\.Server\.Kestrel|\[System\.IO\.Pipelines\]|\[System\.Net\.Sockets\]|\[System\.Net\.Http"),
]

# What is left: samples with none of the components on their stack.
FALLBACK = [
    # libc and native SQLite have no frame pointers, so a system call's stack often ends at libc:
    # these are named by the call (the file calls are SQLite's: the service does no other file I/O per request).
    ("SQLite's file system calls, caller frames lost (fsync, pwrite, pread, fcntl locks)", r"^fsync[+ ]|__libc_pwrite|__libc_pread|__fcntl64"),
    ("socket system calls, caller frames lost (send, recv, epoll_wait)", r"^__send[+ ]|__libc_recv|^epoll_wait|__GI___libc_write|^__libc_sendmsg|^__libc_recvmsg"),
    ("memset/memmove with caller frames lost (mostly the GC clearing allocation memory)", r"__memset_|__memmove_"),
    ("thread pool, tasks, locks (System.Threading, no component above)", r"System\.Threading|System\.Runtime\.CompilerServices"),
    ("JIT (tiered compilation)", r"libclrjit"),
    ("runtime with no managed caller (GC, tiering, stubs)", r"libcoreclr|\(/tmp/perf-\d+\.map\)"),
]

KERNEL_GROUPS = [
    ("fsync / file I/O", ["fsync", "ext4", "jbd2", "vfs_write", "vfs_read", "blk_", "do_fdatasync", "file_write", "pwrite", "pread", "fcntl", "posix_lock", "locks_"]),
    ("network (loopback TCP)", ["tcp_", "sock_", "inet_", "__sys_sendto", "__sys_recvfrom", "sendmsg", "recvmsg", "ip_", "net_rx", "loopback", "skb"]),
    ("futex", ["futex"]),
    ("epoll", ["epoll"]),
    ("scheduling", ["schedule", "finish_task_switch", "pick_next", "__switch_to", "sched_yield"]),
]


def parse(path):
    """Yields each sample's frames, leaf first."""
    frames = []
    header = None
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                if header is not None:
                    yield header, frames
                header, frames = None, []
                continue
            if not line.startswith((" ", "\t")):
                header = line
                continue
            m = re.match(r"\s*[0-9a-f]+\s+(.*)$", line)
            frames.append(m.group(1) if m else line.strip())
    if header is not None:
        yield header, frames


def attribute(frames):
    for frame in frames:
        for name, pattern in COMPONENTS:
            if re.search(pattern, frame):
                return name
    for frame in frames:
        for name, pattern in FALLBACK:
            if re.search(pattern, frame):
                return name
    if all("[kernel.kallsyms]" in f for f in frames):
        return "kernel only (interrupts, other processes' work)"
    return "other"


def in_group(frames, pattern):
    return any(re.search(pattern, f) for f in frames)


def kernel_group(frames):
    for name, patterns in KERNEL_GROUPS:
        if any(p in f for f in frames if "[kernel.kallsyms]" in f for p in patterns):
            return name
    return "other"


def short(frame):
    frame = re.sub(r"\+0x[0-9a-f]+", "", frame)
    frame = re.sub(r"\[(Optimized|OptimizedTier1|Tier1|Tier0|QuickJitted|PreJIT|Instrumented[A-Za-z0-9]*)\]", "", frame)
    frame = re.sub(r"\(/tmp/perf-\d+\.map\)", "", frame)
    return frame.strip()[:160]


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    total = 0
    attributed = collections.Counter()
    in_kernel = collections.defaultdict(collections.Counter)
    inclusive = collections.Counter()
    leaf = collections.Counter()
    incl_frames = collections.Counter()
    for _, frames in parse(path):
        if not frames:
            continue
        total += 1
        group = attribute(frames)
        attributed[group] += 1
        if "[kernel.kallsyms]" in frames[0]:
            in_kernel[group][kernel_group(frames)] += 1
        for name, pattern in COMPONENTS:
            if in_group(frames, pattern):
                inclusive[name] += 1
        user = [f for f in frames if "[kernel.kallsyms]" not in f]
        first = short(user[0]) if user else "[kernel]"
        leaf[first + ("  (in kernel)" if "[kernel.kallsyms]" in frames[0] else "")] += 1
        for f in set(short(f) for f in user):
            incl_frames[f] += 1
    if total == 0:
        print("no samples")
        return 1
    print(f"{total} on-CPU samples of the server\n")
    print("| where the CPU goes (innermost component on the stack) | % of samples | of which in the kernel | inclusive % (component anywhere on the stack) |")
    print("|---|---:|---:|---:|")
    for name, count in attributed.most_common():
        kernel = in_kernel[name]
        detail = ", ".join(f"{k} {100.0 * v / total:.1f}" for k, v in kernel.most_common(3)) if kernel else ""
        incl = f"{100.0 * inclusive[name] / total:.1f}" if name in inclusive else ""
        print(f"| {name} | {100.0 * count / total:.1f} | {detail} | {incl} |")
    print(f"\ntop {top} frames where the sample was taken (a kernel sample at its first user frame):\n")
    for frame, count in leaf.most_common(top):
        print(f"  {100.0 * count / total:5.1f} %  {frame}")
    print(f"\ntop {top} frames by inclusive samples:\n")
    for frame, count in incl_frames.most_common(top):
        print(f"  {100.0 * count / total:5.1f} %  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
