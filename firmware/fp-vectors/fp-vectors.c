/*
 * fp-vectors: runs every RISC-V F and D instruction on a large set of operands, in every rounding
 * mode, and prints each case's operands, result and exception flags, so the same ELF can be run on
 * QEMU and on BoardLab (or checked against BoardLab's softfloat library) line by line.
 *
 * Output: one line per case, fields separated by one space, lower-case hex:
 *
 *     <insn> <rm> <operand>... <result> <fflags>
 *
 *   insn     the mnemonic, e.g. fadd.s, fnmsub.d, fcvt.wu.d, fcvt.s.d, fclass.s, fmv.x.w
 *   rm       how the rounding mode was chosen: 0-4 = the instruction's static rm field (RNE, RTZ,
 *            RDN, RUP, RMM; frm holds a different mode meanwhile), d0-d4 = rm field 7 (dynamic)
 *            with frm set to that mode, "-" = an instruction without an rm field
 *   operand  the source operands in instruction order (rs1, rs2, rs3): 8 digits for single
 *            precision and integer registers, 16 for double precision
 *   result   the destination: 8 digits for single precision (the low half of the NaN-boxed
 *            register) and integer registers (feq/flt/fle give 0 or 1, fclass the mask), 16 for
 *            double precision
 *   fflags   2 digits: the flags the instruction raised (fflags is cleared before each one)
 *
 * The first line is "fp-vectors: begin", the last "fp-vectors: <n> cases"; then the finisher
 * passes. Operands: every special value of each format (±0, ±smallest/largest subnormal and normal,
 * ±1, ±∞, quiet and signaling NaNs with and without payload, values at rounding boundaries and
 * conversion limits) paired with each other, then operands from a seeded PRNG aimed at the hard
 * cases: ties, cancellation, products and quotients that land among the subnormals or overflow,
 * conversions at the integer limits.
 */
#include <stdint.h>
#include "csr.h"
#include "finisher.h"
#include "uart.h"

#define MSTATUS_FS_INITIAL (1u << 13)

/* One case's operands and result, read and written by the instruction sequences below. */
struct slots {
    uint64_t a, b, c, r;
};

/* Runs `insn` between clearing and reading fflags; loads sources from and stores the result to
 * the slots. ft0-ft2 are sources, ft3 the float destination, a5/a4 the integer ones. */
#define RUN(load, insn, store)                                                              \
    __asm__ volatile(load "\n\tfsflags zero\n\t" insn "\n\tfrflags %0\n\t" store         \
                     : "=&r"(flags)                                                         \
                     : "r"(v)                                                               \
                     : "memory", "ft0", "ft1", "ft2", "ft3", "a4", "a5")

/* An instruction with an rm field: one sequence per static mode and one for dyn. */
#define OP_RM(fn, load, insn, store)                                      \
    static uint32_t fn(unsigned rm, struct slots *v)                      \
    {                                                                     \
        uint32_t flags;                                                   \
        switch (rm) {                                                     \
        case 0: RUN(load, insn ",rne", store); break;                     \
        case 1: RUN(load, insn ",rtz", store); break;                     \
        case 2: RUN(load, insn ",rdn", store); break;                     \
        case 3: RUN(load, insn ",rup", store); break;                     \
        case 4: RUN(load, insn ",rmm", store); break;                     \
        default: RUN(load, insn ",dyn", store); break;                    \
        }                                                                 \
        return flags;                                                     \
    }

/* An instruction without an rm field. */
#define OP(fn, load, insn, store)                                         \
    static uint32_t fn(unsigned rm, struct slots *v)                      \
    {                                                                     \
        uint32_t flags;                                                   \
        (void)rm;                                                         \
        RUN(load, insn, store);                                           \
        return flags;                                                     \
    }

