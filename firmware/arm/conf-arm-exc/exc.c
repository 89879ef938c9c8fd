/* Conformance: the ARMv7-M exception model, as the ARM ARM defines it. External interrupts
 * 24-27 (nothing on mps2-an385 drives them) are pended through NVIC_ISPR and log their
 * exception numbers: pending several at once takes them by priority, tail-chained (EXC_RETURN
 * 0xfffffff9 each); a higher priority preempts (EXC_RETURN 0xfffffff1 when nested), an equal one
 * waits; BASEPRI masks priorities at or below it; PRIMASK masks all configurable ones; thread mode
 * on PSP (CONTROL.SPSEL) enters with EXC_RETURN 0xfffffffd; unprivileged thread mode (CONTROL.nPRIV)
 * cannot write PRIMASK and takes a BusFault on the System Control Space; a BusFault or
 * UsageFault that is not enabled in SHCSR escalates to HardFault with HFSR.FORCED. */
#include <stdint.h>
#include "conf.h"
#include "mps2.h"

#define IRQ_A 24u   /* exception 40 */
#define IRQ_B 25u   /* exception 41 */
#define IRQ_C 26u   /* exception 42 */
#define IRQ_D 27u   /* exception 43 */
#define END   100u  /* logged as exception + END when a handler finishes after nesting */
#define NOTHING_THERE 0x50000000u
#define CFSR_PRECISERR  (1u << 9)
#define CFSR_UNDEFINSTR (1u << 16)
#define HFSR_FORCED     (1u << 30)

static volatile uint32_t log[8], logged, exc_returns[8];
static volatile uint32_t nest_pend;      /* an IRQ the handler of IRQ_C / IRQ_A pends, or 0 */
static uint32_t process_stack[128] __attribute__((aligned(8)));
static volatile uint32_t svc_exc_return;

static void pend(uint32_t irq) { NVIC_ISPR(0) = 1u << irq; }
static void barrier(void) { __asm__ volatile("dsb\n\tisb" ::: "memory"); }
static void log_reset(void) { logged = 0; for (int i = 0; i < 8; i++) log[i] = exc_returns[i] = 0; }
static uint32_t log_word(void)  /* the first four entries, one byte each */
{
    return log[0] | (log[1] << 8) | (log[2] << 16) | (log[3] << 24);
}

void irq_dispatch(uint32_t exc_return)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    exc_returns[logged] = exc_return;
    log[logged++] = ipsr;
    if (nest_pend != 0 && (ipsr == 16u + IRQ_C || ipsr == 16u + IRQ_A)) {
        uint32_t irq = nest_pend;
        nest_pend = 0;
        pend(irq);
        barrier();
        log[logged++] = ipsr + END;
    }
}

__attribute__((naked)) void irq_handler(void)
{
    __asm__ volatile("mov r0, lr\n\tb irq_dispatch\n\t");
}

void svc_dispatch(uint32_t *frame, uint32_t exc_return)
{
    (void)frame;
    svc_exc_return = exc_return;
    uint32_t control;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    __asm__ volatile("msr control, %0" :: "r"(control & ~1u) : "memory");   /* back to privileged */
}

__attribute__((naked)) void svc_handler(void)
{
    __asm__ volatile("tst lr, #4\n\tite eq\n\tmrseq r0, msp\n\tmrsne r0, psp\n\tmov r1, lr\n\tb svc_dispatch\n\t");
}

