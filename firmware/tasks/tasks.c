/* Tasks: a small preemptive round-robin scheduler on the CLINT timer. Three tasks, each with its
 * own stack, run in 1 ms slices (virtual time); the timer interrupt saves the running task's
 * registers (a trap_frame on its stack, see crt0-trap.S) and resumes the next unfinished task's.
 * Each task prints one line per slice and then waits for the slice to end, so the interleaving
 * does not depend on exact timer timing. Tasks that return are skipped; when all have finished
 * the scheduler resumes main, which ends the run with pass.
 *
 * On QEMU, mtime follows host time; the reference test runs it with -icount shift=3 so virtual
 * time follows executed instructions there too (the output is the same either way unless the
 * host stalls QEMU for a whole slice in the middle of a line). */
#include <stdint.h>
#include "clint.h"
#include "csr.h"
#include "platform.h"
#include "trap.h"
#include "uart.h"

#define NTASKS      3
#define STACK_SIZE  2048u
#define SLICE_TICKS (TIMEBASE_HZ / 1000u) /* 1 ms */

struct task {
    const char *name;
    uint32_t steps;
    volatile uint32_t done;
    trap_frame *frame;                       /* saved registers while not running */
    uint8_t stack[STACK_SIZE] __attribute__((aligned(16)));
};

static struct task tasks[NTASKS] = {
    { .name = "alpha", .steps = 3 },
    { .name = "beta", .steps = 5 },
    { .name = "gamma", .steps = 4 },
};
static volatile int current = -1;            /* running task, -1 for main */
static volatile uint32_t slices;             /* timer interrupts so far */
static volatile uint32_t all_done;
static trap_frame *main_frame;

static void task_main(uint32_t index)
{
    struct task *task = &tasks[index];
    for (uint32_t step = 1; step <= task->steps; step++) {
        uint32_t seen = slices;
        uart_puts(task->name);
        uart_puts(": step ");
        uart_put_udec(step);
        uart_putc('/');
        uart_put_udec(task->steps);
        uart_putc('\n');
        while (slices == seen) /* the rest of this slice: wait to be preempted */
            ;
    }
}

/* Where a task returns to: mark it finished and wait to be preempted for good. */
static void task_exit(void)
{
    tasks[current].done = 1;
    for (;;)
        ;
}

trap_frame *trap_handler(trap_frame *frame)
{
    if (frame->mcause != (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
        uart_puts("tasks: unexpected trap\n");
        frame->mepc += insn_length(frame->mepc);
        return frame;
    }
    slices++;
    if (current < 0)
        main_frame = frame;
    else
        tasks[current].frame = frame;

    for (int k = 1; k <= NTASKS; k++) {
        int next = (current + k + NTASKS) % NTASKS;
        if (!tasks[next].done) {
            current = next;
            clint_set_timecmp(0, clint_mtime() + SLICE_TICKS);
            return tasks[next].frame;
        }
    }
    /* Every task has finished: back to main, timer off. */
    current = -1;
    all_done = 1;
    csr_clear(mie, MIP_MTIP);
    return main_frame;
}

int main(void)
{
    uint32_t gp;
    __asm__("mv %0, gp" : "=r"(gp));
    uart_puts("tasks: 3 tasks, round robin in 1 ms slices of the CLINT timer\n");
    for (uint32_t i = 0; i < NTASKS; i++) {
        uint8_t *top = tasks[i].stack + STACK_SIZE;
        trap_frame *frame = (trap_frame *)(top - sizeof(trap_frame));
        for (int r = 0; r < 32; r++)
            frame->regs[r] = 0;
        frame->regs[REG_SP] = (uint32_t)(uintptr_t)frame;
        frame->regs[3] = gp;
        frame->regs[REG_RA] = (uint32_t)(uintptr_t)task_exit;
        frame->regs[REG_A0] = i;
        frame->mepc = (uint32_t)(uintptr_t)task_main;
        frame->mstatus = MSTATUS_MPP_M | MSTATUS_MPIE; /* M-mode, interrupts on after mret */
        tasks[i].frame = frame;
    }

    clint_set_timecmp(0, clint_mtime() + SLICE_TICKS);
    csr_write(mie, MIP_MTIP);
    while (!all_done)
        wfi_then_take_interrupts(); /* the first tick switches to alpha; main resumes at the end */

    uart_puts("tasks: all finished\n");
    return 0;
}