#define LS1 "flw ft0,0(%1)"
#define LS2 LS1 "\n\tflw ft1,8(%1)"
#define LS3 LS2 "\n\tflw ft2,16(%1)"
#define LD1 "fld ft0,0(%1)"
#define LD2 LD1 "\n\tfld ft1,8(%1)"
#define LD3 LD2 "\n\tfld ft2,16(%1)"
#define LX1 "lw a4,0(%1)"
#define SS "fsw ft3,24(%1)"
#define SD "fsd ft3,24(%1)"
#define SX "sw a5,24(%1)"

OP_RM(fadd_s, LS2, "fadd.s ft3,ft0,ft1", SS)
OP_RM(fsub_s, LS2, "fsub.s ft3,ft0,ft1", SS)
OP_RM(fmul_s, LS2, "fmul.s ft3,ft0,ft1", SS)
OP_RM(fdiv_s, LS2, "fdiv.s ft3,ft0,ft1", SS)
OP_RM(fsqrt_s, LS1, "fsqrt.s ft3,ft0", SS)
OP_RM(fmadd_s, LS3, "fmadd.s ft3,ft0,ft1,ft2", SS)
OP_RM(fmsub_s, LS3, "fmsub.s ft3,ft0,ft1,ft2", SS)
OP_RM(fnmsub_s, LS3, "fnmsub.s ft3,ft0,ft1,ft2", SS)
OP_RM(fnmadd_s, LS3, "fnmadd.s ft3,ft0,ft1,ft2", SS)
OP(fmin_s, LS2, "fmin.s ft3,ft0,ft1", SS)
OP(fmax_s, LS2, "fmax.s ft3,ft0,ft1", SS)
OP(fsgnj_s, LS2, "fsgnj.s ft3,ft0,ft1", SS)
OP(fsgnjn_s, LS2, "fsgnjn.s ft3,ft0,ft1", SS)
OP(fsgnjx_s, LS2, "fsgnjx.s ft3,ft0,ft1", SS)
OP(feq_s, LS2, "feq.s a5,ft0,ft1", SX)
OP(flt_s, LS2, "flt.s a5,ft0,ft1", SX)
OP(fle_s, LS2, "fle.s a5,ft0,ft1", SX)
OP(fclass_s, LS1, "fclass.s a5,ft0", SX)
OP(fmv_x_w, LS1, "fmv.x.w a5,ft0", SX)
OP(fmv_w_x, LX1, "fmv.w.x ft3,a4", SS)
OP_RM(fcvt_w_s, LS1, "fcvt.w.s a5,ft0", SX)
OP_RM(fcvt_wu_s, LS1, "fcvt.wu.s a5,ft0", SX)
OP_RM(fcvt_s_w, LX1, "fcvt.s.w ft3,a4", SS)
OP_RM(fcvt_s_wu, LX1, "fcvt.s.wu ft3,a4", SS)

OP_RM(fadd_d, LD2, "fadd.d ft3,ft0,ft1", SD)
OP_RM(fsub_d, LD2, "fsub.d ft3,ft0,ft1", SD)
OP_RM(fmul_d, LD2, "fmul.d ft3,ft0,ft1", SD)
OP_RM(fdiv_d, LD2, "fdiv.d ft3,ft0,ft1", SD)
OP_RM(fsqrt_d, LD1, "fsqrt.d ft3,ft0", SD)
OP_RM(fmadd_d, LD3, "fmadd.d ft3,ft0,ft1,ft2", SD)
OP_RM(fmsub_d, LD3, "fmsub.d ft3,ft0,ft1,ft2", SD)
OP_RM(fnmsub_d, LD3, "fnmsub.d ft3,ft0,ft1,ft2", SD)
OP_RM(fnmadd_d, LD3, "fnmadd.d ft3,ft0,ft1,ft2", SD)
OP(fmin_d, LD2, "fmin.d ft3,ft0,ft1", SD)
OP(fmax_d, LD2, "fmax.d ft3,ft0,ft1", SD)
OP(fsgnj_d, LD2, "fsgnj.d ft3,ft0,ft1", SD)
OP(fsgnjn_d, LD2, "fsgnjn.d ft3,ft0,ft1", SD)
OP(fsgnjx_d, LD2, "fsgnjx.d ft3,ft0,ft1", SD)
OP(feq_d, LD2, "feq.d a5,ft0,ft1", SX)
OP(flt_d, LD2, "flt.d a5,ft0,ft1", SX)
OP(fle_d, LD2, "fle.d a5,ft0,ft1", SX)
OP(fclass_d, LD1, "fclass.d a5,ft0", SX)
OP_RM(fcvt_w_d, LD1, "fcvt.w.d a5,ft0", SX)
OP_RM(fcvt_wu_d, LD1, "fcvt.wu.d a5,ft0", SX)
/* Exact conversions: rm is accepted but cannot matter; they run once with rne. */
OP(fcvt_d_w, LX1, "fcvt.d.w ft3,a4", SD)
OP(fcvt_d_wu, LX1, "fcvt.d.wu ft3,a4", SD)
OP(fcvt_d_s, LS1, "fcvt.d.s ft3,ft0", SD)
OP_RM(fcvt_s_d, LD1, "fcvt.s.d ft3,ft0", SS)