int main(void)
{
    NVIC_IPR_BYTE(IRQ_A) = 0x80;
    NVIC_IPR_BYTE(IRQ_B) = 0x40;
    NVIC_IPR_BYTE(IRQ_C) = 0xc0;
    NVIC_IPR_BYTE(IRQ_D) = 0x80;
    NVIC_ISER(0) = (1u << IRQ_A) | (1u << IRQ_B) | (1u << IRQ_C) | (1u << IRQ_D);
    check("NVIC_IPR reads back (8 implemented bits)", NVIC_IPR_BYTE(IRQ_C), 0xc0u);

    /* Priority order and tail-chaining */
    log_reset();
    __asm__ volatile("cpsid i" ::: "memory");
    pend(IRQ_A); pend(IRQ_B); pend(IRQ_C);
    check("PRIMASK holds three pending", NVIC_ISPR(0) & (7u << IRQ_A), 7u << IRQ_A);
    check("nothing taken under PRIMASK", logged, 0u);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    check("taken by priority: B (0x40), A (0x80), C (0xc0)", log_word(), 41u | 40u << 8 | 42u << 16);
    check("tail-chained EXC_RETURN (thread, MSP)", exc_returns[1], 0xfffffff9u);
    check("ISPR clear after", NVIC_ISPR(0) & (7u << IRQ_A), 0u);

    /* Preemption by a higher priority */
    log_reset();
    nest_pend = IRQ_B;
    pend(IRQ_C);
    barrier();
    check("B preempts C: C, B, C ends", log_word(), 42u | 41u << 8 | (42u + END) << 16);
    check("nested EXC_RETURN (handler, MSP)", exc_returns[1], 0xfffffff1u);

    /* Equal priority waits */
    log_reset();
    nest_pend = IRQ_D;
    pend(IRQ_A);
    barrier();
    check("D (0x80) waits for A (0x80): A, A ends, D", log_word(), 40u | (40u + END) << 8 | 43u << 16);

    /* BASEPRI */
    log_reset();
    __asm__ volatile("msr basepri, %0" :: "r"(0x80u) : "memory");
    pend(IRQ_A);
    barrier();
    check("BASEPRI 0x80 masks priority 0x80", logged, 0u);
    pend(IRQ_B);
    barrier();
    check("BASEPRI 0x80 lets 0x40 through", log_word(), 41u);
    __asm__ volatile("msr basepri, %0\n\tisb" :: "r"(0u) : "memory");
    check("BASEPRI 0 takes the masked one", log_word(), 41u | 40u << 8);

    /* Thread mode on the process stack */
    uint32_t *psp_top = &process_stack[128];
    __asm__ volatile("msr psp, %0" :: "r"(psp_top));
    __asm__ volatile("msr control, %0\n\tisb" :: "r"(2u) : "memory");
    uint32_t sp, psp, control;
    __asm__ volatile("mov %0, sp\n\tmrs %1, psp\n\tmrs %2, control" : "=r"(sp), "=r"(psp), "=r"(control));
    check("CONTROL.SPSEL reads 1", control, 2u);
    check("sp is the PSP", sp, psp);
    __asm__ volatile("svc #0" ::: "memory");
    check("SVC from PSP thread mode: EXC_RETURN", svc_exc_return, 0xfffffffdu);
    log_reset();
    pend(IRQ_B);
    barrier();
    check("IRQ from PSP thread mode: EXC_RETURN", exc_returns[0], 0xfffffffdu);
    __asm__ volatile("msr control, %0\n\tisb" :: "r"(0u) : "memory");

    /* Unprivileged thread mode */
    SCB_SHCSR |= SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    fault_reset();
    __asm__ volatile("msr control, %0\n\tisb" :: "r"(1u) : "memory");
    uint32_t primask;
    __asm__ volatile("cpsid i\n\tmrs %0, primask" : "=r"(primask) :: "memory");
    check("unprivileged cpsid i has no effect", primask, 0u);
    uint32_t value = 0x12345678u;
    __asm__ volatile("ldr %0, [%1]" : "+r"(value) : "r"(&SCB_CPUID) : "memory");
    check("unprivileged SCS read: BusFault", fault_seen.exception, EXC_BUSFAULT);
    check("unprivileged SCS read: CFSR.PRECISERR", fault_seen.cfsr & CFSR_PRECISERR, CFSR_PRECISERR);
    __asm__ volatile("svc #1" ::: "memory");   /* the handler clears nPRIV */
    __asm__ volatile("mrs %0, control" : "=r"(control));
    check("privileged again after SVC", control, 0u);

    /* Escalation to HardFault */
    SCB_SHCSR &= ~(SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA);
    fault_reset();
    __asm__ volatile("ldr %0, [%1]" : "+r"(value) : "r"(NOTHING_THERE) : "memory");
    check("disabled BusFault escalates: HardFault", fault_seen.exception, EXC_HARDFAULT);
    check("HFSR.FORCED", fault_seen.hfsr & HFSR_FORCED, HFSR_FORCED);
    check("CFSR.PRECISERR", fault_seen.cfsr & CFSR_PRECISERR, CFSR_PRECISERR);
    check("BFAR", fault_seen.bfar, NOTHING_THERE);
    fault_reset();
    __asm__ volatile("udf #1" ::: "memory");
    check("disabled UsageFault escalates: HardFault", fault_seen.exception, EXC_HARDFAULT);
    check("HFSR.FORCED (undefined)", fault_seen.hfsr & HFSR_FORCED, HFSR_FORCED);
    check("CFSR.UNDEFINSTR", fault_seen.cfsr & CFSR_UNDEFINSTR, CFSR_UNDEFINSTR);
    SCB_SHCSR |= SHCSR_USGFAULTENA;
    fault_reset();
    __asm__ volatile("udf #2" ::: "memory");
    check("enabled UsageFault: UsageFault", fault_seen.exception, EXC_USAGEFAULT);
    check("UsageFault EXC_RETURN", fault_seen.exc_return, 0xfffffff9u);
    return check_summary("conf-arm-exc");
}
