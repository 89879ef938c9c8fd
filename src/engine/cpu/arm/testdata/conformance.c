/* A self-describing conformance program for the Cortex-M cores: it computes results of instruction
 * groups the compiler emits (arithmetic and flags, 64-bit math from libgcc, division, shifts,
 * bit tricks, switch tables, loads/stores of every size, recursion, struct copies) and exceptions
 * (SVC with a stacked argument, PendSV, a fault handled and skipped) and prints them through
 * semihosting, then exits. The reference test runs it on qemu-system-arm and on BoardLab's core and
 * requires the same bytes. */
#include <stdint.h>

#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04)
#define SCB_CCR (*(volatile uint32_t *)0xE000ED14)
#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2C)

static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
static void putc_(char c) { semihost(3, &c); }
static void puts_(const char *s) { semihost(4, s); }
static void hex(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 28; i >= 0; i -= 4) putc_(digits[(v >> i) & 15]);
}
static void line(const char *name, uint32_t v) { puts_(name); putc_('='); hex(v); putc_('\n'); }

void *memcpy(void *d, const void *s, unsigned n) { char *dd = d; const char *ss = s; while (n--) *dd++ = *ss++; return d; }
void *memset(void *d, int c, unsigned n) { char *dd = d; while (n--) *dd++ = (char)c; return d; }

static volatile uint32_t sink;
static uint32_t vals[] = { 0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xdeadbeef, 100, 7, 0xfffffff9 };
#define N (sizeof vals / sizeof vals[0])

static uint32_t mix(uint32_t h, uint32_t v) { return (h ^ v) * 16777619u + (h >> 7); }

static uint32_t arith(void) {
  uint32_t h = 2166136261u;
  for (unsigned i = 0; i < N; i++)
    for (unsigned j = 0; j < N; j++) {
      uint32_t a = vals[i], b = vals[j];
      int32_t sa = (int32_t)a, sb = (int32_t)b;
      h = mix(h, a + b); h = mix(h, a - b); h = mix(h, a * b);
      h = mix(h, a & ~b); h = mix(h, a | b); h = mix(h, a ^ b);
      h = mix(h, a << (b & 31)); h = mix(h, a >> (b & 31)); h = mix(h, (uint32_t)(sa >> (b & 31)));
      h = mix(h, a < b); h = mix(h, sa < sb); h = mix(h, a >= b ? a : b); h = mix(h, sa <= sb ? (uint32_t)sa : (uint32_t)sb);
      if (b) { h = mix(h, a / b); h = mix(h, a % b); }
      if (sb && !(sa == INT32_MIN && sb == -1)) { h = mix(h, (uint32_t)(sa / sb)); h = mix(h, (uint32_t)(sa % sb)); }
      uint64_t p = (uint64_t)a * b; h = mix(h, (uint32_t)p); h = mix(h, (uint32_t)(p >> 32));
      int64_t q = (int64_t)sa * sb; h = mix(h, (uint32_t)q); h = mix(h, (uint32_t)(q >> 32));
      uint64_t w = ((uint64_t)a << 32) | b;
      if (b) { h = mix(h, (uint32_t)(w / b)); h = mix(h, (uint32_t)(w % (b | 1))); }
    }
  return h;
}

static uint32_t bits(void) {
  uint32_t h = 1;
  for (unsigned i = 0; i < N; i++) {
    uint32_t v = vals[i];
    h = mix(h, v ? (uint32_t)__builtin_clz(v) : 32);
    h = mix(h, __builtin_bswap32(v));
    h = mix(h, (uint32_t)__builtin_popcount(v));
    h = mix(h, (v >> 5) & 0x3ff);
    h = mix(h, (uint32_t)((int32_t)(v << 7) >> 20));
    h = mix(h, (h & ~0xff0u) | ((v & 0xff) << 4));
    h = mix(h, (uint32_t)(int16_t)v + (uint32_t)(int8_t)v + (uint16_t)v + (uint8_t)v);
    uint32_t r = 0; for (int b = 0; b < 32; b++) r |= ((v >> b) & 1) << (31 - b);
    h = mix(h, r);
  }
  return h;
}

static __attribute__((noinline)) uint32_t pick(unsigned k, uint32_t x) {
  switch (k) {
    case 0: return x + 1; case 1: return x * 3; case 2: return x ^ 0x55; case 3: return x >> 2;
    case 4: return x - 9; case 5: return ~x; case 6: return x << 3; case 7: return x | 0x100;
    case 8: return x & 0xf0f0; case 9: return x + 77; case 10: return 12345; default: return x;
  }
}

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