/* Operand and result kinds: how wide they print and which values feed them. */
enum kind { S, D, X };

/* What random operands an instruction wants (see random_case). */
enum shape { ADD, MUL, DIV, SQRT, FMA, CMP, TO_INT, FROM_INT, NARROW, NONE };

struct op {
    const char *name;
    uint32_t (*run)(unsigned rm, struct slots *v);
    uint8_t rounds;         /* has an rm field that can matter */
    uint8_t sources;        /* 1-3 */
    uint8_t src;            /* kind of the sources */
    uint8_t dst;            /* kind of the result */
    uint8_t shape;
};

static const struct op ops[] = {
    { "fadd.s", fadd_s, 1, 2, S, S, ADD },       { "fsub.s", fsub_s, 1, 2, S, S, ADD },
    { "fmul.s", fmul_s, 1, 2, S, S, MUL },       { "fdiv.s", fdiv_s, 1, 2, S, S, DIV },
    { "fsqrt.s", fsqrt_s, 1, 1, S, S, SQRT },
    { "fmadd.s", fmadd_s, 1, 3, S, S, FMA },     { "fmsub.s", fmsub_s, 1, 3, S, S, FMA },
    { "fnmsub.s", fnmsub_s, 1, 3, S, S, FMA },   { "fnmadd.s", fnmadd_s, 1, 3, S, S, FMA },
    { "fmin.s", fmin_s, 0, 2, S, S, CMP },       { "fmax.s", fmax_s, 0, 2, S, S, CMP },
    { "fsgnj.s", fsgnj_s, 0, 2, S, S, NONE },    { "fsgnjn.s", fsgnjn_s, 0, 2, S, S, NONE },
    { "fsgnjx.s", fsgnjx_s, 0, 2, S, S, NONE },
    { "feq.s", feq_s, 0, 2, S, X, CMP },         { "flt.s", flt_s, 0, 2, S, X, CMP },
    { "fle.s", fle_s, 0, 2, S, X, CMP },         { "fclass.s", fclass_s, 0, 1, S, X, NONE },
    { "fmv.x.w", fmv_x_w, 0, 1, S, X, NONE },    { "fmv.w.x", fmv_w_x, 0, 1, X, S, NONE },
    { "fcvt.w.s", fcvt_w_s, 1, 1, S, X, TO_INT }, { "fcvt.wu.s", fcvt_wu_s, 1, 1, S, X, TO_INT },
    { "fcvt.s.w", fcvt_s_w, 1, 1, X, S, FROM_INT }, { "fcvt.s.wu", fcvt_s_wu, 1, 1, X, S, FROM_INT },

    { "fadd.d", fadd_d, 1, 2, D, D, ADD },       { "fsub.d", fsub_d, 1, 2, D, D, ADD },
    { "fmul.d", fmul_d, 1, 2, D, D, MUL },       { "fdiv.d", fdiv_d, 1, 2, D, D, DIV },
    { "fsqrt.d", fsqrt_d, 1, 1, D, D, SQRT },
    { "fmadd.d", fmadd_d, 1, 3, D, D, FMA },     { "fmsub.d", fmsub_d, 1, 3, D, D, FMA },
    { "fnmsub.d", fnmsub_d, 1, 3, D, D, FMA },   { "fnmadd.d", fnmadd_d, 1, 3, D, D, FMA },
    { "fmin.d", fmin_d, 0, 2, D, D, CMP },       { "fmax.d", fmax_d, 0, 2, D, D, CMP },
    { "fsgnj.d", fsgnj_d, 0, 2, D, D, NONE },    { "fsgnjn.d", fsgnjn_d, 0, 2, D, D, NONE },
    { "fsgnjx.d", fsgnjx_d, 0, 2, D, D, NONE },
    { "feq.d", feq_d, 0, 2, D, X, CMP },         { "flt.d", flt_d, 0, 2, D, X, CMP },
    { "fle.d", fle_d, 0, 2, D, X, CMP },         { "fclass.d", fclass_d, 0, 1, D, X, NONE },
    { "fcvt.w.d", fcvt_w_d, 1, 1, D, X, TO_INT }, { "fcvt.wu.d", fcvt_wu_d, 1, 1, D, X, TO_INT },
    { "fcvt.d.w", fcvt_d_w, 0, 1, X, D, NONE },  { "fcvt.d.wu", fcvt_d_wu, 0, 1, X, D, NONE },
    { "fcvt.d.s", fcvt_d_s, 0, 1, S, D, NONE },  { "fcvt.s.d", fcvt_s_d, 1, 1, D, S, NARROW },
};
#define OP_COUNT (sizeof ops / sizeof ops[0])

