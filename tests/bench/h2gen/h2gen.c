/*
 * h2gen: the load generator of tests/bench/service-load.sh with GENERATOR=h2gen (docs/benchmarks.md,
 * "A load generator in C on libnghttp2"). The same load as tests/bench/LoadGen (workload a: N buyers,
 * each walking the lamp-shop dialogue in a conversation of its own; workload b: conversations shared
 * by several streams; EmptyCall at the same concurrency on the same connections, interleaved round by
 * round), the same requests (shop, lines, budgets, conversation and request ids), the same checks of
 * every answer and the same table, at a fraction of the CPU: one thread, one epoll loop, a few HTTP/2
 * connections driven by nghttp2, gRPC's 5-byte framing and the few protobuf fields by hand.
 *
 * Build: gcc -O2 -Wall -Wextra -Werror -o h2gen tests/bench/h2gen/h2gen.c -lnghttp2   (libnghttp2-dev)
 * Usage: h2gen --target http://127.0.0.1:PORT [--target ...] [--server-pid PID ...] [--db-pid PID ...]
 *   [--workload a|b] [--callers 160] [--conversations 16] [--connections 16]
 *   [--duration 10] [--warmup 5] [--rounds 3] [--request-ids] [--calls both|reply|empty]
 * Exit status 1 when any call failed or any answer failed the checks, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_TARGETS 8
#define MAX_PIDS 8
#define MAX_SLOTS 32
#define MAX_PROBLEMS 10
#define MAX_ROUNDS 64
#define CALL_TIMEOUT_NS (30LL * 1000000000LL)

/* The dialogue of tests/bench/LoadGen/Dialogue.cs, line for line ("%d" is the buyer's budget, yuan). */
static const char *const LINES[] = {
    "老板,请给我推荐一款卧室灯",
    "我更喜欢方形的",
    "预算%d元左右",
    "我家是北欧装修风格,想要简单一点的",
    "你家灯怎么这么贵?",
    "发什么快递呀",
    "好的谢谢,我再看看",
};
#define DIALOGUE_LENGTH 7
#define BUDGET_TURN 2
#define SHOP "lamp_shop"
#define REFERENCE_BUDGET (200 + 99999)

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("h2gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (q == NULL) die("out of memory");
    return q;
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static double own_cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- /proc CPU times (as LoadGen's ProcessCpu) ---- */

/* The fields of /proc/PID/stat after the command name (index 0 is the state), or 0 when gone. */
static int stat_fields(int pid, long long *out, int count) {
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (p == NULL) return 0;
    p += 2;
    for (int i = 0; i < count; i++) {
        while (*p == ' ') p++;
        if (*p == 0) return 0;
        out[i] = (*p >= '0' && *p <= '9') || *p == '-' ? strtoll(p, &p, 10) : 0;
        while (*p && *p != ' ') p++;
    }
    return 1;
}

/* A process's utime + stime, seconds; negative when gone. */
static double process_cpu(int pid) {
    long long f[13];
    if (!stat_fields(pid, f, 13)) return -1;
    return (double)(f[11] + f[12]) / (double)sysconf(_SC_CLK_TCK);
}

/* A process with its waited-for children and its live children (a PostgreSQL postmaster: its backends). */
static double process_tree_cpu(int pid) {
    long long f[15];
    if (!stat_fields(pid, f, 15)) return -1;
    long long ticks = f[11] + f[12] + f[13] + f[14];
    DIR *d = opendir("/proc");
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!isdigit((unsigned char)e->d_name[0])) continue;
            int child = atoi(e->d_name);
            long long c[13];
            if (child != pid && stat_fields(child, c, 13) && c[1] == pid) ticks += c[11] + c[12];
        }
        closedir(d);
    }
    return (double)ticks / (double)sysconf(_SC_CLK_TCK);
}

static double total_cpu(const int *pids, int n, double (*of)(int)) {
    if (n == 0) return NAN;
    double total = 0;
    for (int i = 0; i < n; i++) {
        double c = of(pids[i]);
        if (c < 0) return NAN;
        total += c;
    }
    return total;
}

/* ---- protobuf, by hand ---- */

static size_t put_varint(uint8_t *p, uint64_t v) {
    size_t n = 0;
    while (v >= 0x80) { p[n++] = (uint8_t)(v | 0x80); v >>= 7; }
    p[n++] = (uint8_t)v;
    return n;
}

static size_t put_string(uint8_t *p, int field, const char *s, size_t len) {
    size_t n = put_varint(p, ((uint64_t)field << 3) | 2);
    n += put_varint(p + n, len);
    memcpy(p + n, s, len);
    return n + len;
}

typedef struct { const uint8_t *p; size_t n; } slice;

/* Reads a varint; 0 on malformed input. */
static int get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v) {
    uint64_t r = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) { *v = r; return 1; }
    }
    return 0;
}

/* Next field of a message: its number, wire type and (for length-delimited) its bytes; 0 at the end, -1 malformed. */
static int next_field(const uint8_t **p, const uint8_t *end, int *field, int *wire, slice *bytes) {
    if (*p >= end) return 0;
    uint64_t key, v;
    if (!get_varint(p, end, &key)) return -1;
    *field = (int)(key >> 3);
    *wire = (int)(key & 7);
    switch (*wire) {
    case 0: return get_varint(p, end, &v) ? 1 : -1;
    case 1: if (end - *p < 8) return -1; *p += 8; return 1;
    case 5: if (end - *p < 4) return -1; *p += 4; return 1;
    case 2:
        if (!get_varint(p, end, &v) || v > (uint64_t)(end - *p)) return -1;
        bytes->p = *p; bytes->n = (size_t)v; *p += v;
        return 1;
    default: return -1;
    }
}

