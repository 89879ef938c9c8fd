/*
 * Floating point in C on a hart with F and D: a few square roots (fsqrt.d, fsqrt.s), a dot product
 * (fmadd.d), conversions to integers for printing, and each result's IEEE bits. Ends with pass.
 *
 * Before it finishes, publish() leaves sqrt(2) as a double in ft0 and as a single in ft1 (a
 * single sits NaN-boxed in a 64-bit register), so a debugger stopped at the end shows them.
 */
#include <stdint.h>
#include "csr.h"
#include "finisher.h"
#include "print.h"
#include "uart.h"

/* mstatus.FS: off at reset (every F/D instruction is illegal); Initial switches the unit on. */
#define MSTATUS_FS_INITIAL (1u << 13)

#define DECIMALS 9
#define SCALE 1000000000.0 /* 10^DECIMALS */

static const double xs[] = { 1.5, -2.25, 3.0, 0.1, 1e-3 };
static const double ys[] = { 4.0, 0.5, -1.25, 3.0, 7.0 };
#define N (sizeof xs / sizeof xs[0])

/* "0x" and 16 hex digits. */
static void put_bits64(double value)
{
    static const char digits[] = "0123456789abcdef";
    union { double d; uint64_t u; } bits = { .d = value };
    uart_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        uart_putc(digits[(bits.u >> shift) & 0xfu]);
}

static void put_bits32(float value)
{
    union { float f; uint32_t u; } bits = { .f = value };
    uart_put_hex(bits.u);
}

/* Fixed point with DECIMALS digits after the point, rounded to nearest (|value| < 2^31). */
static void put_fixed(double value)
{
    if (value < 0) {
        uart_putc('-');
        value = -value;
    }
    uint32_t whole = (uint32_t)value;                      /* fcvt.wu.d, rounding toward zero */
    double fraction = (value - (double)whole) * SCALE;
    uint32_t digits = (uint32_t)__builtin_lround(fraction); /* fcvt.w.d with rne */
    if (digits >= (uint32_t)SCALE) {
        whole++;
        digits -= (uint32_t)SCALE;
    }
    uart_put_udec(whole);
    uart_putc('.');
    char text[DECIMALS];
    for (int i = DECIMALS - 1; i >= 0; i--) {
        text[i] = (char)('0' + digits % 10);
        digits /= 10;
    }
    for (int i = 0; i < DECIMALS; i++) uart_putc(text[i]);
}

static void report_double(const char *label, double value)
{
    uart_puts(label);
    uart_puts(" = ");
    put_fixed(value);
    uart_puts(" (double ");
    put_bits64(value);
    uart_puts(")\n");
}

static void report_single(const char *label, float value)
{
    uart_puts(label);
    uart_puts(" = ");
    put_fixed((double)value);
    uart_puts(" (single ");
    put_bits32(value);
    uart_puts(")\n");
}

/* Leaves the results in caller-saved registers that nothing touches afterwards. */
__attribute__((noinline)) static void publish(double as_double, float as_single)
{
    __asm__ volatile("fmv.d ft0, %0\n\tfmv.s ft1, %1" : : "f"(as_double), "f"(as_single) : "ft0", "ft1");
}

__attribute__((noinline)) static void demo(void)
{
    /* Hide the inputs from the optimiser so the hart, not the compiler, computes. */
    volatile double two = 2.0, three = 3.0;
    volatile float two_f = 2.0f;

    uart_puts("float-demo: F and D on RV32\n");
    double root2 = __builtin_sqrt(two);
    report_double("sqrt(2)", root2);
    report_double("sqrt(3)", __builtin_sqrt(three));
    float root2_single = __builtin_sqrtf(two_f);
    report_single("sqrt(2) as a single", root2_single);

    /* Fused multiply-adds: each step rounds once. */
    double dot = 0.0;
    for (unsigned i = 0; i < N; i++) {
        volatile double x = xs[i], y = ys[i];
        dot = __builtin_fma(x, y, dot);
    }
    report_double("dot([1.5, -2.25, 3, 0.1, 0.001], [4, 0.5, -1.25, 3, 7])", dot);

    report_double("2/3 as a double", two / three);
    report_single("2/3 as a single", (float)two / (float)three);

    publish(root2, root2_single);
}

int main(void)
{
    csr_set(mstatus, MSTATUS_FS_INITIAL);
    demo();
    return 0;
}