/* Special values. The first PAIR_* of each list are paired with each other; unary instructions
 * get the whole list. */
static const uint32_t specials_s[] = {
    0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,
    0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc12345, 0x3f800001,
    0x3fc00000, 0xc0400000, 0x7f000000, 0x00800001, 0x33800000, 0x4b800001,
    /* unary only: conversion limits, halfway values, NaN variants */
    0x3f000000, 0xbf000000, 0x3fbfffff, 0x40200000, 0xc0200000, 0x4effffff, 0x4f000000, 0xcf000000,
    0xcf000001, 0x4f7fffff, 0x4f800000, 0xbf7fffff, 0x7fffffff, 0xffa00000, 0x00400000, 0x80000001,
    0x3e800000, 0x40400000,
};
#define PAIR_S 22

/* Fused multiply-add triples: every triple of these in round-to-nearest-even, and of the first
 * TRIPLE_RDN_* in round-down too (the sign of exact zero results). */
static const uint32_t triples_s[] = {
    0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x7f7fffff, 0x3f800000, 0xbf800000,
    0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001,
};
#define TRIPLE_RDN_S 7

static const uint64_t specials_d[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x8010000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull,
    0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0x7ff0000000000001ull, 0xfff8000000012345ull, 0x3ff0000000000001ull,
    0x3ff8000000000000ull, 0xc008000000000000ull, 0x7fe0000000000000ull, 0x0010000000000001ull,
    0x3ca0000000000000ull, 0x4340000000000001ull,
    /* unary only */
    0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x3ff7ffffffffffffull, 0x4004000000000000ull,
    0xc004000000000000ull, 0x41dfffffffc00000ull, 0x41dfffffffe00000ull, 0x41e0000000000000ull,
    0xc1e0000000000000ull, 0xc1e0000000100000ull, 0xc1e0000000200000ull, 0x41efffffffe00000ull,
    0x41efffffffefffffull, 0x41effffffff00000ull, 0x41f0000000000000ull, 0xbfefffffffffffffull,
    0x7fffffffffffffffull, 0xfff4000000000000ull, 0x36a0000000000000ull, 0x36a0000010000000ull,
    0x380fffffe0000000ull, 0x47efffffe0000000ull, 0x47effffff0000000ull, 0x3810000000000000ull,
    0x0008000000000000ull, 0x8000000000000001ull,
};
#define PAIR_D 22