/* The parts of a ReplyResponse the checks read. */
typedef struct {
    int messages, empty_texts;
    slice intent, stage, kind;
    int slots;
    slice slot_name[MAX_SLOTS], slot_value[MAX_SLOTS];
} reply_view;

static int slice_cmp(const void *a, const void *b) {
    const slice *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    return c != 0 ? c : (x->n > y->n) - (x->n < y->n);
}

static int slice_eq(slice a, const char *s) { return a.n == strlen(s) && memcmp(a.p, s, a.n) == 0; }

/* Parses a ReplyResponse; 0 when malformed. Slot names come out sorted (with their values). */
static int parse_reply(const uint8_t *msg, size_t len, reply_view *r) {
    memset(r, 0, sizeof *r);
    const uint8_t *p = msg, *end = msg + len;
    int field, wire, rc;
    slice b = {0};
    while ((rc = next_field(&p, end, &field, &wire, &b)) == 1) {
        if (wire != 2) continue;
        if (field == 1) { /* ChatMessage: text = 1 */
            r->messages++;
            const uint8_t *q = b.p, *qe = b.p + b.n;
            int f2, w2, rc2, text = 0;
            slice t = {0};
            while ((rc2 = next_field(&q, qe, &f2, &w2, &t)) == 1)
                if (f2 == 1 && w2 == 2 && t.n > 0) text = 1;
            if (rc2 < 0) return 0;
            if (!text) r->empty_texts++;
        } else if (field == 2) r->intent = b;
        else if (field == 3) r->stage = b;
        else if (field == 11) r->kind = b;
        else if (field == 4) { /* map entry: key = 1, value = 2 */
            if (r->slots == MAX_SLOTS) return 0;
            const uint8_t *q = b.p, *qe = b.p + b.n;
            int f2, w2, rc2;
            slice t = {0}, k = {(const uint8_t *)"", 0}, v = {(const uint8_t *)"", 0};
            while ((rc2 = next_field(&q, qe, &f2, &w2, &t)) == 1) {
                if (f2 == 1 && w2 == 2) k = t;
                else if (f2 == 2 && w2 == 2) v = t;
            }
            if (rc2 < 0) return 0;
            r->slot_name[r->slots] = k;
            r->slot_value[r->slots] = v;
            r->slots++;
        }
    }
    if (rc < 0) return 0;
    /* Sort names, carrying values along (few slots: insertion sort). */
    for (int i = 1; i < r->slots; i++)
        for (int j = i; j > 0 && slice_cmp(&r->slot_name[j - 1], &r->slot_name[j]) > 0; j--) {
            slice t = r->slot_name[j]; r->slot_name[j] = r->slot_name[j - 1]; r->slot_name[j - 1] = t;
            t = r->slot_value[j]; r->slot_value[j] = r->slot_value[j - 1]; r->slot_value[j - 1] = t;
        }
    return 1;
}

static char *slice_dup(slice s) {
    char *c = xrealloc(NULL, s.n + 1);
    memcpy(c, s.p, s.n);
    c[s.n] = 0;
    return c;
}

/* ---- the reference answers (LoadGen's ExpectedTurn and ReplyValidator) ---- */

typedef struct {
    char *intent, *stage, *kind;
    int slots;
    char *slot_name[MAX_SLOTS];
} expected_turn;

static expected_turn expected[DIALOGUE_LENGTH];
static char *budget_template; /* the reference answer's budget slot text */

/* The budget slot's text for a budget: the reference's text with its figure replaced (every occurrence). */
static void budget_text(int yuan, char *out, size_t size) {
    char ref[16], fig[16];
    snprintf(ref, sizeof ref, "%d", REFERENCE_BUDGET);
    snprintf(fig, sizeof fig, "%d", yuan);
    size_t o = 0;
    const char *s = budget_template;
    for (;;) {
        const char *hit = strstr(s, ref);
        size_t n = hit ? (size_t)(hit - s) : strlen(s);
        if (o + n + strlen(fig) + 1 >= size) break;
        memcpy(out + o, s, n); o += n;
        if (!hit) break;
        memcpy(out + o, fig, strlen(fig)); o += strlen(fig);
        s = hit + strlen(ref);
    }
    out[o] = 0;
}

static void describe(const reply_view *r, char *out, size_t size) {
    int o = snprintf(out, size, "intent '%.*s' stage '%.*s' kind '%.*s' slots [", (int)r->intent.n, r->intent.p,
                     (int)r->stage.n, r->stage.p, (int)r->kind.n, r->kind.p);
    for (int i = 0; i < r->slots && o < (int)size; i++)
        o += snprintf(out + o, size - o, "%s%.*s", i ? "," : "", (int)r->slot_name[i].n, r->slot_name[i].p);
    if (o < (int)size) snprintf(out + o, size - o, "]");
}

/* The budget check (both workloads): a budget the answer reports is this conversation's own. */
static int check_budget(const reply_view *r, int turn, int budget, char *problem, size_t size) {
    for (int i = 0; i < r->slots; i++)
        if (slice_eq(r->slot_name[i], "budget")) {
            char want[256];
            budget_text(budget, want, sizeof want);
            if (!slice_eq(r->slot_value[i], want)) {
                snprintf(problem, size, "turn %d: budget '%.*s', this conversation's is '%s' (an answer of another conversation)",
                         turn, (int)r->slot_value[i].n, r->slot_value[i].p, want);
                return 0;
            }
        }
    return 1;
}