struct rec { uint32_t a; uint16_t b; uint8_t c; int8_t d; uint32_t e[5]; };

static uint32_t memory(void) {
  static uint8_t buf[64];
  struct rec r1 = { 1, 2, 3, -4, { 5, 6, 7, 8, 9 } }, r2;
  r2 = r1; r2.e[2] += r2.a;
  uint32_t h = 7;
  for (int i = 0; i < 64; i++) buf[i] = (uint8_t)(i * 37);
  for (int i = 0; i < 60; i++) h = mix(h, *(volatile uint32_t *)(void *)&buf[i & ~3]);
  for (int i = 0; i < 62; i += 2) h = mix(h, *(volatile uint16_t *)(void *)&buf[i]);
  for (int i = 0; i < 64; i++) h = mix(h, (uint32_t)(int8_t)buf[i]);
  h = mix(h, r2.a + r2.b + r2.c + (uint32_t)r2.d + r2.e[0] + r2.e[2] + r2.e[4]);
  for (unsigned k = 0; k < 12; k++) h = mix(h, pick(k, h));
  h = mix(h, fib(15));
  return h;
}

static volatile uint32_t svc_seen, pendsv_seen, fault_seen;

void svc_handler_c(uint32_t *frame) { svc_seen = frame[0]; frame[0] = frame[0] * 2 + 1; }
__attribute__((naked)) void svc_handler(void) {
  __asm__ volatile("movs r0, #4\n mov r1, lr\n tst r0, r1\n beq 1f\n mrs r0, psp\n b svc_handler_c\n1: mrs r0, msp\n b svc_handler_c\n");
}
void pendsv_handler(void) { pendsv_seen++; }
void fault_handler_c(uint32_t *frame) {
  fault_seen = 0x100 | (frame[6] & 3);
#if __ARM_ARCH_7M__
  fault_seen ^= SCB_CFSR << 8;
  SCB_CFSR = SCB_CFSR;
  SCB_HFSR = SCB_HFSR;
#endif
  frame[6] += 2; /* skip the 16-bit UDF */
}
__attribute__((naked)) void fault_handler(void) {
  __asm__ volatile("movs r0, #4\n mov r1, lr\n tst r0, r1\n beq 1f\n mrs r0, psp\n b fault_handler_c\n1: mrs r0, msp\n b fault_handler_c\n");
}

static uint32_t do_svc(uint32_t x) {
  register uint32_t r0 __asm__("r0") = x;
  __asm__ volatile("svc 3" : "+r"(r0) : : "memory");
  return r0;
}

static uint32_t exceptions(void) {
  uint32_t h = 3;
  h = mix(h, do_svc(20)); h = mix(h, svc_seen);
  SCB_ICSR = 1u << 28; __asm__ volatile("isb");
  h = mix(h, pendsv_seen);
  __asm__ volatile("udf #7");
  h = mix(h, fault_seen);
#if __ARM_ARCH_7M__
  SCB_SHCSR |= 7u << 16;
  __asm__ volatile("udf #8");
  h = mix(h, fault_seen);
  SCB_CCR |= 1u << 4;
  volatile uint32_t zero = 0;
  uint32_t q;
  __asm__ volatile("udiv %0, %1, %2" : "=r"(q) : "r"(9u), "r"(zero));
  h = mix(h, fault_seen);
  (void)q;
#endif
  return h;
}

int main(void) {
  puts_("conformance\n");
  line("arith", arith());
  line("bits", bits());
  line("memory", memory());
  line("exceptions", exceptions());
  return 0;
}

extern uint32_t _data, _edata, _data_load, _bss, _ebss, _stack_top;
__attribute__((noreturn)) void reset_handler(void) {
  for (uint32_t *d = &_data, *s = &_data_load; d < &_edata;) *d++ = *s++;
  for (uint32_t *d = &_bss; d < &_ebss;) *d++ = 0;
  int status = main();
  static const uint32_t block[2] = { 0x20026, 0 };
  (void)status;
  semihost(0x18, (const void *)0x20026);
  (void)block;
  for (;;) {}
}
void default_handler(void) { for (;;) {} }

__attribute__((section(".vectors"), used)) static const void *const vectors[16] = {
  &_stack_top, (void *)reset_handler, (void *)default_handler, (void *)fault_handler,
  (void *)fault_handler, (void *)fault_handler, (void *)fault_handler, 0, 0, 0, 0,
  (void *)svc_handler, 0, 0, (void *)pendsv_handler, (void *)default_handler,
};