static const uint64_t triples_d[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x7fefffffffffffffull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
};
#define TRIPLE_RDN_D 7

static const uint32_t specials_x[] = {
    0x00000000, 0x00000001, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0x01000001,
    0x01000003, 0x00ffffff, 0x7fffffc0, 0x7fffff80, 0x7fffffbf, 0x81000001, 0x00bc614e, 0xff000001,
};

#define COUNT(a) (sizeof a / sizeof a[0])

/* ---- output ---- */

static char line[160];
static unsigned line_len;
static uint32_t cases;

static void put_char(char c) { line[line_len++] = c; }

static void put_str(const char *s)
{
    while (*s)
        put_char(*s++);
}

static void put_hex(uint64_t value, unsigned digits)
{
    for (int shift = (int)digits * 4 - 4; shift >= 0; shift -= 4)
        put_char("0123456789abcdef"[(value >> shift) & 15]);
}

static void put_value(uint64_t value, unsigned kind)
{
    put_char(' ');
    put_hex(value, kind == D ? 16 : 8);
}

static void flush_line(void)
{
    put_char('\n');
    put_char(0);
    uart_puts(line);
    line_len = 0;
}

/* ---- running one case ---- */

/* rm 0-4: static field (frm set to another mode meanwhile); 5-9: dyn with frm = rm - 5. */
static void run_case(const struct op *op, unsigned rm, uint64_t a, uint64_t b, uint64_t c)
{
    struct slots v = { a, b, c, 0 };
    if (rm >= 5)
        csr_write(frm, rm - 5);
    else
        csr_write(frm, (rm + 2) % 5);
    uint32_t flags = op->run(rm >= 5 ? 5 : rm, &v);

    put_str(op->name);
    put_char(' ');
    if (!op->rounds) {
        put_char('-');
    } else {
        if (rm >= 5)
            put_char('d');
        put_char((char)('0' + rm % 5));
    }
    uint64_t operands[3] = { a, b, c };
    for (unsigned i = 0; i < op->sources; i++)
        put_value(operands[i], op->src);
    put_value(op->dst == D ? v.r : (uint32_t)v.r, op->dst);
    put_char(' ');
    put_hex(flags, 2);
    flush_line();
    cases++;
}

/* The five static modes, or one run (rm 0) for instructions without a mode that matters. */
static void run_modes(const struct op *op, uint64_t a, uint64_t b, uint64_t c, unsigned modes)
{
    if (!op->rounds) {
        run_case(op, 0, a, b, c);
        return;
    }
    for (unsigned rm = 0; rm < modes; rm++)
        run_case(op, rm, a, b, c);
}

static uint64_t special(unsigned kind, unsigned i)
{
    if (kind == S)
        return specials_s[i];
    if (kind == D)
        return specials_d[i];
    return specials_x[i];
}

static unsigned special_count(unsigned kind, unsigned sources)
{
    if (kind == X)
        return COUNT(specials_x);
    if (sources == 1)
        return kind == S ? COUNT(specials_s) : COUNT(specials_d);
    return kind == S ? PAIR_S : PAIR_D;
}

static uint64_t triple(unsigned kind, unsigned i) { return kind == S ? triples_s[i] : triples_d[i]; }