/* The full check (workload a): the turn's intent, stage, kind and slot names as alone, and the budget. */
static int check_reply(const reply_view *r, int turn, int budget, char *problem, size_t size) {
    if (r->messages == 0 || r->empty_texts > 0) {
        snprintf(problem, size, "turn %d: no message text", turn);
        return 0;
    }
    const expected_turn *e = &expected[turn];
    int same = slice_eq(r->intent, e->intent) && slice_eq(r->stage, e->stage) && slice_eq(r->kind, e->kind) && r->slots == e->slots;
    for (int i = 0; same && i < r->slots; i++) same = slice_eq(r->slot_name[i], e->slot_name[i]);
    if (!same) {
        char got[512];
        describe(r, got, sizeof got);
        int o = snprintf(problem, size, "turn %d: %s, expected intent '%s' stage '%s' kind '%s' slots [", turn, got, e->intent, e->stage, e->kind);
        for (int i = 0; i < e->slots && o < (int)size; i++) o += snprintf(problem + o, size - o, "%s%s", i ? "," : "", e->slot_name[i]);
        if (o < (int)size) snprintf(problem + o, size - o, "]");
        return 0;
    }
    return check_budget(r, turn, budget, problem, size);
}

/* ---- connections, callers, phases ---- */

typedef struct conn conn;

typedef struct {
    char id[64];
    int budget;
    int next; /* workload b: the next line's counter (the streams of one conversation advance it together) */
} conversation;

enum { CALL_EMPTY, CALL_REPLY, CALL_REFERENCE };

typedef struct {
    int index;
    conn *c;
    int busy, timed_out, kind, turn, request_serial;
    int32_t stream_id;
    int64_t sent;
    conversation own;      /* workload a: this buyer's conversation */
    conversation *conv;    /* the conversation of the call in flight (own, or a shared one) */
    int has_conversation;  /* workload a: own is started */
    uint8_t body[1024];
    size_t body_len, body_off;
    uint8_t *resp;
    size_t resp_len, resp_cap;
    int http_status, grpc_status;
    char grpc_message[160];
} caller;

struct conn {
    int fd, index, dead, epollout, goaway; /* goaway: the server is closing the connection; no new call on it */
    nghttp2_session *session;
    uint8_t *out;
    size_t out_len, out_off, out_cap;
    char authority[128];
};

typedef struct {
    const char *call;
    long long completed, failed, invalid;
    double elapsed, client_cpu, server_cpu, db_cpu;
    int64_t *lat;
    size_t lat_len, lat_cap;
    int conversations;
    int problems;
    char *problem[MAX_PROBLEMS];
} phase_result;

static struct {
    char host[MAX_TARGETS][64];
    int port[MAX_TARGETS], targets;
    int server_pid[MAX_PIDS], servers;
    int db_pid[MAX_PIDS], dbs;
    int workload_b, callers, conversations, connections, rounds, request_ids;
    double duration, warmup;
    const char *calls;
    char run_id[16];
} opt;

static int epfd;
static conn *conns;
static caller *callers;
static conversation *shared; /* workload b: this phase's conversations */
static int conversation_serial;
static phase_result *cur;  /* the phase being run */
static int64_t deadline;
static int in_flight;
static caller reference_caller;
static reply_view reference_view; /* the last reference answer */
static int reference_ok;
static char reference_problem[512];

static void add_problem(phase_result *r, const char *fmt, ...) {
    if (r->problems == MAX_PROBLEMS) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->problem[r->problems++] = strdup(buf);
}

static void new_conversation(conversation *v) {
    int serial = ++conversation_serial;
    snprintf(v->id, sizeof v->id, "loadgen-%s-%d", opt.run_id, serial);
    v->budget = 200 + serial % 100000; /* budgets repeat only after 100,000 conversations */
    v->next = -1;
    if (cur) cur->conversations++;
}

static ssize_t body_read(nghttp2_session *s, int32_t sid, uint8_t *buf, size_t len, uint32_t *flags, nghttp2_data_source *src, void *ud) {
    (void)s; (void)sid; (void)ud;
    caller *c = src->ptr;
    size_t n = c->body_len - c->body_off;
    if (n > len) n = len;
    memcpy(buf, c->body + c->body_off, n);
    c->body_off += n;
    if (c->body_off == c->body_len) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return (ssize_t)n;
}

#define NV(n, v) {(uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, strlen(v), NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE}

