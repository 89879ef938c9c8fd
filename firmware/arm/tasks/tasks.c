/* A preemptive task switcher the Cortex-M way: three unprivileged tasks in thread mode on the
 * process stack (PSP), switched round robin by PendSV, which SysTick pends every 10 ms. SVC 0
 * (from main, privileged on MSP) starts the first task; a task that returns lands in task_exit,
 * whose SVC 1 marks it finished and pends PendSV; when the last one finishes, the SVC handler
 * prints the end and exits with status 0. Each task prints one line per time slice. */
#include <stdint.h>
#include "mps2.h"
#include "print.h"
#include "semihost.h"
#include "uart.h"

#define CORE_CLOCK_HZ 25000000u
#define SLICE_HZ      100u
#define NUM_TASKS     3u
#define STACK_WORDS   256u
#define XPSR_THUMB    0x01000000u
#define CONTROL_NPRIV 1u

struct task {
    uint32_t *sp;          /* saved PSP, r4-r11 pushed below the hardware frame */
    const char *name;
    uint32_t steps;
    int finished;
};

static uint32_t stacks[NUM_TASKS][STACK_WORDS] __attribute__((aligned(8)));
static struct task tasks[NUM_TASKS] = {
    { 0, "alpha", 3, 0 },
    { 0, "beta", 5, 0 },
    { 0, "gamma", 4, 0 },
};
static uint32_t current;
static volatile uint32_t slices;

static void task_body(struct task *self)
{
    for (uint32_t step = 1; step <= self->steps; step++) {
        uint32_t slice = slices;
        uart_puts(self->name);
        uart_puts(": step ");
        uart_put_udec(step);
        uart_putc('/');
        uart_put_udec(self->steps);
        uint32_t control;
        __asm__ volatile("mrs %0, control" : "=r"(control));
        uart_puts(control & CONTROL_NPRIV ? " (unprivileged, PSP)\n" : " (privileged?)\n");
        while (slices == slice)
            ; /* the rest of this slice */
    }
}

static void task_exit(void)
{
    __asm__ volatile("svc 1");
    for (;;)
        ;
}

static void task_init(uint32_t index)
{
    uint32_t *sp = &stacks[index][STACK_WORDS];
    *--sp = XPSR_THUMB;                      /* xPSR */
    *--sp = (uint32_t)task_body;             /* PC */
    *--sp = (uint32_t)task_exit;             /* LR */
    *--sp = 0;                               /* r12 */
    *--sp = 0;                               /* r3 */
    *--sp = 0;                               /* r2 */
    *--sp = 0;                               /* r1 */
    *--sp = (uint32_t)&tasks[index];         /* r0: the task's argument */
    for (int r = 11; r >= 4; r--)
        *--sp = 0;                           /* r11..r4 */
    tasks[index].sp = sp;
}

/* Called by pendsv_handler with the outgoing task's PSP (r4-r11 already pushed); returns the next one's. */
uint32_t *switch_task(uint32_t *sp)
{
    tasks[current].sp = sp;
    for (uint32_t i = 1; i <= NUM_TASKS; i++) {
        uint32_t next = (current + i) % NUM_TASKS;
        if (!tasks[next].finished) {
            current = next;
            break;
        }
    }
    return tasks[current].sp;
}

__attribute__((naked)) void pendsv_handler(void)
{
    __asm__ volatile(
        "mrs r0, psp\n\t"
        "stmdb r0!, {r4-r11}\n\t"
        "push {r3, lr}\n\t"
        "bl switch_task\n\t"
        "pop {r3, lr}\n\t"
        "ldmia r0!, {r4-r11}\n\t"
        "msr psp, r0\n\t"
        "bx lr\n\t");
}

void systick_handler(void)
{
    slices++;
    SCB_ICSR = ICSR_PENDSVSET;
}

/* SVC 0: start the first task. SVC 1: the current task finished. */
void svc_dispatch(uint32_t *frame, uint32_t exc_return)
{
    uint16_t svc = *(const uint16_t *)(frame[6] - 2u);
    if ((svc & 0xffu) == 0u) {
        uint32_t *sp = tasks[current].sp + 8;        /* skip the r4-r11 slots (all zero) */
        __asm__ volatile("msr psp, %0" :: "r"(sp));
        __asm__ volatile("msr control, %0\n\tisb" :: "r"(CONTROL_NPRIV) : "memory");
        (void)exc_return;
        __asm__ volatile("mov lr, %0\n\tbx lr" :: "r"(0xfffffffdu));  /* to thread mode on PSP */
    }
    tasks[current].finished = 1;
    uart_puts(tasks[current].name);
    uart_puts(": finished\n");
    for (uint32_t i = 0; i < NUM_TASKS; i++)
        if (!tasks[i].finished) {
            SCB_ICSR = ICSR_PENDSVSET;
            return;
        }
    uart_puts("tasks: all finished after ");
    uart_put_udec(slices);
    uart_puts(" slices\n");
    semihost_exit(0);
}

__attribute__((naked)) void svc_handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "b svc_dispatch\n\t");
}

int main(void)
{
    uart_puts("tasks: 3 unprivileged tasks on PSP, round robin by PendSV every 10 ms of SysTick\n");
    for (uint32_t i = 0; i < NUM_TASKS; i++)
        task_init(i);
    SCB_SHPR_BYTE(EXC_PENDSV) = 0xff;   /* lowest: switch only when no other handler runs */
    SCB_SHPR_BYTE(EXC_SYSTICK) = 0x80;
    SCB_SHPR_BYTE(EXC_SVCALL) = 0x80;
    SYST_RVR = CORE_CLOCK_HZ / SLICE_HZ - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    __asm__ volatile("svc 0");
    uart_puts("tasks: main resumed, which it never should\n");
    return 1;
}