static void run_specials(const struct op *op)
{
    unsigned n = op->sources < 3 ? special_count(op->src, op->sources) : 0;
    if (op->sources == 1) {
        for (unsigned i = 0; i < n; i++)
            run_modes(op, special(op->src, i), 0, 0, 5);
    } else if (op->sources == 2) {
        for (unsigned i = 0; i < n; i++)
            for (unsigned j = 0; j < n; j++)
                run_modes(op, special(op->src, i), special(op->src, j), 0, 5);
    } else {
        unsigned all = op->src == S ? COUNT(triples_s) : COUNT(triples_d);
        unsigned rdn = op->src == S ? TRIPLE_RDN_S : TRIPLE_RDN_D;
        for (unsigned i = 0; i < all; i++)
            for (unsigned j = 0; j < all; j++)
                for (unsigned k = 0; k < all; k++) {
                    uint64_t a = triple(op->src, i), b = triple(op->src, j), c = triple(op->src, k);
                    run_case(op, 0, a, b, c);
                    if (i < rdn && j < rdn && k < rdn)
                        run_case(op, 2, a, b, c);
                }
    }
}

/* ---- random operands ---- */

static uint32_t rng_state = 0x2545f491u;

static uint32_t rand32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static uint64_t rand64(void) { return ((uint64_t)rand32() << 32) | rand32(); }

/* rand32() % n without a division (n < 2^16). */
static uint32_t below(uint32_t n) { return (uint32_t)(((uint64_t)(rand32() & 0xffffu) * n) >> 16); }

struct format {
    unsigned frac_bits;
    uint32_t max_biased;  /* all ones */
    int bias;
};
static const struct format fmt_s = { 23, 255, 127 };
static const struct format fmt_d = { 52, 2047, 1023 };

/* A fraction: random, or with only a few leading bits random (so sums and products land on ties),
 * or all ones, or a random one whose low bits are a halfway pattern. */
static uint64_t rand_frac(const struct format *f)
{
    uint64_t mask = ((uint64_t)1 << f->frac_bits) - 1;
    uint64_t frac = rand64() & mask;
    switch (rand32() & 7) {
    case 0: {
        unsigned keep = below(f->frac_bits + 1);
        return keep == 0 ? 0 : frac & (mask << (f->frac_bits - keep)) & mask;
    }
    case 1: return mask;
    case 2: return (frac & ~(uint64_t)0xff) | 0x80;
    default: return frac;
    }
}

/* A number with the given sign and biased exponent, clamped to the finite range (0 = subnormal). */
static uint64_t make(const struct format *f, int sign, int biased)
{
    if (biased < 0)
        biased = 0;
    if (biased > (int)f->max_biased - 1)
        biased = (int)f->max_biased - 1;
    uint64_t frac = rand_frac(f);
    if (biased == 0 && frac == 0)
        frac = 1;
    return ((uint64_t)(sign & 1) << (f->frac_bits + (f == &fmt_s ? 8 : 11))) | ((uint64_t)biased << f->frac_bits) | frac;
}

static int rand_exp(const struct format *f) { return (int)below(f->max_biased); }

static uint64_t rand_float(const struct format *f) { return make(f, rand32() & 1, rand_exp(f)); }

static int biased_exp(const struct format *f, uint64_t x) { return (int)((x >> f->frac_bits) & f->max_biased); }

/* A random value of the format's exponent near `unbiased` (± spread). */
static uint64_t near_exp(const struct format *f, int unbiased, int spread)
{
    return make(f, rand32() & 1, unbiased + f->bias - spread + (int)below(2u * (unsigned)spread + 1));
}