/* Sends the caller's next call: an EmptyCall, or the next line of its conversation. */
static void start_call(caller *c, int kind) {
    uint8_t *m = c->body + 5;
    size_t n = 0;
    const char *path;
    c->kind = kind;
    if (kind == CALL_EMPTY) {
        path = "/grpc.testing.TestService/EmptyCall";
    } else {
        path = "/scriptdsl.v1.ScriptService/Reply";
        if (kind == CALL_REFERENCE) {
            c->conv = &c->own;
        } else if (opt.workload_b) {
            c->conv = &shared[c->index % opt.conversations];
        } else {
            /* A conversation is started only when its first line is sent, so every one started is in the store. */
            if (!c->has_conversation) { new_conversation(&c->own); c->has_conversation = 1; }
            c->conv = &c->own;
        }
        c->turn = (int)((unsigned)(++c->conv->next) % DIALOGUE_LENGTH);
        char line[256];
        snprintf(line, sizeof line, LINES[c->turn], c->conv->budget);
        n += put_string(m + n, 1, SHOP, strlen(SHOP));
        n += put_string(m + n, 2, c->conv->id, strlen(c->conv->id));
        n += put_string(m + n, 3, line, strlen(line));
        if (opt.request_ids && kind == CALL_REPLY) {
            char rid[32];
            int len = snprintf(rid, sizeof rid, "%d-%d", c->index, ++c->request_serial);
            n += put_string(m + n, 5, rid, (size_t)len);
        }
    }
    c->body[0] = 0;
    c->body[1] = (uint8_t)(n >> 24); c->body[2] = (uint8_t)(n >> 16); c->body[3] = (uint8_t)(n >> 8); c->body[4] = (uint8_t)n;
    c->body_len = n + 5;
    c->body_off = 0;
    c->resp_len = 0;
    c->http_status = 0;
    c->grpc_status = -1;
    c->grpc_message[0] = 0;
    c->timed_out = 0;
    nghttp2_nv h[] = {
        NV(":method", "POST"), NV(":scheme", "http"), NV(":path", path), NV(":authority", c->c->authority),
        NV("content-type", "application/grpc"), NV("te", "trailers"), NV("grpc-timeout", "30S"), NV("user-agent", "h2gen"),
    };
    nghttp2_data_provider dp = {.source.ptr = c, .read_callback = body_read};
    c->sent = now_ns();
    int32_t sid = nghttp2_submit_request(c->c->session, NULL, h, sizeof h / sizeof h[0], &dp, c);
    if (sid < 0) die("submit_request: %s", nghttp2_strerror(sid));
    c->stream_id = sid;
    c->busy = 1;
    in_flight++;
}

static void record_latency(phase_result *r, int64_t ns) {
    if (r->lat_len == r->lat_cap) {
        r->lat_cap = r->lat_cap ? r->lat_cap * 2 : 65536;
        r->lat = xrealloc(r->lat, r->lat_cap * sizeof *r->lat);
    }
    r->lat[r->lat_len++] = ns;
}

/* The call of c has ended (error_code: the stream's, 0 when it closed normally). */
static void finish_call(caller *c, uint32_t error_code) {
    int64_t latency = now_ns() - c->sent;
    c->busy = 0;
    in_flight--;
    const char *what = c->kind == CALL_EMPTY ? "EmptyCall" : "Reply";
    char where[128] = "";
    if (c->kind != CALL_EMPTY) snprintf(where, sizeof where, " %s turn %d", c->conv->id, c->turn);
    /* The gRPC message: the 5-byte prefix (uncompressed) and exactly its length. */
    const uint8_t *msg = NULL;
    size_t len = 0;
    int framed = c->resp_len >= 5 && c->resp[0] == 0 &&
                 (len = ((size_t)c->resp[1] << 24) | ((size_t)c->resp[2] << 16) | ((size_t)c->resp[3] << 8) | c->resp[4]) + 5 == c->resp_len;
    if (framed) msg = c->resp + 5;
    char failure[320] = "";
    if (c->timed_out) snprintf(failure, sizeof failure, "DeadlineExceeded (no answer within 30 s)");
    else if (error_code != 0) snprintf(failure, sizeof failure, "stream reset (%s)", nghttp2_http2_strerror(error_code));
    else if (c->http_status != 200) snprintf(failure, sizeof failure, "HTTP status %d", c->http_status);
    else if (c->grpc_status != 0) snprintf(failure, sizeof failure, "grpc-status %d %s", c->grpc_status, c->grpc_message);
    else if (!framed) snprintf(failure, sizeof failure, "no gRPC message in the answer (%zu bytes)", c->resp_len);

    if (c->kind == CALL_REFERENCE) {
        if (failure[0]) { snprintf(reference_problem, sizeof reference_problem, "%s%s: %s", what, where, failure); return; }
        if (!parse_reply(msg, len, &reference_view)) { snprintf(reference_problem, sizeof reference_problem, "Reply%s: malformed ReplyResponse", where); return; }
        reference_ok = 1;
        return;
    }
    if (failure[0]) {
        cur->failed++;
        add_problem(cur, "%s%s: %s", what, where, failure);
    } else {
        record_latency(cur, latency);
        if (c->kind == CALL_REPLY) {
            reply_view r;
            char problem[900];
            int ok;
            if (!parse_reply(msg, len, &r)) { snprintf(problem, sizeof problem, "turn %d: malformed ReplyResponse", c->turn); ok = 0; }
            else ok = opt.workload_b ? check_budget(&r, c->turn, c->conv->budget, problem, sizeof problem)
                                     : check_reply(&r, c->turn, c->conv->budget, problem, sizeof problem);
            if (!ok) { cur->invalid++; add_problem(cur, "%s: %s", c->conv->id, problem); }
        }
    }
    if (c->kind == CALL_REPLY && !opt.workload_b && c->turn == DIALOGUE_LENGTH - 1)
        c->has_conversation = 0; /* the dialogue ended: this buyer's next line opens a new conversation */
    /* The closed loop: the next call, while the phase lasts. */
    if (now_ns() < deadline && !c->c->dead && !c->c->goaway) start_call(c, c->kind);
}

static int on_header(nghttp2_session *s, const nghttp2_frame *f, const uint8_t *name, size_t namelen, const uint8_t *value,
                     size_t valuelen, uint8_t flags, void *ud) {
    (void)flags; (void)ud;
    if (f->hd.type != NGHTTP2_HEADERS) return 0;
    caller *c = nghttp2_session_get_stream_user_data(s, f->hd.stream_id);
    if (c == NULL) return 0;
    if (namelen == 7 && memcmp(name, ":status", 7) == 0) c->http_status = atoi((const char *)value);
    else if (namelen == 11 && memcmp(name, "grpc-status", 11) == 0) c->grpc_status = atoi((const char *)value);
    else if (namelen == 12 && memcmp(name, "grpc-message", 12) == 0)
        snprintf(c->grpc_message, sizeof c->grpc_message, "%.*s", (int)valuelen, value);
    return 0;
}

static int on_data(nghttp2_session *s, uint8_t flags, int32_t sid, const uint8_t *data, size_t len, void *ud) {
    (void)flags; (void)ud;
    caller *c = nghttp2_session_get_stream_user_data(s, sid);
    if (c == NULL) return 0;
    if (c->resp_len + len > c->resp_cap) {
        c->resp_cap = (c->resp_len + len) * 2;
        c->resp = xrealloc(c->resp, c->resp_cap);
    }
    memcpy(c->resp + c->resp_len, data, len);
    c->resp_len += len;
    return 0;
}

static int on_close(nghttp2_session *s, int32_t sid, uint32_t error_code, void *ud) {
    (void)ud;
    caller *c = nghttp2_session_get_stream_user_data(s, sid);
    if (c != NULL && c->busy) finish_call(c, error_code);
    return 0;
}

static int on_frame(nghttp2_session *s, const nghttp2_frame *f, void *ud) {
    (void)s;
    conn *c = ud;
    if (f->hd.type == NGHTTP2_GOAWAY && !c->goaway) {
        c->goaway = 1;
        fprintf(stderr, "h2gen: connection %d: GOAWAY from the server (%s)\n", c->index, nghttp2_http2_strerror(f->goaway.error_code));
    }
    return 0;
}

static void set_epollout(conn *c, int on) {
    if (c->epollout == on) return;
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    c->epollout = on;
}

static void conn_fail(conn *c, const char *why);

/* Serializes what the session has to send and writes it, keeping what the socket does not take. */
static void conn_flush(conn *c) {
    if (c->dead) return;
    for (;;) {
        if (c->out_off == c->out_len) {
            c->out_off = c->out_len = 0;
            const uint8_t *data;
            ssize_t n;
            while (c->out_len < 65536 && (n = nghttp2_session_mem_send(c->session, &data)) > 0) {
                if (c->out_len + (size_t)n > c->out_cap) {
                    c->out_cap = (c->out_len + (size_t)n) * 2;
                    c->out = xrealloc(c->out, c->out_cap);
                }
                memcpy(c->out + c->out_len, data, (size_t)n);
                c->out_len += (size_t)n;
            }
            if (c->out_len == 0) { set_epollout(c, 0); return; }
        }
        ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) { set_epollout(c, 1); return; }
            if (errno == EINTR) continue;
            conn_fail(c, strerror(errno));
            return;
        }
        c->out_off += (size_t)w;
    }
}

static void conn_read(conn *c) {
    uint8_t buf[65536];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            if (errno == EINTR) continue;
            conn_fail(c, strerror(errno));
            return;
        }
        if (n == 0) { conn_fail(c, "closed by the server"); return; }
        ssize_t r = nghttp2_session_mem_recv(c->session, buf, (size_t)n);
        if (r < 0) { conn_fail(c, nghttp2_strerror((int)r)); return; }
        if ((size_t)n < sizeof buf) return;
    }
}

/* A connection that broke: every call in flight on it failed, and its callers stop. */
static void conn_fail(conn *c, const char *why) {
    if (c->dead) return;
    c->dead = 1;
    fprintf(stderr, "h2gen: connection %d: %s\n", c->index, why);
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    for (int i = 0; i < opt.callers; i++)
        if (callers[i].c == c && callers[i].busy) {
            callers[i].busy = 0;
            in_flight--;
            if (cur) { cur->failed++; add_problem(cur, "connection %d: %s", c->index, why); }
        }
    if (reference_caller.c == c && reference_caller.busy) {
        reference_caller.busy = 0;
        in_flight--;
        snprintf(reference_problem, sizeof reference_problem, "connection %d: %s", c->index, why);
    }
}

static void conn_open(conn *c, int index, const char *host, int port) {
    memset(c, 0, sizeof *c);
    c->index = index;
    snprintf(c->authority, sizeof c->authority, "%s:%d", host, port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai;
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    int rc = getaddrinfo(host, ps, &hints, &ai);
    if (rc != 0) die("%s: %s", host, gai_strerror(rc));
    c->fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, ai->ai_addr, ai->ai_addrlen) != 0) die("connect %s: %s", c->authority, strerror(errno));
    freeaddrinfo(ai);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    nghttp2_session_callbacks *cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame);
    if (nghttp2_session_client_new(&c->session, cb, c) != 0) die("nghttp2_session_client_new");
    nghttp2_session_callbacks_del(cb);
    nghttp2_settings_entry s[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0}, {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20}};
    nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, s, 2);
    nghttp2_session_set_local_window_size(c->session, NGHTTP2_FLAG_NONE, 0, 1 << 24);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) die("epoll_ctl: %s", strerror(errno));
    conn_flush(c);
}