static void random_case(const struct op *op, unsigned rm)
{
    const struct format *f = op->src == D ? &fmt_d : &fmt_s;
    int emin = 1 - f->bias, emax = f->bias;
    uint64_t a = rand_float(f), b = rand_float(f), c = rand_float(f);
    unsigned scenario = below(6);
    int ea = biased_exp(f, a) - f->bias;

    switch (op->shape) {
    case ADD:
        if (scenario <= 2) /* close exponents: cancellation, ties */
            b = near_exp(f, ea, (int)f->frac_bits + 3);
        else if (scenario == 3) { /* both near the subnormal range */
            a = near_exp(f, emin, 3);
            b = near_exp(f, emin, 3);
        } else if (scenario == 4) /* near overflow */
            b = near_exp(f, emax, 1), a = near_exp(f, emax, 1);
        break;
    case MUL:
    case FMA:
        if (scenario == 1 || scenario == 2) /* product among the subnormals or just above */
            b = near_exp(f, emin - ea, f == &fmt_s ? 26 : 55);
        else if (scenario == 3) /* product near overflow */
            b = near_exp(f, emax - ea, 2);
        else if (scenario == 4) /* short significands: ties */
            a = near_exp(f, 0, 3), b = near_exp(f, 0, 3);
        if (op->shape == FMA) {
            if (scenario >= 3) {
                /* An addend that cancels most of the product: -(a×b) with its low bits changed. */
                struct slots v = { a, b, 0, 0 };
                (f == &fmt_s ? fmul_s : fmul_d)(0, &v);
                c = (v.r ^ ((uint64_t)1 << (f->frac_bits + (f == &fmt_s ? 8 : 11)))) ^ (rand32() & 0xff);
                if (f == &fmt_s)
                    c &= 0xffffffffu;
            } else if (scenario == 0) {
                c = near_exp(f, ea + biased_exp(f, b) - f->bias, (int)f->frac_bits * 2);
            }
        }
        break;
    case DIV:
        if (scenario == 1 || scenario == 2) /* quotient among the subnormals */
            b = near_exp(f, ea - emin, f == &fmt_s ? 26 : 55);
        else if (scenario == 3) /* quotient near overflow */
            b = near_exp(f, ea - emax, 2);
        else if (scenario == 4) /* exact quotients */
            b = near_exp(f, 0, 2) & ~(((uint64_t)1 << (f->frac_bits - 2)) - 1);
        break;
    case SQRT:
        if (scenario == 1)
            a = near_exp(f, emin, f->frac_bits);
        a &= ~((uint64_t)1 << (f->frac_bits + (f == &fmt_s ? 8 : 11))); /* mostly positive */
        if (scenario == 2)
            a |= (uint64_t)1 << (f->frac_bits + (f == &fmt_s ? 8 : 11));
        break;
    case TO_INT:
        /* Magnitudes from below 1 to beyond 2^32, fractions included. */
        a = near_exp(f, scenario <= 1 ? -1 : scenario == 2 ? 31 : 16, scenario <= 1 ? 1 : scenario == 2 ? 2 : 17);
        break;
    case FROM_INT:
        a = rand32() >> below(32);
        if (rand32() & 1)
            a = (uint32_t)-(int32_t)a;
        break;
    case NARROW:
        /* Around single precision's subnormal and overflow limits, and its rounding point. */
        if (scenario <= 1)
            a = near_exp(f, -126, 26);
        else if (scenario == 2)
            a = near_exp(f, 127, 1);
        else
            a = near_exp(f, 0, 10);
        if (scenario & 1)
            a = (a & ~(uint64_t)0x1fffffff) | 0x10000000; /* halfway below the last single bit */
        break;
    default:
        break;
    }
    if (f == &fmt_s && op->src == S) {
        a &= 0xffffffffu;
        b &= 0xffffffffu;
        c &= 0xffffffffu;
    }
    run_case(op, rm, a, b, c);
}

#define RANDOM_PER_MODE 24
#define RANDOM_UNROUNDED 48

int main(void)
{
    csr_set(mstatus, MSTATUS_FS_INITIAL);
    uart_puts("fp-vectors: begin\n");
    for (unsigned i = 0; i < OP_COUNT; i++)
        run_specials(&ops[i]);
    for (unsigned i = 0; i < OP_COUNT; i++) {
        const struct op *op = &ops[i];
        if (op->shape == NONE)
            continue;
        if (!op->rounds) {
            for (unsigned n = 0; n < RANDOM_UNROUNDED; n++)
                random_case(op, 0);
            continue;
        }
        for (unsigned rm = 0; rm < 10; rm++)
            for (unsigned n = 0; n < RANDOM_PER_MODE; n++)
                random_case(op, rm);
    }
    uart_puts("fp-vectors: ");
    put_hex(cases, 8);
    put_str(" cases");
    flush_line();
    finisher_pass();
}