/* Runs the event loop until no call is in flight; calls older than the 30 s deadline are reset. */
static void run_until_idle(void) {
    struct epoll_event evs[64];
    int64_t last_scan = now_ns();
    while (in_flight > 0) {
        int n = epoll_wait(epfd, evs, 64, 100);
        if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) conn_read(c);
            if ((evs[i].events & EPOLLOUT) && !c->dead) conn_flush(c);
        }
        for (int i = 0; i < opt.connections; i++) {
            conn_flush(&conns[i]);
            if (!conns[i].dead && !nghttp2_session_want_read(conns[i].session) && !nghttp2_session_want_write(conns[i].session))
                conn_fail(&conns[i], "the HTTP/2 session ended");
        }
        int64_t t = now_ns();
        if (t - last_scan > 100000000LL) {
            last_scan = t;
            for (int i = -1; i < opt.callers; i++) {
                caller *c = i < 0 ? &reference_caller : &callers[i];
                if (c->busy && !c->timed_out && t - c->sent > CALL_TIMEOUT_NS && c->c && !c->c->dead) {
                    c->timed_out = 1;
                    nghttp2_submit_rst_stream(c->c->session, NGHTTP2_FLAG_NONE, c->stream_id, NGHTTP2_CANCEL);
                }
            }
        }
    }
}

/* The dialogue once, alone, in a conversation of its own: the reference of every check. */
static void learn_reference(void) {
    caller *c = &reference_caller;
    c->index = -1;
    c->c = &conns[0];
    snprintf(c->own.id, sizeof c->own.id, "loadgen-%s-reference", opt.run_id);
    c->own.budget = REFERENCE_BUDGET;
    c->own.next = -1;
    char *budget = NULL;
    for (int turn = 0; turn < DIALOGUE_LENGTH; turn++) {
        reference_ok = 0;
        deadline = 0;
        start_call(c, CALL_REFERENCE);
        conn_flush(c->c);
        run_until_idle();
        if (!reference_ok) die("the reference dialogue failed: %s", reference_problem);
        reply_view *r = &reference_view;
        expected_turn *e = &expected[turn];
        e->intent = slice_dup(r->intent);
        e->stage = slice_dup(r->stage);
        e->kind = slice_dup(r->kind);
        e->slots = r->slots;
        for (int i = 0; i < r->slots; i++) e->slot_name[i] = slice_dup(r->slot_name[i]);
        if (turn == BUDGET_TURN)
            for (int i = 0; i < r->slots; i++)
                if (slice_eq(r->slot_name[i], "budget")) budget = slice_dup(r->slot_value[i]);
    }
    char ref[16];
    snprintf(ref, sizeof ref, "%d", REFERENCE_BUDGET);
    if (budget == NULL || strstr(budget, ref) == NULL)
        die("the dialogue's budget line did not fill slot 'budget' with %s (got '%s'); the lamp shop's script changed?", ref, budget ? budget : "");
    budget_template = budget;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One phase: every caller's closed loop of one call kind for the given seconds. */
static phase_result *run_phase(int kind, double seconds) {
    phase_result *r = calloc(1, sizeof *r);
    if (r == NULL) die("out of memory");
    r->call = kind == CALL_EMPTY ? "EmptyCall" : "Reply";
    cur = r;
    if (kind == CALL_REPLY && opt.workload_b) {
        for (int i = 0; i < opt.conversations; i++) new_conversation(&shared[i]);
    }
    for (int i = 0; i < opt.callers; i++) {
        callers[i].has_conversation = 0; /* each phase's buyers open new conversations (as LoadGen's loops) */
        callers[i].request_serial = 0;
    }
    double server_before = total_cpu(opt.server_pid, opt.servers, process_cpu);
    double db_before = total_cpu(opt.db_pid, opt.dbs, process_tree_cpu);
    double client_before = own_cpu_seconds();
    int64_t started = now_ns();
    deadline = started + (int64_t)(seconds * 1e9);
    for (int i = 0; i < opt.callers; i++)
        if (!callers[i].c->dead && !callers[i].c->goaway) start_call(&callers[i], kind);
    for (int i = 0; i < opt.connections; i++) conn_flush(&conns[i]);
    run_until_idle();
    r->elapsed = (now_ns() - started) / 1e9;
    r->client_cpu = own_cpu_seconds() - client_before;
    r->server_cpu = total_cpu(opt.server_pid, opt.servers, process_cpu) - server_before;
    r->db_cpu = total_cpu(opt.db_pid, opt.dbs, process_tree_cpu) - db_before;
    qsort(r->lat, r->lat_len, sizeof *r->lat, cmp_i64);
    r->completed = (long long)r->lat_len;
    cur = NULL;
    return r;
}

/* ---- the report (LoadGen's Report) ---- */

static double rps(const phase_result *r) { return r->completed / r->elapsed; }

static double pct_ms(const phase_result *r, double p) {
    if (r->lat_len == 0) return NAN;
    long rank = (long)ceil(p / 100.0 * (double)r->lat_len) - 1;
    if (rank < 0) rank = 0;
    if (rank > (long)r->lat_len - 1) rank = (long)r->lat_len - 1;
    return r->lat[rank] / 1e6;
}

static double per_req_us(double seconds, const phase_result *r) { return r->completed == 0 || isnan(seconds) ? NAN : seconds * 1e6 / r->completed; }

/* printf's %.*f, with NaN written as .NET writes it. */
static const char *fmt(double v, int decimals, char *buf) {
    if (isnan(v)) strcpy(buf, "NaN");
    else sprintf(buf, "%.*f", decimals, v);
    return buf;
}

static int cmp_rps(const void *a, const void *b) {
    double x = rps(*(phase_result *const *)a), y = rps(*(phase_result *const *)b);
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The round with the median requests/s (the lower middle of an even count). */
static phase_result *median(phase_result **rs, int n) {
    phase_result *sorted[MAX_ROUNDS];
    memcpy(sorted, rs, n * sizeof *rs);
    qsort(sorted, n, sizeof *sorted, cmp_rps);
    return sorted[(n - 1) / 2];
}

static void row(const phase_result *r, double ratio, double round_ratio) {
    char b[12][32];
    printf("| %s | %s | %s | %s | %s | %s | %lld | %lld | %s | %s | %sx | %sx |\n", r->call, fmt(rps(r), 0, b[0]), fmt(pct_ms(r, 50), 2, b[1]),
           fmt(pct_ms(r, 90), 2, b[2]), fmt(pct_ms(r, 99), 2, b[3]), fmt(pct_ms(r, 99.9), 2, b[4]), r->failed, r->invalid,
           fmt(per_req_us(r->client_cpu, r), 1, b[5]), fmt(per_req_us(r->server_cpu, r), 1, b[6]), fmt(ratio, 3, b[7]), fmt(round_ratio, 3, b[8]));
}

static void report(phase_result **empty, int ne, phase_result **reply, int nr) {
    printf("| call | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | failed | invalid | loadgen CPU µs/req | server CPU µs/req | vs EmptyCall (ratio of medians) | median of per-round ratios |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    phase_result *em = ne ? median(empty, ne) : NULL;
    double ratios[MAX_ROUNDS];
    int nratio = ne < nr ? ne : nr;
    for (int i = 0; i < nratio; i++) ratios[i] = rps(reply[i]) / rps(empty[i]);
    qsort(ratios, nratio, sizeof *ratios, cmp_double);
    double round_ratio = nratio == 0 ? NAN : nratio % 2 ? ratios[nratio / 2] : (ratios[nratio / 2 - 1] + ratios[nratio / 2]) / 2;
    if (em) row(em, 1.0, 1.0);
    if (nr) {
        phase_result *rm = median(reply, nr);
        row(rm, em ? rps(rm) / rps(em) : NAN, round_ratio);
    }
    char b[8][32];
    if (opt.dbs > 0) {
        printf("\n");
        for (int k = 0; k < 2; k++) {
            phase_result **rs = k ? reply : empty;
            int n = k ? nr : ne;
            if (n == 0) continue;
            phase_result *m = median(rs, n);
            printf("database CPU µs/req, %s: %s (median round; server + database %s); every round: ", k ? "Reply" : "EmptyCall",
                   fmt(per_req_us(m->db_cpu, m), 1, b[0]), fmt(per_req_us(m->server_cpu, m) + per_req_us(m->db_cpu, m), 1, b[1]));
            for (int i = 0; i < n; i++) printf("%s%s", i ? " / " : "", fmt(per_req_us(rs[i]->db_cpu, rs[i]), 1, b[2]));
            printf("\n");
        }
    }
    printf("\nall rounds (req/s, p50 / p99 ms, failed, invalid, loadgen / server CPU µs/req, conversations started):\n");
    for (int k = 0; k < 2; k++) {
        phase_result **rs = k ? reply : empty;
        int n = k ? nr : ne;
        printf("  %s:\n", k ? "Reply" : "EmptyCall");
        for (int i = 0; i < n; i++) {
            phase_result *r = rs[i];
            printf("    %s  %s / %s  %lld %lld  %s / %s  %d\n", fmt(rps(r), 0, b[0]), fmt(pct_ms(r, 50), 2, b[1]), fmt(pct_ms(r, 99), 2, b[2]),
                   r->failed, r->invalid, fmt(per_req_us(r->client_cpu, r), 1, b[3]), fmt(per_req_us(r->server_cpu, r), 1, b[4]), r->conversations);
        }
    }
    int shown = 0;
    for (int k = 0; k < 2; k++) {
        phase_result **rs = k ? reply : empty;
        int n = k ? nr : ne;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < rs[i]->problems && shown < 10; j++, shown++) printf("problem: %s\n", rs[i]->problem[j]);
    }
}

static const char *value(int argc, char **argv, int *i) {
    if (*i + 1 >= argc) { fprintf(stderr, "h2gen: %s needs a value\n", argv[*i]); exit(2); }
    return argv[++*i];
}

static int parse_int(const char *s, const char *what) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == 0 || *end != 0 || v < 0 || v > 1000000000) { fprintf(stderr, "h2gen: %s: not a number '%s'\n", what, s); exit(2); }
    return (int)v;
}

static double parse_double(const char *s, const char *what) {
    char *end;
    double v = strtod(s, &end);
    if (*s == 0 || *end != 0 || !(v >= 0)) { fprintf(stderr, "h2gen: %s: not a number '%s'\n", what, s); exit(2); }
    return v;
}

int main(int argc, char **argv) {
    opt.callers = 160; opt.conversations = 16; opt.connections = 16; opt.rounds = 3;
    opt.duration = 10; opt.warmup = 5; opt.calls = "both";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--target")) {
            const char *u = value(argc, argv, &i);
            if (opt.targets == MAX_TARGETS) { fprintf(stderr, "h2gen: at most %d targets\n", MAX_TARGETS); return 2; }
            if (strncmp(u, "http://", 7) == 0) u += 7;
            const char *colon = strrchr(u, ':');
            if (colon == NULL || colon - u >= 64) { fprintf(stderr, "h2gen: --target is http://HOST:PORT, not '%s'\n", u); return 2; }
            snprintf(opt.host[opt.targets], 64, "%.*s", (int)(colon - u), u);
            char port[16];
            snprintf(port, sizeof port, "%.*s", (int)strcspn(colon + 1, "/"), colon + 1);
            opt.port[opt.targets++] = parse_int(port, "--target port");
        } else if (!strcmp(a, "--server-pid")) {
            if (opt.servers == MAX_PIDS) return 2;
            opt.server_pid[opt.servers++] = parse_int(value(argc, argv, &i), a);
        } else if (!strcmp(a, "--db-pid")) {
            if (opt.dbs == MAX_PIDS) return 2;
            opt.db_pid[opt.dbs++] = parse_int(value(argc, argv, &i), a);
        } else if (!strcmp(a, "--workload")) {
            const char *w = value(argc, argv, &i);
            if (strcmp(w, "a") && strcmp(w, "b")) { fprintf(stderr, "h2gen: --workload is a or b, not '%s'\n", w); return 2; }
            opt.workload_b = w[0] == 'b';
        } else if (!strcmp(a, "--callers")) opt.callers = parse_int(value(argc, argv, &i), a);
        else if (!strcmp(a, "--conversations")) opt.conversations = parse_int(value(argc, argv, &i), a);
        else if (!strcmp(a, "--connections")) opt.connections = parse_int(value(argc, argv, &i), a);
        else if (!strcmp(a, "--duration")) opt.duration = parse_double(value(argc, argv, &i), a);
        else if (!strcmp(a, "--warmup")) opt.warmup = parse_double(value(argc, argv, &i), a);
        else if (!strcmp(a, "--rounds")) opt.rounds = parse_int(value(argc, argv, &i), a);
        else if (!strcmp(a, "--request-ids")) opt.request_ids = 1;
        else if (!strcmp(a, "--calls")) {
            opt.calls = value(argc, argv, &i);
            if (strcmp(opt.calls, "both") && strcmp(opt.calls, "reply") && strcmp(opt.calls, "empty")) {
                fprintf(stderr, "h2gen: --calls is both, reply or empty, not '%s'\n", opt.calls);
                return 2;
            }
        } else { fprintf(stderr, "h2gen: unknown argument '%s'\n", a); return 2; }
    }
    if (opt.targets == 0) { fprintf(stderr, "h2gen: --target URL is required\n"); return 2; }
    if (opt.callers < 1 || opt.connections < 1 || opt.conversations < 1) { fprintf(stderr, "h2gen: at least one caller, connection and conversation\n"); return 2; }
    if (opt.rounds > MAX_ROUNDS) { fprintf(stderr, "h2gen: at most %d rounds\n", MAX_ROUNDS); return 2; }

    /* Distinguishes this run's conversations from any other run's on the same store. */
    unsigned run = 0;
    FILE *ur = fopen("/dev/urandom", "r");
    if (ur == NULL || fread(&run, sizeof run, 1, ur) != 1) run = (unsigned)now_ns() ^ (unsigned)getpid();
    if (ur) fclose(ur);
    snprintf(opt.run_id, sizeof opt.run_id, "%08x", run);

    epfd = epoll_create1(0);
    conns = calloc(opt.connections, sizeof *conns);
    callers = calloc(opt.callers, sizeof *callers);
    shared = calloc(opt.conversations, sizeof *shared);
    if (!conns || !callers || !shared) die("out of memory");
    for (int i = 0; i < opt.connections; i++) conn_open(&conns[i], i, opt.host[i % opt.targets], opt.port[i % opt.targets]);
    for (int i = 0; i < opt.callers; i++) { callers[i].index = i; callers[i].c = &conns[i % opt.connections]; }

    learn_reference();
    if (opt.warmup > 0) {
        free(run_phase(CALL_EMPTY, opt.warmup / 2));
        free(run_phase(CALL_REPLY, opt.warmup / 2));
    }
    phase_result *empty[MAX_ROUNDS], *reply[MAX_ROUNDS];
    int ne = 0, nr = 0;
    for (int round = 0; round < opt.rounds; round++) {
        if (strcmp(opt.calls, "reply")) empty[ne++] = run_phase(CALL_EMPTY, opt.duration);
        if (strcmp(opt.calls, "empty")) reply[nr++] = run_phase(CALL_REPLY, opt.duration);
    }

    char shape[160];
    if (!opt.workload_b)
        snprintf(shape, sizeof shape, "%d buyers, each its own conversation (a new one after the dialogue's %d lines)", opt.callers, DIALOGUE_LENGTH);
    else
        snprintf(shape, sizeof shape, "%d conversations x %d streams each", opt.conversations, opt.callers / opt.conversations);
    printf("h2gen: workload %s: %s; %d HTTP/2 connections over %d server(s); %d rounds of %g s per call (EmptyCall then Reply), after %g s of warm-up; request ids %s\n\n",
           opt.workload_b ? "b" : "a", shape, opt.connections, opt.targets, opt.rounds, opt.duration, opt.warmup, opt.request_ids ? "on" : "off");
    report(empty, ne, reply, nr);
    int bad = 0;
    for (int i = 0; i < ne; i++) bad |= empty[i]->failed > 0 || empty[i]->invalid > 0;
    for (int i = 0; i < nr; i++) bad |= reply[i]->failed > 0 || reply[i]->invalid > 0;
    for (int i = 0; i < opt.connections; i++) bad |= conns[i].dead || conns[i].goaway;
    return bad ? 1 : 0;
}
